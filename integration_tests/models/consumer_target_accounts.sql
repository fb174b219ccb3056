-- The consumer's own model on top of the package's marts: target accounts with their funnel stage and
-- score, the kind of table a team adds for its own BI.
with

accounts as (
    select * from {{ ref('abm_analytics', 'dim_accounts') }}
),

funnel as (
    select * from {{ ref('abm_analytics', 'fct_account_funnel') }}
),

scores as (
    select * from {{ ref('abm_analytics', 'fct_account_scores') }}
),

target_accounts as (
    select
        accounts.account_id,
        accounts.account_name,
        accounts.target_tier,
        funnel.funnel_stage,
        funnel.funnel_stage_order,
        scores.account_score
    from accounts
    inner join funnel on accounts.account_id = funnel.account_id
    inner join scores on accounts.account_id = scores.account_id
    where accounts.is_target
)

select * from target_accounts
