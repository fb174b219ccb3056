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

{#- The unique key of an incremental model that rewrites whole batches of rows: whole days (the two
    histories: each re-taken period end holds every account) or whole accounts (the models carried per
    account, macros/carried_accounts.sql). With delete+insert the key is the batch column: a rewritten
    batch replaces every stored row of that day (account), so a row the batch no longer has — an
    account merged away since, a campaign or role the account no longer has — leaves too, and the
    delete compares one column instead of the row key. A merge (Spark) matches rows one to one, so
    there it is the row key (such stale rows stay until a full refresh; on Spark these models are
    rebuilt whole anyway unless the table format is Delta, Iceberg or Hudi). -#}
{% macro abm_batch_key(row_key, batch_column) -%}
    {{ return(adapter.dispatch('abm_batch_key', 'abm_analytics')(row_key, batch_column)) }}
{%- endmacro %}

{% macro default__abm_batch_key(row_key, batch_column) -%}
    {{ return(batch_column if abm_incremental_strategy() == 'delete+insert' else row_key) }}
{%- endmacro %}
