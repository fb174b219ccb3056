{{ config(
    materialized=abm_incremental_materialization(),
    unique_key='event_id',
    incremental_strategy=abm_incremental_strategy(),
    on_schema_change='fail',
) }}
-- Staged rows: those of product__usage_events that passed validation. Rejected rows are in stg_raw__quarantine.
-- Incremental: a scheduled run adds new rows and re-reads the last event_lookback_days (late events).
with

validated as (
    select * from {{ ref('base_product__usage_events') }}
),

clean as (
    select
        event_id,
        user_email,
        event_name,
        occurred_at,
        _source_file,
        _source_row_number
    from validated
    where
        quarantine_reason is null
        and {{ incremental_event_filter('occurred_at') }}
)

select * from clean
