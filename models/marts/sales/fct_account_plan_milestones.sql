-- The monthly milestones of every account plan's goal chains (grain: goal_chain_id × milestone_date):
-- each month from the plan's start, and each goal's due date, with the value the chain should have
-- reached by then (interpolated between its goals) against the actual counted up to that day. What
-- the weekly review walks through: which milestones were met, missed, and which come next.
with

checkpoints as (
    select * from {{ ref('int_account_plan_checkpoints_chained') }}
),

measured as (
    select * from {{ ref('int_account_plan_checkpoints_measured') }}
),

metrics as (
    select * from {{ ref('plan_goal_metrics') }}
),

milestones as (
    select
        checkpoints.goal_chain_id,
        checkpoints.checkpoint_date as milestone_date,
        checkpoints.plan_id,
        checkpoints.account_id,
        checkpoints.department,
        checkpoints.metric,
        metrics.label_ja as metric_label_ja,
        checkpoints.months_since_start,
        checkpoints.is_month_milestone,
        checkpoints.is_goal_due,
        checkpoints.next_goal_id,
        {{ as_double('checkpoints.expected_value') }} as expected_value,
        measured.actual_value
    from checkpoints
    inner join measured
        on
            checkpoints.goal_chain_id = measured.goal_chain_id
            and checkpoints.checkpoint_date = measured.checkpoint_date
    left join metrics on checkpoints.metric = metrics.metric
    -- plan chains only (a goal without a plan has no milestones), and not the as_of_date checkpoint
    where checkpoints.plan_start is not null and (checkpoints.is_month_milestone or checkpoints.is_goal_due)
),

judged as (
    select
        *,
        milestone_date <= {{ as_of_date() }} as is_due,
        case
            when actual_value is null then 'unknown'
            when actual_value >= expected_value then 'met'
            when milestone_date < {{ as_of_date() }} then 'missed'
            else 'upcoming'
        end as status
    from milestones
)

select * from judged
-- a plan's rows together: the account page reads them by the min / max of a few row groups
order by plan_id, goal_chain_id, milestone_date
