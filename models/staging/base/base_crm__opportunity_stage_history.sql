-- Every raw opportunity stage change, typed and flagged.
with

source as (
    select * from {{ raw_source('opportunity_stage_history') }}
),

typed as (
    select
        {{ clean_text('opportunity_id') }} as opportunity_id,
        {{ clean_text('stage') }} as stage,
        {{ safe_cast_timestamp('changed_at') }} as changed_at,
        {{ clean_text('changed_at') }} as changed_at_raw,
        _source_row_number,
        _source_file
    from source
),

ranked as (
    select
        *,
        row_number() over (
            partition by opportunity_id, stage, changed_at order by _source_row_number
        ) as version_rank
    from typed
),

flagged as (
    select
        *,
        {{ quarantine_reason([
            ('opportunity_id is null', 'missing_key:opportunity_id'),
            ('stage is null', 'missing_value:stage'),
            ('changed_at is null', 'unparseable:changed_at'),
            ('changed_at >= ' ~ as_of_cutoff_timestamp(), 'future:changed_at'),
            ('version_rank > 1', 'duplicate_key'),
        ]) }} as quarantine_reason
    from ranked
)

select * from flagged
