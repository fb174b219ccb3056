-- The account funnel as of as_of_date (grain: account_id): one row per account in dim_accounts.
with

funnel as (
    select * from {{ ref('int_account_funnel_evaluated') }}
),

scored as (
    select * from {{ ref('int_accounts_scored') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

as_of_funnel as (
    select
        funnel.account_id,
        -- what an account list shows, beside what it filters on: one table to read at a million accounts
        accounts.account_name,
        accounts.industry,
        accounts.prefecture,
        accounts.is_customer,
        funnel.is_target,
        funnel.tier as target_tier,
        -- the score tier beside the funnel, so a BI tool slices one table instead of joining a million rows
        scored.tier as score_tier,
        {{ as_double('round(scored.account_score, 2)') }} as account_score,
        funnel.cohort,
        funnel.owner,
        funnel.expected_roles,
        funnel.known_roles,
        funnel.coverage_rate,
        funnel.is_covered,
        funnel.reached_roles,
        funnel.reach_rate,
        funnel.is_reached,
        funnel.engaged_touches,
        funnel.known_people,
        funnel.reached_people,
        funnel.engaged_people,
        funnel.is_engaged,
        funnel.pipeline_opportunities,
        {{ as_yen('funnel.pipeline_amount_jpy') }} as pipeline_amount_jpy,
        funnel.has_pipeline,
        funnel.won_opportunities,
        {{ as_yen('funnel.won_amount_jpy') }} as won_amount_jpy,
        funnel.has_won,
        funnel.closed_opportunities,
        funnel.win_rate,
        {{ as_yen('funnel.acv_jpy') }} as acv_jpy,
        funnel.sales_cycle_days,
        funnel.funnel_stage,
        funnel.funnel_stage_order,
        funnel.staircase_stage,
        funnel.staircase_stage_order,
        funnel.evaluated_on as as_of_date
    from funnel
    left join scored on funnel.account_id = scored.account_id
    left join accounts on funnel.account_id = accounts.account_id
    where funnel.is_as_of_date
)

select * from as_of_funnel
