-- The checkpoints of every goal chain of an account plan (grain: goal_chain_id × checkpoint_date):
-- each month from the plan's start up to the chain's last due date (the monthly milestones), each
-- goal's due date, and as_of_date while the chain runs. The expected value at a checkpoint is
-- interpolated by day between the step before it and the next goal (from 0 at the plan's start),
-- rounded down: a goal of 1 decision maker in three months asks for none after one month, 3 → 5
-- people over three months asks for 3, 4, 5. A goal without a plan has only its due date and
-- as_of_date, and no expected value before its due date (there is no start to pace from).
with

goals as (
    select * from {{ ref('int_account_plan_goals_resolved') }}
),

-- a goal without a due date is checked on as_of_date; one due on or before its plan's start has no
-- step to pace and is left out (fct_account_plan_progress flags it)
chain_goals as (
    select
        goal_id,
        goal_chain_id,
        plan_id,
        plan_start,
        account_id,
        department,
        metric,
        target_value,
        previous_target_value,
        previous_due_date,
        coalesce(due_date, {{ as_of_date() }}) as due_date
    from goals
    where previous_due_date is null or coalesce(due_date, {{ as_of_date() }}) > previous_due_date
),

chains as (
    select
        goal_chain_id,
        plan_id,
        plan_start,
        account_id,
        department,
        metric,
        max(due_date) as last_due_date
    from chain_goals
    group by goal_chain_id, plan_id, plan_start, account_id, department, metric
),

month_checkpoints as (
    select
        chains.goal_chain_id,
        cast({{ dbt.dateadd('month', 'integers.n', 'chains.plan_start') }} as date) as checkpoint_date,
        cast(integers.n as {{ dbt.type_int() }}) as months_since_start
    from chains
    cross join {{ integers(var('plan_max_months') + 1) }}
    where
        integers.n >= 1
        and cast({{ dbt.dateadd('month', 'integers.n', 'chains.plan_start') }} as date) <= chains.last_due_date
),

goal_checkpoints as (
    select
        goal_chain_id,
        due_date as checkpoint_date
    from chain_goals
),

as_of_checkpoints as (
    select
        goal_chain_id,
        {{ as_of_date() }} as checkpoint_date
    from chains
    where {{ as_of_date() }} >= coalesce(plan_start, {{ as_of_date() }}) and {{ as_of_date() }} <= last_due_date
),

all_checkpoints as (
    select
        goal_chain_id,
        checkpoint_date
    from month_checkpoints
    union
    select
        goal_chain_id,
        checkpoint_date
    from goal_checkpoints
    union
    select
        goal_chain_id,
        checkpoint_date
    from as_of_checkpoints
),

-- the goal whose step the checkpoint falls in: after the previous due date, on or before its own
stepped as (
    select
        all_checkpoints.goal_chain_id,
        all_checkpoints.checkpoint_date,
        chain_goals.goal_id as next_goal_id,
        chain_goals.due_date as next_goal_due_date,
        chain_goals.previous_due_date,
        {{ as_double('chain_goals.previous_target_value') }} as previous_target_value,
        {{ as_double('chain_goals.target_value') }} as next_goal_target_value,
        -- noqa: disable=LT05
        {{ dbt.datediff('chain_goals.previous_due_date', 'all_checkpoints.checkpoint_date', 'day') }} as days_into_step,
        {{ dbt.datediff('chain_goals.previous_due_date', 'chain_goals.due_date', 'day') }} as step_days
        -- noqa: enable=LT05
    from all_checkpoints
    inner join chain_goals
        on
            all_checkpoints.goal_chain_id = chain_goals.goal_chain_id
            and (
                chain_goals.previous_due_date is null
                or all_checkpoints.checkpoint_date > chain_goals.previous_due_date
            )
            and all_checkpoints.checkpoint_date <= chain_goals.due_date
),

expected as (
    select
        chains.goal_chain_id,
        stepped.checkpoint_date,
        chains.plan_id,
        chains.plan_start,
        chains.account_id,
        chains.department,
        chains.metric,
        stepped.next_goal_id,
        stepped.next_goal_due_date,
        case
            when stepped.previous_due_date is not null
                then floor(
                    stepped.previous_target_value
                    + (stepped.next_goal_target_value - stepped.previous_target_value)
                    * stepped.days_into_step / stepped.step_days
                )
            when stepped.checkpoint_date = stepped.next_goal_due_date then stepped.next_goal_target_value
        end as expected_value,
        stepped.checkpoint_date = stepped.next_goal_due_date as is_goal_due,
        month_checkpoints.months_since_start is not null as is_month_milestone,
        month_checkpoints.months_since_start,
        stepped.checkpoint_date = {{ as_of_date() }} as is_as_of_date
    from stepped
    inner join chains on stepped.goal_chain_id = chains.goal_chain_id
    left join month_checkpoints
        on
            stepped.goal_chain_id = month_checkpoints.goal_chain_id
            and stepped.checkpoint_date = month_checkpoints.checkpoint_date
)

select * from expected
