-- The connected components are complete: both ends of every accepted link are in the same
-- component, and every company record has exactly one component.
with

links as (
    select * from {{ ref('int_company_records_linked') }}
),

numbered as (
    select * from {{ ref('int_company_records_numbered') }}
),

connected as (
    select * from {{ ref('int_company_records_connected') }}
),

links_across_components as (
    select
        links.record_number_from,
        links.record_number_to,
        'link_across_components' as problem
    from links
    inner join connected as from_record on links.record_number_from = from_record.record_number
    inner join connected as to_record on links.record_number_to = to_record.record_number
    where from_record.component_number != to_record.component_number
),

records_without_component as (
    select
        numbered.record_number as record_number_from,
        cast(null as {{ dbt.type_bigint() }}) as record_number_to,
        'record_without_component' as problem
    from numbered
    left join connected on numbered.record_number = connected.record_number
    where connected.record_number is null
),

problems as (
    select * from links_across_components
    union all
    select * from records_without_component
)

select * from problems
