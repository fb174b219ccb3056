-- Every clustered record with its account and the strongest rule that tied it there (one row per
-- record_key; the rule from int_company_records_clustered, 'singleton' when no link touches it).
with

account_ids as (
    select * from {{ ref('int_account_ids_assigned') }}
),

clusters as (
    select * from {{ ref('int_company_records_clustered') }}
),

explained as (
    select
        account_ids.record_key,
        account_ids.account_id,
        coalesce(clusters.match_rule, 'singleton') as match_rule,
        coalesce(clusters.match_score, 1.0) as match_score
    from account_ids
    left join clusters on account_ids.record_key = clusters.record_key
)

select * from explained
