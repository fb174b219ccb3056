-- Revenue KPIs per calendar month for BI (one row per month): MRR, ARR, active accounts, ARPA, the
-- MRR movements, logo churn, gross-profit churn, and 12-month net and gross revenue retention.
with

account_months as (
    select * from {{ ref('fct_account_revenue_monthly') }}
),

monthly as (
    select
        month_start,
        {{ as_yen('sum(mrr_jpy)') }} as mrr_jpy,
        {{ as_yen('sum(arr_jpy)') }} as arr_jpy,
        {{ as_yen('sum(gross_profit_jpy)') }} as gross_profit_jpy,
        count(*) filter (where is_active) as active_accounts,
        count(*) filter (where previous_mrr_jpy > 0) as accounts_active_previous_month,
        {{ as_yen('sum(new_mrr_jpy)') }} as new_mrr_jpy,
        {{ as_yen('sum(reactivated_mrr_jpy)') }} as reactivated_mrr_jpy,
        {{ as_yen('sum(expansion_mrr_jpy)') }} as expansion_mrr_jpy,
        {{ as_yen('sum(contraction_mrr_jpy)') }} as contraction_mrr_jpy,
        {{ as_yen('sum(churned_mrr_jpy)') }} as churned_mrr_jpy,
        count(*) filter (where is_logo_churn) as churned_accounts
    from account_months
    group by month_start
),

-- gross profit lost: what churned accounts made last month
churned_gross_profit as (
    select
        current_month.month_start,
        {{ as_yen('sum(previous_month.gross_profit_jpy)') }} as churned_gross_profit_jpy
    from account_months as current_month
    inner join account_months as previous_month
        on
            current_month.account_id = previous_month.account_id
            and previous_month.month_start = cast({{ dbt.dateadd('month', -1, 'current_month.month_start') }} as date)
    where current_month.is_logo_churn
    group by current_month.month_start
),

-- retention over 12 months: the accounts active a year before, then and now
retention as (
    select
        current_month.month_start,
        sum(year_before.mrr_jpy) as cohort_mrr_year_before_jpy,
        sum(current_month.mrr_jpy) as cohort_mrr_now_jpy,
        sum(
            case
                when current_month.mrr_jpy < year_before.mrr_jpy then current_month.mrr_jpy else year_before.mrr_jpy
            end
        )
            as cohort_retained_mrr_jpy
    from account_months as current_month
    inner join account_months as year_before
        on
            current_month.account_id = year_before.account_id
            and year_before.month_start = cast({{ dbt.dateadd('month', -12, 'current_month.month_start') }} as date)
    where year_before.is_active
    group by current_month.month_start
),

previous_gross_profit as (
    select
        month_start,
        lag(gross_profit_jpy) over (order by month_start) as previous_gross_profit_jpy
    from monthly
),

kpis as (
    select
        monthly.month_start,
        monthly.mrr_jpy,
        monthly.arr_jpy,
        monthly.gross_profit_jpy,
        monthly.active_accounts,
        case
            when monthly.active_accounts > 0
                then {{ as_yen(round_divide('monthly.mrr_jpy', 'monthly.active_accounts', 0)) }}
        end as arpa_jpy,
        monthly.new_mrr_jpy,
        monthly.reactivated_mrr_jpy,
        monthly.expansion_mrr_jpy,
        monthly.contraction_mrr_jpy,
        monthly.churned_mrr_jpy,
        monthly.churned_accounts,
        case
            when monthly.accounts_active_previous_month > 0
                then cast(monthly.churned_accounts as double) / monthly.accounts_active_previous_month
        end as logo_churn_rate,
        coalesce(churned_gross_profit.churned_gross_profit_jpy, 0) as churned_gross_profit_jpy,
        case
            when previous_gross_profit.previous_gross_profit_jpy > 0
                then
                    cast(coalesce(churned_gross_profit.churned_gross_profit_jpy, 0) as double)
                    / cast(previous_gross_profit.previous_gross_profit_jpy as double)
        end as gross_profit_churn_rate,
        case
            when retention.cohort_mrr_year_before_jpy > 0
                then
                    cast(retention.cohort_mrr_now_jpy as double)
                    / cast(retention.cohort_mrr_year_before_jpy as double)
        end as net_revenue_retention_12m,
        case
            when retention.cohort_mrr_year_before_jpy > 0
                then
                    cast(retention.cohort_retained_mrr_jpy as double)
                    / cast(retention.cohort_mrr_year_before_jpy as double)
        end as gross_revenue_retention_12m
    from monthly
    left join churned_gross_profit on monthly.month_start = churned_gross_profit.month_start
    left join retention on monthly.month_start = retention.month_start
    left join previous_gross_profit on monthly.month_start = previous_gross_profit.month_start
)

select * from kpis
