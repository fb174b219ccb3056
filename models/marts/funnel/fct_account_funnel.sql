-- The account funnel as of as_of_date (grain: account_id): one row per account in dim_accounts.
with

funnel as (
    select * from {{ ref('int_account_funnel_evaluated') }}
),

as_of_funnel as (
    select
        account_id,
        is_target,
        tier as target_tier,
        cohort,
        owner,
        expected_roles,
        known_roles,
        coverage_rate,
        is_covered,
        reached_roles,
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
        win_rate,
        {{ as_yen('acv_jpy') }} as acv_jpy,
        sales_cycle_days,
        funnel_stage,
        funnel_stage_order,
        staircase_stage,
        staircase_stage_order,
        evaluated_on as as_of_date
    from funnel
    where is_as_of_date
)

select * from as_of_funnel
