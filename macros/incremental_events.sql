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
