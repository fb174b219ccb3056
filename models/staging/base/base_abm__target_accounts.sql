-- Every raw row of the agreed target-account list, typed and flagged.
with

source as (
    select * from {{ raw_source('target_accounts') }}
),

typed as (
    select
        {{ clean_text('source_system') }} as source_system,
        {{ clean_text('source_account_id') }} as source_account_id,
        {{ safe_cast_number('tier', dbt.type_int()) }} as tier,
        {{ clean_text('owner') }} as owner,
        {{ safe_cast_date('added_on') }} as added_on,
        {{ safe_cast_date('removed_on') }} as removed_on,
        {{ clean_text('tier') }} as tier_raw,
        {{ clean_text('removed_on') }} as removed_on_raw,
        _source_row_number,
        _source_file
    from source
),

ranked as (
    select
        *,
        row_number() over (
            partition by source_system, source_account_id, added_on order by _source_row_number desc
        ) as version_rank
    from typed
),

flagged as (
    select
        *,
        {{ quarantine_reason([
            ('source_system is null', 'missing_key:source_system'),
            ('source_account_id is null', 'missing_key:source_account_id'),
            ('added_on is null', 'unparseable:added_on'),
            ('removed_on_raw is not null and removed_on is null', 'unparseable:removed_on'),
            ('tier is null or tier not in (1, 2, 3)', 'out_of_range:tier'),
            ('removed_on < added_on', 'end_before_start'),
            ('version_rank > 1', 'duplicate_key'),
        ]) }} as quarantine_reason
    from ranked
)

select * from flagged
