{{ config(
    materialized=abm_incremental_materialization(),
    unique_key='company_name',
    incremental_strategy=abm_incremental_strategy(),
    on_schema_change='fail',
    post_hook="{{ delete_stale_company_names() }}",
) }}
-- Every company name the raw files carry (CRM accounts, contacts, purchased company data), normalized
-- once and kept. Normalizing runs in Python, row by row, and was base staging's largest cost: a daily
-- run now normalizes only the names it has not seen, or every name again when the normalizer changed
-- (its version, a fingerprint of its code and seed, is stored with each name).
with

crm_accounts as (
    select * from {{ raw_source('crm_accounts') }}
),

contacts as (
    select * from {{ raw_source('contacts') }}
),

firmographics as (
    select * from {{ raw_source('firmographics') }}
),

-- cleaned as the base models clean them, so that they join on the same text
raw_names as (
    select {{ clean_text('account_name') }} as company_name from crm_accounts
    union
    select {{ clean_text('company_name') }} as company_name from contacts
    union
    select {{ clean_text('company_name') }} as company_name from firmographics
    union
    select {{ clean_text('company_name_en') }} as company_name from firmographics
),

named as (
    select company_name from raw_names
    where company_name is not null
),

{% if is_incremental() %}
normalized_before as (
    select company_name from {{ this }}
    where normalizer_version = {{ function_version('abm_normalize_company_name') }}
),
{% endif %}

to_normalize as (
    select named.company_name
    from named
    {% if is_incremental() %}
    left join normalized_before on named.company_name = normalized_before.company_name
    where normalized_before.company_name is null
    {% endif %}
),

normalized as (
    select
        company_name,
        {{ normalize_company_name('company_name') }} as company_name_normalized,
        {{ function_version('abm_normalize_company_name') }} as normalizer_version
    from to_normalize
)

select * from normalized
