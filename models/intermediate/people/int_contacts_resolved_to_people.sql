-- Every staged contact record (CRM contact, MA lead, business card) with the person it stands for
-- (one row per record). The same e-mail address — cleaned, with the sub-address tag of known
-- providers dropped (email_key) — is one person, free-mail included: an address identifies a person,
-- whatever it says about the company. A record without an address joins a person only by the same
-- name at the same account with no department saying otherwise, and only when exactly
-- one person fits; records of one name at one account without any address are one person unless
-- their departments differ. Everything else stays a person of its own: two people who share a name
-- are never merged on the name alone.
with

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

matched as (
    select * from {{ ref('int_contacts_matched_to_accounts') }}
),

department_aliases as (
    select * from {{ ref('department_aliases') }}
),

records as (
    select
        contacts.source_system || ':' || contacts.source_contact_id as contact_key,
        contacts.source_system,
        contacts.source_contact_id,
        matched.account_id,
        contacts.email_key,
        contacts.name_key,
        -- the name an address spells (daisuke.kato@ → daisuke kato), for names written in romaji
        {{ regex_replace_all(
            regex_replace_all(dbt.split_part('contacts.email_key', "'@'", 1), '[0-9]+', ''),
            '[._-]+', ' '
        ) }} as email_local_words,
        department_aliases.department as canonical_department
    from contacts
    left join matched
        on
            contacts.source_system = matched.source_system
            and contacts.source_contact_id = matched.source_contact_id
    left join department_aliases
        on {{ department_key('contacts.department') }} = department_aliases.department_alias
),

addressed as (
    select * from records
    where email_key is not null
),

-- every (account, name, department) an addressed person is known under: the names on their records,
-- and the name their address spells when it has two or more parts (taro.yamada@ → taroyamada)
addressed_names as (
    select distinct
        email_key,
        account_id,
        name_key,
        canonical_department
    from addressed
    where account_id is not null and name_key is not null
    union
    select distinct
        email_key,
        account_id,
        {{ sorted_name_parts('trim(email_local_words)') }} as name_key,
        canonical_department
    from addressed
    where account_id is not null and trim(email_local_words) like '% %'
),

unaddressed as (
    select * from records
    where email_key is null
),

-- the addressed people a record without an address could be: same account, same name, no department
-- that contradicts (both known and different)
name_candidates as (
    select distinct
        unaddressed.contact_key,
        addressed_names.email_key
    from unaddressed
    inner join addressed_names
        on
            unaddressed.account_id = addressed_names.account_id
            and unaddressed.name_key = addressed_names.name_key
            and (
                unaddressed.canonical_department is null
                or addressed_names.canonical_department is null
                or unaddressed.canonical_department = addressed_names.canonical_department
            )
),

candidate_counts as (
    select
        contact_key,
        count(*) as candidates,
        min(email_key) as only_email_key
    from name_candidates
    group by contact_key
),

-- records without an address that no addressed person takes: one person per name at an account
-- when their departments agree
unattached_groups as (
    select
        unaddressed.account_id,
        unaddressed.name_key,
        count(distinct unaddressed.canonical_department) as departments
    from unaddressed
    left join candidate_counts on unaddressed.contact_key = candidate_counts.contact_key
    where
        candidate_counts.contact_key is null
        and unaddressed.account_id is not null
        and unaddressed.name_key is not null
    group by unaddressed.account_id, unaddressed.name_key
),

resolved_unaddressed as (
    select
        unaddressed.contact_key,
        case
            when candidate_counts.candidates = 1 then 'email:' || candidate_counts.only_email_key
            when candidate_counts.candidates > 1 then 'record:' || unaddressed.contact_key
            when unattached_groups.departments <= 1
                then 'name:' || unaddressed.account_id || ':' || unaddressed.name_key
            else 'record:' || unaddressed.contact_key
        end as person_anchor,
        case
            when candidate_counts.candidates = 1 then 'name_at_account'
            when candidate_counts.candidates > 1 then 'ambiguous_name'
            when unattached_groups.departments <= 1 then 'name_at_account'
            when unattached_groups.account_id is not null then 'conflicting_department'
            else 'record_only'
        end as resolution_rule
    from unaddressed
    left join candidate_counts on unaddressed.contact_key = candidate_counts.contact_key
    left join unattached_groups
        on
            unaddressed.account_id = unattached_groups.account_id
            and unaddressed.name_key = unattached_groups.name_key
),

resolved as (
    select
        contact_key,
        'email:' || email_key as person_anchor,
        'email' as resolution_rule
    from addressed
    union all
    select
        contact_key,
        person_anchor,
        resolution_rule
    from resolved_unaddressed
),

-- the id is a hash of what makes the person one: the address, or the account and name; the same
-- input gives the same id on every run and on every engine
identified as (
    select
        records.contact_key,
        records.source_system,
        records.source_contact_id,
        'per_' || substring({{ dbt.hash('resolved.person_anchor') }}, 1, 16) as person_id,
        resolved.person_anchor,
        resolved.resolution_rule,
        records.account_id,
        records.email_key,
        records.name_key,
        records.email_local_words,
        records.canonical_department
    from records
    inner join resolved on records.contact_key = resolved.contact_key
)

select * from identified
