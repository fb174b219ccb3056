-- The funnel as of as_of_date in segments (grain: target_tier, score_tier, industry, cohort, owner):
-- what a dashboard's home page and a BI tile count, summed from a few thousand rows instead of
-- scanning fct_account_funnel (a row per account: a million at 1M companies) for every tile and
-- filter. The same counts as fct_account_funnel (test assert_funnel_marts_reconcile).
with

funnel as (
    select * from {{ ref('fct_account_funnel') }}
),

segmented as (
    select
        target_tier,
        score_tier,
        coalesce(industry, '(unknown)') as industry,
        cohort,
        coalesce(owner, '(none)') as owner,
        count(*) as accounts,
        count(case when is_covered then 1 end) as covered_accounts,
        count(case when is_reached then 1 end) as reached_accounts,
        count(case when is_engaged then 1 end) as engaged_accounts,
        count(case when has_pipeline then 1 end) as pipeline_accounts,
        count(case when has_won then 1 end) as won_accounts,
        count(case when staircase_stage_order >= 1 then 1 end) as staircase_covered_accounts,
        count(case when staircase_stage_order >= 2 then 1 end) as staircase_reached_accounts,
        count(case when staircase_stage_order >= 3 then 1 end) as staircase_engaged_accounts,
        count(case when staircase_stage_order >= 4 then 1 end) as staircase_pipeline_accounts,
        count(case when staircase_stage_order >= 5 then 1 end) as staircase_won_accounts,
        {{ as_yen('sum(pipeline_amount_jpy)') }} as pipeline_amount_jpy,
        {{ as_yen('sum(won_amount_jpy)') }} as won_amount_jpy,
        max(as_of_date) as as_of_date
    from funnel
    group by target_tier, score_tier, coalesce(industry, '(unknown)'), cohort, coalesce(owner, '(none)')
)

select * from segmented
