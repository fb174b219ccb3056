-- Row counts of the funnel marts reconcile with dim_accounts: one fct_account_funnel row per account,
-- and every period of rpt_account_funnel counts exactly the accounts stored for that period end.
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

report as (
    select
        period_end,
        sum(accounts) as accounts
    from {{ ref('rpt_account_funnel') }}
    where period_type = 'month'
    group by period_end
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
)

select * from mismatches
