-- Staged rows: those of abm__target_accounts that passed validation. Rejected rows are in stg_raw__quarantine.
with

validated as (
    select * from {{ ref('base_abm__target_accounts') }}
),

clean as (
    select
        source_system,
        source_account_id,
        tier,
        owner,
        added_on,
        removed_on,
        _source_file,
        _source_row_number
    from validated
    where quarantine_reason is null
)

select * from clean
