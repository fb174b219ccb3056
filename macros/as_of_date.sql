{#- The reference day of every time-relative calculation: var `as_of_date` (ISO date), else the
    environment variable ABM_AS_OF_DATE, else today. The scheduled refresh sets the environment
    variable rather than the var: a var that changes every day would force dbt to re-parse the whole
    project every day (partial parsing is keyed on vars), while an environment variable read in a
    macro at run time does not.
    `as_of_date()` is a SQL date literal; `as_of_date_string()` the ISO text (for Python/Jinja). -#}
{% macro as_of_date_string() -%}
    {%- set value = var('as_of_date', none) -%}
    {%- if value is none or value | string | trim == '' -%}
        {%- set value = env_var('ABM_AS_OF_DATE', '') -%}
    {%- endif -%}
    {%- if value is none or value | string | trim == '' -%}
        {{- modules.datetime.date.today().isoformat() -}}
    {%- else -%}
        {#- Validate early: a malformed var fails the run with a clear message. -#}
        {%- set parsed = modules.datetime.date.fromisoformat(value | string | trim) -%}
        {{- parsed.isoformat() -}}
    {%- endif -%}
{%- endmacro %}

{% macro as_of_date() -%}
    cast('{{ as_of_date_string() }}' as date)
{%- endmacro %}

{#- First instant after the as-of day: events at or after it are "in the future". -#}
{% macro as_of_cutoff_timestamp() -%}
    cast({{ dbt.dateadd('day', 1, as_of_date()) }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- Age of an event in days: the day boundaries between it and the end of as_of_date (an event on the
    as-of day itself is 1 day old, one at the very end of it 0). -#}
{% macro age_in_days(timestamp_column) -%}
    {{ dbt.datediff(timestamp_column, as_of_cutoff_timestamp(), 'day') }}
{%- endmacro %}
