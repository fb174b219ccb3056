-- Every normalized name a company record carries (one row per record number and name), as name
-- matching compares it: a record may carry a Japanese and an English name (firmographics), and both
-- take part; katakana spelling variants that keep the reading (ー dropped, small kana written large)
-- are folded, so メディカルサービス and メデイカルサビス are one name. Contacts carry their office
-- prefecture (from the address) instead of a registered one. Names fuzzy matching compares — with a
-- prefecture to block in and at least fuzzy_min_name_length characters — get an integer name_id per
-- distinct name within its prefecture: the CRM account and the firmographics row of one company
-- usually normalize to the same name, so int_company_name_pairs_scored compares each name once.
with

records as (
    select * from {{ ref('int_company_records_numbered') }}
),

names as (
    select
        record_number,
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
        record_number,
        name_en_normalized as name,
        prefecture,
        office_prefecture,
        corporate_number,
        duns_number,
        domain,
        industry_code
    from records
    where name_en_normalized is not null
),

-- a contact that gives only a company name (no CRM link, no company e-mail domain) is compared in
-- the prefecture of its office address (office_prefecture is set only for such contacts), so a
-- typo on a business card or a form still finds its company
numbered_names as (
    select
        *,
        case
            when length(name) >= {{ var('fuzzy_min_name_length') }}
                then coalesce(prefecture, office_prefecture)
        end as comparison_prefecture
    from names
),

with_name_ids as (
    select
        record_number,
        name,
        prefecture,
        office_prefecture,
        corporate_number,
        duns_number,
        domain,
        industry_code,
        comparison_prefecture,
        case
            when comparison_prefecture is not null
                then dense_rank() over (
                    partition by comparison_prefecture is null
                    order by comparison_prefecture asc, name asc
                )
        end as name_id
    from numbered_names
)

select * from with_name_ids
