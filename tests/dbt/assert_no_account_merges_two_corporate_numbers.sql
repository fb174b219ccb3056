-- A valid conflicting 法人番号 vetoes a merge: no account holds records with two valid 法人番号.
with

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

account_ids as (
    select * from {{ ref('int_account_ids_assigned') }}
),

conflicts as (
    select
        account_ids.account_id,
        count(distinct records.corporate_number) as distinct_corporate_numbers
    from records
    inner join account_ids on records.record_key = account_ids.record_key
    where records.corporate_number is not null
    group by account_ids.account_id
    having count(distinct records.corporate_number) > 1
)

select * from conflicts
