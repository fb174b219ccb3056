{#- Integers 0 … upper - 1 as a derived table `integers` with one column `n`: a portable row
    generator for date spines and character positions. Built from one ten-row list per decimal digit
    (cross joined, then cut at upper) rather than one literal row per integer: a 4,019-day spine is
    four ten-row lists, not 4,019 rows of SQL text for every engine and sqlfluff to parse. -#}
{% macro integers(upper) -%}
    {%- set digit_count = ((upper - 1) | string | length) if upper > 1 else 1 -%}
    {%- set terms = [] -%}
    {%- for position in range(digit_count) -%}
        {%- do terms.append(('' if position == 0 else (10 ** position) ~ ' * ') ~ 'digit_' ~ position ~ '.d') -%}
    {%- endfor %}
    (
        select {{ terms | join(' + ') }} as n
        {% for position in range(digit_count) -%}
        {{ 'from' if loop.first else 'cross join' }} (values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) as digit_{{ position }} (d)
        {% endfor -%}
        where {{ terms | join(' + ') }} < {{ upper }}
    ) as integers
{%- endmacro %}


{#- numerator ÷ denominator rounded half away from zero to `scale` decimals, in exact integer
    arithmetic: yen figures never pass through floating point. The numerator must be a whole
    number (yen × months) and the denominator a positive whole number. -#}
{% macro round_divide(numerator, denominator, scale=2) -%}
    {{ return(adapter.dispatch('round_divide', 'abm_analytics')(numerator, denominator, scale)) }}
{%- endmacro %}

{% macro default__round_divide(numerator, denominator, scale) -%}
    (
        cast(
            sign({{ numerator }})
            * div(abs(cast({{ numerator }} as decimal(38, 0))) * {{ 2 * 10 ** scale }} + ({{ denominator }}), 2 * ({{ denominator }}))
            as decimal(38, 0)
        ) * cast({{ 1 / 10 ** scale }} as decimal(20, {{ scale }}))
    )
{%- endmacro %}

{% macro duckdb__round_divide(numerator, denominator, scale) -%}
    (
        cast(
            sign({{ numerator }})
            * ((abs(cast({{ numerator }} as hugeint)) * {{ 2 * 10 ** scale }} + ({{ denominator }})) // (2 * ({{ denominator }})))
            as decimal(38, 0)
        ) * cast('{{ "%.*f" | format(scale, 1 / 10 ** scale) }}' as decimal(20, {{ scale }}))
    )
{%- endmacro %}
