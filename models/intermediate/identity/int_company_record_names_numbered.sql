-- Every (company record, normalized name) that fuzzy name matching compares — records with a
-- prefecture and a name of at least fuzzy_min_name_length characters — with the record's number and
-- an integer id per distinct name within its prefecture (grain: record_number, name). The CRM
-- account and the firmographics row of one company usually normalize to the same name, so
-- int_company_name_pairs_scored compares each name once and every record carrying it shares the result.
-- A contact that gives only a company name (no CRM link, no company e-mail domain) takes part in the
-- prefecture of its office address, so a typo on a business card or a form still finds its company.
with

record_names as (
    select * from {{ ref('int_company_record_names') }}
),

numbered as (
    select * from {{ ref('int_company_records_numbered') }}
),

-- office_prefecture is set only for contacts nothing else places (int_company_records_prepared)
comparable as (
    select
        record_key,
        name,
        coalesce(prefecture, office_prefecture) as prefecture,
        corporate_number,
        duns_number,
        domain,
        industry_code
    from record_names
    where
        coalesce(prefecture, office_prefecture) is not null
        and length(name) >= {{ var('fuzzy_min_name_length') }}
),

-- integers, not keys and names, in the big intermediate sets downstream keep sorting them cheap
name_records as (
    select
        dense_rank() over (order by comparable.prefecture, comparable.name) as name_id,
        numbered.record_number,
        comparable.name,
        comparable.prefecture,
        comparable.corporate_number,
        comparable.duns_number,
        comparable.domain,
        comparable.industry_code
    from comparable
    inner join numbered on comparable.record_key = numbered.record_key
)

select * from name_records
