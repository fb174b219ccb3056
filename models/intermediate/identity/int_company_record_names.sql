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

-- one id per distinct (prefecture, name), numbered over the distinct names and joined back: ranking
-- every record's name instead sorted three times as many strings (twice the time at 1M companies)
compared_names as (
    select
        comparison_prefecture,
        name,
        row_number() over (order by comparison_prefecture asc, name asc) as name_id
    from (
        select distinct
            comparison_prefecture,
            name
        from numbered_names
        where comparison_prefecture is not null
    ) as distinct_names
),

with_name_ids as (
    select
        numbered_names.record_number,
        numbered_names.name,
        numbered_names.prefecture,
        numbered_names.office_prefecture,
        numbered_names.corporate_number,
        numbered_names.duns_number,
        numbered_names.domain,
        numbered_names.industry_code,
        numbered_names.comparison_prefecture,
        compared_names.name_id
    from numbered_names
    left join compared_names
        on
            numbered_names.comparison_prefecture = compared_names.comparison_prefecture
            and numbered_names.name = compared_names.name
)

select * from with_name_ids
