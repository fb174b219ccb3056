{{ config(
    materialized=abm_incremental_materialization(),
    unique_key=abm_batch_key('campaign_account_id', 'account_id'),
    incremental_strategy=abm_incremental_strategy(),
    on_schema_change='sync_all_columns',
    pre_hook=[
        "{{ abm_clear_unless_appending() }}",
        "{{ carried_accounts_gone([
            'select account_id from ' ~ ref('int_campaign_accounts_resolved'),
            'select account_id from ' ~ ref('int_touches_attributed_to_accounts')
                ~ ' where campaign_id is not null and occurred_at < ' ~ as_of_cutoff_timestamp(),
        ]) }}",
    ],
    meta={'appends_from': ['int_touches_attributed_to_accounts', 'int_opportunities_progressed'],
          'day_in_fingerprint': true},
) }}
-- What each campaign did at each account it aimed at or touched (grain: campaign_id × account_id),
-- for the KPIs seed 000 names per action: people touched and responding, attendees (参加者数), letters,
-- introductions (紹介数), meetings held in the campaign (同行回数) and the executives met in them;
-- then, from the account's first campaign touch: follow-up meetings within campaign_follow_up_days
-- (meetings not part of the campaign), and opportunities sourced (created within
-- campaign_attribution_days after it) or influenced (open at any time in that window) and the
-- sourced deals won. Whether the account was on the target list on the day of its first touch is kept.
-- Carried per account (macros/carried_accounts.sql): a planned daily build rewrites only the accounts
-- whose campaign touches, meetings (before the day's cut-off) or opportunities changed.
{%- set carrying = abm_appending() %}
with

campaigns as (
    select * from {{ ref('stg_ma__campaigns') }}
),

campaign_accounts as (
    select * from {{ ref('int_campaign_accounts_resolved') }}
),

touches as (
    select * from {{ ref('int_touches_attributed_to_accounts') }}
),

touch_kinds as (
    select * from {{ ref('campaign_touch_kinds') }}
),

roles as (
    select * from {{ ref('buying_committee_roles') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_progressed') }}
),

listings as (
    select * from {{ ref('int_target_listings_resolved') }}
),

-- what an account's rows are made of: its campaign touches and meetings before the day's cut-off
-- (a new day lets the day's touches in) and its opportunities; the account lists, the target list and
-- the campaigns file are the same while carrying
touch_fingerprints as (
    select
        account_id,
        max(case when campaign_id is not null then 1 else 0 end) as has_campaign_touch,
        {{ inputs_fingerprint([
            "'touch'", 'campaign_id', 'contact_key', 'occurred_at', 'touch_type', 'buying_role', 'is_meeting'
        ]) }} as inputs_fingerprint
    from touches
    where
        account_id is not null
        and (campaign_id is not null or is_meeting)
        and occurred_at < {{ as_of_cutoff_timestamp() }}
    group by account_id
),

opportunity_fingerprints as (
    select
        account_id,
        {{ inputs_fingerprint([
            "'opportunity'", 'opportunity_id', 'amount_jpy', 'is_won', 'created_at', 'closed_at'
        ]) }} as inputs_fingerprint
    from opportunities
    where account_id is not null
    group by account_id
),

-- the accounts with a row: aimed at by a campaign or touched in one
campaign_account_ids as (
    select account_id from campaign_accounts
    where account_id is not null
    union
    select account_id from touch_fingerprints
    where has_campaign_touch = 1
),

account_inputs as (
    select
        campaign_account_ids.account_id,
        coalesce(touch_fingerprints.inputs_fingerprint, 0)
        + coalesce(opportunity_fingerprints.inputs_fingerprint, 0) as inputs_fingerprint
    from campaign_account_ids
    left join touch_fingerprints on campaign_account_ids.account_id = touch_fingerprints.account_id
    left join opportunity_fingerprints on campaign_account_ids.account_id = opportunity_fingerprints.account_id
),

-- all of them, or (carrying) those whose fingerprint is not the stored one
evaluated_accounts as (
    {{ accounts_to_evaluate('account_inputs') }}
),

-- the account lists and touches of those accounts
evaluated_campaign_accounts as (
    select * from campaign_accounts
    {%- if carrying %}
    where campaign_accounts.account_id in (select evaluated_accounts.account_id from evaluated_accounts)
    {%- endif %}
),

evaluated_touches as (
    select * from touches
    {%- if carrying %}
    where touches.account_id in (select evaluated_accounts.account_id from evaluated_accounts)
    {%- endif %}
),

aimed as (
    select
        campaign_id,
        account_id,
        min(added_on) as aimed_on
    from evaluated_campaign_accounts
    where account_id is not null
    group by campaign_id, account_id
),

campaign_touches as (
    select
        touches.campaign_id,
        touches.account_id,
        touches.contact_key,
        touches.occurred_at,
        touch_kinds.touch_kind,
        coalesce(touch_kinds.is_response, false) as is_response,
        coalesce(roles.is_manager_level, false) as is_manager_level
    from evaluated_touches as touches
    left join touch_kinds on touches.touch_type = touch_kinds.touch_type
    left join roles on touches.buying_role = roles.role
    where
        touches.campaign_id is not null
        and touches.occurred_at < {{ as_of_cutoff_timestamp() }}
),

-- one row per person a campaign touched at an account: the distinct people below are counted from
-- it, in one aggregation instead of one per count(distinct …)
person_touched as (
    select
        campaign_id,
        account_id,
        contact_key,
        min(occurred_at) as first_touch_at,
        count(*) as campaign_touches,
        max(case when is_response then 1 else 0 end) as responded,
        max(case when touch_kind = 'attended' then 1 else 0 end) as attended,
        max(case when touch_kind = 'met' and is_manager_level then 1 else 0 end) as executive_met,
        count(case when touch_kind = 'letter_sent' then 1 end) as letters_sent,
        count(case when touch_kind = 'referred' then 1 end) as referrals,
        count(case when touch_kind = 'met' then 1 end) as campaign_meetings
    from campaign_touches
    group by campaign_id, account_id, contact_key
),

touched as (
    select
        campaign_id,
        account_id,
        min(first_touch_at) as first_touch_at,
        cast(sum(campaign_touches) as {{ dbt.type_bigint() }}) as campaign_touches,
        -- a touch without a known person (contact_key null) counts as a touch, not as a person
        count(contact_key) as people_touched,
        count(case when responded = 1 then contact_key end) as responders,
        count(case when attended = 1 then contact_key end) as attendees,
        cast(sum(letters_sent) as {{ dbt.type_bigint() }}) as letters_sent,
        cast(sum(referrals) as {{ dbt.type_bigint() }}) as referrals,
        cast(sum(campaign_meetings) as {{ dbt.type_bigint() }}) as campaign_meetings,
        count(case when executive_met = 1 then contact_key end) as executives_met
    from person_touched
    group by campaign_id, account_id
),

pairs as (
    select
        campaign_id,
        account_id
    from aimed
    union
    select
        campaign_id,
        account_id
    from touched
),

combined as (
    select
        pairs.campaign_id,
        pairs.account_id,
        aimed.aimed_on,
        aimed.campaign_id is not null as is_aimed,
        touched.first_touch_at,
        coalesce(touched.campaign_touches, 0) as campaign_touches,
        coalesce(touched.people_touched, 0) as people_touched,
        coalesce(touched.responders, 0) as responders,
        coalesce(touched.attendees, 0) as attendees,
        coalesce(touched.letters_sent, 0) as letters_sent,
        coalesce(touched.referrals, 0) as referrals,
        coalesce(touched.campaign_meetings, 0) as campaign_meetings,
        coalesce(touched.executives_met, 0) as executives_met
    from pairs
    left join aimed on pairs.campaign_id = aimed.campaign_id and pairs.account_id = aimed.account_id
    left join touched on pairs.campaign_id = touched.campaign_id and pairs.account_id = touched.account_id
),

follow_ups as (
    select
        combined.campaign_id,
        combined.account_id,
        count(*) as follow_up_meetings
    from combined
    inner join touches
        on
            combined.account_id = touches.account_id
            and touches.is_meeting
            and coalesce(touches.campaign_id, '') <> combined.campaign_id
            and combined.first_touch_at < touches.occurred_at
            and touches.occurred_at
            <= {{ dbt.dateadd('day', var('campaign_follow_up_days'), 'combined.first_touch_at') }}
            and touches.occurred_at < {{ as_of_cutoff_timestamp() }}
    group by combined.campaign_id, combined.account_id
),

attributed_opportunities as (
    select
        combined.campaign_id,
        combined.account_id,
        opportunities.opportunity_id,
        opportunities.amount_jpy,
        opportunities.is_won,
        opportunities.created_at > combined.first_touch_at as is_sourced
    from combined
    inner join opportunities
        on
            combined.account_id = opportunities.account_id
            and opportunities.created_at
            <= {{ dbt.dateadd('day', var('campaign_attribution_days'), 'combined.first_touch_at') }}
            and (opportunities.closed_at is null or combined.first_touch_at <= opportunities.closed_at)
),

opportunity_counts as (
    select
        campaign_id,
        account_id,
        count(case when is_sourced then 1 end) as sourced_opportunities,
        coalesce(sum(case when is_sourced then amount_jpy end), 0) as sourced_pipeline_jpy,
        count(case when is_sourced and is_won then 1 end) as sourced_won_deals,
        coalesce(sum(case when is_sourced and is_won then amount_jpy end), 0) as sourced_won_jpy,
        count(*) as influenced_opportunities,
        coalesce(sum(amount_jpy), 0) as influenced_pipeline_jpy
    from attributed_opportunities
    group by campaign_id, account_id
),

-- on the target list on the day of the first touch (else on the day it was aimed at)
target_status as (
    select distinct
        combined.campaign_id,
        combined.account_id
    from combined
    inner join listings
        on
            combined.account_id = listings.account_id
            and listings.added_on <= cast(coalesce(combined.first_touch_at, combined.aimed_on) as date)
            and (
                listings.removed_on is null
                or listings.removed_on > cast(coalesce(combined.first_touch_at, combined.aimed_on) as date)
            )
),

measured as (
    select
        combined.campaign_id || ':' || combined.account_id as campaign_account_id,
        combined.*,
        -- a campaign id activities carry that the campaigns file lacks stays, flagged
        campaigns.campaign_id is not null as is_known_campaign,
        target_status.account_id is not null as is_target_at_touch,
        combined.first_touch_at is not null as is_touched,
        coalesce(follow_ups.follow_up_meetings, 0) as follow_up_meetings,
        coalesce(follow_ups.follow_up_meetings, 0) > 0 as has_follow_up,
        coalesce(opportunity_counts.sourced_opportunities, 0) as sourced_opportunities,
        coalesce(opportunity_counts.sourced_pipeline_jpy, 0) as sourced_pipeline_jpy,
        coalesce(opportunity_counts.sourced_won_deals, 0) as sourced_won_deals,
        coalesce(opportunity_counts.sourced_won_jpy, 0) as sourced_won_jpy,
        coalesce(opportunity_counts.influenced_opportunities, 0) as influenced_opportunities,
        coalesce(opportunity_counts.influenced_pipeline_jpy, 0) as influenced_pipeline_jpy,
        evaluated_accounts.inputs_fingerprint
    from combined
    inner join evaluated_accounts on combined.account_id = evaluated_accounts.account_id
    left join campaigns on combined.campaign_id = campaigns.campaign_id
    left join follow_ups
        on combined.campaign_id = follow_ups.campaign_id and combined.account_id = follow_ups.account_id
    left join opportunity_counts
        on
            combined.campaign_id = opportunity_counts.campaign_id
            and combined.account_id = opportunity_counts.account_id
    left join target_status
        on combined.campaign_id = target_status.campaign_id and combined.account_id = target_status.account_id
)

select * from measured
