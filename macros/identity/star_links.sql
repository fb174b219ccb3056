{#- Links for one deterministic key: every record of a key group is linked to the group's first
    record (a star, so the cost is linear in the group size, not quadratic). A group whose records
    carry more than one valid 法人番号 (or, with `veto_domains` / `veto_prefectures`, more than one
    domain / prefecture) is ambiguous and links nothing: a valid conflicting 法人番号 vetoes a merge.
    `keyed_cte` has columns record_number, key_value, corporate_number, domain, prefecture; a link is
    (record_number_from, record_number_to, match_rule, match_score), one per record and key group. -#}
{% macro star_links(keyed_cte, rule, veto_domains=false, veto_prefectures=false) -%}
    select
        keyed.record_number as record_number_from,
        groups.anchor_record_number as record_number_to,
        '{{ rule }}' as match_rule,
        cast(1.0 as {{ type_double() }}) as match_score
    from {{ keyed_cte }} as keyed
    inner join (
        select
            key_value,
            min(record_number) as anchor_record_number,
            {#- at most one distinct value ⇔ min = max (or none at all): far cheaper than count(distinct).
                A valid 法人番号 is 13 digits (checked in staging): compared as a number, cheaper than text #}
            coalesce(
                min(cast(corporate_number as {{ dbt.type_bigint() }})) = max(cast(corporate_number as {{ dbt.type_bigint() }})),
                true
            ) as has_one_corporate_number,
            coalesce(min(domain) = max(domain), true) as has_one_domain,
            coalesce(min(prefecture) = max(prefecture), true) as has_one_prefecture
        from {{ keyed_cte }}
        group by key_value
    ) as groups
        on keyed.key_value = groups.key_value
    where
        keyed.record_number != groups.anchor_record_number
        and groups.has_one_corporate_number
        {%- if veto_domains %}
        and groups.has_one_domain
        {%- endif %}
        {%- if veto_prefectures %}
        and groups.has_one_prefecture
        {%- endif %}
{%- endmacro %}
