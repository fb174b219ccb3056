-- Sales follow-up of every MQL (one row per lead that became an MQL and belongs to an account): the
-- first sales touch on the account after the MQL (call, meeting, briefing — seed
-- touch_weights.is_sales_follow_up; marketing e-mail and events are not sales follow-up), the touches
-- and distinct people touched in the first sla_follow_up_days (multithreading), with the account's
-- tier and owner on the MQL day.
with

leads as (
    select * from {{ ref('int_leads_progressed') }}
),

touches as (
    select * from {{ ref('int_touches_attributed_to_accounts') }}
),

listings as (
    select * from {{ ref('int_target_listings_resolved') }}
),

sales_touches as (
    select
        account_id,
        contact_key,
        occurred_at
    from touches
    where is_sales_follow_up
),

follow_ups as (
    select
        leads.source_system,
        leads.source_contact_id,
        min(sales_touches.occurred_at) as first_sales_touch_at,
        count(
            case
                when sales_touches.occurred_at < {{ dbt.dateadd('day', var('sla_follow_up_days'), 'leads.mql_at') }}
                    then 1
            end
        ) as follow_up_touches,
        count(
            distinct case
                when sales_touches.occurred_at < {{ dbt.dateadd('day', var('sla_follow_up_days'), 'leads.mql_at') }}
                    then sales_touches.contact_key
            end
        ) as follow_up_contacts
    from leads
    inner join sales_touches
        on
            leads.account_id = sales_touches.account_id
            and leads.mql_at <= sales_touches.occurred_at
    group by leads.source_system, leads.source_contact_id
),

listing_on_mql_day as (
    select
        leads.source_system,
        leads.source_contact_id,
        listings.tier,
        listings.owner,
        row_number() over (
            partition by leads.source_system, leads.source_contact_id
            order by listings.tier, listings.added_on, listings.source_account_id
        ) as listing_rank
    from leads
    inner join listings
        on
            leads.account_id = listings.account_id
            and listings.added_on <= cast(leads.mql_at as date)
            and (listings.removed_on is null or listings.removed_on > cast(leads.mql_at as date))
),

followed_up as (
    select
        leads.source_system,
        leads.source_contact_id,
        leads.account_id,
        leads.mql_at,
        leads.mql_month,
        leads.is_target_account,
        listing_on_mql_day.tier,
        listing_on_mql_day.owner,
        follow_ups.first_sales_touch_at,
        case
            when follow_ups.first_sales_touch_at is not null
                then {{ hours_between('leads.mql_at', 'follow_ups.first_sales_touch_at') }}
        end as hours_to_first_touch,
        coalesce(follow_ups.follow_up_touches, 0) as follow_up_touches,
        coalesce(follow_ups.follow_up_contacts, 0) as follow_up_contacts
    from leads
    left join follow_ups
        on
            leads.source_system = follow_ups.source_system
            and leads.source_contact_id = follow_ups.source_contact_id
    left join listing_on_mql_day
        on
            leads.source_system = listing_on_mql_day.source_system
            and leads.source_contact_id = listing_on_mql_day.source_contact_id
            and listing_on_mql_day.listing_rank = 1
    where leads.account_id is not null
)

select * from followed_up
