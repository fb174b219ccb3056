{#- The filter an incremental event model applies on a scheduled run: only rows at or after the newest
    stored event minus var `event_lookback_days`, so late-arriving events inside the look-back are
    picked up and re-delivered ones replace their stored copy (delete+insert on the unique key).
    On a first run or --full-refresh there is no filter. -#}
{% macro incremental_event_filter(time_column) -%}
    {%- if is_incremental() -%}
        {{ time_column }} >= (
            select {{ dbt.dateadd('day', -var('event_lookback_days'), 'max(stored.' ~ time_column ~ ')') }}
            from {{ this }} as stored
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#- How the incremental models (event staging, histories, the account-id registry) are kept, per
    adapter. DuckDB and other warehouses with delete+insert: incremental on the unique key. Spark:
    incremental by merge needs a table format with row-level changes (Delta, Iceberg, Hudi: var
    abm_spark_file_format, as on Databricks); on plain Parquet tables Spark can only append or
    overwrite, neither of which replaces a re-delivered event, so there these models are rebuilt in
    full each run: the same rows for event staging, but no history older than the raw data allows and
    account ids that are the deterministic ids of the run's clusters (README "Running on Spark"). -#}
{% macro abm_incremental_materialization() -%}
    {{ return(adapter.dispatch('abm_incremental_materialization', 'abm_analytics')()) }}
{%- endmacro %}

{% macro default__abm_incremental_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__abm_incremental_materialization() -%}
    {{ return('incremental' if var('abm_spark_file_format', 'parquet') in ('delta', 'iceberg', 'hudi') else 'table') }}
{%- endmacro %}

{% macro abm_incremental_strategy() -%}
    {{ return(adapter.dispatch('abm_incremental_strategy', 'abm_analytics')()) }}
{%- endmacro %}

{% macro default__abm_incremental_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__abm_incremental_strategy() -%}
    {{ return('merge') }}
{%- endmacro %}

{% macro databricks__abm_incremental_strategy() -%}
    {{ return('merge') }}
{%- endmacro %}

{#- The unique key of an incremental model whose every run re-evaluates whole days (the evaluated funnel
    and phases and their histories: each evaluated day holds every account). With delete+insert the key
    is the day: a re-evaluated day replaces every stored row of that day, so an account that is gone
    since (merged into another by identity resolution) leaves it too, and the delete compares one date
    column instead of the row key. A merge (Spark) matches rows one to one, so there it is the row key
    (its rows of vanished accounts stay until a full refresh). -#}
{% macro abm_day_batch_key(row_key, day_column) -%}
    {{ return(adapter.dispatch('abm_day_batch_key', 'abm_analytics')(row_key, day_column)) }}
{%- endmacro %}

{% macro default__abm_day_batch_key(row_key, day_column) -%}
    {{ return(day_column if abm_incremental_strategy() == 'delete+insert' else row_key) }}
{%- endmacro %}
