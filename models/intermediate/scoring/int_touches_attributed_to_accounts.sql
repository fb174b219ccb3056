-- Every touch with us — marketing and sales activities and product-usage events — attributed to
-- an account and, where known, a contact and its buying-committee role (one row per touch), with
-- its points from seed touch_weights. Activities find their contact by source id, else by e-mail;
-- product events by the user's e-mail, else by its company domain.
with

activities as (
    select * from {{ ref('stg_ma__activities') }}
),

usage_events as (
    select * from {{ ref('stg_product__usage_events') }}
),

contacts as (
    select * from {{ ref('int_contacts_roles_assigned') }}
),

weights as (
    select * from {{ ref('touch_weights') }}
),

domain_accounts as (
    select * from {{ ref('int_account_domains_resolved') }}
),

-- one contact per e-mail address (the first by system and id), for touches that only know the address
contacts_by_email as (
    select
        email,
        account_id,
        source_system || ':' || source_contact_id as contact_key,
        buying_role,
        row_number() over (partition by email order by source_system, source_contact_id) as email_rank
    from contacts
    where email is not null and account_id is not null
),

activity_touches as (
    select
        'activity:' || activities.activity_id as touch_id,
        coalesce(by_id.account_id, by_email.account_id) as account_id,
        coalesce(by_id.source_system || ':' || by_id.source_contact_id, by_email.contact_key) as contact_key,
        coalesce(by_id.buying_role, by_email.buying_role) as buying_role,
        'activity' as touch_source,
        activities.activity_type as touch_type,
        activities.occurred_at
    from activities
    left join contacts as by_id
        on
            activities.source_system = by_id.source_system
            and activities.source_contact_id = by_id.source_contact_id
    left join contacts_by_email as by_email
        on
            activities.email = by_email.email
            and by_email.email_rank = 1
),

usage_with_host as (
    select
        *,
        {{ url_host('user_email') }} as user_host
    from usage_events
),

usage_with_domain as (
    select
        *,
        {{ registrable_domain('user_host') }} as user_domain
    from usage_with_host
),

usage_touches as (
    select
        'product:' || usage_events.event_id as touch_id,
        coalesce(by_email.account_id, by_domain.account_id) as account_id,
        -- a product user is a person even when the CRM does not know them
        coalesce(by_email.contact_key, 'user:' || usage_events.user_email) as contact_key,
        by_email.buying_role,
        'product' as touch_source,
        usage_events.event_name as touch_type,
        usage_events.occurred_at
    from usage_with_domain as usage_events
    left join contacts_by_email as by_email
        on
            usage_events.user_email = by_email.email
            and by_email.email_rank = 1
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
        coalesce(weights.is_sales_follow_up, false) as is_sales_follow_up,
        -- noqa: disable=LT05
        {{ dbt.datediff('all_touches.occurred_at', as_of_cutoff_timestamp(), 'day') }} as age_days
        -- noqa: enable=LT05
    from all_touches
    left join weights
        on
            all_touches.touch_type = weights.touch_type
            and all_touches.touch_source = weights.source
    where all_touches.account_id is not null
)

select * from weighted
