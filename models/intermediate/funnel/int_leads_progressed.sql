-- The demand waterfall of every marketing lead (one row per lead that became an MQL): when it became
-- MQL, was accepted by sales (SAL), qualified (SQL) or dropped, whether an opportunity of its account
-- was registered within waterfall_pipeline_window_days of the MQL, and how that deal ended; with the
-- account's target status on the MQL day. Leads whose company is unknown stay, without an account.
with

status_history as (
    select * from {{ ref('stg_ma__lead_status_history') }}
),

contacts as (
    select * from {{ ref('int_contacts_roles_assigned') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_progressed') }}
),

listings as (
    select * from {{ ref('int_target_listings_resolved') }}
),

first_mql as (
    select
        source_system,
        source_contact_id,
        min(changed_at) as mql_at
    from status_history
    where upper(status) = 'MQL' and changed_at < {{ as_of_cutoff_timestamp() }}
    group by source_system, source_contact_id
),

later_statuses as (
    select
        first_mql.source_system,
        first_mql.source_contact_id,
        min(case when upper(status_history.status) = 'SAL' then status_history.changed_at end) as sal_at,
        min(case when upper(status_history.status) = 'SQL' then status_history.changed_at end) as sql_at,
        min(
            case when lower(status_history.status) in ('disqualified', 'recycled') then status_history.changed_at end
        ) as dropped_at
    from first_mql
    inner join status_history
        on
            first_mql.source_system = status_history.source_system
            and first_mql.source_contact_id = status_history.source_contact_id
            and first_mql.mql_at <= status_history.changed_at
            and status_history.changed_at < {{ as_of_cutoff_timestamp() }}
    group by first_mql.source_system, first_mql.source_contact_id
),

leads as (
    select
        first_mql.source_system,
        first_mql.source_contact_id,
        contacts.account_id,
        first_mql.mql_at,
        later_statuses.sal_at,
        later_statuses.sql_at,
        later_statuses.dropped_at
    from first_mql
    left join later_statuses
        on
            first_mql.source_system = later_statuses.source_system
            and first_mql.source_contact_id = later_statuses.source_contact_id
    left join contacts
        on
            first_mql.source_system = contacts.source_system
            and first_mql.source_contact_id = contacts.source_contact_id
),

registered_opportunities as (
    select
        leads.source_system,
        leads.source_contact_id,
        opportunities.opportunity_id,
        opportunities.created_at,
        opportunities.is_won and opportunities.won_at < {{ as_of_cutoff_timestamp() }} as is_won,
        opportunities.is_closed
        and not opportunities.is_won
        and opportunities.closed_at < {{ as_of_cutoff_timestamp() }} as is_lost,
        row_number() over (
            partition by leads.source_system, leads.source_contact_id
            order by opportunities.created_at, opportunities.opportunity_id
        ) as opportunity_rank
    from leads
    inner join opportunities
        on
            leads.account_id = opportunities.account_id
            and leads.mql_at <= opportunities.created_at
            and opportunities.created_at < {{ dbt.dateadd(
                'day', var('waterfall_pipeline_window_days'), 'leads.mql_at'
            ) }}
            and opportunities.created_at < {{ as_of_cutoff_timestamp() }}
),

target_on_mql_day as (
    select distinct
        leads.source_system,
        leads.source_contact_id
    from leads
    inner join listings
        on
            leads.account_id = listings.account_id
            and listings.added_on <= cast(leads.mql_at as date)
            and (listings.removed_on is null or listings.removed_on > cast(leads.mql_at as date))
),

progressed as (
    select
        leads.source_system,
        leads.source_contact_id,
        leads.account_id,
        target_on_mql_day.source_contact_id is not null as is_target_account,
        leads.mql_at,
        cast({{ dbt.date_trunc('month', 'leads.mql_at') }} as date) as mql_month,
        leads.sal_at,
        leads.sql_at,
        leads.dropped_at,
        registered_opportunities.opportunity_id,
        registered_opportunities.created_at as pipeline_registered_at,
        coalesce(registered_opportunities.is_won, false) as is_won,
        coalesce(registered_opportunities.is_lost, false) as is_lost
    from leads
    left join registered_opportunities
        on
            leads.source_system = registered_opportunities.source_system
            and leads.source_contact_id = registered_opportunities.source_contact_id
            and registered_opportunities.opportunity_rank = 1
    left join target_on_mql_day
        on
            leads.source_system = target_on_mql_day.source_system
            and leads.source_contact_id = target_on_mql_day.source_contact_id
)

select * from progressed
