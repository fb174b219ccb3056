-- Staged rows: those of firmographics__companies that passed validation. Rejected rows are in stg_raw__quarantine.
with

validated as (
    select * from {{ ref('base_firmographics__companies') }}
),

clean as (
    select
        firmographics_key,
        corporate_number_raw,
        duns_number_raw,
        company_name,
        company_name_en,
        domain,
        industry_code,
        employee_count,
        annual_revenue_jpy,
        parent_corporate_number_raw,
        prefecture,
        _source_file,
        _source_row_number
    from validated
    where quarantine_reason is null
)

select * from clean
