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

{#- pre-hook after prune_to_evaluation_days: in a planned build that appends to the model (abm_appending),
    the days this run may write — the spine days evaluation_days_filter lets in, taken after the prune,
    as the model's own select takes them — are recorded under the run's invocation_id in
    abm_build.evaluated_days (dropped with the appending list when the build ends). The model's key test
    (unique_combination_of_columns with recorded_days_column) then checks those days only: every other
    stored row is the one the test passed in the build that last wrote it — an appending model was last
    built by a successful planned build — and no row of another day can break a key that contains the
    day. Any other run records nothing, and the test checks every row. -#}
{% macro record_evaluated_days() -%}
    {%- if abm_appending() -%}
        {%- set recorded = abm_evaluated_days_relation() -%}
        {%- set spine = ref('int_funnel_evaluation_dates') -%}
        create table if not exists {{ recorded }} (
            relation_name {{ dbt.type_string() }},
            invocation_id {{ dbt.type_string() }},
            evaluated_on date
        );
        delete from {{ recorded }} where relation_name = '{{ this.identifier }}';
        insert into {{ recorded }}
        select
            '{{ this.identifier }}' as relation_name,
            '{{ invocation_id }}' as invocation_id,
            spine.evaluated_on
        from {{ spine }} as spine
        where {{ evaluation_days_filter('spine') }}
    {%- endif -%}
{%- endmacro %}

{#- Where record_evaluated_days keeps the days (scripts/abm_dbt/build_plan.py drops it after the build). -#}
{% macro abm_evaluated_days_relation() -%}
    {{ return(api.Relation.create(database=target.database, schema='abm_build', identifier='evaluated_days')) }}
{%- endmacro %}

{#- The subquery of the days the model recorded in this invocation (macro record_evaluated_days), or none
    when it recorded none: then the caller checks every row. Only DuckDB builds append (abm_appending). -#}
{% macro recorded_days_of(model) -%}
    {{ return(adapter.dispatch('recorded_days_of', 'abm_analytics')(model)) }}
{%- endmacro %}

{% macro default__recorded_days_of(model) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro duckdb__recorded_days_of(model) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set recorded = abm_evaluated_days_relation() -%}
    {#- the catalogue itself, not dbt's relation cache: the table was made by a hook of this run -#}
    {%- set exists = run_query(
        "select count(*) from information_schema.tables where table_catalog = '" ~ recorded.database
        ~ "' and table_schema = '" ~ recorded.schema ~ "' and table_name = '" ~ recorded.identifier ~ "'") -%}
    {%- if exists.columns[0].values()[0] == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set where -%}
        relation_name = '{{ model.identifier }}' and invocation_id = '{{ invocation_id }}'
    {%- endset -%}
    {%- set found = run_query("select count(*) from " ~ recorded ~ " where " ~ where) -%}
    {%- if found.columns[0].values()[0] == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("select recorded.evaluated_on from " ~ recorded ~ " as recorded where " ~ where) }}
{%- endmacro %}
