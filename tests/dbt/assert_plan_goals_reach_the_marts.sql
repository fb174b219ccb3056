-- Every staged account-plan goal is a row of fct_account_plan_progress (none dropped on the way through
-- plans, chains and checkpoints), and every goal of a known plan due after its start has its due date
-- among the milestones of fct_account_plan_milestones.
with

staged as (
    select count(*) as goals
    from {{ ref('int_account_plan_goals_resolved') }}
),

reported as (
    select count(*) as goals
    from {{ ref('fct_account_plan_progress') }}
),

goals_without_due_milestone as (
    select progress.goal_id
    from {{ ref('fct_account_plan_progress') }} as progress
    left join {{ ref('fct_account_plan_milestones') }} as milestones
        on
            progress.goal_chain_id = milestones.goal_chain_id
            and progress.due_date = milestones.milestone_date
            and milestones.is_goal_due
    where
        progress.plan_start is not null
        and progress.due_date > progress.plan_start
        and milestones.goal_chain_id is null
),

failures as (
    select 'goal count' as failure, cast(staged.goals - reported.goals as {{ dbt.type_bigint() }}) as difference
    from staged
    cross join reported
    where staged.goals <> reported.goals
    union all
    select
        'no milestone on due date: ' || goal_id as failure,
        cast(1 as {{ dbt.type_bigint() }}) as difference
    from goals_without_due_milestone
)

select * from failures
