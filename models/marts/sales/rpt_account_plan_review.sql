-- One row per account plan for the weekly review (定例会議) on as_of_date (grain: plan_id): the
-- plan's ambition (目的と方向性) against the account's revenue run rate, its goals by status, the
-- monthly milestones met and missed, the next milestone, and what happened at the account in the
-- last plan_review_days days (meetings, people met, campaign touches, deals created). A plan whose
-- goals are all due needs new ones (seed 002: プランは更新する): no_open_goals.
{%- set review_window_start = 'cast(' ~ dbt.dateadd('day', 1 - var('plan_review_days'), as_of_date())
    ~ ' as ' ~ dbt.type_timestamp() ~ ')' %}
with

plans as (
    select * from {{ ref('int_account_plans_resolved') }}
),

accounts as (
    select * from {{ ref('int_accounts_consolidated') }}
),

revenue_months as (
    select * from {{ ref('int_contract_months_expanded') }}
),

goal_progress as (
    select * from {{ ref('fct_account_plan_progress') }}
),

milestones as (
    select * from {{ ref('fct_account_plan_milestones') }}
),

events as (
    select * from {{ ref('int_account_department_events') }}
),

touches as (
    select * from {{ ref('int_touches_attributed_to_accounts') }}
),

run_rate as (
    select
        account_id,
        sum(monthly_revenue_jpy) * 12 as revenue_run_rate_jpy
    from revenue_months
    where month_start = cast({{ dbt.date_trunc('month', as_of_date()) }} as date)
    group by account_id
),

goal_counts as (
    select
        plan_id,
        count(*) as goals,
        count(case when status = 'met' then 1 end) as goals_met,
        count(case when status = 'on_track' then 1 end) as goals_on_track,
        count(case when status = 'at_risk' then 1 end) as goals_at_risk,
        count(case when status = 'overdue' then 1 end) as goals_overdue,
        count(case when status = 'open' then 1 end) as goals_open
    from goal_progress
    where plan_id is not null
    group by plan_id
),

milestone_counts as (
    select
        plan_id,
        count(case when is_due then 1 end) as milestones_due,
        count(case when is_due and status = 'met' then 1 end) as milestones_met,
        count(case when status = 'missed' then 1 end) as milestones_missed
    from milestones
    group by plan_id
),

-- the first milestone after as_of_date (ties: the larger gap first)
next_milestones as (
    select
        plan_id,
        milestone_date,
        department,
        metric,
        expected_value,
        actual_value,
        row_number() over (
            partition by plan_id
            order by milestone_date asc, expected_value - actual_value desc, goal_chain_id asc
        ) as milestone_rank
    from milestones
    where milestone_date > {{ as_of_date() }}
),

recent_events as (
    select
        account_id,
        count(case when event_type = 'meeting' then 1 end) as recent_meetings,
        count(distinct case when event_type = 'meeting' then contact_key end) as recent_people_met,
        count(case when event_type = 'opportunity_created' then 1 end) as recent_opportunities_created
    from events
    where
        occurred_at >= {{ review_window_start }}
        and occurred_at < {{ as_of_cutoff_timestamp() }}
    group by account_id
),

recent_campaign_touches as (
    select
        account_id,
        count(*) as recent_campaign_touches
    from touches
    where
        campaign_id is not null
        and occurred_at >= {{ review_window_start }}
        and occurred_at < {{ as_of_cutoff_timestamp() }}
    group by account_id
),

reviewed as (
    select
        plans.plan_id,
        plans.account_id,
        accounts.account_name,
        plans.source_system,
        plans.source_account_id,
        plans.owner,
        plans.plan_start,
        plans.ambition,
        {{ as_yen('plans.revenue_target_jpy') }} as revenue_target_jpy,
        plans.horizon_months,
        plans.horizon_end,
        -- noqa: disable=LT05
        cast({{ dbt.datediff('plans.plan_start', as_of_date(), 'month') }} as {{ dbt.type_int() }}) as months_since_start,
        -- noqa: enable=LT05
        {{ as_yen('coalesce(run_rate.revenue_run_rate_jpy, 0)') }} as revenue_run_rate_jpy,
        case
            when plans.revenue_target_jpy > 0
                then {{ rate('coalesce(run_rate.revenue_run_rate_jpy, 0)', 'plans.revenue_target_jpy') }}
        end as ambition_progress_rate,
        coalesce(goal_counts.goals, 0) as goals,
        coalesce(goal_counts.goals_met, 0) as goals_met,
        coalesce(goal_counts.goals_on_track, 0) as goals_on_track,
        coalesce(goal_counts.goals_at_risk, 0) as goals_at_risk,
        coalesce(goal_counts.goals_overdue, 0) as goals_overdue,
        coalesce(milestone_counts.milestones_due, 0) as milestones_due,
        coalesce(milestone_counts.milestones_met, 0) as milestones_met,
        coalesce(milestone_counts.milestones_missed, 0) as milestones_missed,
        next_milestones.milestone_date as next_milestone_date,
        next_milestones.department as next_milestone_department,
        next_milestones.metric as next_milestone_metric,
        next_milestones.expected_value as next_milestone_expected_value,
        next_milestones.actual_value as next_milestone_actual_value,
        coalesce(recent_events.recent_meetings, 0) as recent_meetings,
        coalesce(recent_events.recent_people_met, 0) as recent_people_met,
        coalesce(recent_events.recent_opportunities_created, 0) as recent_opportunities_created,
        coalesce(recent_campaign_touches.recent_campaign_touches, 0) as recent_campaign_touches,
        case
            when plans.account_id is null then 'unknown_account'
            when coalesce(goal_counts.goals, 0) = 0 then 'no_goals'
            -- overdue goals are history the review shows; the status is about the goals still open
            when coalesce(goal_counts.goals_at_risk, 0) > 0 then 'at_risk'
            when coalesce(goal_counts.goals_on_track, 0) + coalesce(goal_counts.goals_open, 0) = 0 then 'no_open_goals'
            else 'on_track'
        end as plan_status
    from plans
    left join accounts on plans.account_id = accounts.account_id
    left join run_rate on plans.account_id = run_rate.account_id
    left join goal_counts on plans.plan_id = goal_counts.plan_id
    left join milestone_counts on plans.plan_id = milestone_counts.plan_id
    left join next_milestones
        on plans.plan_id = next_milestones.plan_id and next_milestones.milestone_rank = 1
    left join recent_events on plans.account_id = recent_events.account_id
    left join recent_campaign_touches on plans.account_id = recent_campaign_touches.account_id
)

select * from reviewed
-- an account's plans together: the account page reads them by the min / max of a few row groups
order by account_id, plan_id
