-- Label propagation ran enough rounds: both ends of every link are in the same connected component.
-- A failure means var identity_max_iterations is too small for the data.
with

links as (
    select * from {{ ref('int_company_records_linked') }}
),

clusters as (
    select * from {{ ref('int_company_records_clustered') }}
),

unconverged as (
    select
        links.record_key_from,
        links.record_key_to,
        from_cluster.component_key as component_from,
        to_cluster.component_key as component_to
    from links
    inner join clusters as from_cluster on links.record_key_from = from_cluster.record_key
    inner join clusters as to_cluster on links.record_key_to = to_cluster.record_key
    where from_cluster.component_key != to_cluster.component_key
)

select * from unconverged
