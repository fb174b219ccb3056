-- Staged rows: those of intent__signals that passed validation. Rejected rows are in stg_raw__quarantine.
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
        _source_row_number
    from validated
    where quarantine_reason is null
)

select * from clean
