-- Company records grouped into clusters (one cluster = one company), by record key, with the
-- strongest rule that tied each record there. The link models and int_company_records_connected
-- work on record numbers; this is where the result is mapped back to keys, once. Rule strength:
-- corporate_number > duns_number > crm_account_link > domain > exact_name (and industry) >
-- same_person_email > name_at_office_prefecture > fuzzy_name; 'singleton' when no link touches it.
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

ranked_links as (
    select
        record_number,
        match_rule,
        match_score,
        row_number() over (
            partition by record_number
            order by
                case match_rule
                    when 'corporate_number' then 1
                    when 'duns_number' then 2
                    when 'crm_account_link' then 3
                    when 'domain' then 4
                    when 'exact_name' then 5
                    when 'exact_name_and_industry' then 5
                    when 'same_person_email' then 6
                    when 'name_at_office_prefecture' then 7
                    else 8
                end asc,
                match_score desc
        ) as rule_rank
    from link_ends
),

strongest_links as (
    select * from ranked_links
    where rule_rank = 1
),

clustered as (
    select
        record.record_key,
        cluster_record.record_key as cluster_key,
        component_record.record_key as component_key,
        connected.was_split_by_corporate_number,
        coalesce(strongest_links.match_rule, 'singleton') as match_rule,
        coalesce(strongest_links.match_score, 1.0) as match_score
    from connected
    inner join numbered as record on connected.record_number = record.record_number
    inner join numbered as cluster_record on connected.cluster_number = cluster_record.record_number
    inner join numbered as component_record on connected.component_number = component_record.record_number
    left join strongest_links on connected.record_number = strongest_links.record_number
)

select * from clustered
