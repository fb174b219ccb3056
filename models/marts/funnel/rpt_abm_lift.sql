-- ABM lift as an effect estimate (grain: quarter_start, tier, metric; doc block abm_lift_design).
-- A matched pair (int_accounts_control_matched) counts in a quarter only once the target has been
-- on the list for that whole quarter (quarters after its listing quarter); removed targets stay in
-- (intention to treat). Each pair is compared with its own pre-period: the var lift_pre_quarters
-- quarters before the listing quarter. Difference in differences:
--   effect = (target now − target before) − (control now − control before).
-- Account metrics (sql_rate, pipeline_amount_per_account): one difference per pair, interval
-- mean ± z·sd/√pairs. Deal metrics (win_rate, acv_jpy): four groups of deals (target/control ×
-- before/now), interval ± z·√Σ s²/n; null when a group has fewer than two deals.
with

matches as (
    select * from {{ ref('int_accounts_control_matched') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_progressed') }}
),

pairs as (
    select
        target_account_id,
        control_account_id,
        cast(tier as {{ dbt.type_string() }}) as tier,
        listing_quarter,
        coalesce(is_removed, false) as is_removed
    from matches
    where match_status = 'matched'
),

report_quarters as (
    select
        cast({{ dbt.dateadd(
            'month', '-3 * integers.n', dbt.date_trunc('quarter', as_of_date())
        ) }} as date) as quarter_start
    from {{ integers(var('lift_quarters')) }}
),

-- each pair in every report quarter after its listing quarter
treated_pair_quarters as (
    select
        pairs.*,
        report_quarters.quarter_start
    from pairs
    inner join report_quarters on pairs.listing_quarter < report_quarters.quarter_start
),

pre_quarter_offsets as (
    select integers.n + 1 as quarters_before
    from {{ integers(var('lift_pre_quarters')) }}
),

pair_pre_quarters as (
    select
        pairs.*,
        cast({{ dbt.dateadd(
            'month', '-3 * pre_quarter_offsets.quarters_before', 'pairs.listing_quarter'
        ) }} as date) as pre_quarter_start
    from pairs
    cross join pre_quarter_offsets
),

dated_opportunities as (
    select
        account_id,
        amount_jpy,
        is_won,
        case
            when pipeline_reached_at < {{ as_of_cutoff_timestamp() }}
                then cast({{ dbt.date_trunc('quarter', 'pipeline_reached_at') }} as date)
        end as pipeline_quarter,
        case
            when closed_at < {{ as_of_cutoff_timestamp() }}
                then cast({{ dbt.date_trunc('quarter', 'closed_at') }} as date)
        end as closed_quarter
    from opportunities
    where account_id is not null
),

account_quarter_pipeline as (
    select
        account_id,
        pipeline_quarter as quarter_start,
        sum(amount_jpy) as pipeline_amount_jpy
    from dated_opportunities
    where pipeline_quarter is not null
    group by account_id, pipeline_quarter
),

-- the outcome of one account in one quarter: had pipeline (0/1) and its amount
pair_quarter_outcomes as (
    select
        pair_quarters.target_account_id,
        pair_quarters.tier,
        pair_quarters.period_quarter,
        pair_quarters.period,
        case when target_pipeline.account_id is not null then 1.0 else 0.0 end as target_had_pipeline,
        cast(coalesce(target_pipeline.pipeline_amount_jpy, 0) as {{ type_double() }}) as target_amount,
        case when control_pipeline.account_id is not null then 1.0 else 0.0 end as control_had_pipeline,
        cast(coalesce(control_pipeline.pipeline_amount_jpy, 0) as {{ type_double() }}) as control_amount
    from (
        select
            target_account_id,
            control_account_id,
            tier,
            pre_quarter_start as period_quarter,
            'pre' as period
        from pair_pre_quarters
        union all
        select
            target_account_id,
            control_account_id,
            tier,
            quarter_start as period_quarter,
            'post' as period
        from treated_pair_quarters
    ) as pair_quarters
    left join account_quarter_pipeline as target_pipeline
        on
            pair_quarters.target_account_id = target_pipeline.account_id
            and pair_quarters.period_quarter = target_pipeline.quarter_start
    left join account_quarter_pipeline as control_pipeline
        on
            pair_quarters.control_account_id = control_pipeline.account_id
            and pair_quarters.period_quarter = control_pipeline.quarter_start
),

pair_pre_means as (
    select
        target_account_id,
        avg(target_had_pipeline) as target_had_pipeline,
        avg(target_amount) as target_amount,
        avg(control_had_pipeline) as control_had_pipeline,
        avg(control_amount) as control_amount
    from pair_quarter_outcomes
    where period = 'pre'
    group by target_account_id
),

account_metrics as (
    select 'sql_rate' as metric
    union all
    select 'pipeline_amount_per_account' as metric
),

cohorts as (
    select 'target' as cohort
    union all
    select 'control' as cohort
),

-- one row per treated pair, quarter and account metric: now, before, and the pair's difference
pair_differences as (
    select
        post.period_quarter as quarter_start,
        post.tier,
        metrics.metric,
        case when metrics.metric = 'sql_rate' then post.target_had_pipeline else post.target_amount end
            as target_post,
        case when metrics.metric = 'sql_rate' then pre.target_had_pipeline else pre.target_amount end
            as target_pre,
        case when metrics.metric = 'sql_rate' then post.control_had_pipeline else post.control_amount end
            as control_post,
        case when metrics.metric = 'sql_rate' then pre.control_had_pipeline else pre.control_amount end
            as control_pre
    from pair_quarter_outcomes as post
    inner join pair_pre_means as pre on post.target_account_id = pre.target_account_id
    cross join account_metrics as metrics
    where post.period = 'post'
),

pair_differences_all_tiers as (
    select * from pair_differences
    union all
    select
        quarter_start,
        'all' as tier,
        metric,
        target_post,
        target_pre,
        control_post,
        control_pre
    from pair_differences
),

account_metric_stats as (
    select
        quarter_start,
        tier,
        metric,
        'paired_difference_in_differences' as estimator,
        count(*) as pairs,
        count(*) as target_units,
        count(*) as control_units,
        count(*) as target_pre_units,
        count(*) as control_pre_units,
        avg(target_post) as target_value,
        avg(control_post) as control_value,
        avg(target_pre) as target_pre_value,
        avg(control_pre) as control_pre_value,
        avg((target_post - target_pre) - (control_post - control_pre)) as effect,
        case
            when count(*) >= 2
                then
                    {{ var('lift_confidence_z') }}
                    * sqrt(var_samp((target_post - target_pre) - (control_post - control_pre)) / count(*))
        end as margin_of_error
    from pair_differences_all_tiers
    group by quarter_start, tier, metric
),

-- deals of treated pairs: closed in the report quarter (post) or in the pair's pre-period (pre)
pair_deals as (
    select
        treated_pair_quarters.quarter_start,
        treated_pair_quarters.tier,
        cohorts.cohort,
        case
            when dated_opportunities.closed_quarter = treated_pair_quarters.quarter_start then 'post'
            else 'pre'
        end as period,
        dated_opportunities.is_won,
        dated_opportunities.amount_jpy
    from treated_pair_quarters
    cross join cohorts
    inner join dated_opportunities
        on
            case
                when cohorts.cohort = 'target' then treated_pair_quarters.target_account_id
                else treated_pair_quarters.control_account_id
            end = dated_opportunities.account_id
            and (
                treated_pair_quarters.quarter_start = dated_opportunities.closed_quarter
                or (
                    treated_pair_quarters.listing_quarter > dated_opportunities.closed_quarter
                    and cast({{ dbt.dateadd(
                        'month', -3 * var('lift_pre_quarters'), 'treated_pair_quarters.listing_quarter'
                    ) }} as date) <= dated_opportunities.closed_quarter
                )
            )
),

deal_observations as (
    select
        quarter_start,
        tier,
        cohort,
        period,
        'win_rate' as metric,
        case when is_won then 1.0 else 0.0 end as observed_value
    from pair_deals
    union all
    select
        quarter_start,
        tier,
        cohort,
        period,
        'acv_jpy' as metric,
        cast(amount_jpy as {{ type_double() }}) as observed_value
    from pair_deals
    where is_won
),

deal_observations_all_tiers as (
    select * from deal_observations
    union all
    select
        quarter_start,
        'all' as tier,
        cohort,
        period,
        metric,
        observed_value
    from deal_observations
),

deal_cells as (
    select
        quarter_start,
        tier,
        metric,
        cohort,
        period,
        count(*) as units,
        avg(observed_value) as mean_value,
        var_samp(observed_value) as variance
    from deal_observations_all_tiers
    group by quarter_start, tier, metric, cohort, period
),

treated_pairs_per_quarter as (
    select
        quarter_start,
        tier,
        count(*) as pairs,
        count(case when is_removed then 1 end) as removed_target_pairs
    from treated_pair_quarters
    group by quarter_start, tier
    union all
    select
        quarter_start,
        'all' as tier,
        count(*) as pairs,
        count(case when is_removed then 1 end) as removed_target_pairs
    from treated_pair_quarters
    group by quarter_start
),

deal_metrics as (
    select 'win_rate' as metric
    union all
    select 'acv_jpy' as metric
),

deal_metric_stats as (
    select
        treated_pairs_per_quarter.quarter_start,
        treated_pairs_per_quarter.tier,
        deal_metrics.metric,
        'difference_in_differences' as estimator,
        treated_pairs_per_quarter.pairs,
        coalesce(target_post.units, 0) as target_units,
        coalesce(control_post.units, 0) as control_units,
        coalesce(target_pre.units, 0) as target_pre_units,
        coalesce(control_pre.units, 0) as control_pre_units,
        target_post.mean_value as target_value,
        control_post.mean_value as control_value,
        target_pre.mean_value as target_pre_value,
        control_pre.mean_value as control_pre_value,
        (target_post.mean_value - target_pre.mean_value) - (control_post.mean_value - control_pre.mean_value)
            as effect,
        case
            when
                target_post.units >= 2 and control_post.units >= 2
                and target_pre.units >= 2 and control_pre.units >= 2
                then {{ var('lift_confidence_z') }} * sqrt(
                    target_post.variance / target_post.units + target_pre.variance / target_pre.units
                    + control_post.variance / control_post.units + control_pre.variance / control_pre.units
                )
        end as margin_of_error
    from treated_pairs_per_quarter
    cross join deal_metrics
    {%- for cohort in ['target', 'control'] %}{% for period in ['post', 'pre'] %}
    left join deal_cells as {{ cohort }}_{{ period }}
        on
            treated_pairs_per_quarter.quarter_start = {{ cohort }}_{{ period }}.quarter_start
            and treated_pairs_per_quarter.tier = {{ cohort }}_{{ period }}.tier
            and deal_metrics.metric = {{ cohort }}_{{ period }}.metric
            and {{ cohort }}_{{ period }}.cohort = '{{ cohort }}'
            and {{ cohort }}_{{ period }}.period = '{{ period }}'
    {%- endfor %}{% endfor %}
),

estimates as (
    select * from account_metric_stats
    union all
    select * from deal_metric_stats
),

lift_tiers as (
    select distinct tier from pairs
    union all
    select 'all' as tier
),

lift_metrics as (
    select
        metric,
        estimator
    from (
        select
            'sql_rate' as metric,
            'paired_difference_in_differences' as estimator
        union all
        select
            'pipeline_amount_per_account' as metric,
            'paired_difference_in_differences' as estimator
        union all
        select
            'win_rate' as metric,
            'difference_in_differences' as estimator
        union all
        select
            'acv_jpy' as metric,
            'difference_in_differences' as estimator
    ) as metric_estimators
),

-- every quarter × tier × metric, also when no pair is treated yet
grid as (
    select
        report_quarters.quarter_start,
        lift_tiers.tier,
        lift_metrics.metric,
        lift_metrics.estimator
    from report_quarters
    cross join lift_tiers
    cross join lift_metrics
),

lift as (
    select
        grid.quarter_start,
        grid.tier,
        -- the same tier as an integer, as every other mart carries it (null on the all-tiers rows)
        case when grid.tier != 'all' then cast(grid.tier as {{ dbt.type_int() }}) end as target_tier,
        grid.metric,
        grid.estimator,
        coalesce(estimates.pairs, 0) as pairs,
        coalesce(treated_pairs_per_quarter.removed_target_pairs, 0) as removed_target_pairs,
        coalesce(estimates.target_units, 0) as target_units,
        coalesce(estimates.control_units, 0) as control_units,
        coalesce(estimates.target_pre_units, 0) as target_pre_units,
        coalesce(estimates.control_pre_units, 0) as control_pre_units,
        round(estimates.target_value, 4) as target_value,
        round(estimates.control_value, 4) as control_value,
        round(estimates.target_pre_value, 4) as target_pre_value,
        round(estimates.control_pre_value, 4) as control_pre_value,
        round(estimates.target_value - estimates.control_value, 4) as naive_difference,
        -- what the targets would have shown without ABM: their own level moved as the controls moved
        round(estimates.target_pre_value + estimates.control_value - estimates.control_pre_value, 4)
            as counterfactual_value,
        round(estimates.effect, 4) as difference,
        round(estimates.effect - estimates.margin_of_error, 4) as ci_lower,
        round(estimates.effect + estimates.margin_of_error, 4) as ci_upper,
        case
            when estimates.target_pre_value + estimates.control_value - estimates.control_pre_value > 0
                then round(
                    estimates.effect
                    / (estimates.target_pre_value + estimates.control_value - estimates.control_pre_value), 4
                )
        end as relative_lift,
        coalesce(
            estimates.effect - estimates.margin_of_error > 0 or estimates.effect + estimates.margin_of_error < 0,
            false
        ) as is_significant,
        cast({{ dbt.dateadd('month', 3, 'grid.quarter_start') }} as date)
        <= cast({{ dbt.dateadd('day', 1, as_of_date()) }} as date) as is_quarter_complete
    from grid
    left join estimates
        on
            grid.quarter_start = estimates.quarter_start
            and grid.tier = estimates.tier
            and grid.metric = estimates.metric
    left join treated_pairs_per_quarter
        on
            grid.quarter_start = treated_pairs_per_quarter.quarter_start
            and grid.tier = treated_pairs_per_quarter.tier
)

select * from lift
