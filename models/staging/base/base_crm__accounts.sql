-- Every raw CRM account row, typed, with the reason it cannot be staged (null when it can).
with

source as (
    select * from {{ raw_source('crm_accounts') }}
),

company_names as (
    select * from {{ ref('base_identity__company_names') }}
),

typed as (
    select
        {{ clean_text('source_system') }} as source_system,
        {{ clean_text('source_account_id') }} as source_account_id,
        {{ clean_text('account_name') }} as account_name,
        {{ clean_text('website') }} as website,
        {{ clean_text('corporate_number') }} as corporate_number_raw,
        {{ clean_text('duns_number') }} as duns_number_raw,
        {{ clean_text('parent_source_account_id') }} as parent_source_account_id,
        {{ clean_text('industry') }} as industry,
        {{ safe_cast_number('employee_count', dbt.type_bigint()) }} as employee_count,
        {{ safe_cast_number('annual_revenue_jpy', 'decimal(18, 0)') }} as annual_revenue_jpy,
        {{ clean_text('country') }} as country,
        {{ clean_text('prefecture') }} as prefecture,
        {{ safe_cast_timestamp('created_at') }} as created_at,
        {{ safe_cast_timestamp('updated_at') }} as updated_at,
        coalesce({{ safe_cast_boolean('is_deleted') }}, false) as is_deleted,
        {{ clean_text('created_at') }} as created_at_raw,
        {{ clean_text('updated_at') }} as updated_at_raw,
        _source_row_number,
        _source_file
    from source
),

-- identifiers folded to digits once: the checks below read them many times
with_digits as (
    select
        typed.*,
        company_names.company_name_normalized as account_name_normalized,
        {{ digits_only('typed.corporate_number_raw') }} as corporate_number_digits,
        {{ digits_only('typed.duns_number_raw') }} as duns_number_digits
    from typed
    left join company_names on typed.account_name = company_names.company_name
),

identified as (
    select
        *,
        {{ corporate_number_status('corporate_number_raw', 'corporate_number_digits') }} as corporate_number_status,
        {{ clean_corporate_number('corporate_number_raw', 'corporate_number_digits') }} as corporate_number,
        {{ duns_status('duns_number_raw', 'duns_number_digits') }} as duns_number_status,
        {{ clean_duns_number('duns_number_raw', 'duns_number_digits') }} as duns_number,
        {{ url_host('website') }} as website_host
    from with_digits
),

-- the registrable domain once (a Python function): the status below reads it twice
with_registrable_domain as (
    select
        *,
        {{ registrable_domain('website_host') }} as website_registrable_domain
    from identified
),

with_domain as (
    select
        *,
        {{ domain_status('website_host', 'website_registrable_domain') }} as website_domain_status
    from with_registrable_domain
),

ranked as (
    select
        *,
        -- an export may repeat an account: the latest version wins, older ones are quarantined
        row_number() over (
            partition by source_system, source_account_id
            order by updated_at desc nulls last, _source_row_number desc
        ) as version_rank
    from with_domain
),

flagged as (
    select
        *,
        {{ quarantine_reason([
            ('source_system is null', 'missing_key:source_system'),
            ('source_account_id is null', 'missing_key:source_account_id'),
            ('created_at_raw is not null and created_at is null', 'unparseable:created_at'),
            ('updated_at_raw is not null and updated_at is null', 'unparseable:updated_at'),
            ('version_rank > 1', 'duplicate_key'),
            ('is_deleted', 'soft_deleted'),
        ]) }} as quarantine_reason
    from ranked
)

select * from flagged
