-- The common endings of company names (one row per ending): the business words (ホールディングス,
-- 情報サービス, システム, solutions …) that so many names end with that they say nothing about which
-- company a name means, learned from the names themselves rather than listed. An ending of 2 …
-- fuzzy_max_ending_length characters is common when at least fuzzy_common_ending_min_share of the
-- distinct compared names carry it (and always at least two). int_company_name_pairs_scored compares
-- two names with the same common ending on what precedes it as well.
{%- set max_ending_length = var('fuzzy_max_ending_length') %}
with

record_names as (
    select * from {{ ref('int_company_record_names') }}
),

-- each spelling counts once, however many records or prefectures carry it
distinct_names as (
    select distinct name
    from record_names
    where is_compared_fuzzily
),

name_count as (
    select count(*) as names from distinct_names
),

ending_lengths as (
    select lengths.ending_length
    from (
        values
        {% for n in range(2, max_ending_length + 1) -%}
        ({{ n }}){{ ',' if not loop.last }}
        {% endfor %}
    ) as lengths (ending_length)
),

-- an ending is shorter than the name: a whole name is a stem, never a business word
name_endings as (
    select
        {{ dbt.right('distinct_names.name', 'ending_lengths.ending_length') }} as ending,
        ending_lengths.ending_length
    from distinct_names
    inner join ending_lengths on length(distinct_names.name) > ending_lengths.ending_length
),

counted_endings as (
    select
        ending,
        ending_length,
        count(*) as names_with_ending
    from name_endings
    group by ending, ending_length
),

common_endings as (
    select
        counted_endings.ending,
        counted_endings.ending_length,
        counted_endings.names_with_ending,
        cast(counted_endings.names_with_ending as {{ type_double() }}) / name_count.names as share_of_names
    from counted_endings
    cross join name_count
    where
        counted_endings.names_with_ending >= 2
        and counted_endings.names_with_ending >= {{ var('fuzzy_common_ending_min_share') }} * name_count.names
)

select * from common_endings
