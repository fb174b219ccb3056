-- LTV per account as the seeds define it (one row per account with contract history):
-- monthly gross profit × average tenure months (doc block ltv_definition, models/docs.md).
-- Every figure is computed from whole yen and whole months and rounded once, in integer arithmetic:
-- ltv = (Σ GP ÷ account months) × (Σ unit months ÷ units) is divided once, so nothing is rounded twice.
with

contract_months as (
    select * from {{ ref('int_contract_months_expanded') }}
),

-- unit = (account, department): its tenure is the distinct months any of its contracts covers,
-- so gaps are not counted and overlapping contracts count once
unit_tenure as (
    select
        account_id,
        department,
        count(distinct month_start) as unit_tenure_months
    from contract_months
    group by account_id, department
),

tenure as (
    select
        account_id,
        count(*) as units,
        sum(unit_tenure_months) as total_unit_tenure_months
    from unit_tenure
    group by account_id
),

gross_profit as (
    select
        account_id,
        -- one row per contract-month, so this is Σ (revenue − cost) × the contract's months
        sum(monthly_gross_profit_jpy) as total_gross_profit_jpy,
        count(distinct month_start) as account_months
    from contract_months
    group by account_id
),

calculated as (
    select
        tenure.account_id,
        tenure.units,
        tenure.total_unit_tenure_months,
        gross_profit.account_months,
        gross_profit.total_gross_profit_jpy,
        {{ round_divide('tenure.total_unit_tenure_months', 'tenure.units', 4) }} as average_tenure_months,
        {{ round_divide('gross_profit.total_gross_profit_jpy', 'gross_profit.account_months', 2) }}
            as monthly_gross_profit_jpy,
        {{ round_divide(
            'gross_profit.total_gross_profit_jpy * tenure.total_unit_tenure_months',
            'gross_profit.account_months * tenure.units',
            2
        ) }} as ltv_jpy
    from tenure
    inner join gross_profit on tenure.account_id = gross_profit.account_id
)

select * from calculated
