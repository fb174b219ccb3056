{#- Helpers of int_account_potential_estimated. `levels`: (name, grouping columns) of the comparables,
    most specific first, the last one the final fallback; `scales`: (name, own-size column) tried in
    order. Columns <level>_customers[_with_<scale>], <level>_sum_ltv[_with_<scale>], <level>_sum_<scale>,
    self_count and self_ltv must be in scope. leave_out 1 removes the account from its own comparables. -#}

{#- The expected LTV: comparables' LTV per unit of the first scale the account has × its own size,
    from the first level with enough support; else (or when not scaled) the comparables' mean LTV. -#}
{% macro potential_estimate(levels, scales, min_support, leave_out, scaled) -%}
    case
        {%- if scaled %}
        {%- for scale, column in scales %}
        {%- for level, keys in levels %}
        when
            {{ scaled_comparables_usable(level, scale, column, min_support if not loop.last else 1, leave_out) }}
            then cast({{ level }}_sum_ltv_with_{{ scale }} - {{ leave_out }} * self_ltv as {{ type_double() }})
            * {{ column }}
            / cast({{ level }}_sum_{{ scale }} - {{ leave_out }} * self_count * {{ column }} as {{ type_double() }})
        {%- endfor %}
        {%- endfor %}
        {%- endif %}
        {%- for level, keys in levels %}
        when {{ level }}_customers - {{ leave_out }} * self_count >= {{ min_support if not loop.last else 1 }}
            then cast({{ level }}_sum_ltv - {{ leave_out }} * self_ltv as {{ type_double() }})
            / ({{ level }}_customers - {{ leave_out }} * self_count)
        {%- endfor %}
    end
{%- endmacro %}

{#- Which level (part 'level') or scale (part 'scale': employees, revenue or none) gave the estimate:
    the same conditions, in the same order, as potential_estimate. -#}
{% macro potential_basis(levels, scales, min_support, leave_out, part) -%}
    case
        {%- for scale, column in scales %}
        {%- for level, keys in levels %}
        when
            {{ scaled_comparables_usable(level, scale, column, min_support if not loop.last else 1, leave_out) }}
            then '{{ level if part == 'level' else scale }}'
        {%- endfor %}
        {%- endfor %}
        {%- for level, keys in levels %}
        when {{ level }}_customers - {{ leave_out }} * self_count >= {{ min_support if not loop.last else 1 }}
            then '{{ level if part == 'level' else 'none' }}'
        {%- endfor %}
    end
{%- endmacro %}


{#- The aggregates of one group of comparable customers (columns of int_account_potential_estimated). -#}
{% macro comparable_sums() -%}
    count(*) as customers,
    sum(ltv_jpy) as sum_ltv,
    count(case when employee_count is not null then ltv_jpy end) as customers_with_employees,
    sum(case when employee_count is not null then ltv_jpy end) as sum_ltv_with_employees,
    sum(employee_count) as sum_employees,
    count(case when annual_revenue_jpy is not null then ltv_jpy end) as customers_with_revenue,
    sum(case when annual_revenue_jpy is not null then ltv_jpy end) as sum_ltv_with_revenue,
    sum(annual_revenue_jpy) as sum_revenue
{%- endmacro %}

{#- A level can scale an account by `scale` when the account has that measure and enough of the level's
    customers (without the account itself when leave_out is 1) have it too. -#}
{% macro scaled_comparables_usable(level, scale, column, min_customers, leave_out) -%}
    {{ column }} is not null
    and {{ level }}_customers_with_{{ scale }} - {{ leave_out }} * self_count >= {{ min_customers }}
    and {{ level }}_sum_{{ scale }} - {{ leave_out }} * self_count * {{ column }} > 0
{%- endmacro %}

{#- The columns of one level's comparables on an account's row, prefixed with the level's name. -#}
{% macro comparable_columns(level) -%}
    coalesce({{ level }}.customers, 0) as {{ level }}_customers,
    {{ level }}.sum_ltv as {{ level }}_sum_ltv,
    {%- for scale in ['employees', 'revenue'] %}
    coalesce({{ level }}.customers_with_{{ scale }}, 0) as {{ level }}_customers_with_{{ scale }},
    {{ level }}.sum_ltv_with_{{ scale }} as {{ level }}_sum_ltv_with_{{ scale }},
    {{ level }}.sum_{{ scale }} as {{ level }}_sum_{{ scale }},
    {%- endfor %}
{%- endmacro %}
