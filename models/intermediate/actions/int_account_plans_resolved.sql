-- Account plans (optional raw table account_plans) on resolved accounts (grain: plan_id): the plan's
-- start, its ambition (目的と方向性: annual revenue aimed for at the end of the horizon) and the day
-- the horizon ends. A plan whose CRM record is unknown stays, with a null account.
with

plans as (
    select * from {{ ref('stg_abm__account_plans') }}
),

account_ids as (
    select * from {{ ref('int_account_ids_assigned') }}
),

resolved as (
    select
        plans.plan_id,
        plans.source_system,
        plans.source_account_id,
        account_ids.account_id,
        plans.owner,
        plans.plan_start,
        plans.ambition,
        plans.revenue_target_jpy,
        plans.horizon_months,
        cast({{ dbt.dateadd('month', 'plans.horizon_months', 'plans.plan_start') }} as date) as horizon_end
    from plans
    left join account_ids
        on
            account_ids.record_key
            = {{ company_record_key("'crm_accounts'", 'plans.source_system', 'plans.source_account_id') }}
)

select * from resolved
