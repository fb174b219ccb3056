-- Every staged contract with the resolved account it belongs to (one row per contract): contracts
-- recorded under duplicate CRM records of one company land on the same account_id.
with

contracts as (
    select * from {{ ref('stg_billing__contracts') }}
),

account_ids as (
    select * from {{ ref('int_account_ids_assigned') }}
),

attributed as (
    select
        contracts.source_system,
        contracts.contract_id,
        contracts.source_account_id,
        contracts.department,
        contracts.product_line,
        contracts.start_date,
        contracts.end_date,
        contracts.monthly_revenue_jpy,
        contracts.monthly_cost_jpy,
        contracts._source_file,
        contracts._source_row_number,
        account_ids.account_id,
        contracts.start_date <= {{ as_of_date() }}
        and (contracts.end_date is null or contracts.end_date >= {{ as_of_date() }}) as is_active_on_as_of_date
    from contracts
    left join account_ids
        on
            account_ids.record_key
            = {{ company_record_key("'crm_accounts'", 'contracts.source_system', 'contracts.source_account_id') }}
)

select * from attributed
