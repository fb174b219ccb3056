-- The control group for ABM lift (one row per target account as of as_of_date): each target is paired
-- with a non-target account of the same industry and employee-size band and similar fit. Within each
-- (industry, size band) stratum targets and candidates are ranked by fit; target i of k is paired with
-- candidate ⌊(i−1)·n/k⌋+1 of n (or, with fewer candidates than targets, each candidate with target
-- ⌊(j−1)·k/n⌋+1), so every control is used once and the control's fit distribution follows the
-- targets'. Pairs further apart in fit than var lift_match_caliper_fit_points are not used.
-- Deterministic: ties are broken by account_id. Accounts ever on the target list are never controls.
with

targets as (
    select * from {{ ref('int_target_accounts_resolved') }}
),

listings as (
    select * from {{ ref('int_target_listings_resolved') }}
),

accounts as (
    select * from {{ ref('int_accounts_consolidated') }}
),

scores as (
    select * from {{ ref('int_accounts_scored') }}
),

size_bands as (
    select * from {{ ref('employee_size_bands') }}
),

ever_listed as (
    select distinct account_id from listings
),

profiles as (
    select
        accounts.account_id,
        coalesce(accounts.industry_code, '(unknown)') as industry_code,
        coalesce(size_bands.size_band, '(unknown)') as size_band,
        coalesce(scores.fit_score, 0) as fit_score
    from accounts
    left join scores on accounts.account_id = scores.account_id
    left join size_bands
        on accounts.employee_count between size_bands.min_employees and size_bands.max_employees
),

target_profiles as (
    select
        profiles.*,
        targets.tier,
        row_number() over (
            partition by profiles.industry_code, profiles.size_band
            order by profiles.fit_score desc, profiles.account_id asc
        ) as stratum_rank,
        count(*) over (partition by profiles.industry_code, profiles.size_band) as stratum_size
    from profiles
    inner join targets on profiles.account_id = targets.account_id
),

candidate_profiles as (
    select
        profiles.*,
        row_number() over (
            partition by profiles.industry_code, profiles.size_band
            order by profiles.fit_score desc, profiles.account_id asc
        ) as stratum_rank,
        count(*) over (partition by profiles.industry_code, profiles.size_band) as stratum_size
    from profiles
    left join ever_listed on profiles.account_id = ever_listed.account_id
    where ever_listed.account_id is null
),

paired as (
    select
        target_profiles.account_id as target_account_id,
        target_profiles.tier,
        target_profiles.industry_code,
        target_profiles.size_band,
        target_profiles.fit_score as target_fit_score,
        candidate_profiles.account_id as candidate_account_id,
        candidate_profiles.fit_score as candidate_fit_score
    from target_profiles
    left join candidate_profiles
        on
            target_profiles.industry_code = candidate_profiles.industry_code
            and target_profiles.size_band = candidate_profiles.size_band
            and (
                (
                    target_profiles.stratum_size <= candidate_profiles.stratum_size
                    and candidate_profiles.stratum_rank = cast(floor(
                        (target_profiles.stratum_rank - 1) * 1.0 * candidate_profiles.stratum_size
                        / target_profiles.stratum_size
                    ) as {{ dbt.type_bigint() }}) + 1
                )
                or (
                    target_profiles.stratum_size > candidate_profiles.stratum_size
                    and target_profiles.stratum_rank = cast(floor(
                        (candidate_profiles.stratum_rank - 1) * 1.0 * target_profiles.stratum_size
                        / candidate_profiles.stratum_size
                    ) as {{ dbt.type_bigint() }}) + 1
                )
            )
),

matched as (
    select
        target_account_id,
        tier,
        industry_code,
        size_band,
        target_fit_score,
        case
            when abs(target_fit_score - candidate_fit_score) <= {{ var('lift_match_caliper_fit_points') }}
                then candidate_account_id
        end as control_account_id,
        case
            when abs(target_fit_score - candidate_fit_score) <= {{ var('lift_match_caliper_fit_points') }}
                then candidate_fit_score
        end as control_fit_score,
        case
            when candidate_account_id is null then 'no_candidate'
            when abs(target_fit_score - candidate_fit_score) > {{ var('lift_match_caliper_fit_points') }}
                then 'outside_caliper'
            else 'matched'
        end as match_status
    from paired
)

select * from matched
