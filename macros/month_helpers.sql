{#- Integers 0 … upper - 1 as a derived table `integers (n)`: a portable row generator for date
    spines and character positions. -#}
{% macro integers(upper) -%}
    (
        values
        {% for n in range(upper) -%}
        ({{ n }}){{ ',' if not loop.last }}
        {% endfor %}
    ) as integers (n)
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
