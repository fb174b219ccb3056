-- LTV per account (one row per account in dim_accounts): actual LTV from contract history, an
-- expected LTV from comparable customers for every account, ABM eligibility, and the group roll-up
-- to the ultimate parent (a group's LTV and each company's share of it).
with

accounts as (
    select * from {{ ref('dim_accounts') }}
),

ltv as (
    select * from {{ ref('int_account_ltv_calculated') }}
),

size_bands as (
    select * from {{ ref('employee_size_bands') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_attributed_to_accounts') }}
),

won_deals as (
    select
        account_id,
        count(*) as won_deals,
        -- a won deal's amount is its annual contract value
        {{ round_divide('sum(amount_jpy)', 'count(*)', 2) }} as acv_jpy
    from opportunities
    where is_won and account_id is not null
    group by account_id
),

banded as (
    select
        accounts.account_id,
        accounts.industry_code,
        accounts.ultimate_parent_account_id,
        accounts.is_customer,
        size_bands.size_band,
        ltv.units,
        ltv.average_tenure_months,
        ltv.monthly_gross_profit_jpy,
        ltv.ltv_jpy,
        won_deals.won_deals,
        won_deals.acv_jpy
    from accounts
    left join size_bands
        on accounts.employee_count between size_bands.min_employees and size_bands.max_employees
    left join ltv on accounts.account_id = ltv.account_id
    left join won_deals on accounts.account_id = won_deals.account_id
),

-- comparable customers: accounts with contract history in the same industry and size band; with
-- fewer than var('min_comparable_customers') of them, the industry alone, then all customers
comparables_by_industry_and_size as (
    select
        industry_code,
        size_band,
        count(*) as customers,
        {{ round_divide('sum(ltv_jpy * 100)', 'count(*) * 100', 2) }} as mean_ltv_jpy
    from banded
    where ltv_jpy is not null
    group by industry_code, size_band
),

comparables_by_industry as (
    select
        industry_code,
        count(*) as customers,
        {{ round_divide('sum(ltv_jpy * 100)', 'count(*) * 100', 2) }} as mean_ltv_jpy
    from banded
    where ltv_jpy is not null
    group by industry_code
),

comparables_overall as (
    select
        count(*) as customers,
        {{ round_divide('sum(ltv_jpy * 100)', 'count(*) * 100', 2) }} as mean_ltv_jpy
    from banded
    where ltv_jpy is not null
),

expected as (
    select
        banded.*,
        case
            when by_both.customers >= {{ var('min_comparable_customers') }} then by_both.mean_ltv_jpy
            when by_industry.customers >= {{ var('min_comparable_customers') }} then by_industry.mean_ltv_jpy
            else overall.mean_ltv_jpy
        end as expected_ltv_jpy,
        case
            when by_both.customers >= {{ var('min_comparable_customers') }} then 'industry_and_size'
            when by_industry.customers >= {{ var('min_comparable_customers') }} then 'industry'
            when overall.customers > 0 then 'all_customers'
        end as expected_ltv_basis
    from banded
    left join comparables_by_industry_and_size as by_both
        on
            banded.industry_code = by_both.industry_code
            and banded.size_band = by_both.size_band
    left join comparables_by_industry as by_industry on banded.industry_code = by_industry.industry_code
    cross join comparables_overall as overall
),

grouped as (
    select
        expected.*,
        sum(coalesce(expected.ltv_jpy, 0)) over (
            partition by coalesce(expected.ultimate_parent_account_id, expected.account_id)
        ) as group_ltv_jpy
    from expected
),

final as (
    select
        account_id,
        is_customer,
        industry_code,
        size_band,
        coalesce(units, 0) as units,
        {{ as_double('average_tenure_months') }} as average_tenure_months,
        {{ as_yen('monthly_gross_profit_jpy') }} as monthly_gross_profit_jpy,
        {{ as_yen('ltv_jpy') }} as ltv_jpy,
        {{ as_yen('expected_ltv_jpy') }} as expected_ltv_jpy,
        expected_ltv_basis,
        -- customers are judged on what they are worth; prospects on what comparable customers are
        coalesce(ltv_jpy, expected_ltv_jpy, 0) >= {{ var('abm_min_ltv_jpy') }} as abm_eligible,
        ultimate_parent_account_id,
        {{ as_yen('group_ltv_jpy') }} as group_ltv_jpy,
        case
            when group_ltv_jpy > 0 and ltv_jpy is not null
                then cast(ltv_jpy as double) / cast(group_ltv_jpy as double)
        end as share_of_group_ltv,
        coalesce(won_deals, 0) as won_deals,
        {{ as_yen('acv_jpy') }} as acv_jpy,
        -- CLV ÷ CAC with the acquisition cost per won account from var cost_per_won_account_jpy
        case
            when ltv_jpy is not null
                then cast(ltv_jpy as double) / {{ var('cost_per_won_account_jpy') }}
        end as clv_to_cac,
        {{ as_of_date() }} as as_of_date
    from grouped
)

select * from final
