-- The campaigns' account lists (optional raw table campaign_accounts) on resolved accounts (grain:
-- campaign_id × source_system × source_account_id). A record the CRM data does not know stays, with
-- a null account, so the list's size reconciles with the file.
with

campaign_accounts as (
    select * from {{ ref('stg_ma__campaign_accounts') }}
),

account_ids as (
    select * from {{ ref('int_account_ids_assigned') }}
),

resolved as (
    select
        campaign_accounts.campaign_id || ':' || campaign_accounts.source_system || ':'
        || campaign_accounts.source_account_id as campaign_account_key,
        campaign_accounts.campaign_id,
        campaign_accounts.source_system,
        campaign_accounts.source_account_id,
        account_ids.account_id,
        campaign_accounts.added_on
    from campaign_accounts
    left join account_ids
        on
            account_ids.record_key
            = {{ company_record_key(
                "'crm_accounts'", 'campaign_accounts.source_system', 'campaign_accounts.source_account_id'
            ) }}
)

select * from resolved
