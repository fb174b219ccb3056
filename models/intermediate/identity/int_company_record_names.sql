-- Every normalized name a company record carries (one row per record and name), as name matching
-- compares it: a record may carry a Japanese and an English name (firmographics), and both take
-- part; katakana spelling variants that keep the reading (ー dropped, small kana written large) are
-- folded, so メディカルサービス and メデイカルサビス are one name. Contacts carry their office
-- prefecture (from the address) instead of a registered one.
with

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

names as (
    select
        record_key,
        {{ katakana_folded('name_normalized') }} as name,
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
