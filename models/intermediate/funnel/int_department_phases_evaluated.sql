{{ config(
    materialized=abm_incremental_materialization(),
    unique_key=['account_id', 'department', 'evaluated_on'],
    incremental_strategy=abm_incremental_strategy(),
    on_schema_change='sync_all_columns',
    pre_hook=["{{ prune_to_evaluation_days(department_has_no_events_by_the_day()) }}", "{{ record_evaluated_days() }}"],
    meta={'appends_from': ['int_account_department_events', 'int_funnel_evaluation_dates',
                           'int_target_listings_resolved']},
) }}
-- The seeds' ABM phase of every account department on each week end, month end and on as_of_date (grain:
-- account_id, department, evaluated_on), from data dated on or before that day. A department is in
-- the deepest phase whose state rule (seed department_phases.state_rule) holds on the day, so phases
-- can fall back: a lost deal with no other open deal and no recent meeting returns a department to
-- リード獲得期. 'none' when no rule holds (e.g. only closed deals, no known contact). is_target: the
-- account was on the target list that day.
-- Incremental (macros/funnel/evaluation_days.sql): a daily run evaluates as_of_date and the recent
-- period ends only; older period ends keep the figures they were given, as the histories do. Of the days
-- it evaluates, a planned daily build carries the stored state of a department whose events did not
-- change and moved no window edge (macros/funnel/carried_states.sql) and evaluates the others.
{%- set carrying = abm_appending() %}
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

-- one row per department with events: its first events and the fingerprint of the rows the rules read
department_inputs as (
    select
        account_id,
        department,
        min(case when event_type = 'contact_known' then occurred_at end) as first_contact_at,
        min(occurred_at) as first_event_at,
        {{ inputs_fingerprint(['event_type', 'occurred_at', 'opportunity_id']) }} as inputs_fingerprint
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
{% if carrying %}
reference_days as (
    {{ reference_days('phase_days') }}
),

-- departments with an event that entered between the reference day and the day, or left the meeting or
-- win window: their state may have moved although their events did not change
moved_departments as (
    select distinct
        events.account_id,
        events.department,
        reference_days.evaluated_on
    from events
    inner join reference_days
        on {{ crosses_window_edges(
            'cast(events.occurred_at as date)', 'reference_days.reference_on', 'reference_days.evaluated_on',
            [var('funnel_engagement_window_days'), var('phase_win_window_days')]
        ) }}
),

-- the stored state of every other department whose events are the ones it was evaluated from
carried as (
    {{ carried_rows(
        ['account_id', 'department'],
        ['has_known_contact', 'recent_meetings', 'open_opportunities', 'open_late_stage_opportunities',
         'recent_wins', 'phase_order', 'phase', 'phase_label_ja'],
        'department_inputs', 'moved_departments', stored_columns=['is_target']
    ) }}
),
{% endif %}
-- the departments evaluated on each day: known by then, and not carried
department_days as (
    select
        department_inputs.account_id,
        department_inputs.department,
        department_inputs.first_contact_at,
        department_inputs.inputs_fingerprint,
        phase_days.evaluated_on,
        {{ dbt.dateadd('day', 1, 'phase_days.evaluated_on') }} as day_after
    from department_inputs
    inner join phase_days
        on department_inputs.first_event_at < {{ dbt.dateadd('day', 1, 'phase_days.evaluated_on') }}
    {%- if carrying %}
    where not exists (
        select 1
        from carried
        where
            carried.account_id = department_inputs.account_id
            and carried.department = department_inputs.department
            and carried.evaluated_on = phase_days.evaluated_on
    )
    {%- endif %}
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
        department_days.inputs_fingerprint,
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
        states.account_id,
        states.department,
        states.evaluated_on,
        states.has_known_contact,
        states.recent_meetings,
        states.open_opportunities,
        states.open_late_stage_opportunities,
        states.recent_wins,
        coalesce(phase_held.phase_order, 0) as phase_order,
        coalesce(phases.phase, 'none') as phase,
        phases.label_ja as phase_label_ja,
        states.inputs_fingerprint,
        cast(null as date) as reference_on,
        cast(null as {{ dbt.type_boolean() }}) as stored_is_target
    from states
    left join phase_held
        on
            states.account_id = phase_held.account_id
            and states.department = phase_held.department
            and states.evaluated_on = phase_held.evaluated_on
    left join phases on phase_held.phase_order = phases.phase_order
),

department_states as (
    select * from phased
    {%- if carrying %}
    union all
    select * from carried
    {%- endif %}
),

-- the day's flags and the target list on the day, for evaluated and carried states alike
dated as (
    select
        department_states.account_id,
        department_states.department,
        department_states.evaluated_on,
        phase_days.is_week_end,
        phase_days.is_month_end,
        phase_days.is_quarter_end,
        phase_days.is_as_of_date,
        listed_on_day.account_id is not null as is_target,
        department_states.has_known_contact,
        department_states.recent_meetings,
        department_states.open_opportunities,
        department_states.open_late_stage_opportunities,
        department_states.recent_wins,
        department_states.phase_order,
        department_states.phase,
        department_states.phase_label_ja,
        department_states.inputs_fingerprint,
        department_states.reference_on,
        department_states.stored_is_target
    from department_states
    inner join phase_days on department_states.evaluated_on = phase_days.evaluated_on
    left join listed_on_day
        on
            department_states.account_id = listed_on_day.account_id
            and department_states.evaluated_on = listed_on_day.evaluated_on
),

-- what this run writes: evaluated rows, and carried ones where the stored row differs (a new day, or a
-- target list that changed on a stored day); a carried row equal to its stored row stays as it is
changed as (
    select
        account_id,
        department,
        evaluated_on,
        is_week_end,
        is_month_end,
        is_quarter_end,
        is_as_of_date,
        is_target,
        has_known_contact,
        recent_meetings,
        open_opportunities,
        open_late_stage_opportunities,
        recent_wins,
        phase_order,
        phase,
        phase_label_ja,
        inputs_fingerprint
    from dated
    {%- if carrying %}
    where
        reference_on is null
        or reference_on != evaluated_on
        or stored_is_target != is_target
    {%- endif %}
)

select * from changed
