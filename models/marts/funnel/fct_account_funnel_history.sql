{{ config(
    materialized=abm_incremental_materialization(),
    unique_key=abm_batch_key(['account_id', 'evaluated_on'], 'evaluated_on'),
    incremental_strategy=abm_incremental_strategy(),
    on_schema_change='fail',
) }}
-- The account funnel at every completed week and month end (grain: account_id, evaluated_on).
-- Incremental: period ends within var event_lookback_days of the newest stored one are recomputed
-- (late events still land in them); older ones are frozen, so last month's figures stay what they were
-- once the month closed even if data about it changes later. A --full-refresh rebuilds the history
-- from today's data.
with

funnel as (
    select * from {{ ref('int_account_funnel_evaluated') }}
),

period_ends as (
    select
        account_id,
        evaluated_on,
        is_week_end,
        is_month_end,
        is_quarter_end,
        is_target,
        tier as target_tier,
        cohort,
        owner,
        coverage_rate,
        is_covered,
        reach_rate,
        is_reached,
        engaged_touches,
        known_people,
        reached_people,
        engaged_people,
        is_engaged,
        pipeline_opportunities,
        {{ as_yen('pipeline_amount_jpy') }} as pipeline_amount_jpy,
        has_pipeline,
        won_opportunities,
        {{ as_yen('won_amount_jpy') }} as won_amount_jpy,
        has_won,
        closed_opportunities,
        funnel_stage,
        funnel_stage_order,
        staircase_stage,
        staircase_stage_order
    from funnel
    where
        (is_week_end or is_month_end)
        -- new period ends, and the recent ones late events may still change
        and {{ incremental_event_filter('evaluated_on') }}
)

-- stored in account order: a BI page for one account then reads only the row groups that hold it
-- (DuckDB skips the others by their min / max), not every row of the table
select * from period_ends
order by account_id, evaluated_on
