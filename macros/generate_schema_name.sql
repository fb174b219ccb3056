{#- Schemas are named by layer (vars abm_staging_schema … abm_snapshots_schema: staging, intermediate,
    marts, seeds, snapshots). Run as its own project they are used as they are, so BI tools find
    `marts.dim_accounts` whatever the target; installed as a package in another project they are
    prefixed with the target schema (`main_marts`), as dbt does by default, so the package never
    writes into a consumer's schemas of the same name. var abm_schema_prefix sets the prefix
    explicitly ('' for none). -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {%- set prefix = var('abm_schema_prefix', none) -%}
        {%- if prefix is none -%}
            {%- set prefix = '' if project_name == 'abm_analytics' else target.schema ~ '_' -%}
        {%- endif -%}
        {{ prefix ~ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
