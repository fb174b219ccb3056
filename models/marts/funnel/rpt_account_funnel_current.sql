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
        {{ funnel_segment_counts() }},
        max(as_of_date) as as_of_date
    from funnel
    group by target_tier, score_tier, coalesce(industry, '(unknown)'), cohort, coalesce(owner, '(none)')
)

select * from segmented
