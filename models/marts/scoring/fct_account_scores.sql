-- Account scores for BI and plays (one row per account, as of as_of_date): fit, intent, engagement,
-- the combined score, tier, grade, qualified flag, buying stage and the top three factors.
with

scored as (
    select * from {{ ref('int_accounts_scored') }}
),

final as (
    select
        account_id,
        {{ as_double('round(fit_score, 2)') }} as fit_score,
        fit_bucket,
        {{ as_double('round(learned_fit_score, 2)') }} as learned_fit_score,
        fit_model,
        {{ as_double('model_auc') }} as model_auc,
        {{ as_double('rule_based_auc') }} as rule_based_auc,
        {{ as_double('round(intent_score, 2)') }} as intent_score,
        intent_surge,
        {{ as_double('round(engagement_score, 2)') }} as engagement_score,
        {{ as_double('round(account_score, 2)') }} as account_score,
        tier as score_tier,
        grade,
        is_qualified,
        buying_stage,
        buying_stage_order,
        top_factors,
        scored_at
    from scored
)

select * from final
