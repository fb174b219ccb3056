-- fct_account_funnel carries score_tier so BI tools slice the funnel without a join: it must be the
-- tier fct_account_scores publishes for the same account (rows returned are accounts that differ).
with

funnel as (
    select * from {{ ref('fct_account_funnel') }}
),

scores as (
    select * from {{ ref('fct_account_scores') }}
),

differing as (
    select
        funnel.account_id,
        funnel.score_tier as funnel_score_tier,
        scores.score_tier as scores_score_tier
    from funnel
    full outer join scores on funnel.account_id = scores.account_id
    where
        funnel.account_id is null
        or scores.account_id is null
        or coalesce(funnel.score_tier, -1) != coalesce(scores.score_tier, -1)
)

select * from differing
