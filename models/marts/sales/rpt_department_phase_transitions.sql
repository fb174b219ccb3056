-- How departments moved between the seeds' phases per quarter (grain: quarter_end, cohort,
-- from_phase, to_phase): each account department's phase at the previous quarter end against its
-- phase at this quarter end — or on as_of_date for the quarter in progress (is_quarter_complete
-- false). from_phase 'none' when the department was not known yet or no rule held; a department stays
-- in its row when it did not move (from_phase = to_phase). Cohort: target on the later day.
with

history as (
    select * from {{ ref('fct_department_phase_history') }}
),

current_phases as (
    select * from {{ ref('int_department_phases_evaluated') }}
    where is_as_of_date
),

phase_labels as (
    select * from {{ ref('department_phases') }}
),

period_phases as (
    select
        account_id,
        department,
        evaluated_on,
        is_target,
        phase,
        phase_order,
        true as is_quarter_complete
    from history
    where is_quarter_end
    union all
    select
        account_id,
        department,
        evaluated_on,
        is_target,
        phase,
        phase_order,
        false as is_quarter_complete
    from current_phases
    where not is_quarter_end
),

period_ends as (
    select
        evaluated_on as period_end,
        is_quarter_complete,
        lag(evaluated_on) over (order by evaluated_on) as previous_period_end
    from (
        select distinct
            evaluated_on,
            is_quarter_complete
        from period_phases
    ) as distinct_period_ends
),

-- every department known at either end of a period, with its phase at both ends
departments_per_period as (
    select distinct
        period_ends.period_end,
        period_ends.previous_period_end,
        period_ends.is_quarter_complete,
        period_phases.account_id,
        period_phases.department
    from period_ends
    inner join period_phases
        on period_phases.evaluated_on in (period_ends.period_end, period_ends.previous_period_end)
    where period_ends.previous_period_end is not null
),

moves as (
    select
        departments_per_period.period_end as quarter_end,
        departments_per_period.is_quarter_complete,
        case when coalesce(now_phase.is_target, false) then 'target' else 'non_target' end as cohort,
        coalesce(before_phase.phase, 'none') as from_phase,
        coalesce(before_phase.phase_order, 0) as from_phase_order,
        coalesce(now_phase.phase, 'none') as to_phase,
        coalesce(now_phase.phase_order, 0) as to_phase_order
    from departments_per_period
    left join period_phases as before_phase
        on
            departments_per_period.account_id = before_phase.account_id
            and departments_per_period.department = before_phase.department
            and departments_per_period.previous_period_end = before_phase.evaluated_on
    left join period_phases as now_phase
        on
            departments_per_period.account_id = now_phase.account_id
            and departments_per_period.department = now_phase.department
            and departments_per_period.period_end = now_phase.evaluated_on
),

transitions as (
    select
        quarter_end,
        is_quarter_complete,
        cohort,
        from_phase,
        from_phase_order,
        to_phase,
        to_phase_order,
        case
            when to_phase_order > from_phase_order then 'forward'
            when to_phase_order < from_phase_order then 'back'
            else 'stayed'
        end as direction,
        count(*) as departments
    from moves
    group by quarter_end, is_quarter_complete, cohort, from_phase, from_phase_order, to_phase, to_phase_order
),

-- the Japanese phase names beside the codes, so a dashboard reads one small table
labelled as (
    select
        transitions.*,
        coalesce(from_labels.label_ja, 'なし') as from_phase_label_ja,
        coalesce(to_labels.label_ja, 'なし') as to_phase_label_ja
    from transitions
    left join phase_labels as from_labels on transitions.from_phase = from_labels.phase
    left join phase_labels as to_labels on transitions.to_phase = to_labels.phase
)

select * from labelled
