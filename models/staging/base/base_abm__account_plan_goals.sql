-- Every raw account-plan goal, typed and flagged.
with

source as (
    select * from {{ raw_source('account_plan_goals') }}
),

typed as (
    select
        {{ clean_text('source_system') }} as source_system,
        {{ clean_text('source_account_id') }} as source_account_id,
        {{ clean_text('department') }} as department,
        lower({{ clean_text('metric') }}) as metric,
        {{ safe_cast_number('target_value', 'decimal(18, 2)') }} as target_value,
        {{ safe_cast_date('due_date') }} as due_date,
        {{ clean_text('plan_id') }} as plan_id,
        {{ clean_text('target_value') }} as target_value_raw,
        {{ clean_text('due_date') }} as due_date_raw,
        _source_row_number,
        _source_file
    from source
),

ranked as (
    select
        *,
        row_number() over (
            -- a plan may chain goals of one metric (1-, 2-, 3-month targets): the due date is part of the key
            partition by source_system, source_account_id, plan_id, department, metric, due_date
            order by _source_row_number desc
        ) as version_rank
    from typed
),

flagged as (
    select
        *,
        {{ quarantine_reason([
            ('source_account_id is null', 'missing_key:source_account_id'),
            ('metric is null', 'missing_value:metric'),
            ('target_value is null', 'unparseable:target_value'),
            ('due_date_raw is not null and due_date is null', 'unparseable:due_date'),
            ('version_rank > 1', 'duplicate_key'),
        ]) }} as quarantine_reason
    from ranked
)

select * from flagged
