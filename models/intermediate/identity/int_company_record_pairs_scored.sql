-- Pairs of company records whose names are similar enough to be linked or reviewed (similarity at
-- least fuzzy_name_threshold − fuzzy_review_margin), with their character similarity and whether a
-- valid identifier vetoes them (one row per pair). The name pairs come
-- from int_company_name_pairs_scored; each counts for every pair of records that carry the two
-- names. Names that differ in a kanji are flagged (kanji_differ) and never linked.
with

name_records as (
    select * from {{ ref('int_company_record_names_numbered') }}
),

scored_names as (
    select * from {{ ref('int_company_name_pairs_scored') }}
),

numbered as (
    select * from {{ ref('int_company_records_numbered') }}
),

-- each scored pair of names, for every pair of records that carry them
scored_record_names as (
    select
        least(record_a.record_number, record_b.record_number) as record_number_from,
        greatest(record_a.record_number, record_b.record_number) as record_number_to,
        scored_names.similarity,
        scored_names.kanji_agree,
        -- valid identifiers that disagree mean two companies, however alike the names
        coalesce(record_a.corporate_number != record_b.corporate_number, false)
        or coalesce(record_a.duns_number != record_b.duns_number, false)
        or coalesce(record_a.domain != record_b.domain, false) as has_conflicting_identifier
    from scored_names
    inner join name_records as record_a on scored_names.name_id_a = record_a.name_id
    inner join name_records as record_b on scored_names.name_id_b = record_b.name_id
    where
        -- a firmographics row's Japanese and English names can be a candidate pair: not a record pair
        record_a.record_number != record_b.record_number
        -- only pairs that can be linked or reviewed are carried on: most candidates share a rare
        -- bigram and little else, and the best name pair of a record pair is kept either way
        and scored_names.similarity >= {{ var('fuzzy_name_threshold') }} - {{ var('fuzzy_review_margin') }}
),

scored_pairs as (
    select
        record_number_from,
        record_number_to,
        max(similarity) as name_similarity,
        {{ dbt.bool_or("has_conflicting_identifier") }} as has_conflicting_identifier,
        -- the best match must keep every kanji: 東和 vs 大和 is another company, not a typo
        coalesce(max(case when kanji_agree then similarity end), -1) < max(similarity) as kanji_differ
    from scored_record_names
    group by record_number_from, record_number_to
),

-- record numbers follow record-key order, so the smaller number is the smaller key
keyed_pairs as (
    select
        record_from.record_key as record_key_from,
        record_to.record_key as record_key_to,
        scored_pairs.name_similarity,
        scored_pairs.has_conflicting_identifier,
        scored_pairs.kanji_differ
    from scored_pairs
    inner join numbered as record_from on scored_pairs.record_number_from = record_from.record_number
    inner join numbered as record_to on scored_pairs.record_number_to = record_to.record_number
)

select * from keyed_pairs
