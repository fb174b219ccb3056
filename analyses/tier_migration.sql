{{ config(enabled=target.type != 'spark' or var('abm_spark_file_format', 'parquet') in ('delta', 'iceberg', 'hudi')) }}
-- Target-list tier migration between two dates, from the list's history (snap_target_accounts):
-- accounts added, removed, moved up (to a more invested tier), moved down or unchanged.
-- Compile with `dbt compile --select tier_migration` and run in any SQL client; set the two dates.
{% set from_date = '2026-08-01' %}
{% set to_date = '2026-11-01' %}

with

history as (
    select * from {{ ref('snap_target_accounts') }}
),

list_at_from as (
    select * from history
    where
        dbt_valid_from <= cast('{{ from_date }}' as timestamp)
        and (dbt_valid_to is null or dbt_valid_to > cast('{{ from_date }}' as timestamp))
),

list_at_to as (
    select * from history
    where
        dbt_valid_from <= cast('{{ to_date }}' as timestamp)
        and (dbt_valid_to is null or dbt_valid_to > cast('{{ to_date }}' as timestamp))
),

movement as (
    select
        coalesce(list_at_to.account_id, list_at_from.account_id) as account_id,
        case when list_at_from.is_target then list_at_from.target_tier end as tier_before,
        case when list_at_to.is_target then list_at_to.target_tier end as tier_after
    from list_at_to
    full outer join list_at_from on list_at_to.account_id = list_at_from.account_id
),

classified as (
    select
        tier_before,
        tier_after,
        case
            when tier_before is null and tier_after is null then 'never_target'
            when tier_before is null then 'added'
            when tier_after is null then 'removed'
            when tier_after < tier_before then 'moved_up'
            when tier_after > tier_before then 'moved_down'
            else 'unchanged'
        end as migration
    from movement
)

select
    migration,
    tier_before,
    tier_after,
    count(*) as accounts
from classified
where migration <> 'never_target'
group by migration, tier_before, tier_after
order by migration, tier_before, tier_after
