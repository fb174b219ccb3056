{#- Primary keys of contracted marts on DuckDB: declared in the contract, indexed in the published file
    only (scripts/published_copy.py adds each contract's key once the rows are in). In the build file a
    key is tested (unique + not_null) instead of indexed: dbt writes a contracted table as `create table
    (columns, constraints)` then `insert … select`, and with the PRIMARY KEY in the create DuckDB checks
    and indexes every row one by one — measured at 1M companies on fct_buying_committee (7.2 M rows):
    11.1–11.6 s to load with the key inline, 7.5 s with the key added after, 4.4 s without a key; a mart
    rebuilt every day would pay that index every day, and an in-place delete+insert pays it per row.
    Its columns keep the NOT NULL the key implies.
    Other adapters keep dbt's own rendering (no override for them). -#}
{% macro duckdb__get_table_columns_and_constraints() -%}
    {%- set keys = model['constraints'] | selectattr('type', 'equalto', 'primary_key') | list -%}
    {%- set key_columns = keys | map(attribute='columns') | sum(start=[]) -%}
    {#- a key column keeps the NOT NULL its primary key implies -#}
    {%- set columns = {} -%}
    {%- for name, column in model['columns'].items() -%}
        {%- set column = column.copy() -%}
        {%- if name in key_columns and 'not_null' not in (column.get('constraints') or []) | map(attribute='type') | list -%}
            {%- do column.update({'constraints': (column.get('constraints') or []) + [{'type': 'not_null'}]}) -%}
        {%- endif -%}
        {%- do columns.update({name: column}) -%}
    {%- endfor -%}
    {%- set raw_column_constraints = adapter.render_raw_columns_constraints(raw_columns=columns) -%}
    {%- set kept = model['constraints'] | rejectattr('type', 'equalto', 'primary_key') | list -%}
    {%- set raw_model_constraints = adapter.render_raw_model_constraints(raw_constraints=kept) -%}
    (
    {% for c in raw_column_constraints -%}
      {{ c }}{{ "," if not loop.last or raw_model_constraints }}
    {% endfor %}
    {% for c in raw_model_constraints -%}
        {{ c }}{{ "," if not loop.last }}
    {% endfor -%}
    )
{%- endmacro %}
