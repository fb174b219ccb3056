-- The milestones of the seeds' four ABM phases per account department (one row per event): a person
-- of the department became known, a meeting was held with one of its people, an opportunity for it was
-- created, reached pipeline or a late stage, or was won or lost. Departments are mapped to one name per business unit
-- (seed department_aliases), so 情報システム部 and "IT Department" count together.
with

people as (
    select * from {{ ref('int_people_consolidated') }}
),

touches as (
    select * from {{ ref('int_touches_attributed_to_accounts') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_progressed') }}
),

roles as (
    select * from {{ ref('buying_committee_roles') }}
),

department_aliases as (
    select * from {{ ref('department_aliases') }}
),

-- one row per person (their latest department and role), known from their first record
contact_departments as (
    select
        people.account_id,
        people.person_id as contact_key,
        {{ canonical_department('department_aliases.department', 'people.department') }} as department,
        people.buying_role,
        coalesce(roles.is_manager_level, false) as is_manager_level,
        -- a person without a creation time is known from the start of the data
        coalesce(people.first_known_at, cast('1900-01-01' as {{ dbt.type_timestamp() }})) as known_at
    from people
    left join department_aliases
        on {{ department_key('people.department') }} = department_aliases.department_alias
    left join roles on people.buying_role = roles.role
    where people.account_id is not null
),

contact_events as (
    select
        account_id,
        department,
        'contact_known' as event_type,
        known_at as occurred_at,
        contact_key,
        buying_role,
        is_manager_level,
        cast(null as decimal(18, 0)) as amount_jpy,
        cast(null as {{ dbt.type_string() }}) as opportunity_id
    from contact_departments
),

meeting_events as (
    select
        contact_departments.account_id,
        contact_departments.department,
        'meeting' as event_type,
        touches.occurred_at,
        contact_departments.contact_key,
        contact_departments.buying_role,
        contact_departments.is_manager_level,
        cast(null as decimal(18, 0)) as amount_jpy,
        cast(null as {{ dbt.type_string() }}) as opportunity_id
    from touches
    inner join contact_departments on touches.contact_key = contact_departments.contact_key
    where touches.is_meeting
),

opportunity_milestones as (
    select
        account_id,
        department,
        opportunity_id,
        amount_jpy,
        created_at,
        pipeline_reached_at,
        late_stage_reached_at,
        won_at,
        case when is_closed and not is_won then closed_at end as lost_at
    from opportunities
    where account_id is not null
),

opportunity_events as (
    {% for event_type, column in [
        ('opportunity_created', 'created_at'),
        ('pipeline_reached', 'pipeline_reached_at'),
        ('late_stage_reached', 'late_stage_reached_at'),
        ('won', 'won_at'),
        ('lost', 'lost_at'),
    ] %}
    select
        account_id,
        department,
        '{{ event_type }}' as event_type,
        {{ column }} as occurred_at,
        cast(null as {{ dbt.type_string() }}) as contact_key,
        cast(null as {{ dbt.type_string() }}) as buying_role,
        false as is_manager_level,
        cast(amount_jpy as decimal(18, 0)) as amount_jpy,
        opportunity_id
    from opportunity_milestones
    where {{ column }} is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

all_events as (
    select * from contact_events
    union all
    select * from meeting_events
    union all
    select * from opportunity_events
),

-- events after as_of_date have not happened yet
as_of_events as (
    select * from all_events
    where occurred_at < {{ as_of_cutoff_timestamp() }}
)

select * from as_of_events
