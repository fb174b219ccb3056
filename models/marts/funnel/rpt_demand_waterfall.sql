-- The demand waterfall per month of MQL and target status (grain: mql_month, account_segment):
-- MQL → SAL → SQL → pipeline registered → won / lost, with the seeds' headline figures: the SAL rate
-- (accepted by sales ÷ MQL; the seeds cite 62 % → 93 % after ABM) and the pipeline registration rate
-- (registered in SFA ÷ SAL; 40 % → 65 %).
with

leads as (
    select * from {{ ref('int_leads_progressed') }}
),

segmented as (
    select
        mql_month,
        case when is_target_account then 'target' else 'non_target' end as account_segment,
        sal_at is not null as is_sal,
        sal_at is not null and sql_at is not null as is_sql,
        -- a lead counts as pipeline once sales accepted it and its account's opportunity was registered
        sal_at is not null and pipeline_registered_at is not null as is_pipeline,
        sal_at is not null and is_won as is_won,
        sal_at is not null and is_lost as is_lost
    from leads
),

counted as (
    select
        mql_month,
        account_segment,
        count(*) as mqls,
        count(case when is_sal then 1 end) as sals,
        count(case when is_sql then 1 end) as sqls,
        count(case when is_pipeline then 1 end) as pipeline_registered,
        count(case when is_won then 1 end) as won,
        count(case when is_lost then 1 end) as lost
    from segmented
    group by mql_month, account_segment
),

rated as (
    select
        *,
        {{ rate('sals', 'mqls') }} as sal_rate,
        case when sals > 0 then {{ rate('sqls', 'sals') }} end as sql_rate,
        case when sals > 0 then {{ rate('pipeline_registered', 'sals') }} end as pipeline_registration_rate,
        case when won + lost > 0 then {{ rate('won', '(won + lost)') }} end as win_rate
    from counted
)

select * from rated
