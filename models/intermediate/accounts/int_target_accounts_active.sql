-- The target-account list as of `as_of_date`: one row per CRM account record that is on the list
-- that day (added on or before it, not yet removed), with its tier and owner.
with

target_list as (
    select * from {{ ref('stg_abm__target_accounts') }}
),

active_on_as_of as (
    select
        source_system,
        source_account_id,
        tier,
        owner,
        added_on,
        -- a record may have been added, removed and added again: the latest listing counts
        row_number() over (
            partition by source_system, source_account_id order by added_on desc
        ) as listing_rank
    from target_list
    where
        added_on <= {{ as_of_date() }}
        and (removed_on is null or removed_on > {{ as_of_date() }})
),

current_listing as (
    select
        source_system,
        source_account_id,
        tier,
        owner,
        added_on
    from active_on_as_of
    where listing_rank = 1
)

select * from current_listing
