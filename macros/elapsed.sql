{#- Hours elapsed between two timestamps, fractions of a second included. dbt.datediff counts unit
    boundaries crossed on DuckDB (10:00:59 → 10:01:00 is one minute) and whole units elapsed on Spark
    (none): the same figure differed by a minute in a third of the rows. Seconds since the epoch are
    the same on every engine. -#}
{% macro hours_between(start_timestamp, end_timestamp) -%}
    (({{ epoch_seconds(end_timestamp) }} - {{ epoch_seconds(start_timestamp) }}) / 3600.0)
{%- endmacro %}

{#- Seconds since 1970-01-01 as a double, with the fraction. -#}
{% macro epoch_seconds(timestamp) -%}
    {{ return(adapter.dispatch('epoch_seconds', 'abm_analytics')(timestamp)) }}
{%- endmacro %}

{#- Spark, Databricks: a timestamp cast to double is its epoch seconds. -#}
{% macro default__epoch_seconds(timestamp) -%}
    cast({{ timestamp }} as double)
{%- endmacro %}

{% macro duckdb__epoch_seconds(timestamp) -%}
    epoch({{ timestamp }})
{%- endmacro %}
