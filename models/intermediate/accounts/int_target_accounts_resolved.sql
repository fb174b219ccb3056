-- The target list as of as_of_date on resolved accounts (one row per target account): an account is
-- a target when any of its CRM records is listed; the most invested tier (1 before 2 before 3) and
-- that listing's owner count.
with

active_listings as (
    select * from {{ ref('int_target_accounts_active') }}
),

account_ids as (
    select * from {{ ref('int_account_ids_assigned') }}
),

listed_accounts as (
    select
        account_ids.account_id,
        active_listings.tier,
        active_listings.owner,
        active_listings.added_on,
        row_number() over (
            partition by account_ids.account_id
            order by active_listings.tier, active_listings.added_on, active_listings.source_account_id
        ) as listing_rank
    from active_listings
    inner join account_ids
        on
            account_ids.record_key
            = {{ company_record_key(
                "'crm_accounts'", 'active_listings.source_system', 'active_listings.source_account_id'
            ) }}
),

resolved as (
    select
        account_id,
        tier,
        owner,
        added_on
    from listed_accounts
    where listing_rank = 1
)

select * from resolved
