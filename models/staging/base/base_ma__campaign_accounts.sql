-- Every raw row of the campaigns' account lists, typed and flagged.
with

source as (
    select * from {{ raw_source('campaign_accounts') }}
),

typed as (
    select
        {{ clean_text('source_system') }} as source_system,
        {{ clean_text('campaign_id') }} as campaign_id,
        {{ clean_text('source_account_id') }} as source_account_id,
        {{ safe_cast_date('added_on') }} as added_on,
        {{ clean_text('added_on') }} as added_on_raw,
        _source_row_number,
        _source_file
    from source
),

ranked as (
    select
        *,
        row_number() over (
            partition by campaign_id, source_system, source_account_id order by _source_row_number desc
        ) as version_rank
    from typed
),

flagged as (
    select
        *,
        {{ quarantine_reason([
            ('campaign_id is null', 'missing_key:campaign_id'),
            ('source_system is null', 'missing_key:source_system'),
            ('source_account_id is null', 'missing_key:source_account_id'),
            ('added_on_raw is not null and added_on is null', 'unparseable:added_on'),
            ('version_rank > 1', 'duplicate_key'),
        ]) }} as quarantine_reason
    from ranked
)

select * from flagged
