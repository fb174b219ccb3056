-- Candidate pairs of distinct company names for fuzzy matching, with their character similarity
-- (one row per pair of name ids, a < b). Blocking: each name is compared only with names sharing
-- one of its rarest character q-grams (q = var fuzzy_blocking_gram_length) in its prefecture, so
-- the number of comparisons grows with the data, not with its square. Only pairs in the review band
-- (fuzzy_name_threshold − fuzzy_review_margin) are kept; those that end in the same common business
-- word (int_company_name_endings_counted) are also scored on their stems, what precedes that word:
-- where two names differ decides whether they are one company.
{%- set max_name_length = 80 %}
{%- set q = var('fuzzy_blocking_gram_length') %}
{#- similarity = 1 − distance ÷ longer length, and the distance is at least the difference in
    length: names whose lengths alone keep them below the review band are never candidates -#}
{%- set review_band_floor = var('fuzzy_name_threshold') - var('fuzzy_review_margin') %}
{%- set min_length_ratio = review_band_floor %}
with

record_names as (
    select * from {{ ref('int_company_record_names') }}
),

common_endings as (
    select * from {{ ref('int_company_name_endings_counted') }}
),

-- the names fuzzy matching compares (a prefecture to block in, long enough)
name_records as (
    select
        name_id,
        record_number,
        name,
        comparison_prefecture as prefecture
    from record_names
    where is_compared_fuzzily
),

-- where each q-gram of a name of a given length starts (length L: 1 … L − q + 1; a name shorter
-- than q is one gram): an equi-join on the length, not a range join; names longer than
-- max_name_length use their first grams only
gram_positions as (
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
    where starts.n <= greatest(lengths.name_length - {{ q }} + 1, 1)
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
        length(name) as name_length
    from distinct_names
),

-- a gram that occurs twice in one name gives two rows: harmless, ranks and pairs are de-duplicated.
-- The grams of every name (20 M rows at 1M companies) are generated twice, once to count them and
-- once to find the rare ones among them: generating them is cheaper than storing them for a
-- second read (4.4 s against 6.2 s for this model at 1M)
{%- set name_grams_select -%}
    select
        comparable_names.name_id,
        comparable_names.prefecture,
        comparable_names.name_length,
        comparable_names.records_with_name,
        substring(comparable_names.name, gram_positions.n, {{ q }}) as gram,
        gram_positions.n as gram_start
    from comparable_names
    inner join gram_positions
        on least(comparable_names.name_length, {{ max_name_length }}) = gram_positions.name_length
{%- endset %}
counted_grams as (
    {{ name_grams_select }}
),

name_grams as (
    {{ name_grams_select }}
),

-- how many records of the prefecture carry the gram in a name (the size of the block it would key),
-- and whether more than one name has it
gram_frequency as (
    select
        prefecture,
        gram,
        sum(records_with_name) as gram_records,
        min(name_id) != max(name_id) as is_shared
    from counted_grams
    group by prefecture, gram
),

-- the grams that can be blocking keys, wherever they occur. A gram shared by too many records (ソフ,
-- テクノ …) says nothing about identity and would make blocks quadratic, so it is not a key; nor is a
-- gram no other name has (often the typo itself, or a stem only this company's records carry): it
-- cannot pair the name with anything and would take a key's place. A name that holds a key holds it
-- here, so candidates are looked up among these few rows (3 % of all grams at 1M companies), not
-- among every gram
rare_name_grams as (
    select
        name_grams.name_id,
        name_grams.prefecture,
        name_grams.gram,
        name_grams.gram_start,
        name_grams.name_length,
        gram_frequency.gram_records
    from name_grams
    inner join gram_frequency
        on
            name_grams.prefecture = gram_frequency.prefecture
            and name_grams.gram = gram_frequency.gram
    where
        gram_frequency.is_shared
        and gram_frequency.gram_records <= {{ var('fuzzy_max_block_size') }}
),

-- each name's rarest grams are its blocking keys
blocking_keys as (
    select
        name_id,
        prefecture,
        gram,
        gram_start,
        name_length,
        dense_rank() over (
            partition by name_id
            order by gram_records, gram
        ) as rarity_rank
    from rare_name_grams
),

-- a pair is a candidate when one name's rare key occurs in the other name where an alignment within
-- the review band can put it: two names that similar differ in at most (1 − floor) × the longer
-- length characters, so neither their lengths nor the key's positions differ by more
key_matches as (
    select
        blocking_keys.name_id as key_name_id,
        rare_name_grams.name_id as other_name_id
    from blocking_keys
    inner join rare_name_grams
        on
            blocking_keys.prefecture = rare_name_grams.prefecture
            and blocking_keys.gram = rare_name_grams.gram
            and blocking_keys.name_id != rare_name_grams.name_id
    where
        blocking_keys.rarity_rank <= {{ var('fuzzy_blocking_keys_per_name') }}
        and cast(least(blocking_keys.name_length, rare_name_grams.name_length) as {{ type_double() }})
        >= {{ min_length_ratio }} * greatest(blocking_keys.name_length, rare_name_grams.name_length)
        and abs(blocking_keys.gram_start - rare_name_grams.gram_start)
        <= {{ 1 - review_band_floor }} * greatest(blocking_keys.name_length, rare_name_grams.name_length)
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
        {{ char_similarity('name_a.name', 'name_b.name') }} as similarity
    from candidate_name_pairs
    inner join comparable_names as name_a on candidate_name_pairs.name_id_a = name_a.name_id
    inner join comparable_names as name_b on candidate_name_pairs.name_id_b = name_b.name_id
),

-- only pairs that can be linked or reviewed are kept: most candidates share a rare bigram and
-- little else, and the kanji and stems below are worked out for these names alone
banded_pairs as (
    select
        name_id_a,
        name_id_b,
        similarity
    from scored_names
    where similarity >= {{ review_band_floor }}
),

banded_names as (
    select
        comparable_names.name_id,
        comparable_names.name,
        comparable_names.name_length,
        -- once per name, not once per pair
        {{ kanji_skeleton('comparable_names.name') }} as name_kanji
    from comparable_names
    where
        comparable_names.name_id in (select banded_pairs.name_id_a from banded_pairs)
        or comparable_names.name_id in (select banded_pairs.name_id_b from banded_pairs)
),

ending_lengths as (
    select distinct ending_length from common_endings
),

-- each banded name's longest common ending (names with none have no row)
longest_endings as (
    select
        banded_names.name_id,
        max(common_endings.ending_length) as ending_length
    from banded_names
    inner join ending_lengths on banded_names.name_length > ending_lengths.ending_length
    inner join common_endings
        on
            ending_lengths.ending_length = common_endings.ending_length
            and {{ dbt.right('banded_names.name', 'ending_lengths.ending_length') }} = common_endings.ending
    group by banded_names.name_id
),

-- a name's stem and ending, where it has a common ending
name_parts as (
    select
        banded_names.name_id,
        banded_names.name_kanji,
        {{ dbt.right('banded_names.name', 'longest_endings.ending_length') }} as ending,
        substring(banded_names.name, 1, banded_names.name_length - longest_endings.ending_length) as stem
    from banded_names
    left join longest_endings on banded_names.name_id = longest_endings.name_id
),

-- two names that end in the same common word are also compared on their stems; names with
-- different endings (or none) differ outside a business word, which the whole-name similarity weighs
compared_pairs as (
    select
        banded_pairs.name_id_a,
        banded_pairs.name_id_b,
        banded_pairs.similarity,
        name_a.name_kanji = name_b.name_kanji as kanji_agree,
        case
            when name_a.ending = name_b.ending
                then {{ char_similarity('name_a.stem', 'name_b.stem') }}
        end as stem_similarity
    from banded_pairs
    inner join name_parts as name_a on banded_pairs.name_id_a = name_a.name_id
    inner join name_parts as name_b on banded_pairs.name_id_b = name_b.name_id
)

select * from compared_pairs
