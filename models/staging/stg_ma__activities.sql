-- Staged rows: those of ma__activities that passed validation. Rejected rows are in stg_raw__quarantine.
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
    where quarantine_reason is null
)

select * from clean
