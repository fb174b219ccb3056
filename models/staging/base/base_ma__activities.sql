-- Every raw activity (marketing and sales touches), typed and flagged. Replayed rows share an
-- activity_id: the first one is kept, the others are quarantined as duplicates.
with

source as (
    select * from {{ raw_source('activities') }}
),

typed as (
    select
        {{ clean_text('activity_id') }} as activity_id,
        {{ clean_text('source_system') }} as source_system,
        {{ clean_text('source_contact_id') }} as source_contact_id,
        lower({{ clean_text('email') }}) as email,
        lower({{ clean_text('activity_type') }}) as activity_type,
        {{ safe_cast_timestamp('occurred_at') }} as occurred_at,
        {{ clean_text('campaign_id') }} as campaign_id,
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
        min(_source_row_number) over (partition by activity_id) as first_source_row_number
    from typed
),

flagged as (
    select
        *,
        {{ quarantine_reason([
            ('activity_id is null', 'missing_key:activity_id'),
            ('source_contact_id is null and email is null', 'missing_key:source_contact_id'),
            ('activity_type is null', 'missing_value:activity_type'),
            ('occurred_at is null', 'unparseable:occurred_at'),
            ('occurred_at >= ' ~ as_of_cutoff_timestamp(), 'future:occurred_at'),
            ('_source_row_number > first_source_row_number', 'duplicate_key'),
        ]) }} as quarantine_reason
    from ranked
)

select * from flagged
