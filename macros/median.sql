{#- Median of a numeric column as an aggregate, exact on every engine (the mean of the two middle
    values for an even count). Spark's percentile_approx returns a member of the column (21 for
    20, 21, 24, 25 where DuckDB says 22.5); percentile(…, 0.5) is exact (checked on Spark 4.0.1). -#}
{% macro median(column) -%}
    {{ return(adapter.dispatch('median', 'abm_analytics')(column)) }}
{%- endmacro %}

{% macro default__median(column) -%}
    percentile_cont(0.5) within group (order by {{ column }})
{%- endmacro %}

{% macro duckdb__median(column) -%}
    median({{ column }})
{%- endmacro %}

{% macro spark__median(column) -%}
    percentile({{ column }}, 0.5)
{%- endmacro %}
