{#- Regular expressions differ by engine (DuckDB needs the 'g' flag to replace every match; Spark
    replaces all by default and spells a match `rlike`). Models and macros use these wrappers. -#}

{% macro regex_matches(column, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'abm_analytics')(column, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(column, pattern) -%}
    ({{ column }} rlike '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regex_matches(column, pattern) -%}
    regexp_matches({{ column }}, '{{ pattern }}')
{%- endmacro %}


{% macro regex_replace_all(column, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'abm_analytics')(column, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(column, pattern, replacement) -%}
    regexp_replace({{ column }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}

{% macro duckdb__regex_replace_all(column, pattern, replacement) -%}
    regexp_replace({{ column }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}
