{%- set min_support = var('min_comparable_customers') -%}
{#- comparables, most specific first: a level is used when it has min_comparable_customers customers
    with the measure the account is scaled by; the last level (all customers) is the final fallback -#}
{%- set levels = [
    ('industry_and_size', ['industry_code', 'size_band']),
    ('industry', ['industry_code']),
    ('all_customers', []),
] -%}
{#- how an account is scaled: by its own head count, else its own revenue, else not at all (the mean
    LTV of the comparables) -#}
{%- set scales = [
    ('employees', 'employee_count'),
    ('revenue', 'annual_revenue_jpy'),
] -%}
-- Potential per account (grain: account_id): the LTV it could be worth, from comparable customers
-- (accounts with contract history) scaled by its own size — comparables' LTV per employee × its
-- employees, or LTV per yen of revenue × its revenue, whichever it has (employees first); without
-- either, the comparables' mean LTV. Comparables: same industry and size band, else industry, else all
-- customers, each needing var min_comparable_customers customers that have the measure.
-- For customers the same estimate is also made leaving the customer out of its comparables
-- (leave-one-out), once scaled and once as the plain mean: the back-test in rpt_potential_backtest.
with

accounts as (
    select * from {{ ref('int_accounts_consolidated') }}
),

ltv as (
    select * from {{ ref('int_account_ltv_calculated') }}
),

size_bands as (
    select * from {{ ref('employee_size_bands') }}
),

profiled as (
    select
        accounts.account_id,
        accounts.industry_code,
        size_bands.size_band,
        case when accounts.employee_count > 0 then accounts.employee_count end as employee_count,
        case when accounts.annual_revenue_jpy > 0 then accounts.annual_revenue_jpy end as annual_revenue_jpy,
        ltv.ltv_jpy
    from accounts
    left join size_bands
        on accounts.employee_count between size_bands.min_employees and size_bands.max_employees
    left join ltv on accounts.account_id = ltv.account_id
),

customers as (
    select * from profiled
    where ltv_jpy is not null
),

-- per comparables group: customers, their LTV, and the same for those with a head count / a revenue
comparables as (
    select
        'industry_and_size' as level,
        industry_code,
        size_band,
        {{ comparable_sums() }}
    from customers
    group by industry_code, size_band
    union all
    select
        'industry' as level,
        industry_code,
        cast(null as {{ dbt.type_string() }}) as size_band,
        {{ comparable_sums() }}
    from customers
    group by industry_code
    union all
    select
        'all_customers' as level,
        cast(null as {{ dbt.type_string() }}) as industry_code,
        cast(null as {{ dbt.type_string() }}) as size_band,
        {{ comparable_sums() }}
    from customers
),

industry_and_size as (
    select * from comparables
    where level = 'industry_and_size'
),

industry as (
    select * from comparables
    where level = 'industry'
),

all_customers as (
    select * from comparables
    where level = 'all_customers'
),

with_comparables as (
    select
        profiled.*,
        {{ comparable_columns('industry_and_size') }}
        {{ comparable_columns('industry') }}
        {{ comparable_columns('all_customers') }}
        -- what the account itself adds to its comparables (customers only): removed for leave-one-out
        case when profiled.ltv_jpy is not null then 1 else 0 end as self_count,
        coalesce(profiled.ltv_jpy, 0) as self_ltv
    from profiled
    left join industry_and_size
        on
            profiled.industry_code = industry_and_size.industry_code
            and profiled.size_band = industry_and_size.size_band
    left join industry on profiled.industry_code = industry.industry_code
    cross join all_customers
),

estimated as (
    select
        account_id,
        industry_code,
        size_band,
        employee_count,
        annual_revenue_jpy,
        ltv_jpy,
        {{ potential_estimate(levels, scales, min_support, 0, true) }} as expected_ltv_jpy,
        {{ potential_basis(levels, scales, min_support, 0, 'level') }} as expected_ltv_basis,
        {{ potential_basis(levels, scales, min_support, 0, 'scale') }} as expected_ltv_scaled_by,
        case
            when ltv_jpy is not null then {{ potential_estimate(levels, scales, min_support, 1, true) }}
        end as loo_expected_ltv_jpy,
        case
            when ltv_jpy is not null then {{ potential_estimate(levels, scales, min_support, 1, false) }}
        end as loo_segment_mean_ltv_jpy
    from with_comparables
)

select * from estimated
