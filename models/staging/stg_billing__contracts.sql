-- Staged rows: those of billing__contracts that passed validation. Rejected rows are in stg_raw__quarantine.
with

validated as (
    select * from {{ ref('base_billing__contracts') }}
),

clean as (
    select
        source_system,
        contract_id,
        source_account_id,
        department,
        product_line,
        start_date,
        end_date,
        monthly_revenue_jpy,
        monthly_cost_jpy,
        _source_file,
        _source_row_number
    from validated
    where quarantine_reason is null
)

select * from clean
