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
        website,
        corporate_number_raw,
        duns_number_raw,
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
