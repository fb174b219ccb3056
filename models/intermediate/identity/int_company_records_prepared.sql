-- Every staged record that says which company it belongs to — CRM accounts, purchased firmographics,
-- and contacts (their company name, e-mail domain and CRM account link) — in one shape, with the
-- normalized identifiers matching uses. Contacts take part so that the people of a company the CRM
-- does not know yet still come together as one account (lead-to-account).
with

crm_accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

firmographics as (
    select * from {{ ref('stg_firmographics__companies') }}
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

industries as (
    select * from {{ ref('jsic_industries') }}
),

crm_records as (
    select
        'crm_accounts' as source_table,
        crm_accounts.source_system,
        crm_accounts.source_account_id as source_record_id,
        crm_accounts.account_name as company_name,
        crm_accounts.account_name_normalized as name_normalized,
        cast(null as {{ dbt.type_string() }}) as name_en_normalized,
        crm_accounts.account_name_normalized as company_name_normalized,
        crm_accounts.corporate_number,
        crm_accounts.corporate_number_status,
        crm_accounts.duns_number,
        crm_accounts.website_domain as domain,
        crm_accounts.prefecture,
        cast(null as {{ dbt.type_string() }}) as office_prefecture,
        -- CRM users type the industry in Japanese or English: either name maps to the JSIC code
        industries.industry_code,
        crm_accounts.employee_count,
        crm_accounts.annual_revenue_jpy,
        crm_accounts.parent_source_account_id,
        cast(null as {{ dbt.type_string() }}) as parent_corporate_number,
        cast(null as {{ dbt.type_string() }}) as linked_record_key,
        cast(null as {{ dbt.type_string() }}) as email,
        crm_accounts.updated_at
    from crm_accounts
    left join industries
        on crm_accounts.industry in (industries.industry_name_ja, industries.industry_name_en)
),

firmographics_records as (
    select
        'firmographics' as source_table,
        'firmographics' as source_system,
        firmographics_key as source_record_id,
        coalesce(company_name, company_name_en) as company_name,
        company_name_normalized as name_normalized,
        company_name_en_normalized as name_en_normalized,
        -- the normalized form of company_name above, whichever language it is in
        case
            when company_name is not null then company_name_normalized else company_name_en_normalized
        end as company_name_normalized,
        corporate_number,
        corporate_number_status,
        duns_number,
        registrable_domain as domain,
        prefecture,
        cast(null as {{ dbt.type_string() }}) as office_prefecture,
        industry_code,
        employee_count,
        annual_revenue_jpy,
        cast(null as {{ dbt.type_string() }}) as parent_source_account_id,
        parent_corporate_number,
        cast(null as {{ dbt.type_string() }}) as linked_record_key,
        cast(null as {{ dbt.type_string() }}) as email,
        cast(null as {{ dbt.type_timestamp() }}) as updated_at
    from firmographics
),

contact_records as (
    select
        'contacts' as source_table,
        source_system,
        source_contact_id as source_record_id,
        company_name,
        company_name_normalized as name_normalized,
        cast(null as {{ dbt.type_string() }}) as name_en_normalized,
        company_name_normalized,
        cast(null as {{ dbt.type_string() }}) as corporate_number,
        'missing' as corporate_number_status,
        cast(null as {{ dbt.type_string() }}) as duns_number,
        email_domain as domain,
        -- a contact's office may be a branch: it is not where the company is registered, so it is
        -- kept apart from prefecture and only used to pick between same-named companies — and only
        -- for a contact nothing else places: a contact that a CRM link or company domain already
        -- ties to one company must not also be tied to another by a branch office's prefecture
        cast(null as {{ dbt.type_string() }}) as prefecture,
        case when source_account_id is null and email_domain is null then office_prefecture end as office_prefecture,
        cast(null as {{ dbt.type_string() }}) as industry_code,
        cast(null as {{ dbt.type_bigint() }}) as employee_count,
        cast(null as decimal(18, 0)) as annual_revenue_jpy,
        cast(null as {{ dbt.type_string() }}) as parent_source_account_id,
        cast(null as {{ dbt.type_string() }}) as parent_corporate_number,
        case
            when source_account_id is not null
                then {{ company_record_key("'crm_accounts'", 'source_system', 'source_account_id') }}
        end as linked_record_key,
        email,
        updated_at
    from contacts
    -- a contact with no company name, no company e-mail domain and no CRM link says nothing about
    -- its company (a free-mail address alone does not): it stays out of clustering, unmatched
    where
        company_name_normalized is not null
        or email_domain is not null
        or source_account_id is not null
),

unioned as (
    select * from crm_records
    union all
    select * from firmographics_records
    union all
    select * from contact_records
),

keyed as (
    select
        {{ company_record_key('source_table', 'source_system', 'source_record_id') }} as record_key,
        *,
        case
            when company_name is null then 'missing'
            when name_normalized is null and name_en_normalized is null then 'legal_form_only'
            else 'ok'
        end as name_status
    from unioned
)

select * from keyed
