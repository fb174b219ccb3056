{#- A 64-bit hash of the given columns taken together (null-safe), or none where the engine has no such
    function: then callers compare the columns themselves. Used to find repeated keys cheaply. -#}
{% macro key_hash(columns) -%}
    {{ return(adapter.dispatch('key_hash', 'abm_analytics')(columns)) }}
{%- endmacro %}

{% macro default__key_hash(columns) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro duckdb__key_hash(columns) -%}
    {{ return('hash(' ~ (columns | join(', ')) ~ ')') }}
{%- endmacro %}

{% macro spark__key_hash(columns) -%}
    {{ return('xxhash64(' ~ (columns | join(', ')) ~ ')') }}
{%- endmacro %}
