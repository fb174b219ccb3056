-- Every staged contact record mapped to its person (grain: contact_key): which CRM contact, MA lead
-- or business card stands for whom, and by which rule — the person-level twin of
-- bridge_account_sources.
with

resolved as (
    select * from {{ ref('int_contacts_resolved_to_people') }}
),

bridge as (
    select
        contact_key,
        source_system,
        source_contact_id,
        person_id,
        resolution_rule,
        account_id
    from resolved
)

select * from bridge
