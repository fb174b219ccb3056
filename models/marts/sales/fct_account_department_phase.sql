-- The seeds' four ABM phases per account department (grain: account_id, department): リード獲得期,
-- 案件創出期, 案件育成期 and 案件獲得期 run at the same time in different departments of one account.
-- A department is in the deepest phase whose state rule (seed department_phases.state_rule) holds on
-- as_of_date (int_department_phases_evaluated), so it can fall back after a lost deal; the KPIs of
-- every phase are shown so the manager sees progress and bottlenecks.
with

events as (
    select * from {{ ref('int_account_department_events') }}
),

phases as (
    select * from {{ ref('department_phases') }}
),

phases_on_as_of as (
    select * from {{ ref('int_department_phases_evaluated') }}
    where is_as_of_date
),

-- the KPI window is the engagement window: recent activity, not history
recent as (
    select
        *,
        occurred_at >= {{ dbt.dateadd(
            'day', -var('funnel_engagement_window_days'), as_of_cutoff_timestamp()
        ) }} as is_recent
    from events
),

closed_opportunities as (
    select distinct opportunity_id
    from events
    where event_type in ('won', 'lost')
),

department_kpis as (
    select
        recent.account_id,
        recent.department,
        min(case when recent.event_type = 'contact_known' then recent.occurred_at end) as first_contact_at,
        min(case when recent.event_type = 'meeting' then recent.occurred_at end) as first_meeting_at,
        min(case when recent.event_type = 'opportunity_created' then recent.occurred_at end)
            as first_opportunity_at,
        min(case when recent.event_type in ('late_stage_reached', 'won') then recent.occurred_at end)
            as first_late_stage_at,
        count(case when recent.event_type = 'contact_known' then 1 end) as known_contacts,
        count(case when recent.event_type = 'contact_known' and recent.is_recent then 1 end) as new_contacts,
        count(case when recent.event_type = 'contact_known' and recent.is_manager_level then 1 end)
            as manager_contacts,
        count(case when recent.event_type = 'meeting' and recent.is_recent then 1 end) as recent_meetings,
        count(case when recent.event_type = 'meeting' then 1 end) as meetings,
        count(
            case
                when recent.event_type = 'pipeline_reached' and closed_opportunities.opportunity_id is null then 1
            end
        ) as open_pipeline_opportunities,
        coalesce(sum(
            case
                when
                    recent.event_type = 'pipeline_reached' and closed_opportunities.opportunity_id is null
                    then recent.amount_jpy
            end
        ), 0) as open_pipeline_amount_jpy,
        count(case when recent.event_type = 'won' then 1 end) as won_opportunities,
        coalesce(sum(case when recent.event_type = 'won' then recent.amount_jpy end), 0) as won_amount_jpy
    from recent
    left join closed_opportunities on recent.opportunity_id = closed_opportunities.opportunity_id
    group by recent.account_id, recent.department
),

phase_entries as (
    select
        department_kpis.account_id,
        department_kpis.department,
        phases.phase_order,
        phases.phase,
        phases.label_ja,
        case phases.entry_event
            when 'first_contact' then department_kpis.first_contact_at
            when 'first_meeting' then department_kpis.first_meeting_at
            when 'first_opportunity' then department_kpis.first_opportunity_at
            when 'first_late_stage' then department_kpis.first_late_stage_at
        end as entered_at
    from department_kpis
    cross join phases
),

current_phase as (
    select
        phases_on_as_of.account_id,
        phases_on_as_of.department,
        phases_on_as_of.phase_order,
        phases_on_as_of.phase,
        phases_on_as_of.phase_label_ja as label_ja,
        -- the first time the department reached the phase (its entry event)
        phase_entries.entered_at
    from phases_on_as_of
    left join phase_entries
        on
            phases_on_as_of.account_id = phase_entries.account_id
            and phases_on_as_of.department = phase_entries.department
            and phases_on_as_of.phase_order = phase_entries.phase_order
),

department_phase as (
    select
        department_kpis.account_id,
        department_kpis.department,
        current_phase.phase as current_phase,
        current_phase.phase_order as current_phase_order,
        current_phase.label_ja as current_phase_label_ja,
        cast(current_phase.entered_at as date) as phase_entered_on,
        department_kpis.known_contacts,
        department_kpis.new_contacts,
        department_kpis.manager_contacts,
        department_kpis.recent_meetings,
        department_kpis.meetings,
        department_kpis.open_pipeline_opportunities,
        {{ as_yen('department_kpis.open_pipeline_amount_jpy') }} as open_pipeline_amount_jpy,
        department_kpis.won_opportunities,
        {{ as_yen('department_kpis.won_amount_jpy') }} as won_amount_jpy,
        cast(department_kpis.first_contact_at as date) as first_contact_on,
        cast(department_kpis.first_meeting_at as date) as first_meeting_on,
        cast(department_kpis.first_opportunity_at as date) as first_opportunity_on,
        cast(department_kpis.first_late_stage_at as date) as first_late_stage_on
    from department_kpis
    inner join current_phase
        on
            department_kpis.account_id = current_phase.account_id
            and department_kpis.department = current_phase.department
)

-- stored in account order: a BI page for one account then reads only the row groups that hold it
-- (DuckDB skips the others by their min / max), not every row of the table
select * from department_phase
order by account_id
