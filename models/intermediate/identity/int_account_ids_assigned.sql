{{
    config(
        materialized=abm_incremental_materialization(),
        unique_key='record_key',
        incremental_strategy=abm_incremental_strategy(),
        full_refresh=false,
        on_schema_change='fail',
    )
}}
-- The stable account_id of every company record. A registry that survives runs (incremental, and
-- protected from --full-refresh): a company keeps its account_id when records arrive or the run is
-- repeated. When clusters merge, the merged company keeps its oldest id and the others are retired
-- (int_account_ids_retired); when a cluster splits, the part holding most of the records keeps the id.
with

clusters as (
    select * from {{ ref('int_company_records_clustered') }}
),

{% if is_incremental() %}
previous as (
    select
        record_key,
        account_id,
        first_assigned_at
    from {{ this }}
),
{% else %}
previous as (
    select
        cast(null as {{ dbt.type_string() }}) as record_key,
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_timestamp() }}) as first_assigned_at
    where 1 = 0
),
{% endif %}

cluster_previous_ids as (
    select
        clusters.cluster_key,
        previous.account_id,
        min(previous.first_assigned_at) as id_since,
        count(*) as records_with_id
    from clusters
    inner join previous on clusters.record_key = previous.record_key
    group by clusters.cluster_key, previous.account_id
),

-- a cluster's claim: the oldest id its records carry (ties: the smaller id)
cluster_claims as (
    select
        cluster_key,
        account_id,
        records_with_id,
        row_number() over (partition by cluster_key order by id_since, account_id) as claim_rank
    from cluster_previous_ids
),

-- an id claimed by two clusters (a split): the cluster holding more of its records keeps it
granted_claims as (
    select
        cluster_key,
        account_id
    from (
        select
            cluster_key,
            account_id,
            row_number() over (partition by account_id order by records_with_id desc, cluster_key asc) as grant_rank
        from cluster_claims
        where claim_rank = 1
    ) as claims
    where grant_rank = 1
),

new_cluster_ids as (
    select distinct
        clusters.cluster_key,
        {{ dbt.hash("clusters.cluster_key") }} as deterministic_id
    from clusters
    left join granted_claims on clusters.cluster_key = granted_claims.cluster_key
    where granted_claims.cluster_key is null
),

cluster_ids as (
    select
        cluster_key,
        account_id
    from granted_claims
    union all
    select
        new_cluster_ids.cluster_key,
        -- the same data gives the same ids; an id once used is never handed out again
        case
            when
                exists (
                    select 1 from previous
                    where previous.account_id = new_cluster_ids.deterministic_id
                )
                then {{ dbt.hash("new_cluster_ids.cluster_key || '|' || '" ~ run_started_at.isoformat() ~ "'") }}
            else new_cluster_ids.deterministic_id
        end as account_id
    from new_cluster_ids
),

assigned as (
    select
        clusters.record_key,
        cluster_ids.account_id,
        clusters.cluster_key,
        previous.account_id as previous_account_id,
        case
            when previous.account_id = cluster_ids.account_id then previous.first_assigned_at
            else cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
        end as first_assigned_at
    from clusters
    inner join cluster_ids on clusters.cluster_key = cluster_ids.cluster_key
    left join previous on clusters.record_key = previous.record_key
)

select * from assigned
