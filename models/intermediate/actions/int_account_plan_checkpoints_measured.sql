-- The actual value of every goal chain at each of its checkpoints (grain: goal_chain_id ×
-- checkpoint_date), counted up to the end of the checkpoint day — or of as_of_date for checkpoints
-- still ahead — and, for metrics that count from the plan's start (seed plan_goal_metrics), only from
-- that day on; over the goal's department, or the whole account for the metrics the seed says so.
-- How each metric is counted: seed plan_goal_metrics.actual_definition.
with

checkpoints as (
    select * from {{ ref('int_account_plan_checkpoints_chained') }}
),

events as (
    select * from {{ ref('int_account_department_events') }}
),

metrics as (
    select * from {{ ref('plan_goal_metrics') }}
),

bounded as (
    select
        checkpoints.goal_chain_id,
        checkpoints.checkpoint_date,
        checkpoints.account_id,
        checkpoints.department,
        checkpoints.metric,
        metrics.metric is not null as is_known_metric,
        case when metrics.counts_from_plan_start then checkpoints.plan_start end as counted_from,
        coalesce(metrics.counts_whole_account, false) as counts_whole_account,
        -- the first instant not counted: the day after the checkpoint, never after as_of_date
        cast(
            {{ dbt.dateadd(
                'day', 1,
                'case when checkpoints.checkpoint_date < ' ~ as_of_date() ~ ' then checkpoints.checkpoint_date else '
                ~ as_of_date() ~ ' end'
            ) }} as {{ dbt.type_timestamp() }}
        ) as counted_before
    from checkpoints
    left join metrics on checkpoints.metric = metrics.metric
),

events_in_range as (
    select
        bounded.goal_chain_id,
        bounded.checkpoint_date,
        events.event_type,
        events.contact_key,
        events.buying_role,
        events.amount_jpy,
        events.opportunity_id,
        events.occurred_at
    from bounded
    inner join events
        on
            bounded.account_id = events.account_id
            and (bounded.counts_whole_account or bounded.department = events.department)
            and bounded.counted_before > events.occurred_at
            and (bounded.counted_from is null or bounded.counted_from <= events.occurred_at)
),

-- deals lost by the checkpoint no longer count as pipeline: a deal is lost after it reached pipeline,
-- so its loss is among the events already in range (no second pass over the events)
lost_by_checkpoint as (
    select distinct
        goal_chain_id,
        checkpoint_date,
        opportunity_id
    from events_in_range
    where event_type = 'lost'
),

counted as (
    select
        events_in_range.goal_chain_id,
        events_in_range.checkpoint_date,
        count(
            distinct case when events_in_range.event_type = 'meeting' then events_in_range.contact_key end
        ) as contacts_met,
        count(
            distinct case
                when
                    events_in_range.event_type = 'contact_known'
                    and events_in_range.buying_role in ('decision_maker', 'economic_buyer')
                    then events_in_range.contact_key
            end
        ) as decision_maker_identified,
        count(case when events_in_range.event_type = 'meeting' then 1 end) as meetings,
        sum(
            case
                when events_in_range.event_type = 'pipeline_reached' and lost_by_checkpoint.opportunity_id is null
                    then events_in_range.amount_jpy
            end
        ) as pipeline_amount_jpy
    from events_in_range
    left join lost_by_checkpoint
        on
            events_in_range.goal_chain_id = lost_by_checkpoint.goal_chain_id
            and events_in_range.checkpoint_date = lost_by_checkpoint.checkpoint_date
            and events_in_range.opportunity_id = lost_by_checkpoint.opportunity_id
    group by events_in_range.goal_chain_id, events_in_range.checkpoint_date
),

measured as (
    select
        bounded.goal_chain_id,
        bounded.checkpoint_date,
        bounded.counted_from,
        bounded.counted_before,
        cast(case
            when not bounded.is_known_metric or bounded.account_id is null then null
            when bounded.metric = 'contacts_met' then coalesce(counted.contacts_met, 0)
            when bounded.metric = 'decision_maker_identified' then coalesce(counted.decision_maker_identified, 0)
            when bounded.metric = 'meetings' then coalesce(counted.meetings, 0)
            when bounded.metric = 'pipeline_amount_jpy' then coalesce(counted.pipeline_amount_jpy, 0)
        end as {{ type_double() }}) as actual_value
    from bounded
    left join counted
        on
            bounded.goal_chain_id = counted.goal_chain_id
            and bounded.checkpoint_date = counted.checkpoint_date
)

select * from measured
