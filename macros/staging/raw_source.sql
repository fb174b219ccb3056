{#- Where the raw tables come from: the one switch between the two source modes.

    var abm_source_mode:
      files  (default) the project's dbt-duckdb plugin reads $ABM_RAW_DIR/<table>.parquet|csv and
             lands each file in the schema var('abm_raw_schema') (on-run-start hook land_raw_files);
      tables the tables already exist in the warehouse (Fivetran, Airbyte, your own jobs) at
             var('abm_raw_database').var('abm_raw_schema'), named by var('abm_raw_identifiers');
             nothing is loaded or dropped. An optional table you do not have is switched off with
             var abm_<table>_enabled: false and reads as zero rows.
    Either way the base models see the contract's columns as text plus the lineage columns
    _source_row_number and _source_file, so staging types, cleans and quarantines them the same way. -#}

{% macro abm_source_mode() -%}
    {%- set mode = var('abm_source_mode', 'files') -%}
    {%- if mode not in ('files', 'tables') -%}
        {{ exceptions.raise_compiler_error(
            "var abm_source_mode is '" ~ mode ~ "'; use 'files' (raw files in ABM_RAW_DIR) or "
            ~ "'tables' (raw tables already in the warehouse)") }}
    {%- endif -%}
    {{ return(mode) }}
{%- endmacro %}


{% macro raw_table_enabled(table_name) -%}
    {{ return(var('abm_' ~ table_name ~ '_enabled', true) in (true, 'true', 'True')) }}
{%- endmacro %}


{#- What a base model selects from: `select * from {{ raw_source('crm_accounts') }}`. -#}
{% macro raw_source(table_name) -%}
    {%- set relation = source('raw', table_name) -%}
    {%- if not execute or abm_source_mode() == 'files' or model.resource_type == 'unit_test' -%}
        {#- files: the landed table already has the contract's shape; unit tests: the fixture has -#}
        {{ return(relation) }}
    {%- endif -%}
    {%- set node = graph.sources['source.abm_analytics.raw.' ~ table_name] -%}
    {%- set contract_columns = node.columns.values() | list -%}
    {%- set required_table = not node.meta.get('optional', false) -%}
    {%- if not raw_table_enabled(table_name) -%}
        {%- if required_table -%}
            {{ exceptions.raise_compiler_error(
                "raw table '" ~ table_name ~ "' is required: var abm_" ~ table_name ~ "_enabled cannot be false") }}
        {%- endif -%}
        {{ return(raw_source_empty(table_name, contract_columns)) }}
    {%- endif -%}
    {%- set found = adapter.get_relation(database=relation.database, schema=relation.schema,
                                         identifier=relation.identifier) -%}
    {%- if found is none -%}
        {{ exceptions.raise_compiler_error(
            "raw table '" ~ table_name ~ "': " ~ relation ~ " does not exist (abm_source_mode: tables). "
            ~ "Load it, point vars abm_raw_database / abm_raw_schema / abm_raw_identifiers at it"
            ~ ("" if required_table else ", or set var abm_" ~ table_name ~ "_enabled: false")) }}
    {%- endif -%}
    {%- set present = {} -%}
    {%- for column in adapter.get_columns_in_relation(found) -%}
        {%- do present.update({column.name | lower: column.name}) -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for column in contract_columns
            if column.name not in present and not column.meta.get('optional', false) -%}
        {%- do missing.append(column.name) -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            "raw table '" ~ table_name ~ "' (" ~ found ~ "): missing required column(s) " ~ missing | join(', ')
            ~ "; the table has " ~ present.values() | join(', ')) }}
    {%- endif -%}
    {{ return(raw_source_as_text(table_name, found, contract_columns, present)) }}
{%- endmacro %}


{#- A warehouse table as the contract's text columns: typed columns (timestamps, numbers, booleans)
    become their text form, which staging parses like a file's. -#}
{% macro raw_source_as_text(table_name, relation, contract_columns, present) -%}
    (
        select
            {%- for column in contract_columns %}
            {%- if column.name in present %}
            cast({{ adapter.quote(present[column.name]) }} as {{ dbt.type_string() }}) as {{ column.name }},
            {%- else %}
            cast(null as {{ dbt.type_string() }}) as {{ column.name }},
            {%- endif %}
            {%- endfor %}
            row_number() over (order by 1) as _source_row_number,
            '{{ relation.render() | replace("'", "''") }}' as _source_file
        from {{ relation }}
    ) as raw_{{ table_name }}
{%- endmacro %}


{#- A switched-off optional table: zero rows with the contract's columns. -#}
{% macro raw_source_empty(table_name, contract_columns) -%}
    (
        select
            {%- for column in contract_columns %}
            cast(null as {{ dbt.type_string() }}) as {{ column.name }},
            {%- endfor %}
            cast(null as {{ dbt.type_bigint() }}) as _source_row_number,
            cast(null as {{ dbt.type_string() }}) as _source_file
        where 1 = 0
    ) as raw_{{ table_name }}
{%- endmacro %}
