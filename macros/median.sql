{#- Median of a numeric column as an aggregate. DuckDB has median(); engines without it (Spark,
    Databricks) get percentile_approx through another adapter's macro. -#}
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
    percentile_approx({{ column }}, 0.5)
{%- endmacro %}
