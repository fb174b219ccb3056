-- Account funnel counts and conversion rates for BI (grain: period_type, period_end, target_tier, industry,
-- cohort, owner), from the frozen period-end history: weekly (coverage and engagement are reviewed
-- weekly), monthly (pipeline) and quarterly (wins). Counts are "at this stage or deeper", so each
-- conversion rate is between 0 and 1. Frozen periods count the companies as they were known then (an
-- account merged later stays two rows in periods before the merge).
with

history as (
    select * from {{ ref('fct_account_funnel_history') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

retired_ids as (
    select * from {{ ref('int_account_ids_retired') }}
),

periods as (
    select
        'week' as period_type,
        history.*
    from history
    where history.is_week_end
    union all
    select
        'month' as period_type,
        history.*
    from history
    where history.is_month_end
    union all
    select
        'quarter' as period_type,
        history.*
    from history
    where history.is_quarter_end
),

segmented as (
    select
        periods.period_type,
        periods.evaluated_on as period_end,
        periods.target_tier,
        coalesce(accounts.industry, '(unknown)') as industry,
        periods.cohort,
        coalesce(periods.owner, '(none)') as owner,
        periods.is_covered,
        periods.is_reached,
        periods.is_engaged,
        periods.has_pipeline,
        periods.has_won,
        periods.staircase_stage_order,
        periods.pipeline_amount_jpy,
        periods.won_amount_jpy
    from periods
    -- frozen rows keep the ids of their day; an id retired by a later merge takes its survivor's industry
    left join retired_ids on periods.account_id = retired_ids.retired_account_id
    left join accounts on coalesce(retired_ids.surviving_account_id, periods.account_id) = accounts.account_id
),

counted as (
    select
        period_type,
        period_end,
        target_tier,
        industry,
        cohort,
        owner,
        {{ funnel_segment_counts() }}
    from segmented
    group by period_type, period_end, target_tier, industry, cohort, owner
),

converted as (
    select
        *,
        {{ rate('staircase_covered_accounts', 'accounts') }} as staircase_coverage_conversion,
        case
            when staircase_covered_accounts > 0
                then {{ rate('staircase_reached_accounts', 'staircase_covered_accounts') }}
        end as staircase_reach_conversion,
        case
            when staircase_reached_accounts > 0
                then {{ rate('staircase_engaged_accounts', 'staircase_reached_accounts') }}
        end as staircase_engagement_conversion,
        case
            when staircase_engaged_accounts > 0
                then {{ rate('staircase_pipeline_accounts', 'staircase_engaged_accounts') }}
        end as staircase_pipeline_conversion,
        case
            when staircase_pipeline_accounts > 0
                then {{ rate('staircase_won_accounts', 'staircase_pipeline_accounts') }}
        end as staircase_win_conversion
    from counted
)

select * from converted
