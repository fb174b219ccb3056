-- The buying committee (relation map) of every account with known contacts or on the target list
-- (grain: account_id, buying_role): per role — Champion, Decision Maker, Economic Buyer, Influencer,
-- Technical Evaluator, Blocker, User (seed buying_committee_roles) — how many people (distinct
-- persons, int_people_consolidated) we know and have
-- reached, their last touch, engagement in the window and the relationship strength, with the key
-- contact. Expected roles without anyone known are rows too: the gaps are the point of the map.
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

contact_engagement as (
    select
        known_contacts.*,
        contact_touches.last_touch_at,
        coalesce(contact_touches.is_reached, false) as is_reached,
        coalesce(contact_touches.recent_touches, 0) as recent_touches,
        coalesce(contact_touches.recent_points, 0) as recent_points,
        row_number() over (
            partition by known_contacts.account_id, known_contacts.buying_role
            order by
                coalesce(contact_touches.recent_points, 0) desc,
                contact_touches.last_touch_at desc nulls last,
                known_contacts.contact_key asc
        ) as strength_rank
    from known_contacts
    left join contact_touches on known_contacts.contact_key = contact_touches.contact_key
),

committee_accounts as (
    select account_id from known_contacts
    union
    select account_id from targets
),

account_roles as (
    select
        committee_accounts.account_id,
        roles.role as buying_role,
        roles.label_ja as role_label_ja,
        roles.is_expected as is_expected_role,
        roles.reach_priority
    from committee_accounts
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
        key_contact.department as key_contact_department
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
