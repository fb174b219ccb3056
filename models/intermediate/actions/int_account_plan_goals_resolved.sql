-- Account-plan goals (optional raw table account_plan_goals) on resolved accounts and canonical
-- departments (one row per goal), with the plan they belong to. A plan chains goals of one metric
-- and department (1-, 2-, 3-month steps to a half-year goal): each goal carries the step before it
-- (the previous due date and value; the plan's start and 0 for the first), which the monthly
-- milestones interpolate between. A goal repeated in the file counts once (its last row); a goal
-- without a plan is a chain of its own with no start (its actual counts all history).
with

goals as (
    select * from {{ ref('stg_abm__account_plan_goals') }}
),

plans as (
    select * from {{ ref('int_account_plans_resolved') }}
),

account_ids as (
    select * from {{ ref('int_account_ids_assigned') }}
),

department_aliases as (
    select * from {{ ref('department_aliases') }}
),

resolved as (
    select
        goals.source_system,
        goals.source_account_id,
        goals.plan_id,
        account_ids.account_id,
        {{ canonical_department('department_aliases.department', 'goals.department') }} as department,
        goals.metric,
        goals.target_value,
        goals.due_date,
        row_number() over (
            partition by
                goals.source_system,
                goals.source_account_id,
                goals.plan_id,
                {{ canonical_department('department_aliases.department', 'goals.department') }},
                goals.metric,
                goals.due_date
            order by goals._source_row_number desc
        ) as version_rank
    from goals
    left join account_ids
        on
            account_ids.record_key
            = {{ company_record_key("'crm_accounts'", 'goals.source_system', 'goals.source_account_id') }}
    left join department_aliases
        on {{ department_key('goals.department') }} = department_aliases.department_alias
),

identified as (
    select
        resolved.source_system || ':' || resolved.source_account_id || ':'
        || coalesce(resolved.plan_id, 'no_plan') || ':' || resolved.department || ':' || resolved.metric || ':'
        || coalesce(cast(resolved.due_date as {{ dbt.type_string() }}), 'no_due_date') as goal_id,
        -- a goal without a (known) plan is a chain of its own
        case
            when plans.plan_id is not null
                then plans.plan_id || ':' || resolved.department || ':' || resolved.metric
            else
                resolved.source_system || ':' || resolved.source_account_id || ':no_plan:'
                || resolved.department || ':' || resolved.metric || ':'
                || coalesce(cast(resolved.due_date as {{ dbt.type_string() }}), 'no_due_date')
        end as goal_chain_id,
        resolved.source_system,
        resolved.source_account_id,
        resolved.plan_id,
        plans.plan_start,
        resolved.account_id,
        resolved.department,
        resolved.metric,
        resolved.target_value,
        resolved.due_date
    from resolved
    -- a goal naming a plan the file does not have keeps its plan id but gets no start
    left join plans on resolved.plan_id = plans.plan_id
    where resolved.version_rank = 1
),

chained as (
    select
        *,
        coalesce(lag(due_date) over (partition by goal_chain_id order by due_date), plan_start) as previous_due_date,
        coalesce(lag(target_value) over (partition by goal_chain_id order by due_date), 0) as previous_target_value,
        cast(row_number() over (partition by goal_chain_id order by due_date) as {{ dbt.type_bigint() }}) as step_number
    from identified
)

select * from chained
