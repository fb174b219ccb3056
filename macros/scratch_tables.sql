{#- Scratch tables: intermediate tables that every run rebuilds from scratch and that only the next
    models of the same run read (they are never published: refresh.py copies the marts alone). On
    DuckDB their blocks are written uncompressed — compressing 2 M rows of text costs about a third
    of the time of a model such as int_company_records_numbered at a million companies, and nothing
    reads them often enough to win it back. Set around each such model by a pre-hook and taken back
    by a post-hook (folder config in dbt_project.yml); incremental models keep their history
    compressed, and Python models (dbt-duckdb writes their result apart from the hooks' session state) are left alone. Other adapters: no hook (empty statements are skipped). -#}
{% macro scratch_table_begin() -%}
    {%- if config.get('materialized') == 'table' and model.language == 'sql' -%}
        {{ return(adapter.dispatch('scratch_table_begin', 'abm_analytics')()) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__scratch_table_begin() -%}{%- endmacro %}

{% macro duckdb__scratch_table_begin() -%}
    set force_compression = 'uncompressed'
{%- endmacro %}


{% macro scratch_table_end() -%}
    {%- if config.get('materialized') == 'table' and model.language == 'sql' -%}
        {{ return(adapter.dispatch('scratch_table_end', 'abm_analytics')()) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__scratch_table_end() -%}{%- endmacro %}

{% macro duckdb__scratch_table_end() -%}
    reset force_compression
{%- endmacro %}
