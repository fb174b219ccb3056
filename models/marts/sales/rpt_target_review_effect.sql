-- The target review's effect on the target list (grain: review_item_id): every add or drop a review
-- recommended (snapshot snap_target_review: one version per change of recommendation, dated by the
-- review) with the list change that followed, and every list change no review recommended. A
-- recommendation is done when the list changed within target_review_action_days of the review,
-- pending while that window is open, not_done after it; a change made later is done_late.
-- Snapshots need a table format that updates rows (README "Running on Spark"): off where they are.
{{ config(enabled=target.type != 'spark' or var('abm_spark_file_format', 'parquet') in ('delta', 'iceberg', 'hudi')) }}
with

reviews as (
    select * from {{ ref('snap_target_review') }}
),

listings as (
    select * from {{ ref('int_target_listings_resolved') }}
),

accounts as (
    select * from {{ ref('int_accounts_consolidated') }}
),

recommendations as (
    select
        account_id,
        reviewed_on,
        criteria_version,
        recommendation,
        dbt_valid_to is null as is_current_recommendation
    from reviews
    where recommendation in ('add', 'drop') and reviewed_on <= {{ as_of_date() }}
),

-- an add is carried out by a listing that starts on or after the review
adds_carried_out as (
    select
        recommendations.account_id,
        recommendations.reviewed_on,
        min(listings.added_on) as list_changed_on
    from recommendations
    inner join listings
        on
            recommendations.account_id = listings.account_id
            and recommendations.reviewed_on <= listings.added_on
            and listings.added_on <= {{ as_of_date() }}
    where recommendations.recommendation = 'add'
    group by recommendations.account_id, recommendations.reviewed_on
),

-- a drop by the end of a listing that was running on the review day
drops_carried_out as (
    select
        recommendations.account_id,
        recommendations.reviewed_on,
        min(listings.removed_on) as list_changed_on
    from recommendations
    inner join listings
        on
            recommendations.account_id = listings.account_id
            and recommendations.reviewed_on >= listings.added_on
            and recommendations.reviewed_on <= listings.removed_on
            and listings.removed_on <= {{ as_of_date() }}
    where recommendations.recommendation = 'drop'
    group by recommendations.account_id, recommendations.reviewed_on
),

recommended_items as (
    select
        'review:' || recommendations.account_id || ':' || recommendations.recommendation || ':'
        || cast(recommendations.reviewed_on as {{ dbt.type_string() }}) as review_item_id,
        recommendations.account_id,
        'recommendation' as item_kind,
        recommendations.recommendation as list_change,
        recommendations.reviewed_on,
        recommendations.criteria_version,
        recommendations.is_current_recommendation,
        coalesce(adds_carried_out.list_changed_on, drops_carried_out.list_changed_on) as list_changed_on
    from recommendations
    left join adds_carried_out
        on
            recommendations.account_id = adds_carried_out.account_id
            and recommendations.reviewed_on = adds_carried_out.reviewed_on
            and recommendations.recommendation = 'add'
    left join drops_carried_out
        on
            recommendations.account_id = drops_carried_out.account_id
            and recommendations.reviewed_on = drops_carried_out.reviewed_on
            and recommendations.recommendation = 'drop'
),

first_review as (
    select min(reviewed_on) as first_reviewed_on
    from reviews
),

list_changes as (
    select
        account_id,
        'add' as list_change,
        added_on as list_changed_on
    from listings
    union all
    select
        account_id,
        'drop' as list_change,
        removed_on as list_changed_on
    from listings
    where removed_on is not null
),

-- changes since the first review that no recommendation of the same kind preceded (a late change
-- carries out its recommendation: done_late)
changes_matched as (
    select
        list_changes.account_id,
        list_changes.list_change,
        list_changes.list_changed_on,
        count(recommendations.account_id) as preceding_recommendations
    from list_changes
    cross join first_review
    left join recommendations
        on
            list_changes.account_id = recommendations.account_id
            and list_changes.list_change = recommendations.recommendation
            and list_changes.list_changed_on >= recommendations.reviewed_on
    where
        list_changes.list_changed_on >= first_review.first_reviewed_on
        and list_changes.list_changed_on <= {{ as_of_date() }}
    group by list_changes.account_id, list_changes.list_change, list_changes.list_changed_on
),

unrecommended_items as (
    select
        'change:' || account_id || ':' || list_change || ':'
        || cast(list_changed_on as {{ dbt.type_string() }}) as review_item_id,
        account_id,
        'unrecommended_change' as item_kind,
        list_change,
        cast(null as date) as reviewed_on,
        cast(null as {{ dbt.type_string() }}) as criteria_version,
        cast(null as boolean) as is_current_recommendation,
        list_changed_on
    from changes_matched
    where preceding_recommendations = 0
),

all_items as (
    select * from recommended_items
    union all
    select * from unrecommended_items
),

judged as (
    select
        all_items.review_item_id,
        all_items.account_id,
        accounts.account_name,
        all_items.item_kind,
        all_items.list_change,
        all_items.reviewed_on,
        all_items.criteria_version,
        all_items.is_current_recommendation,
        all_items.list_changed_on,
        -- noqa: disable=LT05
        cast(
            {{ dbt.datediff('all_items.reviewed_on', 'all_items.list_changed_on', 'day') }} as {{ dbt.type_int() }}
        ) as days_to_change,
        -- noqa: enable=LT05
        case
            when all_items.item_kind = 'unrecommended_change' then 'unrecommended'
            when
                all_items.list_changed_on is not null
                and all_items.list_changed_on
                <= {{ dbt.dateadd('day', var('target_review_action_days'), 'all_items.reviewed_on') }}
                then 'done'
            when all_items.list_changed_on is not null then 'done_late'
            when
                {{ as_of_date() }}
                > {{ dbt.dateadd('day', var('target_review_action_days'), 'all_items.reviewed_on') }}
                then 'not_done'
            else 'pending'
        end as status
    from all_items
    left join accounts on all_items.account_id = accounts.account_id
)

select * from judged
