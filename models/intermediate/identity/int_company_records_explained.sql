-- Every clustered record with its account and the strongest rule that tied it there (one row per
-- record_key): corporate_number > duns_number > crm_account_link > domain > exact_name (and industry) >
-- same_person_email >
-- name_at_office_prefecture > fuzzy_name;
-- 'singleton' when no link touches it.
with

account_ids as (
    select * from {{ ref('int_account_ids_assigned') }}
),

links as (
    select * from {{ ref('int_company_records_linked') }}
),

link_ends as (
    select
        record_key_from as record_key,
        match_rule,
        match_score
    from links
    union all
    select
        record_key_to as record_key,
        match_rule,
        match_score
    from links
),

strongest_link as (
    select
        record_key,
        match_rule,
        match_score,
        row_number() over (
            partition by record_key
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
                end,
                match_score desc
        ) as rule_rank
    from link_ends
),

explained as (
    select
        account_ids.record_key,
        account_ids.account_id,
        coalesce(strongest_link.match_rule, 'singleton') as match_rule,
        coalesce(strongest_link.match_score, 1.0) as match_score
    from account_ids
    left join strongest_link
        on
            account_ids.record_key = strongest_link.record_key
            and strongest_link.rule_rank = 1
)

select * from explained
