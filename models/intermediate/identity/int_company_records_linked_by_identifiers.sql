-- Links between company records that share a deterministic identifier (one row per link and rule):
-- a valid 法人番号, D-U-N-S number, registrable domain, one person's e-mail address across systems,
-- or a contact's CRM account link. Each key group is a star on its smallest record number
-- (macro star_links); a group holding two valid 法人番号 links nothing.
with

records as (
    select * from {{ ref('int_company_records_numbered') }}
),

by_corporate_number as (
    select
        record_number,
        corporate_number as key_value,
        corporate_number,
        domain,
        prefecture
    from records
    where corporate_number is not null
),

by_duns as (
    select
        record_number,
        duns_number as key_value,
        corporate_number,
        domain,
        prefecture
    from records
    where duns_number is not null
),

by_domain as (
    select
        record_number,
        domain as key_value,
        corporate_number,
        domain,
        prefecture
    from records
    where domain is not null
),

-- the same e-mail address in two systems (a business card and an MA lead, say) is one person,
-- and so one company — free-mail addresses included
by_email as (
    select
        record_number,
        email as key_value,
        corporate_number,
        domain,
        prefecture
    from records
    where email is not null
),

crm_account_links as (
    select
        record_number as record_number_from,
        linked_record_number as record_number_to,
        'crm_account_link' as match_rule,
        cast(1.0 as {{ type_double() }}) as match_score
    from records
    where linked_record_number is not null
),

identifier_links as (
    {{ star_links('by_corporate_number', 'corporate_number') }}
    union all
    {{ star_links('by_duns', 'duns_number') }}
    union all
    {{ star_links('by_domain', 'domain') }}
    union all
    {{ star_links('by_email', 'same_person_email') }}
    union all
    select * from crm_account_links
)

select * from identifier_links
