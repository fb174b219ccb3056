-- Every normalized name a company record carries (one row per record and name): a record may carry
-- a Japanese and an English name (firmographics), and both take part in name matching. Contacts
-- carry their office prefecture (from the address) instead of a registered one.
with

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

names as (
    select
        record_key,
        name_normalized as name,
        prefecture,
        office_prefecture,
        corporate_number,
        duns_number,
        domain,
        industry_code
    from records
    where name_normalized is not null
    union all
    select
        record_key,
        name_en_normalized as name,
        prefecture,
        office_prefecture,
        corporate_number,
        duns_number,
        domain,
        industry_code
    from records
    where name_en_normalized is not null
)

select * from names
