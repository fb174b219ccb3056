-- Staged rows: those of ma__campaign_accounts that passed validation. Rejected rows are in stg_raw__quarantine.
with

validated as (
    select * from {{ ref('base_ma__campaign_accounts') }}
),

clean as (
    select
        source_system,
        campaign_id,
        source_account_id,
        added_on,
        _source_file,
        _source_row_number
    from validated
    where quarantine_reason is null
)

select * from clean
