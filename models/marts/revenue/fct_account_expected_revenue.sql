-- Expected revenue per account, department and product line on as_of_date (grain: account_id,
-- department, product_line): the open pipeline and its stage-weighted value (doc expected_revenue).
-- Only combinations with an open deal have a row; accounts without one have no expected revenue.
with

staged as (
    select * from {{ ref('int_opportunity_stages_at_dates') }}
),

probabilities as (
    select * from {{ ref('int_stage_win_probabilities_learned') }}
),

open_today as (
    select
        staged.account_id,
        staged.department,
        staged.product_line,
        staged.amount_jpy,
        staged.stage_order,
        probabilities.win_probability
    from staged
    inner join probabilities on staged.stage_order = probabilities.stage_order
    where staged.is_as_of_date
),

per_account as (
    select
        account_id,
        department,
        product_line,
        count(*) as open_opportunities,
        {{ as_yen('sum(amount_jpy)') }} as open_pipeline_jpy,
        {{ as_yen('sum(amount_jpy * win_probability)') }} as expected_revenue_jpy,
        max(stage_order) as furthest_stage_order
    from open_today
    group by account_id, department, product_line
)

select * from per_account
order by account_id, department, product_line
