{{ config(
    materialized=abm_incremental_materialization(),
    unique_key=abm_day_batch_key(['account_id', 'department', 'evaluated_on'], 'evaluated_on'),
    incremental_strategy=abm_incremental_strategy(),
    on_schema_change='fail',
    pre_hook="{{ prune_to_evaluation_days() }}",
) }}
-- The seeds' ABM phase of every account department on each week end, month end and on as_of_date (grain:
-- account_id, department, evaluated_on), from data dated on or before that day. A department is in
-- the deepest phase whose state rule (seed department_phases.state_rule) holds on the day, so phases
-- can fall back: a lost deal with no other open deal and no recent meeting returns a department to
-- リード獲得期. 'none' when no rule holds (e.g. only closed deals, no known contact). is_target: the
-- account was on the target list that day.
-- Incremental (macros/funnel/evaluation_days.sql): a daily run evaluates as_of_date and the recent
-- period ends only; older period ends keep the figures they were given, as the histories do.
with

events as (
    select * from {{ ref('int_account_department_events') }}
),

evaluation_spine as (
    select * from {{ ref('int_funnel_evaluation_dates') }}
),

listings as (
    select * from {{ ref('int_target_listings_resolved') }}
),

phases as (
    select * from {{ ref('department_phases') }}
),

phase_days as (
    select
        evaluation_spine.evaluated_on,
        evaluation_spine.is_week_end,
        evaluation_spine.is_month_end,
        evaluation_spine.is_quarter_end,
        evaluation_spine.is_as_of_date
    from evaluation_spine
    where
        (evaluation_spine.is_week_end or evaluation_spine.is_month_end or evaluation_spine.is_as_of_date)
        and ({{ evaluation_days_filter('evaluation_spine') }})
),

department_first_events as (
    select
        account_id,
        department,
        min(case when event_type = 'contact_known' then occurred_at end) as first_contact_at,
        min(occurred_at) as first_event_at
    from events
    group by account_id, department
),

deal_milestones as (
    select
        account_id,
        department,
        opportunity_id,
        min(case when event_type = 'opportunity_created' then occurred_at end) as created_at,
        min(case when event_type in ('late_stage_reached', 'won') then occurred_at end) as late_stage_at,
        min(case when event_type in ('won', 'lost') then occurred_at end) as closed_at,
        min(case when event_type = 'won' then occurred_at end) as won_at
    from events
    where opportunity_id is not null
    group by account_id, department, opportunity_id
),

department_days as (
    select
        department_first_events.account_id,
        department_first_events.department,
        department_first_events.first_contact_at,
        phase_days.evaluated_on,
        phase_days.is_week_end,
        phase_days.is_month_end,
        phase_days.is_quarter_end,
        phase_days.is_as_of_date,
        {{ dbt.dateadd('day', 1, 'phase_days.evaluated_on') }} as day_after
    from department_first_events
    inner join phase_days
        on department_first_events.first_event_at < {{ dbt.dateadd('day', 1, 'phase_days.evaluated_on') }}
),

deals_on_day as (
    select
        department_days.account_id,
        department_days.department,
        department_days.evaluated_on,
        count(
            case
                when deal_milestones.closed_at is null or deal_milestones.closed_at >= department_days.day_after
                    then 1
            end
        ) as open_opportunities,
        count(
            case
                when
                    deal_milestones.late_stage_at < department_days.day_after
                    and (deal_milestones.closed_at is null or deal_milestones.closed_at >= department_days.day_after)
                    then 1
            end
        ) as open_late_stage_opportunities,
        count(
            case
                when
                    deal_milestones.won_at < department_days.day_after
                    and deal_milestones.won_at >= {{ dbt.dateadd(
                        'day', 1 - var('phase_win_window_days'), 'department_days.evaluated_on'
                    ) }}
                    then 1
            end
        ) as recent_wins
    from department_days
    inner join deal_milestones
        on
            department_days.account_id = deal_milestones.account_id
            and department_days.department = deal_milestones.department
            and department_days.day_after > deal_milestones.created_at
    group by department_days.account_id, department_days.department, department_days.evaluated_on
),

meetings_on_day as (
    select
        department_days.account_id,
        department_days.department,
        department_days.evaluated_on,
        count(*) as recent_meetings
    from department_days
    inner join events
        on
            department_days.account_id = events.account_id
            and department_days.department = events.department
            and events.event_type = 'meeting'
            and department_days.day_after > events.occurred_at
            and {{ dbt.dateadd(
                'day', 1 - var('funnel_engagement_window_days'), 'department_days.evaluated_on'
            ) }} <= events.occurred_at
    group by department_days.account_id, department_days.department, department_days.evaluated_on
),

listed_on_day as (
    select distinct
        listings.account_id,
        phase_days.evaluated_on
    from listings
    inner join phase_days
        on
            listings.added_on <= phase_days.evaluated_on
            and (listings.removed_on is null or listings.removed_on > phase_days.evaluated_on)
),

states as (
    select
        department_days.account_id,
        department_days.department,
        department_days.evaluated_on,
        department_days.is_week_end,
        department_days.is_month_end,
        department_days.is_quarter_end,
        department_days.is_as_of_date,
        listed_on_day.account_id is not null as is_target,
        coalesce(department_days.first_contact_at < department_days.day_after, false) as has_known_contact,
        coalesce(meetings_on_day.recent_meetings, 0) as recent_meetings,
        coalesce(deals_on_day.open_opportunities, 0) as open_opportunities,
        coalesce(deals_on_day.open_late_stage_opportunities, 0) as open_late_stage_opportunities,
        coalesce(deals_on_day.recent_wins, 0) as recent_wins
    from department_days
    left join meetings_on_day
        on
            department_days.account_id = meetings_on_day.account_id
            and department_days.department = meetings_on_day.department
            and department_days.evaluated_on = meetings_on_day.evaluated_on
    left join deals_on_day
        on
            department_days.account_id = deals_on_day.account_id
            and department_days.department = deals_on_day.department
            and department_days.evaluated_on = deals_on_day.evaluated_on
    left join listed_on_day
        on
            department_days.account_id = listed_on_day.account_id
            and department_days.evaluated_on = listed_on_day.evaluated_on
),

-- the deepest phase whose state rule holds on the day
phase_held as (
    select
        states.account_id,
        states.department,
        states.evaluated_on,
        max(phases.phase_order) as phase_order
    from states
    inner join phases
        on
            case phases.state_rule
                when 'known_contact' then states.has_known_contact
                when 'recent_meeting' then states.recent_meetings > 0
                when 'open_opportunity' then states.open_opportunities > 0
                when 'open_late_stage_or_recent_win'
                    then states.open_late_stage_opportunities > 0 or states.recent_wins > 0
                else false
            end
    group by states.account_id, states.department, states.evaluated_on
),

phased as (
    select
        states.*,
        coalesce(phase_held.phase_order, 0) as phase_order,
        coalesce(phases.phase, 'none') as phase,
        phases.label_ja as phase_label_ja
    from states
    left join phase_held
        on
            states.account_id = phase_held.account_id
            and states.department = phase_held.department
            and states.evaluated_on = phase_held.evaluated_on
    left join phases on phase_held.phase_order = phases.phase_order
)

select * from phased
