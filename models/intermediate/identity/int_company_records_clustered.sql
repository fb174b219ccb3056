-- Company records grouped into clusters (one cluster = one company), by record key, with the
-- strongest rule that tied each record there. The link models and int_company_records_connected
-- work on record numbers; this is where the result is mapped back to keys, once. Rule strength:
-- corporate_number > duns_number > crm_account_link > domain > exact_name > exact_name_and_industry
-- > same_person_email > name_at_office_prefecture > fuzzy_name; 'singleton' when no link touches it.
{%- set rules_by_strength = [
    'corporate_number', 'duns_number', 'crm_account_link', 'domain', 'exact_name',
    'exact_name_and_industry', 'same_person_email', 'name_at_office_prefecture', 'fuzzy_name',
] %}
with

numbered as (
    select * from {{ ref('int_company_records_numbered') }}
),

connected as (
    select * from {{ ref('int_company_records_connected') }}
),

links as (
    select * from {{ ref('int_company_records_linked') }}
),

link_ends as (
    select
        record_number_from as record_number,
        match_rule,
        match_score
    from links
    union all
    select
        record_number_to as record_number,
        match_rule,
        match_score
    from links
),

-- one aggregate per record, not a ranking of its links: deterministic rules score 1.0 (tested on
-- int_company_records_linked), so the score is the best fuzzy similarity when fuzzy_name is the
-- strongest rule a record has, and 1.0 otherwise
strongest_links as (
    select
        record_number,
        min(
            case match_rule
                {% for rule in rules_by_strength -%}
                when '{{ rule }}' then {{ loop.index }}
                {% endfor -%}
            end
        ) as rule_strength,
        max(case when match_rule = 'fuzzy_name' then match_score end) as best_fuzzy_score
    from link_ends
    group by record_number
),

strongest_rules as (
    select
        record_number,
        case rule_strength
            {% for rule in rules_by_strength -%}
            when {{ loop.index }} then '{{ rule }}'
            {% endfor -%}
        end as match_rule,
        case
            when rule_strength = {{ rules_by_strength | length }} then best_fuzzy_score
            else cast(1.0 as {{ type_double() }})
        end as match_score
    from strongest_links
),

clustered as (
    select
        record.record_key,
        cluster_record.record_key as cluster_key,
        connected.was_split_by_corporate_number,
        coalesce(strongest_rules.match_rule, 'singleton') as match_rule,
        coalesce(strongest_rules.match_score, 1.0) as match_score
    from connected
    inner join numbered as record on connected.record_number = record.record_number
    inner join numbered as cluster_record on connected.cluster_number = cluster_record.record_number
    left join strongest_rules on connected.record_number = strongest_rules.record_number
)

select * from clustered
