{#- on-run-start: the Python functions the models call (NFKC, character similarity, company-name
    normalization, Public Suffix List) are registered on each connection by the project's dbt-duckdb
    plugin. Without it in the profile every identity model would fail with "function does not exist";
    stop at the start instead, saying what to add. -#}
{% macro assert_abm_functions() -%}
    {{ return(adapter.dispatch('assert_abm_functions', 'abm_analytics')()) }}
{%- endmacro %}

{% macro default__assert_abm_functions() -%}
    select 1
{%- endmacro %}

{% macro duckdb__assert_abm_functions() -%}
    {%- set wanted = ['abm_char_similarity', 'abm_nfkc', 'abm_normalize_company_name', 'abm_registrable_domain',
                      'abm_function_version'] -%}
    {%- if execute and flags.WHICH in ('run', 'build', 'test', 'seed', 'snapshot') -%}
        {%- set found = run_query(
            "select distinct function_name from duckdb_functions() where function_name in ('"
            ~ wanted | join("', '") ~ "')").columns[0].values() | list -%}
        {%- set missing = wanted | reject('in', found) | list -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                "abm_analytics: the DuckDB functions " ~ missing | join(', ') ~ " are not registered. Add the "
                ~ "project's plugin to this target in profiles.yml:\n    plugins:\n      - module: abm_dbt.plugin\n"
                ~ "        alias: raw_files\nand install its Python package (pip install <path to abm_analytics>).") }}
        {%- endif -%}
    {%- endif -%}
    select 1
{%- endmacro %}
