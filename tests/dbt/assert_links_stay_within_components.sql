-- The connected components are complete: both ends of every accepted link are in the same
-- component, and every company record has exactly one component.
with

links as (
    select * from {{ ref('int_company_records_linked') }}
),

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

clusters as (
    select * from {{ ref('int_company_records_clustered') }}
),

links_across_components as (
    select
        links.record_key_from,
        links.record_key_to,
        'link_across_components' as problem
    from links
    inner join clusters as from_cluster on links.record_key_from = from_cluster.record_key
    inner join clusters as to_cluster on links.record_key_to = to_cluster.record_key
    where from_cluster.component_key != to_cluster.component_key
),

records_without_component as (
    select
        records.record_key as record_key_from,
        cast(null as {{ dbt.type_string() }}) as record_key_to,
        'record_without_component' as problem
    from records
    left join clusters on records.record_key = clusters.record_key
    where clusters.record_key is null
),

problems as (
    select * from links_across_components
    union all
    select * from records_without_component
)

select * from problems
