-- Account scores for BI and plays (one row per account, as of as_of_date): fit, intent, engagement,
-- the combined score, tier, grade, qualified flag, buying stage and the top three factors.
with

scored as (
    select * from {{ ref('int_accounts_scored') }}
),

final as (
    select
        account_id,
        cast(round(fit_score, 2) as decimal(5, 2)) as fit_score,
        fit_bucket,
        cast(round(learned_fit_score, 2) as decimal(5, 2)) as learned_fit_score,
        fit_model,
        cast(model_auc as double) as model_auc,
        cast(rule_based_auc as double) as rule_based_auc,
        cast(round(intent_score, 2) as decimal(5, 2)) as intent_score,
        intent_surge,
        cast(round(engagement_score, 2) as decimal(5, 2)) as engagement_score,
        cast(round(account_score, 2) as decimal(5, 2)) as account_score,
        tier as score_tier,
        grade,
        is_qualified,
        buying_stage,
        top_factors,
        scored_at
    from scored
)

select * from final
