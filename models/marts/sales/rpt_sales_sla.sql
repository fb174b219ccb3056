-- Sales SLA per month of MQL, owner and target-list tier (grain: mql_month, owner, target_tier): how fast sales first
-- touched the account after an MQL (median hours), how much of it happened within sla_follow_up_days,
-- and how many people were reached (multithreading). Non-target accounts have owner '(none)', target_tier null.
with

follow_ups as (
    select * from {{ ref('int_leads_followed_up') }}
),

segmented as (
    select
        mql_month,
        coalesce(owner, '(none)') as owner,
        tier as target_tier,
        hours_to_first_touch,
        follow_up_touches,
        follow_up_contacts,
        hours_to_first_touch is not null as is_followed_up,
        hours_to_first_touch < 24 * {{ var('sla_follow_up_days') }} as is_within_sla
    from follow_ups
),

measured as (
    select
        mql_month,
        owner,
        target_tier,
        count(*) as mqls,
        count(case when is_followed_up then 1 end) as followed_up_mqls,
        count(case when is_within_sla then 1 end) as within_sla_mqls,
        {{ rate('count(case when is_within_sla then 1 end)', 'count(*)') }} as within_sla_rate,
        round({{ median("hours_to_first_touch") }}, 1) as median_hours_to_first_touch,
        round(avg(follow_up_touches), 2) as avg_follow_up_touches,
        round(avg(follow_up_contacts), 2) as avg_follow_up_contacts,
        count(case when follow_up_contacts >= 2 then 1 end) as multithreaded_mqls
    from segmented
    group by mql_month, owner, target_tier
)

select * from measured
