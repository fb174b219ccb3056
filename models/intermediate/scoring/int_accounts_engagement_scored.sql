-- Engagement (自社接点) per account: touch points from seed touch_weights, decayed with a half-life of
-- var engagement_half_life_days, over var engagement_window_days; multiplied for breadth — distinct
-- people and distinct buying-committee roles — so five people engaging beat one person engaging
-- five times; product usage by several active users adds a bonus. 0–100 with diminishing returns.
with

touches as (
    select * from {{ ref('int_touches_attributed_to_accounts') }}
),

-- days between the touch and the end of as_of_date (macro age_in_days)
aged as (
    select
        *,
        {{ age_in_days('occurred_at') }} as age_days
    from touches
),

recent as (
    select
        *,
        points * {{ decay_weight('age_days', var('engagement_half_life_days')) }} as decayed_points
    from aged
    where age_days between 0 and {{ var('engagement_window_days') }}
),

per_account as (
    select
        account_id,
        sum(decayed_points) as decayed_points,
        sum(case when age_days <= 30 then points else 0 end) as points_30d,
        sum(points) as points_90d,
        count(distinct case when points > 0 then contact_key end) as engaged_people,
        count(distinct case when points > 0 then buying_role end) as engaged_roles,
        count(case when is_high_intent then 1 end) as high_intent_touches,
        count(distinct case when touch_source = 'product' and age_days <= 30 then contact_key end)
            as active_product_users_30d
    from recent
    group by account_id
),

-- the touch type that brought the most points, for the explanation
top_touch as (
    select
        account_id,
        touch_type,
        row_number() over (partition by account_id order by sum(decayed_points) desc, touch_type) as touch_rank
    from recent
    where points > 0
    group by account_id, touch_type
),

scored as (
    select
        per_account.account_id,
        per_account.decayed_points,
        per_account.points_30d,
        per_account.points_90d,
        per_account.engaged_people,
        per_account.engaged_roles,
        per_account.high_intent_touches,
        per_account.active_product_users_30d,
        top_touch.touch_type as top_touch_type,
        per_account.decayed_points
        * (
            1 + {{ var('engagement_breadth_bonus_per_person') }} * greatest(per_account.engaged_people - 1, 0)
            + {{ var('engagement_breadth_bonus_per_role') }} * greatest(per_account.engaged_roles - 1, 0)
        )
        + case
            when per_account.active_product_users_30d >= {{ var('product_active_users_threshold') }}
                then {{ var('product_active_users_bonus_points') }}
            else 0
        end as breadth_adjusted_points
    from per_account
    left join top_touch
        on
            per_account.account_id = top_touch.account_id
            and top_touch.touch_rank = 1
),

final as (
    select
        *,
        {{ saturating_score('breadth_adjusted_points', var('engagement_score_scale')) }} as engagement_score
    from scored
)

select * from final
