-- Every raw contract, typed and flagged. Yen amounts are exact integers; an empty end_date means
-- the contract is still active.
with

source as (
    select * from {{ raw_source('contracts') }}
),

typed as (
    select
        {{ clean_text('source_system') }} as source_system,
        {{ clean_text('contract_id') }} as contract_id,
        {{ clean_text('source_account_id') }} as source_account_id,
        {{ clean_text('department') }} as department,
        {{ clean_text('product_line') }} as product_line,
        {{ safe_cast_date('start_date') }} as start_date,
        {{ safe_cast_date('end_date') }} as end_date,
        {{ safe_cast_number('monthly_revenue_jpy', 'decimal(18, 0)') }} as monthly_revenue_jpy,
        {{ safe_cast_number('monthly_cost_jpy', 'decimal(18, 0)') }} as monthly_cost_jpy,
        {{ clean_text('end_date') }} as end_date_raw,
        {{ clean_text('monthly_cost_jpy') }} as monthly_cost_jpy_raw,
        _source_row_number,
        _source_file
    from source
),

ranked as (
    select
        *,
        row_number() over (partition by contract_id order by _source_row_number desc) as version_rank
    from typed
),

flagged as (
    select
        *,
        {{ quarantine_reason([
            ('contract_id is null', 'missing_key:contract_id'),
            ('source_account_id is null', 'missing_key:source_account_id'),
            ('start_date is null', 'unparseable:start_date'),
            ('end_date_raw is not null and end_date is null', 'unparseable:end_date'),
            ('monthly_revenue_jpy is null', 'unparseable:monthly_revenue_jpy'),
            ('monthly_cost_jpy_raw is not null and monthly_cost_jpy is null', 'unparseable:monthly_cost_jpy'),
            ('monthly_revenue_jpy < 0', 'negative:monthly_revenue_jpy'),
            ('monthly_cost_jpy < 0', 'negative:monthly_cost_jpy'),
            ('end_date < start_date', 'end_before_start'),
            ('start_date > ' ~ as_of_date(), 'future:start_date'),
            ('version_rank > 1', 'duplicate_key'),
        ]) }} as quarantine_reason
    from ranked
)

select * from flagged
