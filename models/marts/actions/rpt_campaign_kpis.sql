-- The KPIs of every campaign (grain: campaign_id), as seed 000 measures each action: attendees from
-- target accounts for seminars, responding accounts for CxO letters, 紹介数 for 顧問紹介, 同行回数
-- and executives met for 同行, and for all: follow-up meetings, pipeline and deals sourced or
-- influenced (doc campaign_attribution). The type's headline KPI (seed campaign_types) against its
-- goal. A campaign id activities carry that the campaigns file lacks is a row too, flagged.
with

outcomes as (
    select * from {{ ref('fct_campaign_account_outcomes') }}
),

campaigns as (
    select * from {{ ref('int_campaigns_classified') }}
),

campaign_ids as (
    select campaign_id from campaigns
    union
    select campaign_id from outcomes
),

summed as (
    select
        campaign_id,
        count(case when is_aimed then 1 end) as aimed_accounts,
        count(case when is_touched then 1 end) as touched_accounts,
        count(case when is_touched and is_target_at_touch then 1 end) as touched_target_accounts,
        count(case when is_aimed and is_touched then 1 end) as aimed_accounts_touched,
        cast(sum(people_touched) as {{ dbt.type_bigint() }}) as people_touched,
        cast(sum(responders) as {{ dbt.type_bigint() }}) as responders,
        cast(sum(case when is_target_at_touch then responders else 0 end) as {{ dbt.type_bigint() }})
            as target_account_responders,
        cast(sum(attendees) as {{ dbt.type_bigint() }}) as attendees,
        cast(sum(case when is_target_at_touch then attendees else 0 end) as {{ dbt.type_bigint() }})
            as target_account_attendees,
        cast(sum(letters_sent) as {{ dbt.type_bigint() }}) as letters_sent,
        cast(sum(referrals) as {{ dbt.type_bigint() }}) as referrals,
        cast(sum(campaign_meetings) as {{ dbt.type_bigint() }}) as campaign_meetings,
        cast(sum(executives_met) as {{ dbt.type_bigint() }}) as executives_met,
        cast(sum(follow_up_meetings) as {{ dbt.type_bigint() }}) as follow_up_meetings,
        count(case when has_follow_up then 1 end) as responded_accounts,
        cast(sum(sourced_opportunities) as {{ dbt.type_bigint() }}) as sourced_opportunities,
        cast(sum(sourced_pipeline_jpy) as {{ dbt.type_bigint() }}) as sourced_pipeline_jpy,
        cast(sum(sourced_won_deals) as {{ dbt.type_bigint() }}) as sourced_won_deals,
        cast(sum(sourced_won_jpy) as {{ dbt.type_bigint() }}) as sourced_won_jpy,
        cast(sum(influenced_opportunities) as {{ dbt.type_bigint() }}) as influenced_opportunities,
        sum(influenced_pipeline_jpy) as influenced_pipeline_jpy
    from outcomes
    group by campaign_id
),

reported as (
    select
        campaign_ids.campaign_id,
        campaigns.campaign_name,
        campaigns.campaign_type,
        campaigns.campaign_type_label_ja,
        coalesce(campaigns.action_category, 'unknown') as action_category,
        campaigns.action_category_ja,
        campaigns.campaign_id is not null as is_known_campaign,
        campaigns.start_date,
        campaigns.end_date,
        campaigns.owner,
        coalesce(campaigns.months_run, 0) as months_run,
        coalesce(summed.aimed_accounts, 0) as aimed_accounts,
        coalesce(summed.touched_accounts, 0) as touched_accounts,
        coalesce(summed.touched_target_accounts, 0) as touched_target_accounts,
        case
            when summed.aimed_accounts > 0 then {{ rate('summed.aimed_accounts_touched', 'summed.aimed_accounts') }}
        end as aimed_reach_rate,
        coalesce(summed.people_touched, 0) as people_touched,
        coalesce(summed.responders, 0) as responders,
        coalesce(summed.target_account_responders, 0) as target_account_responders,
        coalesce(summed.attendees, 0) as attendees,
        coalesce(summed.target_account_attendees, 0) as target_account_attendees,
        coalesce(summed.letters_sent, 0) as letters_sent,
        coalesce(summed.referrals, 0) as referrals,
        coalesce(summed.campaign_meetings, 0) as campaign_meetings,
        coalesce(summed.executives_met, 0) as executives_met,
        coalesce(summed.follow_up_meetings, 0) as follow_up_meetings,
        coalesce(summed.responded_accounts, 0) as responded_accounts,
        coalesce(summed.sourced_opportunities, 0) as sourced_opportunities,
        {{ as_yen('coalesce(summed.sourced_pipeline_jpy, 0)') }} as sourced_pipeline_jpy,
        coalesce(summed.sourced_won_deals, 0) as sourced_won_deals,
        {{ as_yen('coalesce(summed.sourced_won_jpy, 0)') }} as sourced_won_jpy,
        coalesce(summed.influenced_opportunities, 0) as influenced_opportunities,
        {{ as_yen('coalesce(summed.influenced_pipeline_jpy, 0)') }} as influenced_pipeline_jpy,
        campaigns.headline_kpi,
        campaigns.headline_goal
    from campaign_ids
    left join campaigns on campaign_ids.campaign_id = campaigns.campaign_id
    left join summed on campaign_ids.campaign_id = summed.campaign_id
),

headlined as (
    select
        *,
        {{ as_double("case headline_kpi
            when 'target_account_attendees' then target_account_attendees
            when 'responded_accounts' then responded_accounts
            when 'referrals' then referrals
            when 'executives_met' then executives_met
            when 'target_account_responders' then target_account_responders
            when 'responders' then responders
        end") }} as headline_value
    from reported
),

judged as (
    select
        *,
        case when headline_goal is not null then headline_value >= headline_goal end as is_headline_goal_met
    from headlined
)

select * from judged
