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

{#- The formats DuckDB tries, in order. A format matches a whole string or not at all, so no string
    matches two of them and their order changes no result — only the time: each format that fails
    costs a try (at 1M companies the 4.3 M date-only intent signals took 6.3 s when the six date-time
    formats came first, 0.1 s when the date formats do). -#}
{% macro duckdb_timestamp_formats(dates_first=false) -%}
    {%- set date_times = ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M',
                          '%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M'] -%}
    {%- set dates = ['%Y-%m-%d', '%Y/%m/%d'] -%}
    {%- set formats = dates + date_times if dates_first else date_times + dates -%}
    [{% for format in formats %}'{{ format }}'{{ ', ' if not loop.last }}{% endfor %}]
{%- endmacro %}

{% macro duckdb__safe_cast_timestamp(column) -%}
    try_strptime({{ clean_text(column) }}, {{ duckdb_timestamp_formats() }})
{%- endmacro %}


{#- Date from the same formats; a date column mostly holds dates, so DuckDB tries those first. -#}
{% macro safe_cast_date(column) -%}
    {{ return(adapter.dispatch('safe_cast_date', 'abm_analytics')(column)) }}
{%- endmacro %}

{% macro default__safe_cast_date(column) -%}
    cast({{ safe_cast_timestamp(column) }} as date)
{%- endmacro %}

{% macro duckdb__safe_cast_date(column) -%}
    cast(try_strptime({{ clean_text(column) }}, {{ duckdb_timestamp_formats(dates_first=true) }}) as date)
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


{#- Unicode NFKC: full-width letters, digits and the ideographic space become their ASCII forms
    (ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ → taro@example.co.jp), half-width katakana become full-width. DuckDB
    uses the Python function the project's plugin registers; another adapter registers its own. -#}
{% macro nfkc(column) -%}
    {{ return(adapter.dispatch('nfkc', 'abm_analytics')(column)) }}
{%- endmacro %}

{% macro default__nfkc(column) -%}
    abm_nfkc({{ column }})
{%- endmacro %}


{#- An e-mail address as it can be delivered to: NFKC, lower case, every space (ASCII or
    full-width, also inside the address, as typed into forms) removed; blank becomes null. -#}
{% macro clean_email(column) -%}
    nullif(lower({{ regex_replace_all(nfkc(column), '[\\s　]+', '') }}), '')
{%- endmacro %}


{#- The address that identifies a person: the cleaned address with the sub-address tag dropped
    (taro+seminar@gmail.com → taro@gmail.com) and, where the provider ignores them, dots in the local
    part dropped — only for the providers of seed email_plus_addressing_domains, joined as
    `plus_alias` on the address's domain. -#}
{% macro email_person_key(cleaned_email, plus_alias) -%}
    case
        when {{ plus_alias }}.domain is null then {{ cleaned_email }}
        when {{ plus_alias }}.ignores_dots
            then replace(
                {{ dbt.split_part(dbt.split_part(cleaned_email, "'@'", 1), plus_alias ~ '.tag_separator', 1) }},
                '.', ''
            ) || '@' || {{ plus_alias }}.domain
        else {{ dbt.split_part(dbt.split_part(cleaned_email, "'@'", 1), plus_alias ~ '.tag_separator', 1) }}
            || '@' || {{ plus_alias }}.domain
    end
{%- endmacro %}


{#- The domain part of a cleaned e-mail address (what seed email_plus_addressing_domains is joined on). -#}
{% macro email_domain_part(cleaned_email) -%}
    {{ dbt.split_part(cleaned_email, "'@'", 2) }}
{%- endmacro %}


{#- A person's name for comparison, from its NFKC, lower-case form (`folded`): a romanised name's
    parts sorted (Taro Yamada = YAMADA Taro: romaji comes in either order), a Japanese name with its
    spaces removed (山田 太郎 = 山田　太郎 = 山田太郎: Japanese names are written surname first, with or
    without a space). -#}
{% macro person_name_key(folded) -%}
    case
        when {{ regex_matches(folded, '^[a-z .-]+$') }}
            then {{ sorted_name_parts(folded) }}
        else nullif(replace({{ folded }}, ' ', ''), '')
    end
{%- endmacro %}

{#- The space-separated parts of a text sorted and joined without spaces. -#}
{% macro sorted_name_parts(column) -%}
    {{ return(adapter.dispatch('sorted_name_parts', 'abm_analytics')(column)) }}
{%- endmacro %}

{% macro default__sorted_name_parts(column) -%}
    nullif(array_join(array_sort(split(trim({{ column }}), ' +')), ''), '')
{%- endmacro %}

{% macro duckdb__sorted_name_parts(column) -%}
    nullif(array_to_string(list_sort(string_split_regex(trim({{ column }}), ' +')), ''), '')
{%- endmacro %}


{#- Post-hook of base_identity__company_names: names normalized by an older version of the normalizer
    that today's files no longer carry are removed (those they carry were normalized again). -#}
{% macro delete_stale_company_names() -%}
    {%- if model.config.materialized == 'incremental' -%}
    delete from {{ this }}
    where normalizer_version is distinct from {{ function_version('abm_normalize_company_name') }}
    {%- endif -%}
{%- endmacro %}
