-- Every (company record, normalized name) that fuzzy name matching compares — records with a
-- prefecture and a name of at least fuzzy_min_name_length characters — with the record's number and
-- an integer id per distinct name within its prefecture (grain: record_number, name). The CRM
-- account and the firmographics row of one company usually normalize to the same name, so
-- int_company_name_pairs_scored compares each name once and every record carrying it shares the result.
with

record_names as (
    select * from {{ ref('int_company_record_names') }}
),

numbered as (
    select * from {{ ref('int_company_records_numbered') }}
),

-- integers, not keys and names, in the big intermediate sets downstream keep sorting them cheap
name_records as (
    select
        dense_rank() over (order by record_names.prefecture, record_names.name) as name_id,
        numbered.record_number,
        record_names.name,
        record_names.prefecture,
        record_names.corporate_number,
        record_names.duns_number,
        record_names.domain,
        record_names.industry_code
    from record_names
    inner join numbered on record_names.record_key = numbered.record_key
    where
        record_names.prefecture is not null
        and length(record_names.name) >= {{ var('fuzzy_min_name_length') }}
)

select * from name_records
