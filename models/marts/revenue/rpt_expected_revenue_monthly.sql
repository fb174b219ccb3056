-- Expected revenue over time per department and product line (grain: evaluated_on, department,
-- product_line): at each month end of the funnel history and on as_of_date, the open pipeline and
-- its stage-weighted value (doc expected_revenue), with the accounts that carry it.
with

staged as (
    select * from {{ ref('int_opportunity_stages_at_dates') }}
),

probabilities as (
    select * from {{ ref('int_stage_win_probabilities_learned') }}
),

weighted as (
    select
        staged.evaluated_on,
        staged.is_as_of_date,
        staged.account_id,
        staged.department,
        staged.product_line,
        staged.amount_jpy,
        staged.amount_jpy * probabilities.win_probability as expected_jpy
    from staged
    inner join probabilities on staged.stage_order = probabilities.stage_order
),

per_period as (
    select
        evaluated_on,
        is_as_of_date,
        department,
        product_line,
        count(distinct account_id) as accounts,
        count(*) as open_opportunities,
        {{ as_yen('sum(amount_jpy)') }} as open_pipeline_jpy,
        {{ as_yen('sum(expected_jpy)') }} as expected_revenue_jpy
    from weighted
    group by evaluated_on, is_as_of_date, department, product_line
)

select * from per_period
