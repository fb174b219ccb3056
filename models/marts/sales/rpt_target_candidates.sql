-- The quarterly target review (grain: account_id): the seeds choose target accounts on two axes,
-- investment appetite (意欲: mean of intent and engagement scores) × potential (expected LTV against
-- abm_min_ltv_jpy). Non-targets strong on both are candidates to add, targets weak on both are
-- candidates to drop; the share of existing customers among current targets is shown on every row
-- (the seeds advise at least half). Accounts that are neither targets nor strong on an axis are left out.
with

scores as (
    select * from {{ ref('fct_account_scores') }}
),

ltv as (
    select * from {{ ref('fct_account_ltv') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

axes as (
    select
        accounts.account_id,
        accounts.account_name,
        accounts.industry,
        accounts.is_target,
        accounts.target_tier,
        accounts.target_owner,
        accounts.is_customer,
        scores.intent_score,
        scores.engagement_score,
        scores.account_score,
        {{ round_half_up('(scores.intent_score + scores.engagement_score) / 2', 2) }} as appetite_score,
        ltv.expected_ltv_jpy
    from accounts
    inner join scores on accounts.account_id = scores.account_id
    left join ltv on accounts.account_id = ltv.account_id
),

classified as (
    select
        *,
        appetite_score >= {{ var('target_min_appetite') }} as has_appetite,
        coalesce(expected_ltv_jpy >= {{ var('abm_min_ltv_jpy') }}, false) as has_potential
    from axes
),

recommended as (
    select
        *,
        case
            when has_appetite and has_potential then 'invest'
            when has_potential then 'develop_appetite'
            when has_appetite then 'check_potential'
            else 'low'
        end as quadrant,
        case
            when not is_target and has_appetite and has_potential then 'add'
            when is_target and not has_appetite and not has_potential then 'drop'
            when is_target then 'keep'
            else 'watch'
        end as recommendation
    from classified
    where is_target or has_appetite or has_potential
),

ranked as (
    select
        *,
        cast(row_number() over (
            partition by recommendation
            order by
                case when recommendation = 'drop' then appetite_score else -appetite_score end,
                case when recommendation = 'drop' then expected_ltv_jpy else -expected_ltv_jpy end,
                account_id
        ) as {{ dbt.type_bigint() }}) as review_rank,
        {{ rate(
            'sum(case when is_target and is_customer then 1 else 0 end) over ()',
            'nullif(sum(case when is_target then 1 else 0 end) over (), 0)'
        ) }} as target_customer_share
    from recommended
),

reviewed as (
    select
        *,
        coalesce(target_customer_share >= {{ var('target_min_customer_share') }}, false) as meets_customer_share
    from ranked
)

select * from reviewed
