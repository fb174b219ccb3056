-- Row counts of the funnel marts reconcile with dim_accounts: one fct_account_funnel row per account,
-- every period of rpt_account_funnel counts exactly the accounts stored for that period end — in
-- total, per stage definition (covered_accounts = accounts with is_covered, …) and per staircase
-- step —, rpt_account_funnel_current counts the accounts of fct_account_funnel the same ways, and
-- every role of rpt_buying_committee_reach counts every account once.
with

accounts as (
    select count(*) as accounts from {{ ref('dim_accounts') }}
),

funnel as (
    select count(*) as accounts from {{ ref('fct_account_funnel') }}
),

history as (
    select
        evaluated_on,
        count(*) as accounts
    from {{ ref('fct_account_funnel_history') }}
    where is_month_end
    group by evaluated_on
),

{%- set stage_flags = {
    'covered': 'is_covered', 'reached': 'is_reached', 'engaged': 'is_engaged',
    'pipeline': 'has_pipeline', 'won': 'has_won',
} %}

history_stages as (
    select
        evaluated_on,
        {%- for stage, flag in stage_flags.items() %}
        count(case when {{ flag }} then 1 end) as {{ stage }}_accounts,
        count(case when staircase_stage_order >= {{ loop.index }} then 1 end) as staircase_{{ stage }}_accounts,
        {%- endfor %}
        count(*) as accounts
    from {{ ref('fct_account_funnel_history') }}
    where is_month_end
    group by evaluated_on
),

funnel_stages as (
    select
        {%- for stage, flag in stage_flags.items() %}
        count(case when {{ flag }} then 1 end) as {{ stage }}_accounts,
        count(case when staircase_stage_order >= {{ loop.index }} then 1 end) as staircase_{{ stage }}_accounts,
        {%- endfor %}
        count(*) as accounts
    from {{ ref('fct_account_funnel') }}
),

current_report as (
    select
        {%- for stage in stage_flags %}
        sum({{ stage }}_accounts) as {{ stage }}_accounts,
        sum(staircase_{{ stage }}_accounts) as staircase_{{ stage }}_accounts,
        {%- endfor %}
        sum(accounts) as accounts
    from {{ ref('rpt_account_funnel_current') }}
),

report as (
    select
        period_end,
        {%- for stage in stage_flags %}
        sum({{ stage }}_accounts) as {{ stage }}_accounts,
        sum(staircase_{{ stage }}_accounts) as staircase_{{ stage }}_accounts,
        {%- endfor %}
        sum(accounts) as accounts
    from {{ ref('rpt_account_funnel') }}
    where period_type = 'month'
    group by period_end
),

role_report as (
    select
        buying_role,
        sum(accounts) as accounts,
        sum(accounts_role_known) as accounts_role_known
    from {{ ref('rpt_buying_committee_reach') }}
    group by buying_role
),

committee as (
    select
        buying_role,
        count(*) as accounts_role_known
    from {{ ref('fct_buying_committee') }}
    where is_covered
    group by buying_role
),

mismatches as (
    select
        'fct_account_funnel vs dim_accounts' as check_name,
        cast(null as date) as period_end,
        funnel.accounts as found,
        accounts.accounts as expected
    from funnel
    cross join accounts
    where funnel.accounts <> accounts.accounts
    union all
    select
        'rpt_account_funnel vs fct_account_funnel_history' as check_name,
        history.evaluated_on as period_end,
        coalesce(report.accounts, 0) as found,
        history.accounts as expected
    from history
    left join report on history.evaluated_on = report.period_end
    where coalesce(report.accounts, 0) <> history.accounts
    {%- for stage in stage_flags %}{% for column in [stage ~ '_accounts', 'staircase_' ~ stage ~ '_accounts'] %}
    union all
    select
        'rpt_account_funnel.{{ column }} vs fct_account_funnel_history' as check_name,
        history_stages.evaluated_on as period_end,
        coalesce(report.{{ column }}, 0) as found,
        history_stages.{{ column }} as expected
    from history_stages
    left join report on history_stages.evaluated_on = report.period_end
    where coalesce(report.{{ column }}, 0) <> history_stages.{{ column }}
    {%- endfor %}{% endfor %}
    {%- set current_columns = ['accounts'] %}
    {%- for stage in stage_flags %}
    {%- do current_columns.extend([stage ~ '_accounts', 'staircase_' ~ stage ~ '_accounts']) %}
    {%- endfor %}
    {%- for column in current_columns %}
    union all
    select
        'rpt_account_funnel_current.{{ column }} vs fct_account_funnel' as check_name,
        cast(null as date) as period_end,
        coalesce(current_report.{{ column }}, 0) as found,
        funnel_stages.{{ column }} as expected
    from funnel_stages
    cross join current_report
    where coalesce(current_report.{{ column }}, 0) <> funnel_stages.{{ column }}
    {%- endfor %}
    union all
    select
        'rpt_buying_committee_reach vs dim_accounts: ' || role_report.buying_role as check_name,
        cast(null as date) as period_end,
        role_report.accounts as found,
        accounts.accounts as expected
    from role_report
    cross join accounts
    where role_report.accounts <> accounts.accounts
    union all
    select
        'rpt_buying_committee_reach vs fct_buying_committee: ' || role_report.buying_role as check_name,
        cast(null as date) as period_end,
        role_report.accounts_role_known as found,
        coalesce(committee.accounts_role_known, 0) as expected
    from role_report
    left join committee on role_report.buying_role = committee.buying_role
    where role_report.accounts_role_known <> coalesce(committee.accounts_role_known, 0)
)

select * from mismatches
