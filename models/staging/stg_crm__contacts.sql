-- Staged rows: those of crm__contacts that passed validation. Rejected rows are in stg_raw__quarantine.
with

validated as (
    select * from {{ ref('base_crm__contacts') }}
),

clean as (
    select
        source_system,
        source_contact_id,
        source_account_id,
        company_name,
        company_name_normalized,
        email,
        email_key,
        email_domain_status,
        case when email_domain_status = 'valid' then email_registrable_domain end as email_domain,
        full_name,
        name_key,
        department,
        job_title,
        address,
        office_prefecture,
        consent_email_answer,
        consent_ads_answer,
        consent_email_text,
        consent_ads_text,
        created_at,
        updated_at,
        _source_file,
        _source_row_number
    from validated
    where quarantine_reason is null
)

select * from clean
