-- The accepted links as pairs of record numbers (grain: record_number_from, record_number_to):
-- the edge list int_company_records_connected reads. Mapping keys to numbers is a join, which the
-- database does far faster than Python; several rules linking one pair become one edge.
with

links as (
    select * from {{ ref('int_company_records_linked') }}
),

numbered as (
    select * from {{ ref('int_company_records_numbered') }}
),

numbered_links as (
    select distinct
        from_record.record_number as record_number_from,
        to_record.record_number as record_number_to
    from links
    inner join numbered as from_record on links.record_key_from = from_record.record_key
    inner join numbered as to_record on links.record_key_to = to_record.record_key
)

select * from numbered_links
