-- Account-plan goals (optional raw table account_plan_goals) on resolved accounts and canonical
-- departments (one row per goal). A goal repeated in the file counts once (its last row).
with

goals as (
    select * from {{ ref('stg_abm__account_plan_goals') }}
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
        account_ids.account_id,
        {{ canonical_department('department_aliases.department', 'goals.department') }} as department,
        goals.metric,
        goals.target_value,
        goals.due_date,
        row_number() over (
            partition by
                goals.source_system,
                goals.source_account_id,
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
        source_system || ':' || source_account_id || ':' || department || ':' || metric || ':'
        || coalesce(cast(due_date as {{ dbt.type_string() }}), 'no_due_date') as goal_id,
        source_system,
        source_account_id,
        account_id,
        department,
        metric,
        target_value,
        due_date
    from resolved
    where version_rank = 1
)

select * from identified
