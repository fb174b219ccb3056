-- The seeds' ABM phase of every account department on as_of_date (grain: account_id, department;
-- evaluated_on = as_of_date), from data dated on or before that day. The definition is the macro
-- department_phases_on_days, which fct_department_phase_history applies to past week and month ends.
{%- set as_of_day %}
    select * from {{ ref('int_funnel_evaluation_dates') }}
    where is_as_of_date
{%- endset %}

{{ department_phases_on_days(as_of_day) }}
