-- Every company record with a dense integer number 0 … n − 1 in record-key order (grain:
-- record_number), carrying what the link rules compare (names, identifiers). Records are numbered here once: every
-- link model works on numbers (integers sort, group and join far cheaper than text keys at a million
-- records), and int_company_records_clustered maps the result back to keys once. Numbering in key
-- order makes a group's smallest number its smallest record key.
with

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

numbered as (
    select
        row_number() over (order by record_key) - 1 as record_number,
        record_key,
        name_normalized,
        name_en_normalized,
        industry_code,
        corporate_number,
        duns_number,
        domain,
        email,
        prefecture,
        office_prefecture,
        linked_record_key
    from records
),

-- a contact's CRM account link, as a number too: the only key the records carry among themselves
with_linked_number as (
    select
        numbered.record_number,
        numbered.record_key,
        numbered.name_normalized,
        numbered.name_en_normalized,
        numbered.industry_code,
        numbered.corporate_number,
        numbered.duns_number,
        numbered.domain,
        numbered.email,
        numbered.prefecture,
        numbered.office_prefecture,
        linked_record.record_number as linked_record_number
    from numbered
    left join numbered as linked_record on numbered.linked_record_key = linked_record.record_key
)

select * from with_linked_number
