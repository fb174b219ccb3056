{{ config(
    materialized=abm_incremental_materialization(),
    unique_key='touch_id',
    incremental_strategy=abm_incremental_strategy(),
    on_schema_change='sync_all_columns',
    meta={'appends_from': ['stg_ma__activities', 'stg_product__usage_events']},
    pre_hook="{{ abm_clear_unless_appending() }}",
) }}
-- Every touch with us — marketing and sales activities and product-usage events — attributed to
-- an account and, where known, the person touched (contact_key: the person_id of
-- int_contacts_resolved_to_people) and their buying-committee role (one row per touch), with its
-- points from seed touch_weights. Activities find their person by source record, else by e-mail
-- (compared as email_key); product events by the user's e-mail, else by its company domain.
-- Appending (macros/appending.sql): when only the events grew since the last build, a planned daily
-- build attributes the recent events alone; any change to people, accounts, domains or weights rebuilds
-- every touch. Nothing here reads the as-of day: the age of a touch is left to its readers.
-- on_schema_change sync_all_columns: a changed column comes with changed code, which always rebuilds
-- every touch (an upgrade from the table this model was keeps working).
with

activities as (
    select * from {{ ref('stg_ma__activities') }}
),

usage_events as (
    select * from {{ ref('stg_product__usage_events') }}
),

people as (
    select * from {{ ref('int_contacts_resolved_to_people') }}
),

person_roles as (
    select * from {{ ref('int_people_consolidated') }}
),

plus_addressing as (
    select * from {{ ref('email_plus_addressing_domains') }}
),

weights as (
    select * from {{ ref('touch_weights') }}
),

domain_accounts as (
    select * from {{ ref('int_account_domains_resolved') }}
),

-- every source record with its person and the person's account and role (one role per person)
people_with_roles as (
    select
        people.source_system,
        people.source_contact_id,
        people.email_key,
        people.person_id,
        people.account_id as record_account_id,
        person_roles.account_id as person_account_id,
        person_roles.buying_role
    from people
    inner join person_roles on people.person_id = person_roles.person_id
),

-- the person behind each source record, at the record's account (else the person's)
people_by_record as (
    select
        source_system,
        source_contact_id,
        person_id,
        coalesce(record_account_id, person_account_id) as account_id,
        buying_role
    from people_with_roles
),

-- one person per e-mail address (an address is one person by construction), for touches that
-- only know the address
people_by_email as (
    select distinct
        email_key,
        person_id,
        person_account_id as account_id,
        buying_role
    from people_with_roles
    where email_key is not null and person_account_id is not null
),

activities_keyed as (
    select
        activities.*,
        {{ email_person_key('activities.email', 'plus_addressing') }} as email_key
    from activities
    left join plus_addressing on {{ email_domain_part('activities.email') }} = plus_addressing.domain
    where {{ abm_append_filter('activities.occurred_at', 'occurred_at', "stored.touch_source = 'activity'") }}
),

activity_touches as (
    select
        'activity:' || activities.activity_id as touch_id,
        coalesce(by_id.account_id, by_email.account_id) as account_id,
        coalesce(by_id.person_id, by_email.person_id) as contact_key,
        coalesce(by_id.buying_role, by_email.buying_role) as buying_role,
        'activity' as touch_source,
        activities.activity_type as touch_type,
        activities.occurred_at,
        activities.campaign_id
    from activities_keyed as activities
    left join people_by_record as by_id
        on
            activities.source_system = by_id.source_system
            and activities.source_contact_id = by_id.source_contact_id
    left join people_by_email as by_email on activities.email_key = by_email.email_key
),

usage_with_host as (
    select
        usage_events.*,
        {{ url_host('usage_events.user_email') }} as user_host,
        {{ email_person_key('usage_events.user_email', 'plus_addressing') }} as email_key
    from usage_events
    left join plus_addressing on {{ email_domain_part('usage_events.user_email') }} = plus_addressing.domain
    where {{ abm_append_filter('usage_events.occurred_at', 'occurred_at', "stored.touch_source = 'product'") }}
),

usage_distinct_hosts as (
    select distinct user_host
    from usage_with_host
    where user_host is not null
),

-- the registrable domain is a Python function: called once per distinct host (70 k at 1M
-- companies), not once per product event (2.1 M)
usage_host_domains as (
    select
        user_host,
        {{ registrable_domain('user_host') }} as user_domain
    from usage_distinct_hosts
),

usage_with_domain as (
    select
        usage_with_host.*,
        usage_host_domains.user_domain
    from usage_with_host
    left join usage_host_domains on usage_with_host.user_host = usage_host_domains.user_host
),

usage_touches as (
    select
        'product:' || usage_events.event_id as touch_id,
        coalesce(by_email.account_id, by_domain.account_id) as account_id,
        -- a product user is a person even when the CRM does not know them
        coalesce(by_email.person_id, 'user:' || usage_events.email_key) as contact_key,
        by_email.buying_role,
        'product' as touch_source,
        usage_events.event_name as touch_type,
        usage_events.occurred_at,
        cast(null as {{ dbt.type_string() }}) as campaign_id
    from usage_with_domain as usage_events
    left join people_by_email as by_email on usage_events.email_key = by_email.email_key
    left join domain_accounts as by_domain on usage_events.user_domain = by_domain.domain
),

all_touches as (
    select * from activity_touches
    union all
    select * from usage_touches
),

weighted as (
    select
        all_touches.*,
        coalesce(weights.points, 0) as points,
        coalesce(weights.is_high_intent, false) as is_high_intent,
        coalesce(weights.is_outbound_reach, false) as is_outbound_reach,
        coalesce(weights.is_meeting, false) as is_meeting,
        coalesce(weights.is_sales_follow_up, false) as is_sales_follow_up
    from all_touches
    left join weights
        on
            all_touches.touch_type = weights.touch_type
            and all_touches.touch_source = weights.source
    where all_touches.account_id is not null
)

select * from weighted
