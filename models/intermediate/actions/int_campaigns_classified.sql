-- Campaigns (optional raw table campaigns) with their type's ABM action (seed campaign_types:
-- つくる / 広げる / 深める), headline KPI and goal (grain: campaign_id). A type the seed does not
-- know is kept, flagged. The goal of a per-month type is its monthly goal × the calendar months the
-- campaign has run by as_of_date.
with

campaigns as (
    select * from {{ ref('stg_ma__campaigns') }}
),

campaign_types as (
    select * from {{ ref('campaign_types') }}
),

classified as (
    select
        campaigns.campaign_id,
        campaigns.source_system,
        campaigns.campaign_name,
        campaigns.campaign_type,
        campaign_types.label_ja as campaign_type_label_ja,
        coalesce(campaign_types.action_category, 'unknown') as action_category,
        campaign_types.action_category_ja,
        campaign_types.headline_kpi,
        campaign_types.campaign_type is not null as is_known_type,
        campaigns.start_date,
        campaigns.end_date,
        campaigns.owner,
        campaigns.start_date <= {{ as_of_date() }} as has_started,
        -- calendar months the campaign ran in, up to as_of_date (0 before it starts)
        cast(case
            when campaigns.start_date > {{ as_of_date() }} then 0
            else {{ dbt.datediff(
                'campaigns.start_date',
                'case when campaigns.end_date < ' ~ as_of_date() ~ ' then campaigns.end_date else ' ~ as_of_date() ~ ' end',
                'month'
            ) }} + 1
        end as {{ dbt.type_int() }}) as months_run,
        campaign_types.goal_per_campaign,
        campaign_types.goal_per_month
    from campaigns
    left join campaign_types on campaigns.campaign_type = campaign_types.campaign_type
),

with_goal as (
    select
        *,
        coalesce(goal_per_campaign, goal_per_month * months_run) as headline_goal
    from classified
)

select * from with_goal
