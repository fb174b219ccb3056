-- Every company record with a dense integer number (grain: record_key), 0 … n − 1 in record-key
-- order: the graph algorithm of int_company_records_connected works on integers, and numbering in
-- key order makes a component's smallest number its smallest record key.
with

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

numbered as (
    select
        record_key,
        row_number() over (order by record_key) - 1 as record_number,
        -- carried along so that the 法人番号 split works on numbers alone
        corporate_number
    from records
)

select * from numbered
