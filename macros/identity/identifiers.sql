{#- Company identifiers, normalized in portable SQL. Each returns an expression. -#}

{#- Full-width digits and dashes to ASCII, then hyphens, dashes and spaces removed. -#}
{% macro digits_only(column) -%}
    {{ regex_replace_all("translate(" ~ column ~ ", '０１２３４５６７８９－ー‐', '0123456789---')", '[-\\s　]', '') }}
{%- endmacro %}


{#- 法人番号 check: 13 digits, and the first digit equals 9 - (sum(Pn * Qn) mod 9), where Pn is the
    n-th digit of the 12-digit base counted from the right and Qn is 1 for odd n, 2 for even n. -#}
{% macro is_valid_corporate_number(cleaned) -%}
    (
        length({{ cleaned }}) = 13
        and {{ regex_matches(cleaned, '^[0-9]{13}$') }}
        and cast(substring({{ cleaned }}, 1, 1) as integer) = 9 - (
            (
                {%- for n in range(1, 13) %}
                {{ '+ ' if not loop.first }}cast(substring({{ cleaned }}, {{ 14 - n }}, 1) as integer) * {{ 1 if n % 2 == 1 else 2 }}
                {%- endfor %}
            ) % 9
        )
    )
{%- endmacro %}


{#- 'valid', 'invalid' or 'missing' for a raw 法人番号, from the raw text and its digits_only() form. The
    digits come in as a column computed once (a CTE before): the check digit reads them twelve times,
    and folding them again each time was most of base_crm__accounts' time outside Python. -#}
{% macro corporate_number_status(raw, digits) -%}
    case
        when {{ raw }} is null then 'missing'
        when {{ is_valid_corporate_number(digits) }} then 'valid'
        else 'invalid'
    end
{%- endmacro %}


{#- The 13-digit 法人番号 when valid, else null (invalid ones are kept raw and never matched on). -#}
{% macro clean_corporate_number(raw, digits) -%}
    case when {{ corporate_number_status(raw, digits) }} = 'valid' then {{ digits }} end
{%- endmacro %}


{#- 'valid', 'invalid' or 'missing' for a raw D-U-N-S number, from the raw text and its digits_only() form. -#}
{% macro duns_status(raw, digits) -%}
    case
        when {{ raw }} is null then 'missing'
        when {{ regex_matches(digits, '^[0-9]{9}$') }} then 'valid'
        else 'invalid'
    end
{%- endmacro %}


{% macro clean_duns_number(raw, digits) -%}
    case when {{ duns_status(raw, digits) }} = 'valid' then {{ digits }} end
{%- endmacro %}


{#- Host of a web site, URL or e-mail address: lower-cased, without scheme, user, path, query, port,
    leading "www." and trailing dot. -#}
{% macro url_host(column) -%}
    {%- set without_scheme = regex_replace_all('lower(trim(' ~ column ~ '))', '^[a-z][a-z0-9+.-]*://', '') -%}
    {%- set without_user = regex_replace_all(without_scheme, '^[^/?#]*@', '') -%}
    {%- set without_path = regex_replace_all(without_user, '[/?#:].*$', '') -%}
    nullif({{ regex_replace_all(without_path, '^www[0-9]*\\.|\\.$', '') }}, '')
{%- endmacro %}


{#- Registrable domain of a host: its public suffix by the Public Suffix List plus one label
    (mirax.co.jp, recruit.mirax.co.jp -> mirax.co.jp; jp.mirax.com -> mirax.com; aoba-seimitsu.tokyo.jp
    stays itself, as tokyo.jp is a suffix); null for a host that is itself a suffix. The list is the
    pinned Python package publicsuffixlist, registered as a function by the project's plugin (another
    adapter registers the same function: scripts/abm_dbt/domains.py). -#}
{% macro registrable_domain(host) -%}
    {{ return(adapter.dispatch('registrable_domain', 'abm_analytics')(host)) }}
{%- endmacro %}

{% macro default__registrable_domain(host) -%}
    abm_registrable_domain({{ host }})
{%- endmacro %}


{#- 'valid', 'free_mail', 'ip_address', 'invalid' or 'missing' for a host, given its registrable
    domain (registrable_domain(), computed once in a CTE before: it is a Python function). Only 'valid'
    domains identify a company. -#}
{% macro domain_status(host, registrable) -%}
    case
        when {{ host }} is null then 'missing'
        when {{ regex_matches(host, '^[0-9]+(\\.[0-9]+){3}$') }} or {{ host }} like '[%' then 'ip_address'
        when not {{ regex_matches(host, '^[a-z0-9-]+(\\.[a-z0-9-]+)+$') }} then 'invalid'
        when {{ host }} in (select domain from {{ ref('free_mail_domains') }})
            or {{ registrable }} in (select domain from {{ ref('free_mail_domains') }})
            then 'free_mail'
        when {{ registrable }} is null then 'invalid'
        else 'valid'
    end
{%- endmacro %}


{#- Normalized company name (see scripts/abm_dbt/normalize.py): NFKC, 旧字体 -> 新字体, case folded,
    legal forms removed wherever they stand, punctuation and spaces removed. Needs the Python
    function the project's dbt-duckdb plugin registers; another adapter registers its own UDF. -#}
{% macro normalize_company_name(column) -%}
    {{ return(adapter.dispatch('normalize_company_name', 'abm_analytics')(column)) }}
{%- endmacro %}

{% macro default__normalize_company_name(column) -%}
    abm_normalize_company_name({{ column }})
{%- endmacro %}


{#- Character-level similarity 0–1 (1 - Levenshtein / longer length), counted in characters. -#}
{% macro char_similarity(left, right) -%}
    {{ return(adapter.dispatch('char_similarity', 'abm_analytics')(left, right)) }}
{%- endmacro %}

{% macro default__char_similarity(left, right) -%}
    abm_char_similarity({{ left }}, {{ right }})
{%- endmacro %}


{#- The kanji of a name in order (ミラクス東和システム → 東和). Two names that differ in a kanji are two
    companies (大洋 and 太陽 are different words), however close the edit distance; typos and OCR
    slips show in kana. -#}
{% macro kanji_skeleton(column) -%}
    {{ return(adapter.dispatch('kanji_skeleton', 'abm_analytics')(column)) }}
{%- endmacro %}

{% macro default__kanji_skeleton(column) -%}
    {{ regex_replace_all(column, '[^\\p{IsHan}]', '') }}
{%- endmacro %}

{% macro duckdb__kanji_skeleton(column) -%}
    regexp_replace({{ column }}, '[^\p{Han}]', '', 'g')
{%- endmacro %}


{#- The version of a Python function whose results a model stores across runs (a fingerprint of its code
    and data; scripts/abm_dbt/functions.py FUNCTION_VERSIONS), as a text expression. -#}
{% macro function_version(function_name) -%}
    {{ return(adapter.dispatch('function_version', 'abm_analytics')(function_name)) }}
{%- endmacro %}

{% macro default__function_version(function_name) -%}
    abm_function_version('{{ function_name }}')
{%- endmacro %}
