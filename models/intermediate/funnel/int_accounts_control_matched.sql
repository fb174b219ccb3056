-- The control group for ABM lift (grain: target_account_id): every account listed as a target on or
-- before as_of_date — removed ones included (intention to treat) — paired with a never-listed
-- account that stood where the target stood before its listing: same industry, employee-size band
-- and pre-period pipeline (an opportunity reaching pipeline in the var lift_pre_quarters quarters
-- before the listing quarter), and similar fit. Within each stratum (listing quarter, industry, size
-- band, pre-period pipeline) targets and candidates are ranked by fit; target i of k takes candidate
-- ⌊(i−1)·n/k⌋+1 of n (with fewer candidates than targets, each candidate takes target ⌊(j−1)·k/n⌋+1),
-- so within a listing quarter every control is used once and the controls' fits follow the targets'.
-- A control may serve targets of different listing quarters (its pre-period is then another one).
-- Pairs further apart in fit than var lift_match_caliper_fit_points are not used. Ties: account_id.
with

listings as (
    select * from {{ ref('int_target_listings_resolved') }}
),

accounts as (
    select * from {{ ref('int_accounts_consolidated') }}
),

scores as (
    select * from {{ ref('int_accounts_scored') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_progressed') }}
),

size_bands as (
    select * from {{ ref('employee_size_bands') }}
),

ever_listed as (
    select distinct account_id from listings
),

listings_by_start as (
    select
        account_id,
        tier,
        added_on,
        removed_on,
        row_number() over (
            partition by account_id
            order by added_on, tier, source_system, source_account_id
        ) as listing_rank,
        -- still on the list on as_of_date through any of its CRM records
        max(
            case when removed_on is null or removed_on > {{ as_of_date() }} then 1 else 0 end
        ) over (partition by account_id) as is_listed_on_as_of
    from listings
    where added_on <= {{ as_of_date() }}
),

-- treatment starts at the first listing; its tier is the tier the account was listed with
first_listings as (
    select
        account_id,
        tier,
        added_on as listed_on,
        cast({{ dbt.date_trunc('quarter', 'added_on') }} as date) as listing_quarter,
        is_listed_on_as_of = 0 as is_removed
    from listings_by_start
    where listing_rank = 1
),

listing_quarters as (
    select distinct listing_quarter from first_listings
),

pipeline_dates as (
    select
        account_id,
        cast(pipeline_reached_at as date) as pipeline_reached_on
    from opportunities
    where account_id is not null and pipeline_reached_at is not null
),

-- did the account have pipeline in the pre-period of a listing quarter?
pre_period_pipeline as (
    select distinct
        pipeline_dates.account_id,
        listing_quarters.listing_quarter
    from pipeline_dates
    inner join listing_quarters
        on
            pipeline_dates.pipeline_reached_on < listing_quarters.listing_quarter
            and pipeline_dates.pipeline_reached_on >= cast({{ dbt.dateadd(
                'month', -3 * var('lift_pre_quarters'), 'listing_quarters.listing_quarter'
            ) }} as date)
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

profiles_by_listing_quarter as (
    select
        profiles.*,
        listing_quarters.listing_quarter,
        pre_period_pipeline.account_id is not null as had_pre_period_pipeline
    from profiles
    cross join listing_quarters
    left join pre_period_pipeline
        on
            profiles.account_id = pre_period_pipeline.account_id
            and listing_quarters.listing_quarter = pre_period_pipeline.listing_quarter
),

target_profiles as (
    select
        profiles_by_listing_quarter.*,
        first_listings.tier,
        first_listings.listed_on,
        first_listings.is_removed,
        row_number() over (
            partition by
                profiles_by_listing_quarter.listing_quarter,
                profiles_by_listing_quarter.industry_code,
                profiles_by_listing_quarter.size_band,
                profiles_by_listing_quarter.had_pre_period_pipeline
            order by profiles_by_listing_quarter.fit_score desc, profiles_by_listing_quarter.account_id asc
        ) as stratum_rank,
        count(*) over (
            partition by
                profiles_by_listing_quarter.listing_quarter,
                profiles_by_listing_quarter.industry_code,
                profiles_by_listing_quarter.size_band,
                profiles_by_listing_quarter.had_pre_period_pipeline
        ) as stratum_size
    from profiles_by_listing_quarter
    inner join first_listings
        on
            profiles_by_listing_quarter.account_id = first_listings.account_id
            and profiles_by_listing_quarter.listing_quarter = first_listings.listing_quarter
),

candidate_profiles as (
    select
        profiles_by_listing_quarter.*,
        row_number() over (
            partition by
                profiles_by_listing_quarter.listing_quarter,
                profiles_by_listing_quarter.industry_code,
                profiles_by_listing_quarter.size_band,
                profiles_by_listing_quarter.had_pre_period_pipeline
            order by profiles_by_listing_quarter.fit_score desc, profiles_by_listing_quarter.account_id asc
        ) as stratum_rank,
        count(*) over (
            partition by
                profiles_by_listing_quarter.listing_quarter,
                profiles_by_listing_quarter.industry_code,
                profiles_by_listing_quarter.size_band,
                profiles_by_listing_quarter.had_pre_period_pipeline
        ) as stratum_size
    from profiles_by_listing_quarter
    left join ever_listed on profiles_by_listing_quarter.account_id = ever_listed.account_id
    where ever_listed.account_id is null
),

-- each stratum's size on the other side, so that pairing is one equality join on (stratum, slot): a
-- join on the stratum with the rank rule as a condition compared every target with every candidate
-- of its stratum (the whole control pool at 1M companies)
target_strata as (
    select distinct
        listing_quarter,
        industry_code,
        size_band,
        had_pre_period_pipeline,
        stratum_size
    from target_profiles
),

candidate_strata as (
    select distinct
        listing_quarter,
        industry_code,
        size_band,
        had_pre_period_pipeline,
        stratum_size
    from candidate_profiles
),

-- the slot both sides meet in: the smaller side's ranks, each scaled onto the larger side. With at
-- least as many candidates as targets, target rank r takes the candidate at the same relative place
-- (slot = that candidate's rank); with more targets, each candidate goes to the target at its
-- relative place (slot = that target's rank)
target_slots as (
    select
        target_profiles.*,
        case
            when target_profiles.stratum_size <= candidate_strata.stratum_size
                then cast(floor(
                    (target_profiles.stratum_rank - 1) * 1.0 * candidate_strata.stratum_size
                    / target_profiles.stratum_size
                ) as {{ dbt.type_bigint() }}) + 1
            else target_profiles.stratum_rank
        end as pair_slot
    from target_profiles
    left join candidate_strata
        on
            target_profiles.listing_quarter = candidate_strata.listing_quarter
            and target_profiles.industry_code = candidate_strata.industry_code
            and target_profiles.size_band = candidate_strata.size_band
            and target_profiles.had_pre_period_pipeline = candidate_strata.had_pre_period_pipeline
),

candidate_slots as (
    select
        candidate_profiles.*,
        case
            when target_strata.stratum_size > candidate_profiles.stratum_size
                then cast(floor(
                    (candidate_profiles.stratum_rank - 1) * 1.0 * target_strata.stratum_size
                    / candidate_profiles.stratum_size
                ) as {{ dbt.type_bigint() }}) + 1
            else candidate_profiles.stratum_rank
        end as pair_slot
    from candidate_profiles
    inner join target_strata
        on
            candidate_profiles.listing_quarter = target_strata.listing_quarter
            and candidate_profiles.industry_code = target_strata.industry_code
            and candidate_profiles.size_band = target_strata.size_band
            and candidate_profiles.had_pre_period_pipeline = target_strata.had_pre_period_pipeline
),

paired as (
    select
        target_slots.account_id as target_account_id,
        target_slots.tier,
        target_slots.listed_on,
        target_slots.listing_quarter,
        target_slots.is_removed,
        target_slots.industry_code,
        target_slots.size_band,
        target_slots.had_pre_period_pipeline,
        target_slots.fit_score as target_fit_score,
        candidate_slots.account_id as candidate_account_id,
        candidate_slots.fit_score as candidate_fit_score
    from target_slots
    left join candidate_slots
        on
            target_slots.listing_quarter = candidate_slots.listing_quarter
            and target_slots.industry_code = candidate_slots.industry_code
            and target_slots.size_band = candidate_slots.size_band
            and target_slots.had_pre_period_pipeline = candidate_slots.had_pre_period_pipeline
            and target_slots.pair_slot = candidate_slots.pair_slot
),

matched as (
    select
        target_account_id,
        tier,
        listed_on,
        listing_quarter,
        is_removed,
        industry_code,
        size_band,
        had_pre_period_pipeline,
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
