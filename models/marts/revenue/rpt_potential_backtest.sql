-- How well the potential predicts a customer's real LTV (grain: method): each customer's LTV estimated
-- from the other customers only (leave-one-out, int_account_potential_estimated), by the size-scaled
-- method expected_ltv_jpy uses and by the comparables' plain mean, on the same customers.
with

potential as (
    select * from {{ ref('int_account_potential_estimated') }}
),

customers as (
    select
        account_id,
        cast(ltv_jpy as {{ type_double() }}) as actual,
        loo_expected_ltv_jpy,
        loo_segment_mean_ltv_jpy
    from potential
    where
        ltv_jpy > 0
        and loo_expected_ltv_jpy > 0
        and loo_segment_mean_ltv_jpy > 0
),

estimates as (
    select
        'size_scaled' as method,
        account_id,
        actual,
        loo_expected_ltv_jpy as estimate
    from customers
    union all
    select
        'segment_mean' as method,
        account_id,
        actual,
        loo_segment_mean_ltv_jpy as estimate
    from customers
),

ranked as (
    select
        method,
        ln(actual) as log_actual,
        ln(estimate) as log_estimate,
        abs(ln(estimate / actual)) as absolute_log_error,
        -- tied values share their average rank (a segment mean gives many customers one estimate)
        rank() over (partition by method order by actual)
        + cast(count(*) over (partition by method, actual) - 1 as {{ type_double() }}) / 2 as actual_rank,
        rank() over (partition by method order by estimate)
        + cast(count(*) over (partition by method, estimate) - 1 as {{ type_double() }}) / 2 as estimate_rank
    from estimates
),

measured as (
    select
        method,
        count(*) as customers,
        corr(actual_rank, estimate_rank) as rank_correlation,
        corr(log_actual, log_estimate) as log_correlation,
        {{ median('absolute_log_error') }} as median_absolute_log_error,
        {{ rate('sum(case when absolute_log_error <= ln(2) then 1 else 0 end)', 'count(*)') }}
            as share_within_factor_two
    from ranked
    group by method
)

select * from measured
