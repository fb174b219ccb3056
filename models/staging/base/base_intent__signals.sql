-- Every raw third-party intent signal, typed and flagged.
with

source as (
    select * from {{ raw_source('intent_signals') }}
),

typed as (
    select
        lower({{ clean_text('domain') }}) as domain,
        {{ clean_text('topic') }} as topic,
        {{ safe_cast_date('signal_date') }} as signal_date,
        {{ safe_cast_number('score', 'decimal(9, 2)') }} as score,
        {{ clean_text('signal_date') }} as signal_date_raw,
        {{ clean_text('score') }} as score_raw,
        _source_row_number,
        _source_file
    from source
),

flagged as (
    select
        *,
        {{ quarantine_reason([
            ('domain is null', 'missing_key:domain'),
            ('topic is null', 'missing_key:topic'),
            ('signal_date is null', 'unparseable:signal_date'),
            ('signal_date > ' ~ as_of_date(), 'future:signal_date'),
            ('score is null', 'unparseable:score'),
            ('score < 0 or score > 100', 'out_of_range:score'),
        ]) }} as quarantine_reason
    from typed
)

select * from flagged
