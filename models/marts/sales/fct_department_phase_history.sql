{{ config(
    materialized=abm_incremental_materialization(),
    unique_key=abm_batch_key(['account_id', 'department', 'evaluated_on'], 'evaluated_on'),
    incremental_strategy=abm_incremental_strategy(),
    on_schema_change='fail',
) }}
-- The phase of every account department at each completed week end and month end (grain: account_id,
-- department, evaluated_on), like fct_account_funnel_history. Incremental: period ends within var
-- event_lookback_days of the newest stored one are recomputed, older ones stay frozen, so a closed
-- quarter's phases are what the team saw then.
with

phases as (
    select * from {{ ref('int_department_phases_evaluated') }}
),

month_ends as (
    select
        account_id,
        department,
        evaluated_on,
        is_week_end,
        is_month_end,
        is_quarter_end,
        is_target,
        phase,
        phase_order,
        has_known_contact,
        recent_meetings,
        open_opportunities,
        open_late_stage_opportunities,
        recent_wins
    from phases
    where
        (is_week_end or is_month_end)
        and {{ incremental_event_filter('evaluated_on') }}
)

-- stored in account order: a BI page for one account then reads only the row groups that hold it
-- (DuckDB skips the others by their min / max), not every row of the table
select * from month_ends
order by account_id, evaluated_on
