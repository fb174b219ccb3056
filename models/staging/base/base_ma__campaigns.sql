-- Every raw campaign, typed and flagged. The type is lower-cased so that "Seminar" and "seminar"
-- meet seed campaign_types; a type the seed does not know is kept and shows as unknown in the marts.
with

source as (
    select * from {{ raw_source('campaigns') }}
),

typed as (
    select
        {{ clean_text('source_system') }} as source_system,
        {{ clean_text('campaign_id') }} as campaign_id,
        {{ clean_text('campaign_name') }} as campaign_name,
        lower({{ clean_text('campaign_type') }}) as campaign_type,
        {{ safe_cast_date('start_date') }} as start_date,
        {{ safe_cast_date('end_date') }} as end_date,
        {{ clean_text('owner') }} as owner,
        {{ clean_text('end_date') }} as end_date_raw,
        _source_row_number,
        _source_file
    from source
),

ranked as (
    select
        *,
        row_number() over (partition by campaign_id order by _source_row_number desc) as version_rank
    from typed
),

flagged as (
    select
        *,
        {{ quarantine_reason([
            ('campaign_id is null', 'missing_key:campaign_id'),
            ('campaign_type is null', 'missing_value:campaign_type'),
            ('start_date is null', 'unparseable:start_date'),
            ('end_date_raw is not null and end_date is null', 'unparseable:end_date'),
            ('end_date < start_date', 'end_before_start'),
            ('version_rank > 1', 'duplicate_key'),
        ]) }} as quarantine_reason
    from ranked
)

select * from flagged
