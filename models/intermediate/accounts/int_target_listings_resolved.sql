-- Every listing of the target-account list on resolved accounts (grain: one row per listed CRM
-- record and listing start), with its period on the list: what was a target on any given day.
with

target_list as (
    select * from {{ ref('stg_abm__target_accounts') }}
),

account_ids as (
    select * from {{ ref('int_account_ids_assigned') }}
),

listings as (
    select
        account_ids.account_id,
        target_list.source_system,
        target_list.source_account_id,
        target_list.tier,
        target_list.owner,
        target_list.added_on,
        target_list.removed_on
    from target_list
    inner join account_ids
        on
            account_ids.record_key
            = {{ company_record_key(
                "'crm_accounts'", 'target_list.source_system', 'target_list.source_account_id'
            ) }}
)

select * from listings
