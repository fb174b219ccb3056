-- Target accounts against their matched controls as of as_of_date, per industry — share of accounts
-- with pipeline, with a win, and the win rate and ACV of their deals. A descriptive comparison, not an
-- effect: targets were picked for looking promising, so this gap includes who was picked. The effect
-- estimate is rpt_abm_lift (difference in differences, doc abm_lift_design); per-industry cohorts are
-- small.
with

funnel as (
    select * from {{ ref('fct_account_funnel') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

cohorts as (
    select
        coalesce(accounts.industry, '(unknown)') as industry,
        funnel.cohort,
        funnel.has_pipeline,
        funnel.has_won,
        funnel.won_opportunities,
        funnel.closed_opportunities,
        funnel.won_amount_jpy
    from funnel
    inner join accounts on funnel.account_id = accounts.account_id
    where funnel.cohort in ('target', 'control')
),

by_industry as (
    select
        industry,
        cohort,
        count(*) as accounts,
        avg(case when has_pipeline then 1.0 else 0.0 end) as pipeline_account_rate,
        avg(case when has_won then 1.0 else 0.0 end) as won_account_rate,
        1.0 * sum(won_opportunities) / nullif(sum(closed_opportunities), 0) as win_rate,
        sum(won_amount_jpy) / nullif(sum(won_opportunities), 0) as acv_jpy
    from cohorts
    group by industry, cohort
)

select
    targets.industry,
    targets.accounts as target_accounts,
    controls.accounts as control_accounts,
    targets.pipeline_account_rate - controls.pipeline_account_rate as pipeline_account_rate_lift,
    targets.won_account_rate - controls.won_account_rate as won_account_rate_lift,
    targets.win_rate - controls.win_rate as win_rate_lift,
    targets.acv_jpy - controls.acv_jpy as acv_lift_jpy
from by_industry as targets
left join by_industry as controls
    on
        targets.industry = controls.industry
        and controls.cohort = 'control'
where targets.cohort = 'target'
order by targets.accounts desc
