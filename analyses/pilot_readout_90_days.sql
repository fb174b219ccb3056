-- The 90-day ABM pilot readout: where target accounts stood when the pilot began and where they stand
-- on as_of_date, against their matched controls — accounts per funnel stage then and now, accounts that
-- moved deeper, and the pipeline and wins added. The pilot start is the last stored period end on or
-- before as_of_date − 90 days (fct_account_funnel_history), so the "then" figures are the frozen ones.
{% set pilot_days = 90 %}

with

history as (
    select * from {{ ref('fct_account_funnel_history') }}
),

funnel_now as (
    select * from {{ ref('fct_account_funnel') }}
),

pilot_start as (
    select max(evaluated_on) as evaluated_on
    from history
    where evaluated_on <= {{ dbt.dateadd('day', -pilot_days, as_of_date()) }}
),

funnel_then as (
    select history.*
    from history
    inner join pilot_start on history.evaluated_on = pilot_start.evaluated_on
),

compared as (
    select
        funnel_now.cohort,
        funnel_now.account_id,
        coalesce(funnel_then.funnel_stage_order, 0) as stage_order_then,
        funnel_now.funnel_stage_order as stage_order_now,
        funnel_now.pipeline_amount_jpy - coalesce(funnel_then.pipeline_amount_jpy, 0) as pipeline_added_jpy,
        funnel_now.won_amount_jpy - coalesce(funnel_then.won_amount_jpy, 0) as won_added_jpy
    from funnel_now
    left join funnel_then on funnel_now.account_id = funnel_then.account_id
    where funnel_now.cohort in ('target', 'control')
)

select
    cohort,
    count(*) as accounts,
    avg(stage_order_then) as average_stage_then,
    avg(stage_order_now) as average_stage_now,
    count(case when stage_order_now > stage_order_then then 1 end) as accounts_moved_deeper,
    count(case when stage_order_then >= 4 then 1 end) as pipeline_accounts_then,
    count(case when stage_order_now >= 4 then 1 end) as pipeline_accounts_now,
    sum(pipeline_added_jpy) as pipeline_added_jpy,
    sum(won_added_jpy) as won_added_jpy
from compared
group by cohort
order by cohort
