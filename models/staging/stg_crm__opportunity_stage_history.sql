-- Staged rows: those of crm__opportunity_stage_history that passed validation.
-- Rejected rows are in stg_raw__quarantine.
with

validated as (
    select * from {{ ref('base_crm__opportunity_stage_history') }}
),

clean as (
    select
        opportunity_id,
        stage,
        changed_at,
        _source_file,
        _source_row_number
    from validated
    where quarantine_reason is null
)

select * from clean
