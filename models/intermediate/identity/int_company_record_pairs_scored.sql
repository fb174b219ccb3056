-- Pairs of company records whose names are similar enough to be linked or reviewed (similarity at
-- least fuzzy_name_threshold − fuzzy_review_margin), with their character similarity, whether a
-- valid identifier vetoes them, and whether the fuzzy rule accepts them (one row per pair of record
-- numbers, from < to). The name pairs come from int_company_name_pairs_scored; each counts for every
-- pair of records that carry the two names. Names that differ in a kanji are flagged (kanji_differ)
-- and never linked, and so are names whose stems differ where they end in the same common business
-- word (stem_differ: ナトコ / サトコ ホールディングス); records filed under different industries need a
-- nearly identical name to be linked.
with

record_names as (
    select * from {{ ref('int_company_record_names') }}
),

scored_names as (
    select * from {{ ref('int_company_name_pairs_scored') }}
),

name_records as (
    select * from record_names
    where is_compared_fuzzily
),

-- each scored pair of names, for every pair of records that carry them
scored_record_names as (
    select
        least(record_a.record_number, record_b.record_number) as record_number_from,
        greatest(record_a.record_number, record_b.record_number) as record_number_to,
        scored_names.similarity,
        scored_names.kanji_agree,
        -- no common ending shared, or stems alike: the names differ outside what tells companies apart
        coalesce(scored_names.stem_similarity >= {{ var('fuzzy_stem_threshold') }}, true) as stem_agree,
        -- valid identifiers that disagree mean two companies, however alike the names
        coalesce(record_a.corporate_number != record_b.corporate_number, false)
        or coalesce(record_a.duns_number != record_b.duns_number, false)
        or coalesce(record_a.domain != record_b.domain, false) as has_conflicting_identifier,
        -- a record's industry is the same on each of its names: any name pair tells it
        coalesce(record_a.industry_code != record_b.industry_code, false) as industries_differ
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
        coalesce(max(case when kanji_agree then similarity end), -1) < max(similarity) as kanji_differ,
        -- … and its stem, where both names end in one common business word
        coalesce(max(case when stem_agree then similarity end), -1) < max(similarity) as stem_differ,
        {{ dbt.bool_or("industries_differ") }} as industries_differ
    from scored_record_names
    group by record_number_from, record_number_to
),

-- the fuzzy rule's decision, in one place for the links and the steward's review list. A CRM's
-- industry disagrees with the registered one now and then, so a difference is not a veto; but two
-- companies of similar names in one prefecture are far likelier to be filed under different
-- industries than two records of one company, so such a pair needs a nearly identical name
decided_pairs as (
    select
        *,
        name_similarity >= case
            when industries_differ then {{ var('fuzzy_name_threshold_industries_differ') }}
            else {{ var('fuzzy_name_threshold') }}
        end
        and not has_conflicting_identifier
        and not kanji_differ
        and not stem_differ as is_accepted
    from scored_pairs
)

select * from decided_pairs
