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

numbered as (
    select * from {{ ref('int_company_records_numbered') }}
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

-- the names fuzzy matching compares, each with an integer id: the big intermediate sets below
-- (bigrams, key matches, candidate pairs) carry integers, not keys and names, so sorting and
-- de-duplicating them stays cheap
comparable_names as (
    select
        row_number() over (order by numbered.record_number, record_names.name) as name_id,
        numbered.record_number,
        record_names.name,
        length(record_names.name) as name_length,
        -- once per name, not once per pair: the pairs outnumber the names several times
        {{ kanji_skeleton('record_names.name') }} as name_kanji,
        record_names.prefecture,
        records.corporate_number,
        records.duns_number,
        records.domain
    from record_names
    inner join numbered on record_names.record_key = numbered.record_key
    inner join records on record_names.record_key = records.record_key
    where
        record_names.prefecture is not null
        and length(record_names.name) >= {{ var('fuzzy_min_name_length') }}
),

-- a bigram that occurs twice in one name gives two rows: harmless, ranks and pairs are de-duplicated
name_bigrams as (
    select
        comparable_names.name_id,
        comparable_names.record_number,
        comparable_names.prefecture,
        substring(comparable_names.name, positions.n, 2) as bigram
    from comparable_names
    inner join positions
        on positions.n <= greatest(comparable_names.name_length - 1, 1)
),

bigram_frequency as (
    select
        prefecture,
        bigram,
        count(distinct record_number) as records_with_bigram
    from name_bigrams
    group by prefecture, bigram
),

-- each name's rarest bigrams are its blocking keys; a bigram shared by too many records (ソフ, シス …)
-- says nothing about identity and would make blocks quadratic, so it is not a key; a bigram no other
-- record has (often the typo itself) cannot pair the name with anything, so it is skipped too
blocking_keys as (
    select
        name_bigrams.name_id,
        name_bigrams.record_number,
        name_bigrams.prefecture,
        name_bigrams.bigram,
        dense_rank() over (
            partition by name_bigrams.name_id
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
        blocking_keys.name_id as key_name_id,
        name_bigrams.name_id as other_name_id
    from blocking_keys
    inner join name_bigrams
        on
            blocking_keys.prefecture = name_bigrams.prefecture
            and blocking_keys.bigram = name_bigrams.bigram
            and blocking_keys.record_number != name_bigrams.record_number
    where blocking_keys.rarity_rank <= {{ var('fuzzy_blocking_keys_per_name') }}
),

candidate_name_pairs as (
    select distinct
        least(key_name_id, other_name_id) as name_id_a,
        greatest(key_name_id, other_name_id) as name_id_b
    from key_matches
),

-- similarity = 1 − distance ÷ longer length, and the distance is at least the difference in
-- length, so names whose lengths differ too much cannot reach the review band: dropping them here
-- spares the similarity function most of the candidates
comparable_pairs as (
    select
        name_a.record_number as record_number_a,
        name_b.record_number as record_number_b,
        name_a.name as name_a,
        name_b.name as name_b,
        name_a.name_kanji = name_b.name_kanji as kanji_agree,
        -- valid identifiers that disagree mean two companies, however alike the names
        coalesce(name_a.corporate_number != name_b.corporate_number, false)
        or coalesce(name_a.duns_number != name_b.duns_number, false)
        or coalesce(name_a.domain != name_b.domain, false) as has_conflicting_identifier
    from candidate_name_pairs
    inner join comparable_names as name_a on candidate_name_pairs.name_id_a = name_a.name_id
    inner join comparable_names as name_b on candidate_name_pairs.name_id_b = name_b.name_id
    where
        least(name_a.name_length, name_b.name_length)
        >= ({{ var('fuzzy_name_threshold') }} - {{ var('fuzzy_review_margin') }})
        * greatest(name_a.name_length, name_b.name_length)
),

scored_names as (
    select
        least(record_number_a, record_number_b) as record_number_from,
        greatest(record_number_a, record_number_b) as record_number_to,
        has_conflicting_identifier,
        {{ char_similarity('name_a', 'name_b') }} as similarity,
        kanji_agree
    from comparable_pairs
),

scored_pairs as (
    select
        record_number_from,
        record_number_to,
        max(similarity) as name_similarity,
        {{ dbt.bool_or("has_conflicting_identifier") }} as has_conflicting_identifier,
        -- the best match must keep every kanji: 東和 vs 大和 is another company, not a typo
        coalesce(max(case when kanji_agree then similarity end), -1) < max(similarity) as kanji_differ
    from scored_names
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
