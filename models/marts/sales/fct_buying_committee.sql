{{ config(
    materialized=abm_incremental_materialization(),
    unique_key=abm_batch_key(['account_id', 'buying_role'], 'account_id'),
    incremental_strategy=abm_incremental_strategy(),
    on_schema_change='append_new_columns',
    pre_hook=[
        "{{ abm_clear_unless_appending() }}",
        "{{ carried_accounts_gone([
            'select account_id from ' ~ ref('int_people_consolidated'),
            'select account_id from ' ~ ref('int_target_accounts_resolved'),
        ]) }}",
    ],
    meta={'appends_from': ['int_touches_attributed_to_accounts', 'int_target_accounts_resolved'],
          'day_in_fingerprint': true},
) }}
-- The buying committee (relation map) of every account with known contacts or on the target list
-- (grain: account_id, buying_role): per role — Champion, Decision Maker, Economic Buyer, Influencer,
-- Technical Evaluator, Blocker, User (seed buying_committee_roles) — how many people (distinct
-- persons, int_people_consolidated) we know and have
-- reached, their last touch, engagement in the window and the relationship strength, with the key
-- contact. Expected roles without anyone known are rows too: the gaps are the point of the map.
-- Carried per account (macros/carried_accounts.sql): a planned daily build rewrites only the accounts
-- whose fingerprint — their people's touch figures as of the day and their place on the target list —
-- differs from the stored one; every other account keeps its rows.
{%- set carrying = abm_appending() %}
with

people as (
    select * from {{ ref('int_people_consolidated') }}
),

touches as (
    select * from {{ ref('int_touches_attributed_to_accounts') }}
),

targets as (
    select * from {{ ref('int_target_accounts_resolved') }}
),

roles as (
    select * from {{ ref('buying_committee_roles') }}
),

-- people, not records: a person known from a card, a lead and a CRM contact counts once, in the
-- role of their latest title
known_contacts as (
    select
        account_id,
        person_id as contact_key,
        buying_role,
        full_name,
        job_title,
        department
    from people
    where account_id is not null
),

-- days between the touch and the end of as_of_date (macro age_in_days)
aged_touches as (
    select
        *,
        {{ age_in_days('occurred_at') }} as age_days
    from touches
    where contact_key is not null
),

contact_touches as (
    select
        contact_key,
        max(occurred_at) as last_touch_at,
        max(case when is_outbound_reach then 1 else 0 end) = 1 as is_reached,
        count(case when age_days < {{ var('engagement_window_days') }} then 1 end) as recent_touches,
        coalesce(sum(case when age_days < {{ var('engagement_window_days') }} then points end), 0) as recent_points
    from aged_touches
    group by contact_key
),

-- each known person with their touch figures as of the day: what all of an account's rows are made of
contact_figures as (
    select
        known_contacts.*,
        contact_touches.last_touch_at,
        coalesce(contact_touches.is_reached, false) as is_reached,
        coalesce(contact_touches.recent_touches, 0) as recent_touches,
        coalesce(contact_touches.recent_points, 0) as recent_points
    from known_contacts
    left join contact_touches on known_contacts.contact_key = contact_touches.contact_key
),

-- what an account's rows are made of (every account of the committee has some): its people's figures
-- as of the day (a touch that left the engagement window changes them) and its place on the target list
account_input_rows as (
    select
        account_id,
        'person' as input_kind,
        contact_key,
        buying_role,
        last_touch_at,
        is_reached,
        recent_touches,
        recent_points
    from contact_figures
    union all
    select
        account_id,
        'target' as input_kind,
        cast(null as {{ dbt.type_string() }}) as contact_key,
        cast(null as {{ dbt.type_string() }}) as buying_role,
        cast(null as {{ dbt.type_timestamp() }}) as last_touch_at,
        cast(null as boolean) as is_reached,
        cast(null as {{ dbt.type_bigint() }}) as recent_touches,
        cast(null as {{ type_double() }}) as recent_points
    from targets
),

-- one order-free hash per account
account_fingerprints as (
    select
        account_id,
        {{ mart_fingerprint([
            'input_kind', 'contact_key', 'buying_role', 'last_touch_at', 'is_reached', 'recent_touches',
            'recent_points'
        ]) }} as inputs_fingerprint
    from account_input_rows
    group by account_id
),

-- the accounts whose rows this run writes: all of them, or (carrying) those whose fingerprint is not
-- the stored one
evaluated_accounts as (
    {{ accounts_to_evaluate('account_fingerprints') }}
),

contact_engagement as (
    select
        contact_figures.*,
        row_number() over (
            partition by contact_figures.account_id, contact_figures.buying_role
            order by
                contact_figures.recent_points desc,
                contact_figures.last_touch_at desc nulls last,
                contact_figures.contact_key asc
        ) as strength_rank
    from contact_figures
    {%- if carrying %}
    where contact_figures.account_id in (select evaluated_accounts.account_id from evaluated_accounts)
    {%- endif %}
),

account_roles as (
    select
        evaluated_accounts.account_id,
        evaluated_accounts.inputs_fingerprint,
        roles.role as buying_role,
        roles.label_ja as role_label_ja,
        roles.is_expected as is_expected_role,
        roles.reach_priority
    from evaluated_accounts
    cross join roles
),

role_summary as (
    select
        account_id,
        buying_role,
        count(*) as known_contacts,
        count(case when is_reached then 1 end) as reached_contacts,
        count(case when recent_points > 0 then 1 end) as engaged_contacts,
        max(last_touch_at) as last_touch_at,
        cast(sum(recent_touches) as {{ dbt.type_bigint() }}) as recent_touches,
        sum(recent_points) as engagement_points
    from contact_engagement
    group by account_id, buying_role
),

committee as (
    select
        account_roles.account_id,
        account_roles.buying_role,
        account_roles.role_label_ja,
        account_roles.is_expected_role,
        account_roles.reach_priority,
        coalesce(role_summary.known_contacts, 0) as known_contacts,
        coalesce(role_summary.reached_contacts, 0) as reached_contacts,
        coalesce(role_summary.engaged_contacts, 0) as engaged_contacts,
        role_summary.last_touch_at,
        coalesce(role_summary.recent_touches, 0) as recent_touches,
        coalesce(role_summary.engagement_points, 0) as engagement_points,
        case
            when role_summary.known_contacts is null then 'unknown'
            when role_summary.engagement_points >= {{ var('relationship_strong_min_points') }} then 'strong'
            when role_summary.engagement_points >= {{ var('relationship_warm_min_points') }} then 'warm'
            when role_summary.reached_contacts > 0 then 'cold'
            else 'not_reached'
        end as relationship_strength,
        coalesce(role_summary.known_contacts, 0) > 0 as is_covered,
        coalesce(role_summary.reached_contacts, 0) > 0 as is_reached,
        key_contact.contact_key as key_person_id,
        key_contact.full_name as key_contact_name,
        key_contact.job_title as key_contact_title,
        key_contact.department as key_contact_department,
        account_roles.inputs_fingerprint
    from account_roles
    left join role_summary
        on
            account_roles.account_id = role_summary.account_id
            and account_roles.buying_role = role_summary.buying_role
    left join contact_engagement as key_contact
        on
            account_roles.account_id = key_contact.account_id
            and account_roles.buying_role = key_contact.buying_role
            and key_contact.strength_rank = 1
    -- non-expected roles only where someone holds them
    where account_roles.is_expected_role or role_summary.known_contacts is not null
)

-- stored in account order: a BI page for one account then reads only the row groups that hold it
-- (DuckDB skips the others by their min / max), not every row of the table
select * from committee
order by account_id
