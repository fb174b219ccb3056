-- Account-plan goals against actuals as of as_of_date (grain: goal_id): e.g. meet 3+ people in a
-- department, identify the decision maker. How each metric's actual is counted: seed
-- plan_goal_metrics; a goal with a metric not in the seed stays, flagged unknown_metric.
with

goals as (
    select * from {{ ref('int_account_plan_goals_resolved') }}
),

events as (
    select * from {{ ref('int_account_department_events') }}
),

metrics as (
    select * from {{ ref('plan_goal_metrics') }}
),

lost_opportunities as (
    select distinct opportunity_id
    from events
    where event_type = 'lost'
),

department_actuals as (
    select
        events.account_id,
        events.department,
        count(distinct case when events.event_type = 'meeting' then events.contact_key end) as contacts_met,
        count(
            distinct case
                when
                    events.event_type = 'contact_known'
                    and events.buying_role in ('decision_maker', 'economic_buyer')
                    then events.contact_key
            end
        ) as decision_maker_identified,
        count(case when events.event_type = 'meeting' then 1 end) as meetings,
        coalesce(sum(
            case
                when events.event_type = 'pipeline_reached' and lost_opportunities.opportunity_id is null
                    then events.amount_jpy
            end
        ), 0) as pipeline_amount_jpy
    from events
    left join lost_opportunities on events.opportunity_id = lost_opportunities.opportunity_id
    group by events.account_id, events.department
),

compared as (
    select
        goals.goal_id,
        goals.account_id,
        goals.source_system,
        goals.source_account_id,
        goals.department,
        goals.metric,
        metrics.label_ja as metric_label_ja,
        {{ as_double('goals.target_value') }} as target_value,
        goals.due_date,
        metrics.metric is not null as is_known_metric,
        cast(case
            when metrics.metric is null then null
            when goals.metric = 'contacts_met' then coalesce(department_actuals.contacts_met, 0)
            when
                goals.metric = 'decision_maker_identified'
                then coalesce(department_actuals.decision_maker_identified, 0)
            when goals.metric = 'meetings' then coalesce(department_actuals.meetings, 0)
            when goals.metric = 'pipeline_amount_jpy' then coalesce(department_actuals.pipeline_amount_jpy, 0)
        end as {{ type_double() }}) as actual_value
    from goals
    left join metrics on goals.metric = metrics.metric
    left join department_actuals
        on
            goals.account_id = department_actuals.account_id
            and goals.department = department_actuals.department
),

flagged as (
    select
        *,
        account_id is null as is_account_unknown
    from compared
),

progress as (
    select
        *,
        case when target_value > 0 then {{ rate('actual_value', 'target_value') }} end as progress_rate,
        actual_value >= target_value as is_met,
        case
            when not is_known_metric then 'unknown_metric'
            when is_account_unknown then 'unknown_account'
            when actual_value >= target_value then 'met'
            when due_date < {{ as_of_date() }} then 'overdue'
            else 'open'
        end as status
    from flagged
)

select * from progress
