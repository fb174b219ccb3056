-- LTV per account (one row per account in dim_accounts): actual LTV from contract history, the
-- potential (expected LTV from comparable customers scaled by the account's own size,
-- int_account_potential_estimated), ABM eligibility, and the group roll-up to the ultimate parent (a
-- group's LTV and potential, and each company's share of its LTV).
with

accounts as (
    select * from {{ ref('dim_accounts') }}
),

ltv as (
    select * from {{ ref('int_account_ltv_calculated') }}
),

potential as (
    select * from {{ ref('int_account_potential_estimated') }}
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

expected as (
    select
        accounts.account_id,
        accounts.industry_code,
        accounts.ultimate_parent_account_id,
        accounts.is_customer,
        potential.size_band,
        ltv.units,
        ltv.average_tenure_months,
        ltv.monthly_gross_profit_jpy,
        ltv.ltv_jpy,
        potential.expected_ltv_jpy,
        potential.expected_ltv_basis,
        potential.expected_ltv_scaled_by,
        won_deals.won_deals,
        won_deals.acv_jpy
    from accounts
    left join potential on accounts.account_id = potential.account_id
    left join ltv on accounts.account_id = ltv.account_id
    left join won_deals on accounts.account_id = won_deals.account_id
),

grouped as (
    select
        expected.*,
        sum(coalesce(expected.ltv_jpy, 0)) over (
            partition by coalesce(expected.ultimate_parent_account_id, expected.account_id)
        ) as group_ltv_jpy,
        -- what the whole group could be worth: each company's own LTV, or its potential if it has none
        sum(coalesce(expected.ltv_jpy, expected.expected_ltv_jpy, 0)) over (
            partition by coalesce(expected.ultimate_parent_account_id, expected.account_id)
        ) as group_potential_jpy
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
        expected_ltv_scaled_by,
        -- customers are judged on what they are worth; prospects on what comparable customers are
        coalesce(ltv_jpy, expected_ltv_jpy, 0) >= {{ var('abm_min_ltv_jpy') }} as abm_eligible,
        ultimate_parent_account_id,
        {{ as_yen('group_ltv_jpy') }} as group_ltv_jpy,
        {{ as_yen('group_potential_jpy') }} as group_potential_jpy,
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
