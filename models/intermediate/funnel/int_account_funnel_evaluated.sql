-- The account funnel of every account on as_of_date (grain: account_id; evaluated_on = as_of_date):
-- coverage and reach of the expected buying committee, high-intent engagement, pipeline and wins,
-- each counted only from data dated on or before that day. The definition is the macro
-- account_funnel_on_days, which fct_account_funnel_history applies to past week and month ends.
{%- set as_of_day %}
    select * from {{ ref('int_funnel_evaluation_dates') }}
    where is_as_of_date
{%- endset %}

{{ account_funnel_on_days(as_of_day) }}
