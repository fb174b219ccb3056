{#- Carried states: the evaluated funnel and phases hold each account's state on a day, a function of
    the account's own input rows, the day and the model's code (seeds, vars). A planned daily build that
    changed none of the code (the plan lists the model as appending: macros/appending.sql, config meta
    appends_from naming the inputs compared here) evaluates again only the accounts whose state may differ
    from the one stored for the latest stored day on or before the day evaluated (the reference day):

    - its inputs changed: the order-free fingerprint of its input rows (inputs_fingerprint) is not the
      one stored with that row — a new, changed, re-attributed or vanished event, a merged account;
    - or one of its dated inputs lies where the reference day and the evaluated day see it differently
      (crosses_window_edges): after the reference day (it entered), or on a day a rolling window of the
      model leaves between the two (it left the window).

    Every other account carries its stored state to the evaluated day. An account with no stored row on
    the reference day is evaluated. A first run, --full-refresh, a code change or another adapter
    evaluates every account, so the carried rows are the rows a whole evaluation gives (pytest:
    test_build_changed compares the two). -#}

{#- One value per group that changes when a row of the group is added, removed or changed, whatever the
    rows' order: the sum of the rows' 64-bit hashes (as a wide integer, so no overflow). -#}
{% macro inputs_fingerprint(columns) -%}
    {{ return(adapter.dispatch('inputs_fingerprint', 'abm_analytics')(columns)) }}
{%- endmacro %}

{% macro default__inputs_fingerprint(columns) -%}
    {#- no row hash known: never equal, so nothing is carried -#}
    cast(null as decimal(38, 0))
{%- endmacro %}

{% macro duckdb__inputs_fingerprint(columns) -%}
    cast(sum({{ key_hash(columns) }}) as decimal(38, 0))
{%- endmacro %}

{% macro spark__inputs_fingerprint(columns) -%}
    sum(cast({{ key_hash(columns) }} as decimal(38, 0)))
{%- endmacro %}

{#- True when the day `day_expr` of a dated input lies where `reference_day` and `evaluated_day` see it
    differently: after the reference day and on or before the evaluated day (it entered), or — for each
    rolling window of `windows` days (a window holding the days after day − window, up to day) — on a
    day the window leaves between the two. -#}
{% macro crosses_window_edges(day_expr, reference_day, evaluated_day, windows) -%}
    ({{ day_expr }} > {{ reference_day }} and {{ day_expr }} <= {{ evaluated_day }})
    {%- for window in windows %}
    or (
        {{ day_expr }} > {{ dbt.dateadd('day', -window, reference_day) }}
        and {{ day_expr }} <= {{ dbt.dateadd('day', -window, evaluated_day) }}
    )
    {%- endfor %}
{%- endmacro %}

{#- The days this run evaluates (`evaluated_days`: a relation or CTE with evaluated_on), each with its
    reference day: the latest day of this model's stored rows on or before it (none: no row is carried). -#}
{% macro reference_days(evaluated_days) -%}
    select
        evaluated.evaluated_on,
        max(stored_days.evaluated_on) as reference_on
    from {{ evaluated_days }} as evaluated
    inner join (select distinct stored.evaluated_on from {{ this }} as stored) as stored_days
        on stored_days.evaluated_on <= evaluated.evaluated_on
    group by evaluated.evaluated_on
{%- endmacro %}

{#- The stored rows that carry to each evaluated day (a CTE reference_days must exist): stored on the
    day's reference day, with the fingerprint the key's inputs have now (`inputs`: a CTE of the keys
    and inputs_fingerprint) and not among the keys whose dated inputs moved (`moved`: the keys and
    evaluated_on). Columns: the keys, the evaluated day, the carried `columns`, inputs_fingerprint,
    the reference day, and `stored_columns` as stored_<name> (to compare with the day's lookup). -#}
{% macro carried_rows(keys, columns, inputs, moved, stored_columns=[]) -%}
    select
        {%- for key in keys %}
        stored.{{ key }},
        {%- endfor %}
        reference_days.evaluated_on,
        {%- for column in columns %}
        stored.{{ column }},
        {%- endfor %}
        stored.inputs_fingerprint,
        reference_days.reference_on
        {%- for column in stored_columns %},
        stored.{{ column }} as stored_{{ column }}
        {%- endfor %}
    from {{ this }} as stored
    inner join reference_days on stored.evaluated_on = reference_days.reference_on
    inner join {{ inputs }} as inputs
        on
            {%- for key in keys %}
            stored.{{ key }} = inputs.{{ key }}
            and {% endfor -%}
            stored.inputs_fingerprint = inputs.inputs_fingerprint
    where not exists (
        select 1
        from {{ moved }} as moved
        where
            {%- for key in keys %}
            moved.{{ key }} = stored.{{ key }}
            and {% endfor -%}
            moved.evaluated_on = reference_days.evaluated_on
    )
{%- endmacro %}
