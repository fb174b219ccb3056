{#- Regular expressions differ by engine (DuckDB needs the 'g' flag to replace every match; Spark
    replaces all by default and spells a match `rlike`). Models and macros use these wrappers.
    String literals differ too: Spark, Databricks, Snowflake and BigQuery read a backslash in '…' as an
    escape ('\s' arrives as 's', '\.' as '.'), DuckDB and Postgres keep it. So the default
    implementations write every backslash twice: a pattern reaches the regex engine as written
    (checked against Spark 4.0.1: README, Spark). -#}

{#- A pattern as a string literal for engines that read backslash escapes in '…'. -#}
{% macro escaped_string_literal(text) -%}
    '{{ text | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}

{#- The same for engines with standard string literals (DuckDB, Postgres): quotes doubled. -#}
{% macro standard_string_literal(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}

{% macro regex_matches(column, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'abm_analytics')(column, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(column, pattern) -%}
    ({{ column }} rlike {{ escaped_string_literal(pattern) }})
{%- endmacro %}

{% macro duckdb__regex_matches(column, pattern) -%}
    regexp_matches({{ column }}, {{ standard_string_literal(pattern) }})
{%- endmacro %}


{% macro regex_replace_all(column, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'abm_analytics')(column, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(column, pattern, replacement) -%}
    regexp_replace({{ column }}, {{ escaped_string_literal(pattern) }}, {{ escaped_string_literal(replacement) }})
{%- endmacro %}

{% macro duckdb__regex_replace_all(column, pattern, replacement) -%}
    regexp_replace({{ column }}, {{ standard_string_literal(pattern) }}, {{ standard_string_literal(replacement) }}, 'g')
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
