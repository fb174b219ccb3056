{{ config(
    materialized=abm_incremental_materialization(),
    unique_key='signal_key',
    incremental_strategy=abm_incremental_strategy(),
    on_schema_change='fail',
) }}
-- Staged rows: those of intent__signals that passed validation. Rejected rows are in stg_raw__quarantine.
-- Incremental: a scheduled run adds new rows and re-reads the last event_lookback_days (late events).
-- Vendors deliver no signal id: the key is the signal's content plus its occurrence number, so a
-- re-delivered file replaces its rows instead of doubling them, while two identical signals in one
-- delivery stay two.
with

validated as (
    select * from {{ ref('base_intent__signals') }}
),

clean as (
    select
        domain,
        topic,
        signal_date,
        score,
        _source_file,
        _source_row_number,
        row_number() over (
            partition by domain, topic, signal_date, score
            order by _source_row_number
        ) as occurrence
    from validated
    where
        quarantine_reason is null
        and {{ incremental_event_filter('signal_date') }}
),

keyed as (
    select
        {{ dbt.hash(dbt.concat([
            "coalesce(domain, '')", "'|'", "coalesce(topic, '')", "'|'",
            "cast(signal_date as " ~ dbt.type_string() ~ ")", "'|'",
            "coalesce(cast(score as " ~ dbt.type_string() ~ "), '')", "'|'",
            "cast(occurrence as " ~ dbt.type_string() ~ ")",
        ])) }} as signal_key,
        domain,
        topic,
        signal_date,
        score,
        _source_file,
        _source_row_number
    from clean
)

select * from keyed
