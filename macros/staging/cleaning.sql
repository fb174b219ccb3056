{#- Text cleaning and safe casts used by every staging model. Each is dispatched so another
    adapter (Spark, Databricks, ...) needs one more implementation, not a rewrite. -#}

{#- Trim ASCII and full-width (U+3000, '　') spaces; blank becomes null. -#}
{% macro clean_text(column) -%}
    nullif({{ regex_replace_all(column, '^[\\s　]+|[\\s　]+$', '') }}, '')
{%- endmacro %}


{#- Timestamp from the formats Japanese and English exports use; null when none parses. -#}
{% macro safe_cast_timestamp(column) -%}
    {{ return(adapter.dispatch('safe_cast_timestamp', 'abm_analytics')(column)) }}
{%- endmacro %}

{% macro default__safe_cast_timestamp(column) -%}
    coalesce(
        try_to_timestamp({{ clean_text(column) }}, 'yyyy-MM-dd HH:mm:ss'),
        try_to_timestamp({{ clean_text(column) }}, 'yyyy/MM/dd HH:mm'),
        try_to_timestamp({{ clean_text(column) }}, 'yyyy-MM-dd')
    )
{%- endmacro %}

{% macro duckdb__safe_cast_timestamp(column) -%}
    try_strptime(
        {{ clean_text(column) }},
        [
            '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M',
            '%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y-%m-%d', '%Y/%m/%d'
        ]
    )
{%- endmacro %}


{% macro safe_cast_date(column) -%}
    cast({{ safe_cast_timestamp(column) }} as date)
{%- endmacro %}


{#- Number from text: thousands separators and full-width digits tolerated; null when not a number. -#}
{% macro safe_cast_number(column, data_type) -%}
    {{ return(adapter.dispatch('safe_cast_number', 'abm_analytics')(column, data_type)) }}
{%- endmacro %}

{% macro default__safe_cast_number(column, data_type) -%}
    try_cast(
        replace(translate({{ clean_text(column) }}, '０１２３４５６７８９－，', '0123456789-,'), ',', '')
        as {{ data_type }}
    )
{%- endmacro %}


{% macro safe_cast_boolean(column) -%}
    case
        when lower({{ clean_text(column) }}) in ('true', 't', '1', 'yes', 'y', 'はい', '可') then true
        when lower({{ clean_text(column) }}) in ('false', 'f', '0', 'no', 'n', 'いいえ', '不可') then false
    end
{%- endmacro %}


{#- The first failing rule names why a row is quarantined; null means the row is clean.
    `rules` is a list of (condition, reason_code) pairs, checked in order. -#}
{% macro quarantine_reason(rules) -%}
    case
        {%- for condition, reason in rules %}
        when {{ condition }} then '{{ reason }}'
        {%- endfor %}
    end
{%- endmacro %}
