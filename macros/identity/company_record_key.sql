{#- The key of a company record across sources: '<raw table>:<source system>:<record id>'. One
    definition, so contracts, targets and contacts find the record identity resolution clustered. -#}
{% macro company_record_key(source_table, source_system, source_record_id) -%}
    {{ source_table }} || ':' || {{ source_system }} || ':' || {{ source_record_id }}
{%- endmacro %}
