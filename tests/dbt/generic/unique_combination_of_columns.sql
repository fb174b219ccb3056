{#- Fails with the duplicated key values when the columns together do not identify a row. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

key_counts as (
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
)

select * from key_counts
where row_count > 1

{% endtest %}
