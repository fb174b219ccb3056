-- The combined account score and what follows from it (one row per account): account_score from
-- fit, intent and engagement (weights in vars), tier and grade, the qualified-account flag that
-- releases plays, the buying stage (assigned from the bottom of the funnel up), and the top three
-- factors in words an SDR understands.
{%- set w_fit = var('score_weight_fit') %}
{%- set w_intent = var('score_weight_intent') %}
{%- set w_engagement = var('score_weight_engagement') %}
with

accounts as (
    select * from {{ ref('int_accounts_consolidated') }}
),

fit as (
    select * from {{ ref('int_accounts_fit_scored') }}
),

learned_fit as (
    select * from {{ ref('int_accounts_fit_learned') }}
),

intent as (
    select * from {{ ref('int_accounts_intent_scored') }}
),

engagement as (
    select * from {{ ref('int_accounts_engagement_scored') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_attributed_to_accounts') }}
),

contracts as (
    select * from {{ ref('int_contracts_attributed_to_accounts') }}
),

customers as (
    select distinct account_id
    from contracts
    where is_active_on_as_of_date and account_id is not null
),

open_opportunities as (
    select distinct account_id
    from opportunities
    where not is_closed and account_id is not null
),

combined as (
    select
        accounts.account_id,
        coalesce(fit.fit_score, 0) as fit_score,
        coalesce(fit.fit_bucket, 'weak') as fit_bucket,
        learned_fit.learned_fit_score,
        learned_fit.fit_model,
        learned_fit.model_auc,
        learned_fit.rule_based_auc,
        coalesce(intent.intent_score, 0) as intent_score,
        coalesce(intent.intent_surge, false) as intent_surge,
        coalesce(engagement.engagement_score, 0) as engagement_score,
        coalesce(engagement.high_intent_touches, 0) as high_intent_touches,
        coalesce(engagement.engaged_people, 0) as engaged_people,
        intent.top_topic,
        engagement.top_touch_type,
        customers.account_id is not null as is_customer,
        open_opportunities.account_id is not null as has_open_opportunity,
        coalesce(intent.recent_signals, 0) + coalesce(engagement.points_90d, 0) > 0 as has_recent_signal
    from accounts
    left join fit on accounts.account_id = fit.account_id
    left join learned_fit on accounts.account_id = learned_fit.account_id
    left join intent on accounts.account_id = intent.account_id
    left join engagement on accounts.account_id = engagement.account_id
    left join customers on accounts.account_id = customers.account_id
    left join open_opportunities on accounts.account_id = open_opportunities.account_id
),

scored as (
    select
        *,
        {{ w_fit }} * fit_score + {{ w_intent }} * intent_score + {{ w_engagement }} * engagement_score
            as account_score,
        fit_bucket in ('strong', 'moderate')
        and (
            intent_score >= {{ var('qualified_min_intent') }}
            or engagement_score >= {{ var('qualified_min_engagement') }}
        ) as is_qualified
    from combined
),

staged as (
    select
        *,
        case
            when account_score >= {{ var('tier_1_min_score') }} then 1
            when account_score >= {{ var('tier_2_min_score') }} then 2
            else 3
        end as tier,
        case
            when fit_score >= {{ var('grade_a_min_fit') }} then 'A'
            when fit_score >= {{ var('grade_b_min_fit') }} then 'B'
            else 'C'
        end as grade,
        -- from the bottom of the funnel up: the deepest stage the account has reached
        case
            when is_customer then 'customer'
            when has_open_opportunity then 'opportunity'
            when is_qualified then 'qualified'
            when engagement_score >= {{ var('engaged_min_engagement') }} or high_intent_touches > 0 then 'engaged'
            when has_recent_signal then 'aware'
            else 'target'
        end as buying_stage,
        -- the same ladder as a number, so BI tools sort stages in funnel order, not alphabetically
        case
            when is_customer then 5
            when has_open_opportunity then 4
            when is_qualified then 3
            when engagement_score >= {{ var('engaged_min_engagement') }} or high_intent_touches > 0 then 2
            when has_recent_signal then 1
            else 0
        end as buying_stage_order
    from scored
),

-- each factor's points in account_score, with a label for an SDR
factors as (
    {% for criterion, label in [
        ('industry', 'ICPの業種に合致 / industry fits the ICP'),
        ('employees', 'ICPの従業員規模 / company size fits'),
        ('revenue', 'ICPの売上規模 / revenue fits'),
        ('prefecture', '重点エリア / priority region'),
    ] -%}
    select
        fit.account_id,
        '{{ label }}' as factor,
        {{ w_fit }} * fit.fit_score * fit.{{ criterion }}_points / fit.fit_points as factor_points
    from fit
    where fit.{{ criterion }}_points > 0
    union all
    {% endfor -%}
    select
        account_id,
        case when intent_surge then 'インテント急上昇 / intent surge: ' else '検討中のテーマ / researching: ' end
        || coalesce(top_topic, '') as factor,
        {{ w_intent }} * intent_score as factor_points
    from staged
    where intent_score > 0
    union all
    select
        account_id,
        '自社接点 / engagement: ' || coalesce(top_touch_type, '') || ' (' || cast(engaged_people as {{ dbt.type_string() }})
        || ' people)' as factor,
        {{ w_engagement }} * engagement_score as factor_points
    from staged
    where engagement_score > 0
),

ranked_factors as (
    select
        account_id,
        factor || ' +' || cast(round(factor_points, 1) as {{ dbt.type_string() }}) as factor_with_points,
        row_number() over (partition by account_id order by factor_points desc, factor asc) as factor_rank
    from factors
),

top_factors as (
    select
        account_id,
        {{ dbt.listagg('factor_with_points', "'; '", 'order by factor_rank') }} as top_factors
    from ranked_factors
    where factor_rank <= 3
    group by account_id
),

final as (
    select
        staged.*,
        coalesce(top_factors.top_factors, '') as top_factors,
        {{ as_of_date() }} as scored_at
    from staged
    left join top_factors on staged.account_id = top_factors.account_id
)

select * from final
