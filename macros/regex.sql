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


{#- Like regex_matches, for a pattern held in a column or expression (seed-driven rules). -#}
{% macro regex_matches_expression(column, pattern_expression) -%}
    {{ return(adapter.dispatch('regex_matches_expression', 'abm_analytics')(column, pattern_expression)) }}
{%- endmacro %}

{% macro default__regex_matches_expression(column, pattern_expression) -%}
    ({{ column }} rlike {{ pattern_expression }})
{%- endmacro %}

{% macro duckdb__regex_matches_expression(column, pattern_expression) -%}
    regexp_matches({{ column }}, {{ pattern_expression }})
{%- endmacro %}


{#- Weight of an event `age_days` old under exponential decay with the given half-life (days). -#}
{% macro decay_weight(age_days, half_life_days) -%}
    power(0.5, cast({{ age_days }} as double) / {{ half_life_days }})
{%- endmacro %}


{#- Map points ≥ 0 onto 0–100 with diminishing returns: `scale` points give 63, 3 × scale give 95. -#}
{% macro saturating_score(points, scale) -%}
    (100.0 * (1 - exp(-greatest(coalesce({{ points }}, 0), 0) / {{ scale }})))
{%- endmacro %}
