-- The matched pairs behind rpt_abm_lift (grain: target_account_id): every target listed by as_of_date
-- with its control, or why it has none — so an analyst can audit the comparison and a dashboard can
-- drill from a lift figure to the accounts it compares.
with

matches as (
    select * from {{ ref('int_accounts_control_matched') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

pairs as (
    select
        matches.target_account_id,
        matches.control_account_id,
        -- the names and industry a drill-down shows, here so it reads a few thousand pairs, not a million accounts
        targets.account_name as target_account_name,
        controls.account_name as control_account_name,
        targets.industry as target_industry,
        matches.match_status,
        cast(matches.tier as {{ dbt.type_int() }}) as target_tier,
        matches.listed_on,
        matches.listing_quarter,
        -- a pair counts in rpt_abm_lift from the first full quarter after the listing quarter
        cast({{ dbt.dateadd('month', 3, 'matches.listing_quarter') }} as date) as first_counted_quarter,
        coalesce(matches.is_removed, false) as is_removed,
        matches.industry_code,
        matches.size_band,
        matches.had_pre_period_pipeline,
        {{ as_double('matches.target_fit_score') }} as target_fit_score,
        {{ as_double('matches.control_fit_score') }} as control_fit_score,
        {{ as_double('abs(matches.target_fit_score - matches.control_fit_score)') }} as fit_gap_points
    from matches
    left join accounts as targets on matches.target_account_id = targets.account_id
    left join accounts as controls on matches.control_account_id = controls.account_id
)

select * from pairs
