-- Links between company records of the same normalized name (one row per link and rule): within a
-- prefecture (exact_name), across prefectures for records that carry none when every record of the
-- name agrees on one (exact_name), within a prefecture and industry where two companies of the name
-- share the prefecture (exact_name_and_industry), and a contact's company name at the prefecture of
-- its office address (name_at_office_prefecture). Fuzzy matches are int_company_records_linked_by_similarity's.
-- Names are grouped by their integer numbers (int_company_record_names), not their text.
with

record_names as (
    select * from {{ ref('int_company_record_names') }}
),

by_name_in_prefecture as (
    select
        record_number,
        name_id,
        -- a valid 法人番号 is 13 digits (checked in staging): compared as a number, cheaper than text
        cast(corporate_number as {{ dbt.type_bigint() }}) as corporate_number_value,
        domain
    from record_names
    where prefecture is not null
),

-- records that carry no prefecture (contacts) join a name only when every record of that name that
-- has one agrees on it: the same name in two prefectures is two companies until proven otherwise
by_name_anywhere as (
    select
        record_number,
        name_number as key_value,
        corporate_number,
        domain,
        prefecture
    from record_names
),

-- the companies of one name, one group per prefecture they are registered in, grouped once: the
-- exact_name links, the industry subgroups and the contacts' office look-up all use it (a record
-- with a registered prefecture compares its name there, so name_id is the (name, prefecture))
name_in_prefecture_groups as (
    select
        name_id,
        min(record_number) as anchor_record_number,
        coalesce(min(corporate_number_value) = max(corporate_number_value), true)
        and coalesce(min(domain) = max(domain), true) as is_unambiguous
    from by_name_in_prefecture
    group by name_id
),

-- a star per unambiguous group (what star_links would build, without grouping the names again):
-- a group holding two valid 法人番号 or two domains links nothing
exact_name_links as (
    select
        by_name_in_prefecture.record_number as record_number_from,
        groups.anchor_record_number as record_number_to,
        'exact_name' as match_rule,
        cast(1.0 as {{ type_double() }}) as match_score
    from by_name_in_prefecture
    inner join name_in_prefecture_groups as groups
        on by_name_in_prefecture.name_id = groups.name_id
    where
        groups.is_unambiguous
        and by_name_in_prefecture.record_number != groups.anchor_record_number
),

-- where two companies of one name are registered in one prefecture, the exact_name group is vetoed
-- (two 法人番号 or domains); the industry can still tell them apart: a record of the group is linked
-- within its (name, prefecture, industry) subgroup when that subgroup is unambiguous. Only records
-- of vetoed groups take part — elsewhere exact_name has linked them already
by_name_prefecture_industry as (
    select
        record_names.record_number,
        cast(record_names.name_id as {{ dbt.type_string() }}) || '|' || record_names.industry_code as key_value,
        record_names.corporate_number,
        record_names.domain,
        record_names.prefecture
    from record_names
    inner join name_in_prefecture_groups
        on record_names.name_id = name_in_prefecture_groups.name_id
    where
        not name_in_prefecture_groups.is_unambiguous
        and record_names.prefecture is not null
        and record_names.industry_code is not null
),

-- a contact that gives only a company name that companies in several prefectures share (so
-- by_name_anywhere cannot place it) joins the one registered in the prefecture of its office
-- address (office_prefecture is set only for contacts with no CRM link and no company domain: their
-- name_id is the (name, office prefecture)). A contact at a branch office where no company of that
-- name is registered is not linked this way
office_prefecture_links as (
    select
        record_names.record_number as record_number_from,
        groups.anchor_record_number as record_number_to,
        'name_at_office_prefecture' as match_rule,
        cast(1.0 as {{ type_double() }}) as match_score
    from record_names
    inner join name_in_prefecture_groups as groups
        on record_names.name_id = groups.name_id
    where
        record_names.office_prefecture is not null
        and groups.is_unambiguous
),

name_links as (
    select * from exact_name_links
    union all
    {{ star_links('by_name_anywhere', 'exact_name', veto_domains=true, veto_prefectures=true) }}
    union all
    {{ star_links('by_name_prefecture_industry', 'exact_name_and_industry', veto_domains=true) }}
    union all
    select * from office_prefecture_links
),

-- a record's Japanese and English names, or the two exact_name rules, can link the same pair: one link
distinct_links as (
    select
        record_number_from,
        record_number_to,
        match_rule,
        max(match_score) as match_score
    from name_links
    group by record_number_from, record_number_to, match_rule
)

select * from distinct_links
