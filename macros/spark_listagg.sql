{#- dbt.listagg on Spark: dbt-spark ignores the order by (collect_list keeps whatever order the
    shuffle delivered), so a list such as top_factors came out in a different order than on DuckDB.
    Here the values are collected with their sort key and sorted before they are joined. Supports the
    forms the project uses: `order by <expression> [asc|desc]`, with `distinct <measure>` when the
    list is ordered by the measure itself. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set is_distinct = measure.strip().lower().startswith('distinct ') -%}
    {%- set value = measure.strip()[9:] if is_distinct else measure.strip() -%}
    {%- set collect = 'collect_set' if is_distinct else 'collect_list' -%}
    {%- if order_by_clause -%}
        {%- set words = order_by_clause.strip().split() -%}
        {%- if words[:2] | map('lower') | list != ['order', 'by'] or ',' in order_by_clause -%}
            {{ exceptions.raise_compiler_error("spark__listagg: only 'order by <expression> [asc|desc]' is supported, got: " ~ order_by_clause) }}
        {%- endif -%}
        {%- set descending = words[-1] | lower == 'desc' -%}
        {%- set key = (words[2:-1] if words[-1] | lower in ('asc', 'desc') else words[2:]) | join(' ') -%}
        {%- if is_distinct and key != value -%}
            {{ exceptions.raise_compiler_error("spark__listagg: a distinct list can only be ordered by its own values") }}
        {%- endif -%}
        {%- set sorted -%}
            transform(
                array_sort({{ collect }}(named_struct('k', {{ key }}, 'v', {{ value }}))),
                entry -> entry.v
            )
        {%- endset -%}
        {%- if descending -%}{%- set sorted = 'reverse(' ~ sorted ~ ')' -%}{%- endif -%}
    {%- else -%}
        {%- set sorted = collect ~ '(' ~ value ~ ')' -%}
    {%- endif -%}
    {%- set collected = 'slice(' ~ sorted ~ ', 1, ' ~ limit_num ~ ')' if limit_num else sorted -%}
    array_join({{ collected }}, {{ delimiter_text }})
{%- endmacro %}
