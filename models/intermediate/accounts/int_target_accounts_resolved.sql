-- The target list as of `as_of_date` on resolved accounts (one row per target account): listed on or
-- before that day and not removed by then. An account is a target when any of its CRM records is
-- listed; the most invested tier (1 before 2 before 3), then the earliest listing, and its owner count.
with

listings as (
    select * from {{ ref('int_target_listings_resolved') }}
),

active_on_as_of as (
    select
        account_id,
        tier,
        owner,
        added_on,
        row_number() over (
            partition by account_id
            order by tier, added_on, source_system, source_account_id
        ) as listing_rank
    from listings
    where
        added_on <= {{ as_of_date() }}
        and (removed_on is null or removed_on > {{ as_of_date() }})
),

resolved as (
    select
        account_id,
        tier,
        owner,
        added_on
    from active_on_as_of
    where listing_rank = 1
)

select * from resolved
