-- Staged rows: those of firmographics__companies that passed validation. Rejected rows are in stg_raw__quarantine.
with

validated as (
    select * from {{ ref('base_firmographics__companies') }}
),

clean as (
    select
        firmographics_key,
        corporate_number_raw,
        corporate_number,
        corporate_number_status,
        duns_number_raw,
        duns_number,
        duns_number_status,
        company_name,
        company_name_normalized,
        company_name_en,
        company_name_en_normalized,
        domain,
        domain_status,
        case when domain_status = 'valid' then registrable_domain end as registrable_domain,
        industry_code,
        employee_count,
        annual_revenue_jpy,
        parent_corporate_number_raw,
        parent_corporate_number,
        prefecture,
        _source_file,
        _source_row_number
    from validated
    where quarantine_reason is null
)

select * from clean
