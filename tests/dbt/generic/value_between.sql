{#- Fails with the rows whose value lies outside [min_value, max_value] (nulls pass; test them with not_null). -#}
{% test value_between(model, column_name, min_value=none, max_value=none) %}

select * from {{ model }}
where
    {% if min_value is not none %}{{ column_name }} < {{ min_value }}{% else %}false{% endif %}
    or {% if max_value is not none %}{{ column_name }} > {{ max_value }}{% else %}false{% endif %}

{% endtest %}
