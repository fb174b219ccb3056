{#- The text a department name is looked up by in seed department_aliases: trimmed, lower-case
    (情報システム部 and "IT Department" then map to one department). -#}
{% macro department_key(column) -%}
    lower(trim({{ column }}))
{%- endmacro %}

{#- The canonical department of a looked-up name: the seed's, else the trimmed text, else '(unknown)'. -#}
{% macro canonical_department(alias_column, raw_column) -%}
    coalesce({{ alias_column }}, nullif(trim({{ raw_column }}), ''), '(unknown)')
{%- endmacro %}
