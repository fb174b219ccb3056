-- Staged rows: those of crm__accounts that passed validation. Rejected rows are in stg_raw__quarantine.
with

validated as (
    select * from {{ ref('base_crm__accounts') }}
),

clean as (
    select
        source_system,
        source_account_id,
        account_name,
        account_name_normalized,
        website,
        website_host,
        website_domain_status,
        case when website_domain_status = 'valid' then website_registrable_domain end as website_domain,
        corporate_number_raw,
        corporate_number,
        corporate_number_status,
        duns_number_raw,
        duns_number,
        duns_number_status,
        parent_source_account_id,
        industry,
        employee_count,
        annual_revenue_jpy,
        country,
        prefecture,
        created_at,
        updated_at,
        _source_file,
        _source_row_number
    from validated
    where quarantine_reason is null
)

select * from clean
