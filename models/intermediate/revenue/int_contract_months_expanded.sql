-- One row per contract and calendar month it covers: a month counts when any of its days falls in
-- [start_date, end_date]; an open contract runs to as_of_date, and months after as_of_date are not
-- counted yet. Contracts whose account is unknown are left out (they stay visible in
-- int_contracts_attributed_to_accounts).
with

contracts as (
    select * from {{ ref('int_contracts_attributed_to_accounts') }}
),

bounded as (
    select
        account_id,
        contract_id,
        department,
        product_line,
        monthly_revenue_jpy,
        -- a contract without a cost is counted at its full revenue as gross profit
        coalesce(monthly_cost_jpy, 0) as monthly_cost_jpy,
        cast({{ dbt.date_trunc('month', 'start_date') }} as date) as first_month,
        cast({{ dbt.date_trunc(
            'month',
            'case when end_date is null or end_date > ' ~ as_of_date() ~ ' then ' ~ as_of_date() ~ ' else end_date end'
        ) }} as date) as last_month
    from contracts
    where
        account_id is not null
        and start_date <= {{ as_of_date() }}
),

expanded as (
    select
        bounded.account_id,
        bounded.contract_id,
        bounded.department,
        bounded.product_line,
        cast({{ dbt.dateadd('month', 'integers.n', 'bounded.first_month') }} as date) as month_start,
        bounded.monthly_revenue_jpy,
        bounded.monthly_cost_jpy,
        bounded.monthly_revenue_jpy - bounded.monthly_cost_jpy as monthly_gross_profit_jpy
    from bounded
    inner join {{ integers(var('max_contract_months')) }}
        on integers.n <= {{ dbt.datediff('bounded.first_month', 'bounded.last_month', 'month') }}
)

select * from expanded
