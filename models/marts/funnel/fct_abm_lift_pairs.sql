-- The matched pairs behind rpt_abm_lift (grain: target_account_id): every target listed by as_of_date
-- with its control, or why it has none — so an analyst can audit the comparison and a dashboard can
-- drill from a lift figure to the accounts it compares.
with

matches as (
    select * from {{ ref('int_accounts_control_matched') }}
),

pairs as (
    select
        target_account_id,
        control_account_id,
        match_status,
        cast(tier as {{ dbt.type_int() }}) as target_tier,
        listed_on,
        listing_quarter,
        -- a pair counts in rpt_abm_lift from the first full quarter after the listing quarter
        cast({{ dbt.dateadd('month', 3, 'listing_quarter') }} as date) as first_counted_quarter,
        coalesce(is_removed, false) as is_removed,
        industry_code,
        size_band,
        had_pre_period_pipeline,
        {{ as_double('target_fit_score') }} as target_fit_score,
        {{ as_double('control_fit_score') }} as control_fit_score,
        {{ as_double('abs(target_fit_score - control_fit_score)') }} as fit_gap_points
    from matches
)

select * from pairs
