-- Company records grouped into clusters (one cluster = one company), by record key: the clusters of
-- int_company_records_connected (connected components of the accepted links, split by 法人番号 where
-- a component holds two valid ones), which works on record numbers, mapped back to keys here.
with

numbered as (
    select * from {{ ref('int_company_records_numbered') }}
),

connected as (
    select * from {{ ref('int_company_records_connected') }}
),

clustered as (
    select
        record.record_key,
        cluster_record.record_key as cluster_key,
        component_record.record_key as component_key,
        connected.was_split_by_corporate_number
    from connected
    inner join numbered as record on connected.record_number = record.record_number
    inner join numbered as cluster_record on connected.cluster_number = cluster_record.record_number
    inner join numbered as component_record on connected.component_number = component_record.record_number
)

select * from clustered
