-- Staged rows: those of ma__lead_status_history that passed validation. Rejected rows are in stg_raw__quarantine.
with

validated as (
    select * from {{ ref('base_ma__lead_status_history') }}
),

clean as (
    select
        source_system,
        source_contact_id,
        status,
        changed_at,
        _source_file,
        _source_row_number
    from validated
    where quarantine_reason is null
)

select * from clean
