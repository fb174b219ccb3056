-- One row per person (grain: person_id): the golden record of everyone the CRM, marketing automation
-- and business-card scans know. Each field comes from the most recently updated record that has it
-- (ties: seed source_priority), so a new title on a newer card wins; title, department and the
-- buying-committee role come together from one record, so they never disagree. first_known_at is the
-- earliest creation time of any of the person's records.
with

people as (
    select * from {{ ref('int_contacts_resolved_to_people') }}
),

contacts as (
    select * from {{ ref('int_contacts_roles_assigned') }}
),

staged as (
    select * from {{ ref('stg_crm__contacts') }}
),

source_priority as (
    select * from {{ ref('source_priority') }}
),

person_records as (
    select
        people.person_id,
        people.contact_key,
        people.source_system,
        people.resolution_rule,
        contacts.account_id,
        contacts.email,
        contacts.full_name,
        contacts.department,
        contacts.job_title,
        contacts.buying_role,
        contacts.created_at,
        -- a record is as recent as its last update, else its creation
        coalesce(staged.updated_at, staged.created_at) as recorded_at,
        coalesce(source_priority.priority, 99) as source_priority
    from people
    inner join contacts
        on
            people.source_system = contacts.source_system
            and people.source_contact_id = contacts.source_contact_id
    inner join staged
        on
            people.source_system = staged.source_system
            and people.source_contact_id = staged.source_contact_id
    left join source_priority on people.source_system = source_priority.source_system
),

ranked as (
    select
        *,
        row_number() over (
            partition by person_id, account_id is null
            order by recorded_at desc nulls last, source_priority asc, contact_key asc
        ) as account_rank,
        row_number() over (
            partition by person_id, email is null
            order by recorded_at desc nulls last, source_priority asc, contact_key asc
        ) as email_rank,
        row_number() over (
            partition by person_id, full_name is null
            order by recorded_at desc nulls last, source_priority asc, contact_key asc
        ) as name_rank,
        row_number() over (
            partition by person_id, (job_title is null and department is null)
            order by recorded_at desc nulls last, source_priority asc, contact_key asc
        ) as title_rank
    from person_records
),

summary as (
    select
        person_id,
        count(*) as source_records,
        count(distinct source_system) as source_systems,
        {{ dbt.listagg('distinct source_system', "','", 'order by source_system') }} as source_system_list,
        min(created_at) as first_known_at,
        max(recorded_at) as last_recorded_at,
        count(distinct account_id) as accounts_seen,
        max(case when resolution_rule = 'email' then 0 else 1 end) = 1 as has_name_only_records
    from person_records
    group by person_id
),

consolidated as (
    select
        summary.person_id,
        by_account.account_id,
        by_name.full_name,
        by_email.email,
        by_title.department,
        by_title.job_title,
        -- nobody's title or department known: the role the latest record got (the default role)
        coalesce(by_title.buying_role, by_name.buying_role) as buying_role,
        summary.first_known_at,
        summary.last_recorded_at,
        summary.source_records,
        summary.source_systems,
        summary.source_system_list,
        summary.accounts_seen,
        summary.has_name_only_records
    from summary
    left join ranked as by_account
        on
            summary.person_id = by_account.person_id
            and by_account.account_rank = 1
            and by_account.account_id is not null
    left join ranked as by_name
        on
            summary.person_id = by_name.person_id
            and by_name.name_rank = 1
            and by_name.full_name is not null
    left join ranked as by_email
        on
            summary.person_id = by_email.person_id
            and by_email.email_rank = 1
            and by_email.email is not null
    left join ranked as by_title
        on
            summary.person_id = by_title.person_id
            and by_title.title_rank = 1
            and (by_title.job_title is not null or by_title.department is not null)
)

select * from consolidated
