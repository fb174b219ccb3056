-- Every raw account plan, typed and flagged.
with

source as (
    select * from {{ raw_source('account_plans') }}
),

typed as (
    select
        {{ clean_text('source_system') }} as source_system,
        {{ clean_text('plan_id') }} as plan_id,
        {{ clean_text('source_account_id') }} as source_account_id,
        {{ clean_text('owner') }} as owner,
        {{ safe_cast_date('plan_start') }} as plan_start,
        {{ clean_text('ambition') }} as ambition,
        {{ safe_cast_number('revenue_target_jpy', 'decimal(18, 0)') }} as revenue_target_jpy,
        {{ safe_cast_number('horizon_months', dbt.type_int()) }} as horizon_months,
        {{ clean_text('revenue_target_jpy') }} as revenue_target_jpy_raw,
        {{ clean_text('horizon_months') }} as horizon_months_raw,
        _source_row_number,
        _source_file
    from source
),

ranked as (
    select
        *,
        row_number() over (partition by plan_id order by _source_row_number desc) as version_rank
    from typed
),

flagged as (
    select
        *,
        {{ quarantine_reason([
            ('plan_id is null', 'missing_key:plan_id'),
            ('source_account_id is null', 'missing_key:source_account_id'),
            ('plan_start is null', 'unparseable:plan_start'),
            ('plan_start > ' ~ as_of_date(), 'future:plan_start'),
            ('revenue_target_jpy_raw is not null and revenue_target_jpy is null', 'unparseable:revenue_target_jpy'),
            ('revenue_target_jpy < 0', 'negative:revenue_target_jpy'),
            ('horizon_months_raw is not null and horizon_months is null', 'unparseable:horizon_months'),
            ('horizon_months <= 0', 'out_of_range:horizon_months'),
            ('version_rank > 1', 'duplicate_key'),
        ]) }} as quarantine_reason
    from ranked
)

select * from flagged
