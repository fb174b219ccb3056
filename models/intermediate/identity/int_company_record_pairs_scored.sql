-- Candidate pairs of company records for fuzzy name matching, with their character similarity and
-- whether a valid identifier vetoes them (one row per candidate pair). Blocking: each name is
-- compared only with names sharing one of its rarest character bigrams in its prefecture, so the
-- number of comparisons grows with the data, not with its square. Names that differ in a kanji are
-- flagged (kanji_differ) and never linked.
{%- set max_name_length = 80 %}
with

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

record_names as (
    select * from {{ ref('int_company_record_names') }}
),

positions as (
    select numbers.n
    from (
        values
        {% for n in range(1, max_name_length) -%}
        ({{ n }}){{ ',' if not loop.last }}
        {% endfor %}
    ) as numbers (n)
),

name_bigrams as (
    select distinct
        record_names.record_key,
        record_names.name,
        record_names.prefecture,
        substring(record_names.name, positions.n, 2) as bigram
    from record_names
    inner join positions
        on positions.n <= greatest(length(record_names.name) - 1, 1)
    where
        record_names.prefecture is not null
        and length(record_names.name) >= {{ var('fuzzy_min_name_length') }}
),

bigram_frequency as (
    select
        prefecture,
        bigram,
        count(distinct record_key) as records_with_bigram
    from name_bigrams
    group by prefecture, bigram
),

-- each name's rarest bigrams are its blocking keys; a bigram shared by too many records (ソフ, シス …)
-- says nothing about identity and would make blocks quadratic, so it is not a key; a bigram no other
-- record has (often the typo itself) cannot pair the name with anything, so it is skipped too
blocking_keys as (
    select
        name_bigrams.record_key,
        name_bigrams.name,
        name_bigrams.prefecture,
        name_bigrams.bigram,
        row_number() over (
            partition by name_bigrams.record_key, name_bigrams.name
            order by bigram_frequency.records_with_bigram, name_bigrams.bigram
        ) as rarity_rank
    from name_bigrams
    inner join bigram_frequency
        on
            name_bigrams.prefecture = bigram_frequency.prefecture
            and name_bigrams.bigram = bigram_frequency.bigram
    where bigram_frequency.records_with_bigram between 2 and {{ var('fuzzy_max_block_size') }}
),

-- a pair is a candidate when one name's rare key occurs anywhere in the other name
key_matches as (
    select
        blocking_keys.record_key as key_record_key,
        blocking_keys.name as key_name,
        name_bigrams.record_key as other_record_key,
        name_bigrams.name as other_name
    from blocking_keys
    inner join name_bigrams
        on
            blocking_keys.prefecture = name_bigrams.prefecture
            and blocking_keys.bigram = name_bigrams.bigram
            and blocking_keys.record_key != name_bigrams.record_key
    where blocking_keys.rarity_rank <= {{ var('fuzzy_blocking_keys_per_name') }}
),

candidate_pairs as (
    select distinct
        case when key_record_key < other_record_key then key_record_key else other_record_key end as record_key_from,
        case when key_record_key < other_record_key then other_record_key else key_record_key end as record_key_to,
        case when key_record_key < other_record_key then key_name else other_name end as name_from,
        case when key_record_key < other_record_key then other_name else key_name end as name_to
    from key_matches
),

-- similarity = 1 − distance ÷ longer length, and the distance is at least the difference in
-- length, so names whose lengths differ too much cannot reach the review band: dropping them here
-- spares the similarity function most of the candidates
comparable_pairs as (
    select *
    from candidate_pairs
    where
        least(length(name_from), length(name_to))
        >= ({{ var('fuzzy_name_threshold') }} - {{ var('fuzzy_review_margin') }})
        * greatest(length(name_from), length(name_to))
),

scored_names as (
    select
        record_key_from,
        record_key_to,
        {{ char_similarity('name_from', 'name_to') }} as similarity,
        {{ kanji_skeleton('name_from') }} = {{ kanji_skeleton('name_to') }} as kanji_agree
    from comparable_pairs
),

scored_pairs as (
    select
        record_key_from,
        record_key_to,
        max(similarity) as name_similarity,
        -- the best match must keep every kanji: 東和 vs 大和 is another company, not a typo
        coalesce(max(case when kanji_agree then similarity end), -1) < max(similarity) as kanji_differ
    from scored_names
    group by record_key_from, record_key_to
),

vetted_pairs as (
    select
        scored_pairs.*,
        -- valid identifiers that disagree mean two companies, however alike the names
        coalesce(left_record.corporate_number != right_record.corporate_number, false)
        or coalesce(left_record.duns_number != right_record.duns_number, false)
        or coalesce(left_record.domain != right_record.domain, false) as has_conflicting_identifier,
        scored_pairs.kanji_differ
    from scored_pairs
    inner join records as left_record on scored_pairs.record_key_from = left_record.record_key
    inner join records as right_record on scored_pairs.record_key_to = right_record.record_key
)

select * from vetted_pairs
