-- ABM lift: target accounts against their matched controls (int_accounts_control_matched), per
-- quarter and tier (grain: quarter_start, tier, metric). Only matched pairs count, so both cohorts
-- have the same accounts per tier. Metrics: sql_rate (share of accounts with an opportunity reaching
-- SQL/SQO in the quarter), pipeline_amount_per_account (yen reaching pipeline in the quarter per
-- account), win_rate (won ÷ closed opportunities closed in the quarter) and acv_jpy (mean won amount).
-- Confidence interval: normal approximation, difference ± z·√(s²_t/n_t + s²_c/n_c), with s² the sample
-- variance of the units (0/1 outcomes for rates); null when a cohort has fewer than two units.
with

matches as (
    select * from {{ ref('int_accounts_control_matched') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_progressed') }}
),

matched_accounts as (
    select
        target_account_id as account_id,
        'target' as cohort,
        cast(tier as {{ dbt.type_string() }}) as tier
    from matches
    where match_status = 'matched'
    union all
    select
        control_account_id as account_id,
        'control' as cohort,
        cast(tier as {{ dbt.type_string() }}) as tier
    from matches
    where match_status = 'matched'
),

quarters as (
    select
        cast({{ dbt.dateadd(
            'month', '-3 * integers.n', dbt.date_trunc('quarter', as_of_date())
        ) }} as date) as quarter_start
    from {{ integers(var('lift_quarters')) }}
),

account_quarters as (
    select
        matched_accounts.account_id,
        matched_accounts.cohort,
        matched_accounts.tier,
        quarters.quarter_start
    from matched_accounts
    cross join quarters
),

dated_opportunities as (
    select
        account_id,
        amount_jpy,
        is_won,
        cast({{ dbt.date_trunc('quarter', 'pipeline_reached_at') }} as date) as pipeline_quarter,
        cast({{ dbt.date_trunc('quarter', 'closed_at') }} as date) as closed_quarter,
        pipeline_reached_at < {{ as_of_cutoff_timestamp() }} as is_pipeline_by_as_of,
        closed_at < {{ as_of_cutoff_timestamp() }} as is_closed_by_as_of
    from opportunities
    where account_id is not null
),

account_pipeline as (
    select
        account_quarters.account_id,
        account_quarters.cohort,
        account_quarters.tier,
        account_quarters.quarter_start,
        count(dated_opportunities.account_id) as pipeline_opportunities,
        coalesce(sum(dated_opportunities.amount_jpy), 0) as pipeline_amount_jpy
    from account_quarters
    left join dated_opportunities
        on
            account_quarters.account_id = dated_opportunities.account_id
            and account_quarters.quarter_start = dated_opportunities.pipeline_quarter
            and dated_opportunities.is_pipeline_by_as_of
    group by account_quarters.account_id, account_quarters.cohort, account_quarters.tier, account_quarters.quarter_start
),

closed_deals as (
    select
        account_quarters.cohort,
        account_quarters.tier,
        account_quarters.quarter_start,
        dated_opportunities.is_won,
        dated_opportunities.amount_jpy
    from account_quarters
    inner join dated_opportunities
        on
            account_quarters.account_id = dated_opportunities.account_id
            and account_quarters.quarter_start = dated_opportunities.closed_quarter
            and dated_opportunities.is_closed_by_as_of
),

-- one row per unit (account-quarter or deal) and metric, with its value
observations as (
    select
        quarter_start,
        tier,
        cohort,
        'sql_rate' as metric,
        case when pipeline_opportunities > 0 then 1.0 else 0.0 end as observed_value
    from account_pipeline
    union all
    select
        quarter_start,
        tier,
        cohort,
        'pipeline_amount_per_account' as metric,
        cast(pipeline_amount_jpy as {{ dbt.type_float() }}) as observed_value
    from account_pipeline
    union all
    select
        quarter_start,
        tier,
        cohort,
        'win_rate' as metric,
        case when is_won then 1.0 else 0.0 end as observed_value
    from closed_deals
    union all
    select
        quarter_start,
        tier,
        cohort,
        'acv_jpy' as metric,
        cast(amount_jpy as {{ dbt.type_float() }}) as observed_value
    from closed_deals
    where is_won
),

all_tiers as (
    select * from observations
    union all
    select
        quarter_start,
        'all' as tier,
        cohort,
        metric,
        observed_value
    from observations
),

cohort_stats as (
    select
        quarter_start,
        tier,
        metric,
        cohort,
        count(*) as units,
        avg(observed_value) as mean_value,
        var_samp(observed_value) as variance
    from all_tiers
    group by quarter_start, tier, metric, cohort
),

lift_tiers as (
    select distinct tier from matched_accounts
    union all
    select 'all' as tier
),

lift_metrics as (
    select 'sql_rate' as metric
    union all
    select 'pipeline_amount_per_account' as metric
    union all
    select 'win_rate' as metric
    union all
    select 'acv_jpy' as metric
),

-- every quarter × tier × metric, also when one cohort has no units
grid as (
    select distinct
        quarters.quarter_start,
        lift_tiers.tier,
        lift_metrics.metric
    from quarters
    cross join lift_tiers
    cross join lift_metrics
),

compared as (
    select
        grid.quarter_start,
        grid.tier,
        grid.metric,
        coalesce(target_stats.units, 0) as target_units,
        coalesce(control_stats.units, 0) as control_units,
        target_stats.mean_value as target_value,
        control_stats.mean_value as control_value,
        target_stats.mean_value - control_stats.mean_value as difference,
        case
            when target_stats.units >= 2 and control_stats.units >= 2
                then {{ var('lift_confidence_z') }} * sqrt(
                    target_stats.variance / target_stats.units + control_stats.variance / control_stats.units
                )
        end as margin_of_error
    from grid
    left join cohort_stats as target_stats
        on
            grid.quarter_start = target_stats.quarter_start
            and grid.tier = target_stats.tier
            and grid.metric = target_stats.metric
            and target_stats.cohort = 'target'
    left join cohort_stats as control_stats
        on
            grid.quarter_start = control_stats.quarter_start
            and grid.tier = control_stats.tier
            and grid.metric = control_stats.metric
            and control_stats.cohort = 'control'
),

lift as (
    select
        quarter_start,
        tier,
        metric,
        target_units,
        control_units,
        round(target_value, 4) as target_value,
        round(control_value, 4) as control_value,
        round(difference, 4) as difference,
        round(difference - margin_of_error, 4) as ci_lower,
        round(difference + margin_of_error, 4) as ci_upper,
        case when control_value > 0 then round(target_value / control_value - 1, 4) end as relative_lift,
        coalesce(difference - margin_of_error > 0 or difference + margin_of_error < 0, false)
            as is_significant
    from compared
)

select * from lift
