-- Every normalized name a company record carries (one row per record number and name), as name
-- matching compares it: a record may carry a Japanese and an English name (firmographics), and both
-- take part (normalized in staging, katakana spelling variants folded: メディカルサービス and
-- メデイカルサビス are one name). Contacts carry their office
-- prefecture (from the address) instead of a registered one. Names are numbered here so the name
-- models group and join integers, not text: name_number per distinct name, name_id per distinct
-- (prefecture, name) — the CRM account and the firmographics row of one company usually normalize
-- to the same name, so int_company_name_pairs_scored compares each name of a prefecture once.
with

records as (
    select * from {{ ref('int_company_records_numbered') }}
),

names as (
    select
        record_number,
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
        coalesce(prefecture, office_prefecture) as comparison_prefecture
    from names
),

-- one row per distinct (prefecture, name), numbered twice in one pass over the distinct names and
-- joined back: ranking every record's name instead sorted three times as many strings (twice the
-- time at 1M companies). Ordered by name first, so both numbers come from one sort
distinct_names as (
    select
        comparison_prefecture,
        name,
        dense_rank() over (order by name asc) as name_number,
        case
            when comparison_prefecture is not null
                -- nulls last written out: Spark sorts them first by default, DuckDB last
                then row_number() over (order by name asc, comparison_prefecture asc nulls last)
        end as name_id
    from (
        select distinct
            comparison_prefecture,
            name
        from numbered_names
    ) as distinct_pairs
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
        distinct_names.name_number,
        distinct_names.name_id,
        -- fuzzy matching needs a prefecture to block in and enough characters to tell names apart
        numbered_names.comparison_prefecture is not null
        and length(numbered_names.name) >= {{ var('fuzzy_min_name_length') }} as is_compared_fuzzily
    from numbered_names
    inner join distinct_names
        on
            numbered_names.name = distinct_names.name
            -- null-safe: names without a prefecture (contacts placed by a CRM link or a domain) match too
            and coalesce(numbered_names.comparison_prefecture, '') = coalesce(distinct_names.comparison_prefecture, '')
)

select * from with_name_ids
