{#- Types of published mart columns, chosen for the BI tools that read them (README "BI tools").
    Yen are whole numbers: BIGINT (an exact DECIMAL(38, x) needs 128-bit storage, and BI drivers
    such as duckdb-engine hand DECIMAL values over as Python Decimal objects that Superset leaves
    untyped). Scores, rates and other fractional figures: DOUBLE. Computations upstream stay exact;
    the conversion happens once, in the mart's final select. -#}

{#- A yen amount, rounded half away from zero to a whole yen. -#}
{% macro as_yen(expression) -%}
    cast(round({{ expression }}, 0) as {{ dbt.type_bigint() }})
{%- endmacro %}

{#- A fractional figure (score, rate, months) as a double-precision float. -#}
{% macro as_double(expression) -%}
    cast({{ expression }} as {{ type_double() }})
{%- endmacro %}

{#- The 8-byte floating-point type's name: dbt.type_float() is 4 bytes (REAL) on DuckDB. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'abm_analytics')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double
{%- endmacro %}

{% macro bigquery__type_double() -%}
    float64
{%- endmacro %}

{#- A share or rate: numerator ÷ denominator as a double, rounded to `digits`. Written `1.0 * a / b`, the
    division is DOUBLE on DuckDB but DECIMAL on Spark (its 1.0 is a decimal literal): the cast makes
    it one type, and one value, everywhere. -#}
{% macro rate(numerator, denominator, digits=4) -%}
    round(cast({{ numerator }} as {{ type_double() }}) / {{ denominator }}, {{ digits }})
{%- endmacro %}

{#- A double rounded to `digits` the same way on every engine: half away from zero on its shortest
    decimal form. round(double) differs at ties — DuckDB rounds the binary value (0.145 is stored as
    0.14499…, → 0.14), Spark its decimal text (→ 0.15) —, so the value goes through a decimal first. -#}
{% macro round_half_up(expression, digits) -%}
    cast(round(cast({{ expression }} as decimal(38, 9)), {{ digits }}) as {{ type_double() }})
{%- endmacro %}
