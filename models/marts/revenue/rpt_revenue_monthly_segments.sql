-- Monthly revenue by today's segment (grain: month_start, target_tier, cohort, owner, industry): MRR,
-- its movements and paying accounts, for a dashboard or BI filter on tier, cohort, owner or industry
-- without joining a row per account and month to a row per account. Segments are today's (as of
-- as_of_date, fct_account_funnel), so a trend compares the same accounts month after month. Sums over
-- all segments equal rpt_revenue_kpis_monthly (test assert_revenue_marts_reconcile).
with

account_months as (
    select * from {{ ref('fct_account_revenue_monthly') }}
),

funnel as (
    select * from {{ ref('fct_account_funnel') }}
),

segmented as (
    select
        account_months.month_start,
        funnel.target_tier,
        funnel.cohort,
        coalesce(funnel.owner, '(none)') as owner,
        coalesce(funnel.industry, '(unknown)') as industry,
        {{ as_yen('sum(account_months.mrr_jpy)') }} as mrr_jpy,
        {{ as_yen('sum(account_months.new_mrr_jpy)') }} as new_mrr_jpy,
        {{ as_yen('sum(account_months.reactivated_mrr_jpy)') }} as reactivated_mrr_jpy,
        {{ as_yen('sum(account_months.expansion_mrr_jpy)') }} as expansion_mrr_jpy,
        {{ as_yen('sum(account_months.contraction_mrr_jpy)') }} as contraction_mrr_jpy,
        {{ as_yen('sum(account_months.churned_mrr_jpy)') }} as churned_mrr_jpy,
        count(case when account_months.is_active then 1 end) as active_accounts
    from account_months
    inner join funnel on account_months.account_id = funnel.account_id
    group by
        account_months.month_start,
        funnel.target_tier,
        funnel.cohort,
        coalesce(funnel.owner, '(none)'),
        coalesce(funnel.industry, '(unknown)')
),

with_net_new as (
    select
        *,
        new_mrr_jpy + reactivated_mrr_jpy + expansion_mrr_jpy - contraction_mrr_jpy - churned_mrr_jpy as net_new_mrr_jpy
    from segmented
)

select * from with_net_new
