{{ config(
    materialized=abm_incremental_materialization(),
    unique_key=abm_batch_key('campaign_account_id', 'account_id'),
    incremental_strategy=abm_incremental_strategy(),
    on_schema_change='append_new_columns',
    pre_hook=[
        "{{ abm_clear_unless_appending() }}",
        "{{ carried_accounts_gone(['select account_id from ' ~ ref('int_campaign_account_outcomes_measured')]) }}",
    ],
    meta={'appends_from': ['int_campaign_account_outcomes_measured', 'int_campaigns_classified']},
) }}
-- ABM actions per campaign and account (grain: campaign_id × account_id): every account a campaign
-- aimed at or touched, with what happened there and after (doc campaign_attribution).
-- Carried per account (macros/carried_accounts.sql): a planned daily build rewrites only the accounts
-- whose rows would differ — the fingerprint hashes every column they show.
with

outcomes as (
    select * from {{ ref('int_campaign_account_outcomes_measured') }}
),

campaigns as (
    select * from {{ ref('int_campaigns_classified') }}
),

described as (
    select
        outcomes.campaign_account_id,
        outcomes.campaign_id,
        outcomes.account_id,
        campaigns.campaign_name,
        campaigns.campaign_type,
        coalesce(campaigns.action_category, 'unknown') as action_category,
        campaigns.action_category_ja,
        outcomes.is_known_campaign,
        outcomes.is_aimed,
        outcomes.aimed_on,
        outcomes.is_touched,
        outcomes.first_touch_at,
        outcomes.is_target_at_touch,
        outcomes.campaign_touches,
        outcomes.people_touched,
        outcomes.responders,
        outcomes.attendees,
        outcomes.letters_sent,
        outcomes.referrals,
        outcomes.campaign_meetings,
        outcomes.executives_met,
        outcomes.follow_up_meetings,
        outcomes.has_follow_up,
        outcomes.sourced_opportunities,
        {{ as_yen('outcomes.sourced_pipeline_jpy') }} as sourced_pipeline_jpy,
        outcomes.sourced_won_deals,
        {{ as_yen('outcomes.sourced_won_jpy') }} as sourced_won_jpy,
        outcomes.influenced_opportunities,
        {{ as_yen('outcomes.influenced_pipeline_jpy') }} as influenced_pipeline_jpy
    from outcomes
    left join campaigns on outcomes.campaign_id = campaigns.campaign_id
),

-- only the accounts whose rows changed, when carrying
{{ carried_account_rows('described') }}

select * from written
-- an account's rows together: the account page reads them by the min / max of a few row groups
order by account_id, campaign_id
