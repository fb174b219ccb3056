{{ config(enabled=target.type != 'spark' or var('abm_spark_file_format', 'parquet') in ('delta', 'iceberg', 'hudi')) }}
-- Tier and stage movement between two dates, from the score history (snap_account_scores).
-- Compile with dbt compile --select score_progression and run in any SQL client; set the two dates.
{% set from_date = '2026-10-01' %}
{% set to_date = '2026-11-01' %}

with

history as (
    select * from {{ ref('snap_account_scores') }}
),

state_at_from as (
    select * from history
    where
        dbt_valid_from <= cast('{{ from_date }}' as timestamp)
        and (dbt_valid_to is null or dbt_valid_to > cast('{{ from_date }}' as timestamp))
),

state_at_to as (
    select * from history
    where
        dbt_valid_from <= cast('{{ to_date }}' as timestamp)
        and (dbt_valid_to is null or dbt_valid_to > cast('{{ to_date }}' as timestamp))
),

movement as (
    select
        state_at_to.account_id,
        state_at_from.score_tier as score_tier_before,
        state_at_to.score_tier as score_tier_after,
        state_at_from.buying_stage as stage_before,
        state_at_to.buying_stage as stage_after,
        state_at_to.account_score - coalesce(state_at_from.account_score, 0) as score_change,
        case
            when state_at_from.score_tier is null then 'new'
            when state_at_to.score_tier < state_at_from.score_tier then 'progressed'
            when state_at_to.score_tier > state_at_from.score_tier then 'regressed'
            else 'unchanged'
        end as tier_movement
    from state_at_to
    left join state_at_from on state_at_to.account_id = state_at_from.account_id
)

select
    tier_movement,
    score_tier_before,
    score_tier_after,
    count(*) as accounts,
    avg(score_change) as average_score_change
from movement
group by tier_movement, score_tier_before, score_tier_after
order by tier_movement, score_tier_before, score_tier_after
