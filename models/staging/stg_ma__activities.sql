{{ config(
    materialized=abm_incremental_materialization(),
    unique_key='activity_id',
    incremental_strategy=abm_incremental_strategy(),
    on_schema_change='fail',
) }}
-- Staged rows: those of ma__activities that passed validation. Rejected rows are in stg_raw__quarantine.
-- Incremental: a scheduled run adds new rows and re-reads the last event_lookback_days (late events).
with

validated as (
    select * from {{ ref('base_ma__activities') }}
),

clean as (
    select
        activity_id,
        source_system,
        source_contact_id,
        email,
        activity_type,
        occurred_at,
        campaign_id,
        _source_file,
        _source_row_number
    from validated
    where
        quarantine_reason is null
        and {{ incremental_event_filter('occurred_at') }}
)

select * from clean
