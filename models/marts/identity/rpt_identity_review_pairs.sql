-- Borderline fuzzy name pairs for a data steward (one row per pair): similarity within
-- var('fuzzy_review_margin') of the threshold, on either side, that no hard rule (conflicting
-- identifiers, different kanji) already decided — with both records side by side and the decision
-- the threshold took. Confirmed or rejected pairs tell how to move the threshold.
with

pairs as (
    select * from {{ ref('int_company_record_pairs_scored') }}
),

numbered as (
    select * from {{ ref('int_company_records_numbered') }}
),

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

account_ids as (
    select * from {{ ref('int_account_ids_assigned') }}
),

-- the pairs are scored on record numbers: their keys, for the steward
borderline as (
    select
        record_from.record_key as record_key_from,
        record_to.record_key as record_key_to,
        pairs.name_similarity,
        pairs.has_conflicting_identifier,
        pairs.kanji_differ,
        pairs.stem_differ,
        pairs.industries_differ,
        pairs.is_accepted as is_linked
    from pairs
    inner join numbered as record_from on pairs.record_number_from = record_from.record_number
    inner join numbered as record_to on pairs.record_number_to = record_to.record_number
    where
        pairs.name_similarity >= {{ var('fuzzy_name_threshold') }} - {{ var('fuzzy_review_margin') }}
        and pairs.name_similarity < {{ var('fuzzy_name_threshold') }} + {{ var('fuzzy_review_margin') }}
        and pairs.name_similarity < 1.0
        -- pairs a hard rule already decided (conflicting identifiers, different kanji) need no steward
        and not pairs.has_conflicting_identifier
        and not pairs.kanji_differ
),

side_by_side as (
    select
        borderline.record_key_from,
        borderline.record_key_to,
        left_record.company_name as company_name_from,
        right_record.company_name as company_name_to,
        left_record.prefecture,
        left_record.corporate_number as corporate_number_from,
        right_record.corporate_number as corporate_number_to,
        left_record.domain as domain_from,
        right_record.domain as domain_to,
        left_record.industry_code as industry_code_from,
        right_record.industry_code as industry_code_to,
        borderline.name_similarity,
        borderline.has_conflicting_identifier,
        borderline.kanji_differ,
        borderline.stem_differ,
        borderline.industries_differ,
        borderline.is_linked,
        left_account.account_id = right_account.account_id as is_same_account
    from borderline
    inner join records as left_record on borderline.record_key_from = left_record.record_key
    inner join records as right_record on borderline.record_key_to = right_record.record_key
    inner join account_ids as left_account on borderline.record_key_from = left_account.record_key
    inner join account_ids as right_account on borderline.record_key_to = right_account.record_key
)

select * from side_by_side
