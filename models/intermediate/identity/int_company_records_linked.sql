-- Accepted links between company records (one row per link): deterministic keys first — valid
-- 法人番号, D-U-N-S, registrable domain, exact normalized name within a prefecture — then fuzzy
-- name matches over the threshold from int_company_record_pairs_scored.
with

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

scored_pairs as (
    select * from {{ ref('int_company_record_pairs_scored') }}
),

by_corporate_number as (
    select
        record_key,
        corporate_number as key_value,
        corporate_number,
        domain
    from records
    where corporate_number is not null
),

by_duns as (
    select
        record_key,
        duns_number as key_value,
        corporate_number,
        domain
    from records
    where duns_number is not null
),

by_domain as (
    select
        record_key,
        domain as key_value,
        corporate_number,
        domain
    from records
    where domain is not null
),

-- a record may carry a Japanese and an English name (firmographics): both are keys
record_names as (
    select
        record_key,
        name_normalized as name,
        prefecture,
        corporate_number,
        duns_number,
        domain
    from records
    where name_normalized is not null
    union all
    select
        record_key,
        name_en_normalized as name,
        prefecture,
        corporate_number,
        duns_number,
        domain
    from records
    where name_en_normalized is not null
),

by_name as (
    select distinct
        record_key,
        name || '|' || coalesce(prefecture, '?') as key_value,
        corporate_number,
        domain
    from record_names
),

deterministic_links as (
    {{ star_links('by_corporate_number', 'corporate_number') }}
    union all
    {{ star_links('by_duns', 'duns_number') }}
    union all
    {{ star_links('by_domain', 'domain') }}
    union all
    {{ star_links('by_name', 'exact_name', veto_domains=true) }}
),

fuzzy_links as (
    select
        record_key_from,
        record_key_to,
        'fuzzy_name' as match_rule,
        name_similarity as match_score
    from scored_pairs
    where
        name_similarity >= {{ var('fuzzy_name_threshold') }}
        and name_similarity < 1.0
        and not has_conflicting_identifier
),

all_links as (
    select * from deterministic_links
    union all
    select * from fuzzy_links
)

select * from all_links
