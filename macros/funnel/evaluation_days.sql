{#- The funnel and the department phases are evaluated on the days of int_funnel_evaluation_dates: the
    week and month ends of the history and as_of_date. Evaluating every one of them on every run costs
    the daily refresh as much as a full build (26 days × every account), so the two models are
    incremental and keep exactly the spine's days:

    - prune_to_evaluation_days (pre-hook): a stored day leaves when it has left the spine (older than
      the history; yesterday's as_of_date when it is no period end); a day whose flags changed keeps
      its rows with the new flags (refresh_evaluation_day_flags); on the days this run evaluates, rows
      whose account or department no longer qualifies leave (rows_without_inputs: the delete+insert on
      the row key replaces only the rows the run writes);
    - evaluation_days_filter (where clause on the spine): a daily run evaluates as_of_date, the spine
      days the table lacks (new period ends, days just pruned) and the period ends within var
      event_lookback_days of the newest stored one — the days late events may still change, the same
      window fct_account_funnel_history and fct_department_phase_history take. Older period ends keep
      the figures they were given: only those histories read them, and they froze them already.

    A first run or --full-refresh evaluates every day, as before. -#}
{% macro prune_to_evaluation_days(rows_without_inputs=none) -%}
    {%- if is_incremental() -%}
        {%- set spine = ref('int_funnel_evaluation_dates') -%}
        delete from {{ this }}
        where evaluated_on not in (select spine.evaluated_on from {{ spine }} as spine);
        {{ refresh_evaluation_day_flags(spine) }};
        {%- if rows_without_inputs %}
        -- a row of a day this run evaluates whose account (department) no longer has what makes a row:
        -- merged into another account, or its events gone; nothing else would replace or remove it
        delete from {{ this }} as stored
        where
            stored.evaluated_on in (
                select spine.evaluated_on
                from {{ spine }} as spine
                where {{ evaluation_days_filter('spine') }}
            )
            and {{ rows_without_inputs }}
        {%- endif %}
    {%- endif -%}
{%- endmacro %}

{#- A stored day whose flags changed (yesterday's as_of_date is a month end today; a week end left the
    weekly history but is a month end): its rows stay right, only the flags move — the state on a day
    does not depend on them. Where an update can read another table (DuckDB), the flags are updated in
    place; elsewhere the day is deleted and evaluated again, as a missing day. -#}
{% macro refresh_evaluation_day_flags(spine) -%}
    {{ return(adapter.dispatch('refresh_evaluation_day_flags', 'abm_analytics')(spine)) }}
{%- endmacro %}

{% macro default__refresh_evaluation_day_flags(spine) -%}
    delete from {{ this }}
    where evaluated_on not in (
        select spine.evaluated_on
        from {{ spine }} as spine
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
{%- endmacro %}

{% macro duckdb__refresh_evaluation_day_flags(spine) -%}
    update {{ this }} as stored
    set
        is_week_end = spine.is_week_end,
        is_month_end = spine.is_month_end,
        is_quarter_end = spine.is_quarter_end,
        is_as_of_date = spine.is_as_of_date
    from {{ spine }} as spine
    where
        stored.evaluated_on = spine.evaluated_on
        and (
            stored.is_week_end != spine.is_week_end
            or stored.is_month_end != spine.is_month_end
            or stored.is_quarter_end != spine.is_quarter_end
            or stored.is_as_of_date != spine.is_as_of_date
        )
{%- endmacro %}

{% macro evaluation_days_filter(spine) -%}
    {%- if is_incremental() -%}
        {{ spine }}.is_as_of_date
        -- the stored days first (a few dozen): a membership test against every stored row builds a
        -- hash table of tens of millions of dates
        or {{ spine }}.evaluated_on not in (select distinct stored.evaluated_on from {{ this }} as stored)
        or {{ spine }}.evaluated_on >= (
            select {{ dbt.dateadd('day', -var('event_lookback_days'), 'max(stored.evaluated_on)') }}
            from {{ this }} as stored
            where stored.is_week_end or stored.is_month_end
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- rows_without_inputs of the two evaluated models (prune_to_evaluation_days; `stored` is the row):
    a department has a row on a day when it had an event by then; every consolidated account has one. -#}
{% macro department_has_no_events_by_the_day() -%}
    not exists (
        -- each department's first event once, not every event per stored row
        select 1
        from (
            select
                events.account_id,
                events.department,
                min(events.occurred_at) as first_event_at
            from {{ ref('int_account_department_events') }} as events
            group by events.account_id, events.department
        ) as departments
        where
            departments.account_id = stored.account_id
            and departments.department = stored.department
            and departments.first_event_at < {{ dbt.dateadd('day', 1, 'stored.evaluated_on') }}
    )
{%- endmacro %}

{% macro account_is_gone() -%}
    stored.account_id not in (select accounts.account_id from {{ ref('int_accounts_consolidated') }} as accounts)
{%- endmacro %}
