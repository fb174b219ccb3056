-- Account-plan goals against actuals (grain: goal_id): e.g. meet 3+ people in a department, identify
-- the decision maker. Actuals count from the plan's start (seed plan_goal_metrics says which metrics)
-- up to the due date, or to as_of_date while the goal is open; an open goal of a plan is on track
-- when its chain's actual has reached the chain's milestone pace on as_of_date, else at risk. A goal
-- with a metric not in the seed, an unknown account or a due date before its plan's start stays,
-- with a status that says so.
with

goals as (
    select * from {{ ref('int_account_plan_goals_resolved') }}
),

checkpoints as (
    select * from {{ ref('int_account_plan_checkpoints_chained') }}
),

measured as (
    select * from {{ ref('int_account_plan_checkpoints_measured') }}
),

metrics as (
    select * from {{ ref('plan_goal_metrics') }}
),

-- every checkpoint with its actual: read once, for the due dates and for as_of_date
checkpoint_values as (
    select
        checkpoints.goal_chain_id,
        checkpoints.next_goal_id,
        checkpoints.expected_value,
        checkpoints.is_goal_due,
        checkpoints.is_as_of_date,
        measured.actual_value
    from checkpoints
    inner join measured
        on
            checkpoints.goal_chain_id = measured.goal_chain_id
            and checkpoints.checkpoint_date = measured.checkpoint_date
    where checkpoints.is_goal_due or checkpoints.is_as_of_date
),

-- the goal's own due-date checkpoint: its actual up to the due date (or to as_of_date while open)
at_due as (
    select
        next_goal_id as goal_id,
        actual_value
    from checkpoint_values
    where is_goal_due
),

-- where the goal's chain stands on as_of_date: its actual and the pace it should have reached
chain_today as (
    select
        goal_chain_id,
        expected_value as expected_to_date,
        actual_value as chain_actual_to_date
    from checkpoint_values
    where is_as_of_date
),

compared as (
    select
        goals.goal_id,
        goals.plan_id,
        goals.goal_chain_id,
        goals.step_number,
        goals.account_id,
        goals.source_system,
        goals.source_account_id,
        goals.department,
        goals.metric,
        metrics.label_ja as metric_label_ja,
        {{ as_double('goals.target_value') }} as target_value,
        goals.plan_start,
        goals.due_date,
        metrics.metric is not null as is_known_metric,
        goals.account_id is null as is_account_unknown,
        goals.plan_start is not null and goals.due_date <= goals.plan_start as is_due_before_plan_start,
        at_due.actual_value,
        {{ as_double('chain_today.expected_to_date') }} as expected_to_date,
        chain_today.chain_actual_to_date
    from goals
    left join metrics on goals.metric = metrics.metric
    left join at_due on goals.goal_id = at_due.goal_id
    left join chain_today on goals.goal_chain_id = chain_today.goal_chain_id
),

progress as (
    select
        *,
        case when target_value > 0 then {{ rate('actual_value', 'target_value') }} end as progress_rate,
        actual_value >= target_value as is_met,
        case
            when not is_known_metric then 'unknown_metric'
            when is_account_unknown then 'unknown_account'
            when is_due_before_plan_start then 'due_before_plan_start'
            when actual_value >= target_value then 'met'
            when due_date < {{ as_of_date() }} then 'overdue'
            when expected_to_date is null then 'open'
            when chain_actual_to_date >= expected_to_date then 'on_track'
            else 'at_risk'
        end as status
    from compared
)

select * from progress
-- a plan's rows together: the account page reads them by the min / max of a few row groups
order by plan_id, goal_chain_id, due_date
