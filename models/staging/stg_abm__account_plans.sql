-- Staged rows: those of abm__account_plans that passed validation. Rejected rows are in stg_raw__quarantine.
with

validated as (
    select * from {{ ref('base_abm__account_plans') }}
),

clean as (
    select
        source_system,
        plan_id,
        source_account_id,
        owner,
        plan_start,
        ambition,
        revenue_target_jpy,
        horizon_months,
        _source_file,
        _source_row_number
    from validated
    where quarantine_reason is null
)

select * from clean
