-- Monthly revenue by segment adds up to the monthly KPIs: for every month, the segments of
-- rpt_revenue_monthly_segments sum to rpt_revenue_kpis_monthly's MRR, new / churned MRR and active
-- accounts — no account month is lost to (or counted twice by) the segment join.
with

segments as (
    select
        month_start,
        sum(mrr_jpy) as mrr_jpy,
        sum(new_mrr_jpy) as new_mrr_jpy,
        sum(churned_mrr_jpy) as churned_mrr_jpy,
        sum(active_accounts) as active_accounts
    from {{ ref('rpt_revenue_monthly_segments') }}
    group by month_start
),

kpis as (
    select * from {{ ref('rpt_revenue_kpis_monthly') }}
),

mismatches as (
    select
        kpis.month_start,
        kpis.mrr_jpy,
        segments.mrr_jpy as segment_mrr_jpy,
        kpis.active_accounts,
        segments.active_accounts as segment_active_accounts
    from kpis
    left join segments on kpis.month_start = segments.month_start
    where
        coalesce(segments.mrr_jpy, 0) <> kpis.mrr_jpy
        or coalesce(segments.new_mrr_jpy, 0) <> kpis.new_mrr_jpy
        or coalesce(segments.churned_mrr_jpy, 0) <> kpis.churned_mrr_jpy
        or coalesce(segments.active_accounts, 0) <> kpis.active_accounts
)

select * from mismatches
