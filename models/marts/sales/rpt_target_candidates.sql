-- The quarterly target review (grain: account_id): the seeds choose target accounts on two axes,
-- investment appetite (意欲: mean of intent and engagement scores) × potential (expected LTV), on
-- criteria fixed per quarter (seed target_review_criteria; the version is on every row). Non-targets
-- with enough fit and strong on both axes are candidates to add; targets whose fit fell below the
-- criteria, or weak on both axes, are candidates to drop; the share of existing customers among
-- current targets is shown on every row (the seeds advise at least half). Accounts that are neither
-- targets nor strong on an axis are left out.
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

criteria_versions as (
    select * from {{ ref('target_review_criteria') }}
),

-- the quarter's fixed criteria: the latest version effective on as_of_date
-- (tests/dbt/assert_target_review_has_criteria fails when none is)
criteria as (
    select *
    from (
        select
            *,
            row_number() over (order by effective_from desc) as version_rank
        from criteria_versions
        where effective_from <= {{ as_of_date() }}
    ) as effective
    where version_rank = 1
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
        scores.fit_score,
        {{ round_half_up('(scores.intent_score + scores.engagement_score) / 2', 2) }} as appetite_score,
        ltv.expected_ltv_jpy
    from accounts
    inner join scores on accounts.account_id = scores.account_id
    left join ltv on accounts.account_id = ltv.account_id
),

classified as (
    select
        axes.*,
        axes.fit_score >= criteria.min_fit_score as has_fit,
        axes.appetite_score >= criteria.min_appetite_score as has_appetite,
        coalesce(axes.expected_ltv_jpy >= criteria.min_potential_jpy, false) as has_potential,
        criteria.criteria_version,
        criteria.min_customer_share
    from axes
    cross join criteria
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
        -- one set of criteria both ways: an account is added when it meets all three, a target is a
        -- drop candidate when its fit no longer does or it has lost both appetite and potential
        case
            when not is_target and has_fit and has_appetite and has_potential then 'add'
            when is_target and (not has_fit or (not has_appetite and not has_potential)) then 'drop'
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
        coalesce(target_customer_share >= min_customer_share, false) as meets_customer_share
    from ranked
),

final as (
    select
        account_id,
        account_name,
        industry,
        is_target,
        target_tier,
        target_owner,
        is_customer,
        intent_score,
        engagement_score,
        account_score,
        fit_score,
        appetite_score,
        expected_ltv_jpy,
        has_fit,
        has_appetite,
        has_potential,
        quadrant,
        recommendation,
        review_rank,
        target_customer_share,
        meets_customer_share,
        criteria_version,
        {{ as_of_date() }} as reviewed_on
    from reviewed
)

select * from final
