-- The stored normalized names are today's: every name was normalized by the normalizer as it is now,
-- and every name in today's raw files is there (else its base row would get no normalized name).
-- Fails with the offending names and where they come from.
with

company_names as (
    select * from {{ ref('base_identity__company_names') }}
),

crm_accounts as (
    select * from {{ ref('base_crm__accounts') }}
),

contacts as (
    select * from {{ ref('base_crm__contacts') }}
),

firmographics as (
    select * from {{ ref('base_firmographics__companies') }}
),

stale as (
    select
        company_name,
        'normalized by another version: ' || normalizer_version as problem
    from company_names
    where normalizer_version is distinct from {{ function_version('abm_normalize_company_name') }}
),

raw_names as (
    select
        account_name as company_name,
        'crm_accounts.account_name' as found_in
    from crm_accounts
    union
    select
        company_name,
        'contacts.company_name' as found_in
    from contacts
    union
    select
        company_name,
        'firmographics.company_name' as found_in
    from firmographics
    union
    select
        company_name_en as company_name,
        'firmographics.company_name_en' as found_in
    from firmographics
),

missing as (
    select
        raw_names.company_name,
        'not normalized (in ' || raw_names.found_in || ')' as problem
    from raw_names
    left join company_names on raw_names.company_name = company_names.company_name
    where
        raw_names.company_name is not null
        and company_names.company_name is null
),

problems as (
    select * from stale
    union all
    select * from missing
)

select * from problems
