-- Every raw opportunity, typed and flagged. Amounts are integer yen.
with

source as (
    select * from {{ raw_source('opportunities') }}
),

typed as (
    select
        {{ clean_text('source_system') }} as source_system,
        {{ clean_text('opportunity_id') }} as opportunity_id,
        {{ clean_text('source_account_id') }} as source_account_id,
        {{ clean_text('department') }} as department,
        {{ clean_text('product_line') }} as product_line,
        {{ clean_text('stage') }} as stage,
        {{ safe_cast_number('amount_jpy', 'decimal(18, 0)') }} as amount_jpy,
        {{ safe_cast_timestamp('created_at') }} as created_at,
        {{ safe_cast_timestamp('closed_at') }} as closed_at,
        coalesce({{ safe_cast_boolean('is_closed') }}, false) as is_closed,
        coalesce({{ safe_cast_boolean('is_won') }}, false) as is_won,
        {{ clean_text('primary_contact_id') }} as primary_contact_id,
        {{ clean_text('amount_jpy') }} as amount_jpy_raw,
        {{ clean_text('closed_at') }} as closed_at_raw,
        _source_row_number,
        _source_file
    from source
),

ranked as (
    select
        *,
        row_number() over (partition by opportunity_id order by _source_row_number desc) as version_rank
    from typed
),

flagged as (
    select
        *,
        {{ quarantine_reason([
            ('opportunity_id is null', 'missing_key:opportunity_id'),
            ('source_account_id is null', 'missing_key:source_account_id'),
            ('created_at is null', 'unparseable:created_at'),
            ('closed_at_raw is not null and closed_at is null', 'unparseable:closed_at'),
            ('amount_jpy_raw is not null and amount_jpy is null', 'unparseable:amount_jpy'),
            ('amount_jpy < 0', 'negative:amount_jpy'),
            ('created_at >= ' ~ as_of_cutoff_timestamp(), 'future:created_at'),
            ('version_rank > 1', 'duplicate_key'),
        ]) }} as quarantine_reason
    from ranked
)

select * from flagged
