{#- The funnel and the department phases are evaluated on the days of int_funnel_evaluation_dates: the
    week and month ends of the history and as_of_date. Evaluating every one of them on every run costs
    the daily refresh as much as a full build (26 days × every account), so the two models are
    incremental and keep exactly the spine's days:

    - prune_to_evaluation_days (pre-hook): a stored day leaves when it has left the spine (older than
      the history) or its flags changed (yesterday's as_of_date; a week end older than the weekly history);
    - evaluation_days_filter (where clause on the spine): a daily run evaluates as_of_date, the spine
      days the table lacks (new period ends, days just pruned) and the period ends within var
      event_lookback_days of the newest stored one — the days late events may still change, the same
      window fct_account_funnel_history and fct_department_phase_history take. Older period ends keep
      the figures they were given: only those histories read them, and they froze them already.

    A first run or --full-refresh evaluates every day, as before. -#}
{% macro prune_to_evaluation_days() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where evaluated_on not in (
            select spine.evaluated_on
            from {{ ref('int_funnel_evaluation_dates') }} as spine
            inner join (
                select distinct evaluated_on, is_week_end, is_month_end, is_quarter_end, is_as_of_date
                from {{ this }}
            ) as stored
                on
                    spine.evaluated_on = stored.evaluated_on
                    and spine.is_week_end = stored.is_week_end
                    and spine.is_month_end = stored.is_month_end
                    and spine.is_quarter_end = stored.is_quarter_end
                    and spine.is_as_of_date = stored.is_as_of_date
        )
    {%- endif -%}
{%- endmacro %}

{% macro evaluation_days_filter(spine) -%}
    {%- if is_incremental() -%}
        {{ spine }}.is_as_of_date
        or {{ spine }}.evaluated_on not in (select stored.evaluated_on from {{ this }} as stored)
        or {{ spine }}.evaluated_on >= (
            select {{ dbt.dateadd('day', -var('event_lookback_days'), 'max(stored.evaluated_on)') }}
            from {{ this }} as stored
            where stored.is_week_end or stored.is_month_end
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
