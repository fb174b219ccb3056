-- Recurring revenue per account and calendar month (one row per account and month, from the
-- account's first contract month to the as-of month): MRR, ARR, gross profit, and how MRR moved
-- against the previous month (new, reactivated, expansion, contraction, churned).
with

contract_months as (
    select * from {{ ref('int_contract_months_expanded') }}
),

account_month_totals as (
    select
        account_id,
        month_start,
        sum(monthly_revenue_jpy) as mrr_jpy,
        sum(monthly_gross_profit_jpy) as gross_profit_jpy,
        count(distinct contract_id) as active_contracts
    from contract_months
    group by account_id, month_start
),

account_spans as (
    select
        account_id,
        min(month_start) as first_month
    from account_month_totals
    group by account_id
),

-- every month from the first contract month to the as-of month, so churned months show as zero
spine as (
    select
        account_spans.account_id,
        cast({{ dbt.dateadd('month', 'integers.n', 'account_spans.first_month') }} as date) as month_start
    from account_spans
    inner join {{ integers(var('max_contract_months')) }}
        on integers.n <= {{ dbt.datediff(
            'account_spans.first_month', dbt.date_trunc('month', as_of_date()), 'month'
        ) }}
),

filled as (
    select
        spine.account_id,
        spine.month_start,
        {{ as_yen('coalesce(account_month_totals.mrr_jpy, 0)') }} as mrr_jpy,
        {{ as_yen('coalesce(account_month_totals.gross_profit_jpy, 0)') }} as gross_profit_jpy,
        coalesce(account_month_totals.active_contracts, 0) as active_contracts
    from spine
    left join account_month_totals
        on
            spine.account_id = account_month_totals.account_id
            and spine.month_start = account_month_totals.month_start
),

with_previous as (
    select
        *,
        coalesce(lag(mrr_jpy) over (partition by account_id order by month_start), 0) as previous_mrr_jpy,
        row_number() over (partition by account_id order by month_start) as month_number
    from filled
),

movements as (
    select
        account_id,
        month_start,
        mrr_jpy,
        mrr_jpy * 12 as arr_jpy,
        gross_profit_jpy,
        active_contracts,
        previous_mrr_jpy,
        mrr_jpy > 0 as is_active,
        case when month_number = 1 then mrr_jpy else 0 end as new_mrr_jpy,
        case when month_number > 1 and previous_mrr_jpy = 0 and mrr_jpy > 0 then mrr_jpy else 0 end
            as reactivated_mrr_jpy,
        case when previous_mrr_jpy > 0 and mrr_jpy > previous_mrr_jpy then mrr_jpy - previous_mrr_jpy else 0 end
            as expansion_mrr_jpy,
        case when mrr_jpy > 0 and mrr_jpy < previous_mrr_jpy then previous_mrr_jpy - mrr_jpy else 0 end
            as contraction_mrr_jpy,
        case when previous_mrr_jpy > 0 and mrr_jpy = 0 then previous_mrr_jpy else 0 end as churned_mrr_jpy,
        previous_mrr_jpy > 0 and mrr_jpy = 0 as is_logo_churn
    from with_previous
)

select * from movements
