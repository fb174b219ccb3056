-- Staged rows: those of abm__account_plan_goals that passed validation. Rejected rows are in stg_raw__quarantine.
with

validated as (
    select * from {{ ref('base_abm__account_plan_goals') }}
),

clean as (
    select
        source_system,
        source_account_id,
        department,
        metric,
        target_value,
        due_date,
        plan_id,
        _source_file,
        _source_row_number
    from validated
    where quarantine_reason is null
)

select * from clean
