{%- set min_customers = var('min_comparable_customers') -%}
-- The potential map (ポテンシャルマップ) for cross-sell and up-sell: for every customer and target
-- account, each department × product line of the universe (the pairs any customer has ever
-- contracted), whether the account already has it, and what it is worth when comparable customers
-- (same industry and size band, else industry, else all; each needing var min_comparable_customers
-- customers) have it: their gross profit per employee-month of that department × product line × the
-- account's own head count, or — when its head count is unknown — their mean gross profit per month.
-- A cell fewer than min_comparable_customers customers ever bought has no value (not priced from one
-- customer). Grain: account_id, department, product_line.
with

accounts as (
    select * from {{ ref('fct_account_ltv') }}
),

targets as (
    select * from {{ ref('dim_accounts') }}
),

contract_months as (
    select * from {{ ref('int_contract_months_expanded') }}
),

-- what each account has bought, and its gross profit per month for it
bought_cells as (
    select
        account_id,
        department,
        product_line,
        sum(monthly_gross_profit_jpy) as total_gross_profit_jpy,
        count(distinct month_start) as months
    from contract_months
    where department is not null and product_line is not null
    group by account_id, department, product_line
),

cell_universe as (
    select distinct
        department,
        product_line
    from bought_cells
),

-- the ABM universe: customers (any contract history) and accounts on the target list
map_accounts as (
    select
        accounts.account_id,
        accounts.industry_code,
        accounts.size_band,
        case when targets.employee_count > 0 then targets.employee_count end as employee_count
    from accounts
    inner join targets on accounts.account_id = targets.account_id
    where accounts.units > 0 or targets.is_target
),

cell_values as (
    select
        bought_cells.department,
        bought_cells.product_line,
        accounts.industry_code,
        accounts.size_band,
        bought_cells.total_gross_profit_jpy,
        bought_cells.months,
        case when targets.employee_count > 0 then targets.employee_count end as employee_count
    from bought_cells
    inner join accounts on bought_cells.account_id = accounts.account_id
    left join targets on bought_cells.account_id = targets.account_id
),

value_by_segment as (
    select
        department,
        product_line,
        industry_code,
        size_band,
        count(*) as customers,
        {{ round_divide('sum(total_gross_profit_jpy)', 'sum(months)', 2) }} as monthly_gross_profit_jpy,
        -- customers with a head count: gross profit per employee-month
        count(employee_count) as customers_with_employees,
        sum(case when employee_count is not null then total_gross_profit_jpy end) as gross_profit_with_employees,
        sum(months * employee_count) as employee_months
    from cell_values
    group by department, product_line, industry_code, size_band
),

value_by_industry as (
    select
        department,
        product_line,
        industry_code,
        count(*) as customers,
        {{ round_divide('sum(total_gross_profit_jpy)', 'sum(months)', 2) }} as monthly_gross_profit_jpy,
        -- customers with a head count: gross profit per employee-month
        count(employee_count) as customers_with_employees,
        sum(case when employee_count is not null then total_gross_profit_jpy end) as gross_profit_with_employees,
        sum(months * employee_count) as employee_months
    from cell_values
    group by department, product_line, industry_code
),

value_overall as (
    select
        department,
        product_line,
        count(*) as customers,
        {{ round_divide('sum(total_gross_profit_jpy)', 'sum(months)', 2) }} as monthly_gross_profit_jpy,
        -- customers with a head count: gross profit per employee-month
        count(employee_count) as customers_with_employees,
        sum(case when employee_count is not null then total_gross_profit_jpy end) as gross_profit_with_employees,
        sum(months * employee_count) as employee_months
    from cell_values
    group by department, product_line
),

grid as (
    select
        map_accounts.account_id,
        map_accounts.industry_code,
        map_accounts.size_band,
        map_accounts.employee_count,
        cell_universe.department,
        cell_universe.product_line
    from map_accounts
    cross join cell_universe
),

valued as (
    select
        grid.account_id,
        grid.department,
        grid.product_line,
        bought_cells.account_id is not null as is_bought,
        case
            {%- for level in ['by_segment', 'by_industry', 'overall'] %}
            when grid.employee_count is not null and {{ level }}.customers_with_employees >= {{ min_customers }}
                then
                    cast({{ level }}.gross_profit_with_employees as {{ type_double() }}) * grid.employee_count
                    / {{ level }}.employee_months
            {%- endfor %}
            {%- for level in ['by_segment', 'by_industry', 'overall'] %}
            when {{ level }}.customers >= {{ min_customers }} then {{ level }}.monthly_gross_profit_jpy
            {%- endfor %}
        end as expected_monthly_gross_profit_jpy,
        -- every customer of a segment is one of all customers: scaled when all of them are enough
        case
            when grid.employee_count is not null and overall.customers_with_employees >= {{ min_customers }}
                then 'employees'
            when overall.customers >= {{ min_customers }} then 'none'
        end as expected_value_scaled_by
    from grid
    left join bought_cells
        on
            grid.account_id = bought_cells.account_id
            and grid.department = bought_cells.department
            and grid.product_line = bought_cells.product_line
    left join value_by_segment as by_segment
        on
            grid.department = by_segment.department
            and grid.product_line = by_segment.product_line
            and grid.industry_code = by_segment.industry_code
            and grid.size_band = by_segment.size_band
    left join value_by_industry as by_industry
        on
            grid.department = by_industry.department
            and grid.product_line = by_industry.product_line
            and grid.industry_code = by_industry.industry_code
    left join value_overall as overall
        on
            grid.department = overall.department
            and grid.product_line = overall.product_line
),

-- "面" coverage: how many departments and product lines the relationship already spans
coverage as (
    select
        account_id,
        count(distinct case when is_bought then department end) as departments_covered,
        count(distinct case when is_bought then product_line end) as product_lines_covered
    from valued
    group by account_id
),

final as (
    select
        valued.account_id,
        valued.department,
        valued.product_line,
        valued.is_bought,
        case when not valued.is_bought then {{ as_yen('valued.expected_monthly_gross_profit_jpy') }} end
            as whitespace_monthly_gross_profit_jpy,
        {{ as_yen('valued.expected_monthly_gross_profit_jpy') }} as expected_monthly_gross_profit_jpy,
        valued.expected_value_scaled_by,
        coverage.departments_covered,
        coverage.product_lines_covered
    from valued
    inner join coverage on valued.account_id = coverage.account_id
)

select * from final
