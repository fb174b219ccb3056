-- Company web domains that name exactly one account (one row per domain): the lookup that ties
-- e-mail addresses, product users and intent-vendor domains to accounts. A domain shared by records of
-- two accounts names neither.
with

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

account_ids as (
    select * from {{ ref('int_account_ids_assigned') }}
),

unambiguous_domains as (
    select
        records.domain,
        min(account_ids.account_id) as account_id
    from records
    inner join account_ids on records.record_key = account_ids.record_key
    where records.domain is not null
    group by records.domain
    having count(distinct account_ids.account_id) = 1
)

select * from unambiguous_domains
