-- Accepted links between company records (one row per link): deterministic keys first — valid
-- 法人番号, D-U-N-S, a contact's CRM account link, one person's e-mail address across systems,
-- registrable domain, exact normalized name within a prefecture (and industry, where two companies
-- of the name share the prefecture), a contact's company name at the
-- prefecture of its office address — then fuzzy name matches over the threshold from
-- int_company_record_pairs_scored.
with

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

record_names as (
    select * from {{ ref('int_company_record_names') }}
),

scored_pairs as (
    select * from {{ ref('int_company_record_pairs_scored') }}
),

by_corporate_number as (
    select
        record_key,
        corporate_number as key_value,
        corporate_number,
        domain,
        prefecture
    from records
    where corporate_number is not null
),

by_duns as (
    select
        record_key,
        duns_number as key_value,
        corporate_number,
        domain,
        prefecture
    from records
    where duns_number is not null
),

by_domain as (
    select
        record_key,
        domain as key_value,
        corporate_number,
        domain,
        prefecture
    from records
    where domain is not null
),

-- record_names has one row per record and name already: no distinct needed
by_name_in_prefecture as (
    select
        record_key,
        name || '|' || prefecture as key_value,
        corporate_number,
        domain,
        prefecture
    from record_names
    where prefecture is not null
),

-- records that carry no prefecture (contacts) join a name only when every record of that name that
-- has one agrees on it: the same name in two prefectures is two companies until proven otherwise
by_name_anywhere as (
    select
        record_key,
        name as key_value,
        corporate_number,
        domain,
        prefecture
    from record_names
),

-- the same e-mail address in two systems (a business card and an MA lead, say) is one person,
-- and so one company — free-mail addresses included
by_email as (
    select
        record_key,
        email as key_value,
        corporate_number,
        domain,
        prefecture
    from records
    where email is not null
),

-- the companies of one name, one group per prefecture they are registered in, grouped once: the
-- exact_name links, the industry subgroups and the contacts' office look-up all use it
name_in_prefecture_groups as (
    select
        key_value,
        min(record_key) as anchor_record_key,
        coalesce(min(corporate_number) = max(corporate_number), true)
        and coalesce(min(domain) = max(domain), true) as is_unambiguous
    from by_name_in_prefecture
    group by key_value
),

-- a star per unambiguous group (what star_links would build, without grouping the names again):
-- a group holding two valid 法人番号 or two domains links nothing
exact_name_links as (
    select
        by_name_in_prefecture.record_key as record_key_from,
        groups.anchor_record_key as record_key_to,
        'exact_name' as match_rule,
        cast(1.0 as {{ dbt.type_float() }}) as match_score
    from by_name_in_prefecture
    inner join name_in_prefecture_groups as groups
        on by_name_in_prefecture.key_value = groups.key_value
    where
        groups.is_unambiguous
        and by_name_in_prefecture.record_key != groups.anchor_record_key
),

-- where two companies of one name are registered in one prefecture, the exact_name group is vetoed
-- (two 法人番号 or domains); the industry can still tell them apart: a record of the group is linked
-- within its (name, prefecture, industry) subgroup when that subgroup is unambiguous. Only records
-- of vetoed groups take part — elsewhere exact_name has linked them already
by_name_prefecture_industry as (
    select
        record_names.record_key,
        record_names.name || '|' || record_names.prefecture || '|' || record_names.industry_code as key_value,
        record_names.corporate_number,
        record_names.domain,
        record_names.prefecture
    from record_names
    inner join name_in_prefecture_groups
        on record_names.name || '|' || record_names.prefecture = name_in_prefecture_groups.key_value
    where
        not name_in_prefecture_groups.is_unambiguous
        and record_names.industry_code is not null
),

-- a contact that gives only a company name that companies in several prefectures share (so
-- by_name_anywhere cannot place it) joins the one registered in the prefecture of its office
-- address (office_prefecture is set only for contacts with no CRM link and no company domain). A
-- contact at a branch office where no company of that name is registered is not linked this way
office_prefecture_links as (
    select
        record_names.record_key as record_key_from,
        groups.anchor_record_key as record_key_to,
        'name_at_office_prefecture' as match_rule,
        cast(1.0 as {{ dbt.type_float() }}) as match_score
    from record_names
    inner join name_in_prefecture_groups as groups
        on record_names.name || '|' || record_names.office_prefecture = groups.key_value
    where
        record_names.office_prefecture is not null
        and groups.is_unambiguous
),

crm_account_links as (
    select
        records.record_key as record_key_from,
        records.linked_record_key as record_key_to,
        'crm_account_link' as match_rule,
        cast(1.0 as {{ dbt.type_float() }}) as match_score
    from records
    inner join records as linked_record on records.linked_record_key = linked_record.record_key
),

deterministic_links as (
    {{ star_links('by_corporate_number', 'corporate_number') }}
    union all
    {{ star_links('by_duns', 'duns_number') }}
    union all
    {{ star_links('by_domain', 'domain') }}
    union all
    select * from exact_name_links
    union all
    {{ star_links('by_name_anywhere', 'exact_name', veto_domains=true, veto_prefectures=true) }}
    union all
    {{ star_links('by_name_prefecture_industry', 'exact_name_and_industry', veto_domains=true) }}
    union all
    {{ star_links('by_email', 'same_person_email') }}
    union all
    select * from office_prefecture_links
    union all
    select * from crm_account_links
),

-- records fuzzy matching compares by the prefecture of their office (contacts nothing else places)
office_placed_records as (
    select record_key from records
    where office_prefecture is not null
),

accepted_pairs as (
    select
        record_key_from,
        record_key_to,
        name_similarity
    from scored_pairs
    -- identical normalized names are exact_name's to link or veto, not fuzzy matching's
    where
        is_accepted
        and name_similarity < 1.0
),

-- between records that say where the company is registered, every accepted pair is a link
registered_fuzzy_links as (
    select
        record_key_from,
        record_key_to,
        'fuzzy_name' as match_rule,
        name_similarity as match_score
    from accepted_pairs
    where
        record_key_from not in (select office_placed_records.record_key from office_placed_records)
        and record_key_to not in (select office_placed_records.record_key from office_placed_records)
),

deterministically_linked as (
    select record_key_from as record_key from deterministic_links
    union
    select record_key_to as record_key from deterministic_links
),

contact_fuzzy_candidates as (
    select
        record_key_from as contact_key,
        record_key_to as matched_key,
        name_similarity
    from accepted_pairs
    where record_key_from in (select office_placed_records.record_key from office_placed_records)
    union all
    select
        record_key_to as contact_key,
        record_key_from as matched_key,
        name_similarity
    from accepted_pairs
    where record_key_to in (select office_placed_records.record_key from office_placed_records)
),

-- a contact placed by its office hangs from its one best match, and only when no other rule links
-- it: each such contact adds one link of its own, so these links form trees that each hang from one
-- record and can never bridge two companies
contact_fuzzy_links as (
    select
        contact_key as record_key_from,
        matched_key as record_key_to,
        'fuzzy_name' as match_rule,
        name_similarity as match_score
    from (
        select
            contact_key,
            matched_key,
            name_similarity,
            row_number() over (partition by contact_key order by name_similarity desc, matched_key asc) as match_rank
        from contact_fuzzy_candidates
        where contact_key not in (select deterministically_linked.record_key from deterministically_linked)
    ) as ranked
    where match_rank = 1
),

all_links as (
    select * from deterministic_links
    union all
    select * from registered_fuzzy_links
    union all
    select * from contact_fuzzy_links
)

select * from all_links
