-- Every raw row of purchased company data, typed and flagged. The record key is the 法人番号
-- as delivered, or the D-U-N-S number when the vendor has no 法人番号.
with

source as (
    select * from {{ raw_source('firmographics') }}
),

company_names as (
    select * from {{ ref('base_identity__company_names') }}
),

typed as (
    select
        coalesce({{ clean_text('corporate_number') }}, {{ clean_text('duns_number') }}) as firmographics_key,
        {{ clean_text('corporate_number') }} as corporate_number_raw,
        {{ clean_text('duns_number') }} as duns_number_raw,
        {{ clean_text('company_name') }} as company_name,
        {{ clean_text('company_name_en') }} as company_name_en,
        lower({{ clean_text('domain') }}) as domain,
        upper({{ clean_text('industry_code') }}) as industry_code,
        {{ safe_cast_number('employee_count', dbt.type_bigint()) }} as employee_count,
        {{ safe_cast_number('annual_revenue_jpy', 'decimal(18, 0)') }} as annual_revenue_jpy,
        {{ clean_text('parent_corporate_number') }} as parent_corporate_number_raw,
        {{ clean_text('prefecture') }} as prefecture,
        _source_row_number,
        _source_file
    from source
),

-- identifiers folded to digits once: the checks below read them many times
with_digits as (
    select
        typed.*,
        japanese_names.company_name_normalized,
        english_names.company_name_normalized as company_name_en_normalized,
        {{ digits_only('typed.corporate_number_raw') }} as corporate_number_digits,
        {{ digits_only('typed.duns_number_raw') }} as duns_number_digits,
        {{ digits_only('typed.parent_corporate_number_raw') }} as parent_corporate_number_digits
    from typed
    left join company_names as japanese_names on typed.company_name = japanese_names.company_name
    left join company_names as english_names on typed.company_name_en = english_names.company_name
),

identified as (
    select
        *,
        {{ corporate_number_status('corporate_number_raw', 'corporate_number_digits') }} as corporate_number_status,
        {{ clean_corporate_number('corporate_number_raw', 'corporate_number_digits') }} as corporate_number,
        {{ duns_status('duns_number_raw', 'duns_number_digits') }} as duns_number_status,
        {{ clean_duns_number('duns_number_raw', 'duns_number_digits') }} as duns_number,
        {{ clean_corporate_number('parent_corporate_number_raw', 'parent_corporate_number_digits') }}
            as parent_corporate_number,
        {{ url_host('domain') }} as domain_host
    from with_digits
),

-- the registrable domain once (a Python function): the status below reads it twice
with_registrable_domain as (
    select
        *,
        {{ registrable_domain('domain_host') }} as registrable_domain
    from identified
),

with_domain as (
    select
        *,
        {{ domain_status('domain_host', 'registrable_domain') }} as domain_status
    from with_registrable_domain
),

ranked as (
    select
        *,
        row_number() over (partition by firmographics_key order by _source_row_number desc) as version_rank
    from with_domain
),

flagged as (
    select
        *,
        {{ quarantine_reason([
            ('firmographics_key is null', 'missing_key:corporate_number'),
            ('company_name is null and company_name_en is null', 'missing_value:company_name'),
            ('version_rank > 1', 'duplicate_key'),
        ]) }} as quarantine_reason
    from ranked
)

select * from flagged
