{#- Fails with the duplicated key values when the columns together do not identify a row.
    Where the engine has a row hash (macro key_hash), the keys are first grouped by their hash — one
    integer instead of several columns, the cheap pass over a history table of tens of millions of rows
    — and only rows whose hash repeats are grouped by the columns themselves, so a hash collision is
    never reported as a duplicate.
    recorded_days_column (a key column holding the day): when the model recorded in this invocation
    which days it may have written (macro record_evaluated_days: a planned build appending to it), only
    the rows of those days are checked; otherwise every row. -#}
{% test unique_combination_of_columns(model, combination_of_columns, recorded_days_column=none) %}

{%- set columns = combination_of_columns | join(', ') -%}
{%- set hashed = key_hash(combination_of_columns) -%}
{%- set recorded_days = recorded_days_of(model) if recorded_days_column else none -%}
{#- a filter in each scan rather than a CTE read twice, which an engine may materialize whole -#}
{%- set checked = recorded_days_column ~ ' in (' ~ recorded_days ~ ')' if recorded_days else 'true' -%}

with

{% if hashed %}
repeated_hashes as (
    select {{ hashed }} as key_hash
    from {{ model }}
    where {{ checked }}
    group by {{ hashed }}
    having count(*) > 1
),

candidate_rows as (
    select {{ columns }}
    from {{ model }}
    where {{ checked }} and {{ hashed }} in (select repeated_hashes.key_hash from repeated_hashes)
),
{% else %}
candidate_rows as (
    select {{ columns }}
    from {{ model }}
    where {{ checked }}
),
{% endif %}

key_counts as (
    select
        {{ columns }},
        count(*) as row_count
    from candidate_rows
    group by {{ columns }}
)

select * from key_counts
where row_count > 1

{% endtest %}
