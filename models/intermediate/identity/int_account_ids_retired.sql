{{
    config(
        materialized=abm_incremental_materialization(),
        unique_key='retired_account_id',
        incremental_strategy=abm_incremental_strategy(),
        full_refresh=false,
        on_schema_change='fail',
    )
}}
-- account_ids that stopped naming a company because its records merged into another company,
-- with the id that survives: BI tools and CRM exports that stored the old id can follow it.
with

assigned as (
    select * from {{ ref('int_account_ids_assigned') }}
),

live_ids as (
    select distinct account_id from assigned
),

retired as (
    select
        assigned.previous_account_id as retired_account_id,
        min(assigned.account_id) as surviving_account_id,
        min(assigned.first_assigned_at) as retired_at
    from assigned
    left join live_ids on assigned.previous_account_id = live_ids.account_id
    where
        assigned.previous_account_id is not null
        and assigned.previous_account_id != assigned.account_id
        and live_ids.account_id is null
    group by assigned.previous_account_id
)

select * from retired
