-- Candidate pairs of distinct company names for fuzzy matching, with their character similarity
-- (one row per pair of name ids, a < b). Blocking: each name is compared only with names sharing
-- one of its rarest character bigrams in its prefecture, so the number of comparisons grows with
-- the data, not with its square.
{%- set max_name_length = 80 %}
{#- similarity = 1 − distance ÷ longer length, and the distance is at least the difference in
    length: names whose lengths alone keep them below the review band are never candidates -#}
{%- set min_length_ratio = var('fuzzy_name_threshold') - var('fuzzy_review_margin') %}
with

name_records as (
    select * from {{ ref('int_company_record_names_numbered') }}
),

-- where each bigram of a name of a given length starts (length L: 1 … L − 1): an equi-join on the
-- length, not a range join; names longer than max_name_length use their first bigrams only
bigram_positions as (
    select
        lengths.name_length,
        starts.n
    from (
        values
        {% for n in range(1, max_name_length + 1) -%}
        ({{ n }}){{ ',' if not loop.last }}
        {% endfor %}
    ) as lengths (name_length)
    cross join (
        values
        {% for n in range(1, max_name_length) -%}
        ({{ n }}){{ ',' if not loop.last }}
        {% endfor %}
    ) as starts (n)
    where starts.n <= greatest(lengths.name_length - 1, 1)
),

distinct_names as (
    select
        name_id,
        name,
        prefecture,
        count(*) as records_with_name
    from name_records
    group by name_id, name, prefecture
),

comparable_names as (
    select
        name_id,
        name,
        prefecture,
        records_with_name,
        length(name) as name_length,
        -- once per name, not once per pair: the pairs outnumber the names several times
        {{ kanji_skeleton('name') }} as name_kanji
    from distinct_names
),

-- a bigram that occurs twice in one name gives two rows: harmless, ranks and pairs are de-duplicated
name_bigrams as (
    select
        comparable_names.name_id,
        comparable_names.prefecture,
        comparable_names.name_length,
        comparable_names.records_with_name,
        substring(comparable_names.name, bigram_positions.n, 2) as bigram
    from comparable_names
    inner join bigram_positions
        on least(comparable_names.name_length, {{ max_name_length }}) = bigram_positions.name_length
),

-- how many records of the prefecture carry the bigram in a name: the size of the block it would key
bigram_frequency as (
    select
        prefecture,
        bigram,
        sum(records_with_name) as bigram_occurrences
    from name_bigrams
    group by prefecture, bigram
),

-- each name's rarest bigrams are its blocking keys; a bigram shared by too many records (ソフ, シス …)
-- says nothing about identity and would make blocks quadratic, so it is not a key; a bigram no other
-- record has (often the typo itself) cannot pair the name with anything, so it is skipped too
blocking_keys as (
    select
        name_bigrams.name_id,
        name_bigrams.prefecture,
        name_bigrams.bigram,
        name_bigrams.name_length,
        dense_rank() over (
            partition by name_bigrams.name_id
            order by bigram_frequency.bigram_occurrences, name_bigrams.bigram
        ) as rarity_rank
    from name_bigrams
    inner join bigram_frequency
        on
            name_bigrams.prefecture = bigram_frequency.prefecture
            and name_bigrams.bigram = bigram_frequency.bigram
    where bigram_frequency.bigram_occurrences between 2 and {{ var('fuzzy_max_block_size') }}
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
            and blocking_keys.name_id != name_bigrams.name_id
    where
        blocking_keys.rarity_rank <= {{ var('fuzzy_blocking_keys_per_name') }}
        and cast(least(blocking_keys.name_length, name_bigrams.name_length) as {{ dbt.type_float() }})
        >= {{ min_length_ratio }} * greatest(blocking_keys.name_length, name_bigrams.name_length)
),

candidate_name_pairs as (
    select distinct
        least(key_name_id, other_name_id) as name_id_a,
        greatest(key_name_id, other_name_id) as name_id_b
    from key_matches
),

scored_names as (
    select
        candidate_name_pairs.name_id_a,
        candidate_name_pairs.name_id_b,
        {{ char_similarity('name_a.name', 'name_b.name') }} as similarity,
        name_a.name_kanji = name_b.name_kanji as kanji_agree
    from candidate_name_pairs
    inner join comparable_names as name_a on candidate_name_pairs.name_id_a = name_a.name_id
    inner join comparable_names as name_b on candidate_name_pairs.name_id_b = name_b.name_id
)

select * from scored_names
