{#- Appending models: incremental models whose rows are a function of their followed parents' rows
    (config meta appends_from: those parents' names) given everything else they read. The planned build
    (scripts/build_changed.py, scripts/abm_dbt/build_plan.py) lists such a model in
    abm_build.appending_nodes for the duration of a build only when nothing but the followed parents'
    data changed since the model was last built: then the model adds (or replaces, by unique key) the
    rows of the recent events only. In every other case — a people or identity change, new code, a dbt
    command outside the plan, another adapter — it is rebuilt whole, in place: the pre-hook
    abm_clear_unless_appending empties it and the incremental filter abm_append_filter lets every row in.
    The evaluated funnel and phases read the same list as "may carry stored states": they compare the
    followed parents' rows per account themselves (macros/funnel/carried_states.sql). -#}

{#- True when this build may add rows to the model: an incremental run listed by the plan. -#}
{% macro abm_appending() -%}
    {{ return(adapter.dispatch('abm_appending', 'abm_analytics')()) }}
{%- endmacro %}

{% macro default__abm_appending() -%}
    {#- no planned builds outside DuckDB: always whole -#}
    {{ return(false) }}
{%- endmacro %}

{% macro duckdb__abm_appending() -%}
    {#- a unit test renders the model without a table of its own: never appending -#}
    {%- if not execute or model.resource_type == 'unit_test' or not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set listed = load_relation(api.Relation.create(
            database=target.database, schema='abm_build', identifier='appending_nodes')) -%}
    {%- if listed is none -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set found = run_query("select count(*) from " ~ listed ~ " where unique_id = '" ~ model.unique_id ~ "'") -%}
    {{ return(found.columns[0].values()[0] > 0) }}
{%- endmacro %}

{#- pre-hook: an incremental run that may not append starts from an empty table, so the model's
    unfiltered select rebuilds it whole (rows whose input vanished do not survive). -#}
{% macro abm_clear_unless_appending() -%}
    {%- if execute and is_incremental() and not abm_appending() -%}
        delete from {{ this }}
    {%- endif -%}
{%- endmacro %}

{#- Filter of an appending model over a followed parent's rows: when appending, the rows at or after the
    newest stored one (among the stored rows `stored_where` selects) minus var event_lookback_days — the
    window in which the event staging models themselves add and replace rows; otherwise every row. -#}
{% macro abm_append_filter(time_column, stored_column, stored_where='true') -%}
    {%- if abm_appending() -%}
        {{ time_column }} >= (
            select coalesce(
                {{ dbt.dateadd('day', -var('event_lookback_days'), 'max(stored.' ~ stored_column ~ ')') }},
                cast('1900-01-01' as {{ dbt.type_timestamp() }})
            )
            from {{ this }} as stored
            where {{ stored_where }}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
