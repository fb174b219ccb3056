-- Staged rows: those of crm__opportunities that passed validation. Rejected rows are in stg_raw__quarantine.
with

validated as (
    select * from {{ ref('base_crm__opportunities') }}
),

clean as (
    select
        source_system,
        opportunity_id,
        source_account_id,
        department,
        product_line,
        stage,
        amount_jpy,
        created_at,
        closed_at,
        is_closed,
        is_won,
        primary_contact_id,
        _source_file,
        _source_row_number
    from validated
    where quarantine_reason is null
)

select * from clean
