-- Links between company records whose names the fuzzy rule accepts (one row per link): every
-- accepted pair between records that say where the company is registered; a contact placed only by
-- its office prefecture hangs from its one best match, and only when no deterministic rule links it
-- — so these links form trees that each hang from one record and can never bridge two companies.
with

records as (
    select * from {{ ref('int_company_records_numbered') }}
),

scored_pairs as (
    select * from {{ ref('int_company_record_pairs_scored') }}
),

identifier_links as (
    select * from {{ ref('int_company_records_linked_by_identifiers') }}
),

name_links as (
    select * from {{ ref('int_company_records_linked_by_names') }}
),

-- records fuzzy matching compares by the prefecture of their office (contacts nothing else places)
office_placed_records as (
    select record_number from records
    where office_prefecture is not null
),

accepted_pairs as (
    select
        record_number_from,
        record_number_to,
        name_similarity
    from scored_pairs
    -- identical normalized names are exact_name's to link or veto, not fuzzy matching's
    where
        is_accepted
        and name_similarity < 1.0
),

-- between records that say where the company is registered, every accepted pair is a link
registered_links as (
    select
        record_number_from,
        record_number_to,
        'fuzzy_name' as match_rule,
        name_similarity as match_score
    from accepted_pairs
    where
        record_number_from not in (select office_placed_records.record_number from office_placed_records)
        and record_number_to not in (select office_placed_records.record_number from office_placed_records)
),

deterministically_linked as (
    select record_number_from as record_number from identifier_links
    union
    select record_number_to as record_number from identifier_links
    union
    select record_number_from as record_number from name_links
    union
    select record_number_to as record_number from name_links
),

contact_candidates as (
    select
        record_number_from as contact_number,
        record_number_to as matched_number,
        name_similarity
    from accepted_pairs
    where record_number_from in (select office_placed_records.record_number from office_placed_records)
    union all
    select
        record_number_to as contact_number,
        record_number_from as matched_number,
        name_similarity
    from accepted_pairs
    where record_number_to in (select office_placed_records.record_number from office_placed_records)
),

ranked_contact_candidates as (
    select
        contact_number,
        matched_number,
        name_similarity,
        row_number() over (
            partition by contact_number
            order by name_similarity desc, matched_number asc
        ) as match_rank
    from contact_candidates
    where contact_number not in (select deterministically_linked.record_number from deterministically_linked)
),

contact_links as (
    select
        contact_number as record_number_from,
        matched_number as record_number_to,
        'fuzzy_name' as match_rule,
        name_similarity as match_score
    from ranked_contact_candidates
    where match_rank = 1
),

similarity_links as (
    select * from registered_links
    union all
    select * from contact_links
)

select * from similarity_links
