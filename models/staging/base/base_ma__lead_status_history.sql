-- Every raw lead-status change, typed and flagged. Status spelling is folded to the contract's values.
with

source as (
    select * from {{ raw_source('lead_status_history') }}
),

typed as (
    select
        {{ clean_text('source_system') }} as source_system,
        {{ clean_text('source_contact_id') }} as source_contact_id,
        case lower({{ clean_text('status') }})
            when 'mql' then 'MQL'
            when 'sal' then 'SAL'
            when 'sql' then 'SQL'
            when 'disqualified' then 'disqualified'
            when 'recycled' then 'recycled'
        end as status,
        {{ clean_text('status') }} as status_raw,
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
            partition by source_system, source_contact_id, status, changed_at
            order by _source_row_number
        ) as version_rank
    from typed
),

flagged as (
    select
        *,
        {{ quarantine_reason([
            ('source_contact_id is null', 'missing_key:source_contact_id'),
            ('status is null', 'invalid_value:status'),
            ('changed_at is null', 'unparseable:changed_at'),
            ('changed_at >= ' ~ as_of_cutoff_timestamp(), 'future:changed_at'),
            ('version_rank > 1', 'duplicate_key'),
        ]) }} as quarantine_reason
    from ranked
)

select * from flagged
