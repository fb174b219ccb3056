-- Every raw product-usage (PLG) event, typed and flagged; replayed event ids are duplicates.
with

source as (
    select * from {{ raw_source('product_usage') }}
),

typed as (
    select
        {{ clean_text('event_id') }} as event_id,
        lower({{ clean_text('user_email') }}) as user_email,
        lower({{ clean_text('event_name') }}) as event_name,
        {{ safe_cast_timestamp('occurred_at') }} as occurred_at,
        {{ clean_text('occurred_at') }} as occurred_at_raw,
        _source_row_number,
        _source_file
    from source
),

-- the first row of each key, by its place in the file: a minimum per key needs no sort of the
-- (millions of) rows within each key, which row_number() would
ranked as (
    select
        *,
        min(_source_row_number) over (partition by event_id) as first_source_row_number
    from typed
),

flagged as (
    select
        *,
        {{ quarantine_reason([
            ('event_id is null', 'missing_key:event_id'),
            ('user_email is null', 'missing_key:user_email'),
            ('event_name is null', 'missing_value:event_name'),
            ('occurred_at is null', 'unparseable:occurred_at'),
            ('occurred_at >= ' ~ as_of_cutoff_timestamp(), 'future:occurred_at'),
            ('_source_row_number > first_source_row_number', 'duplicate_key'),
        ]) }} as quarantine_reason
    from ranked
)

select * from flagged
