-- The connected components are complete: both ends of every accepted link are in the same
-- component (int_company_records_connected), and every record has exactly one component.
with

links as (
    select * from {{ ref('int_company_records_linked') }}
),

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

connected as (
    select * from {{ ref('int_company_records_connected') }}
),

links_across_components as (
    select
        links.record_key_from,
        links.record_key_to,
        'link_across_components' as problem
    from links
    inner join connected as from_component on links.record_key_from = from_component.record_key
    inner join connected as to_component on links.record_key_to = to_component.record_key
    where from_component.component_key != to_component.component_key
),

records_without_component as (
    select
        records.record_key as record_key_from,
        cast(null as {{ dbt.type_string() }}) as record_key_to,
        'record_without_component' as problem
    from records
    left join connected on records.record_key = connected.record_key
    where connected.record_key is null
),

problems as (
    select * from links_across_components
    union all
    select * from records_without_component
)

select * from problems
