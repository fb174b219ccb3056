-- An account cannot count at a funnel stage without the data for it: reached roles are a subset of
-- known roles, each flag needs its measure, won deals are pipeline deals, and funnel_stage agrees
-- with the flags. Returns the offending rows (as of as_of_date and in the frozen history).
with

funnel as (
    select * from {{ ref('fct_account_funnel') }}
),

violations as (
    select
        account_id,
        case
            when reached_roles > known_roles then 'reached_roles > known_roles'
            when reach_rate > coverage_rate then 'reach_rate > coverage_rate'
            when is_covered and known_roles = 0 then 'covered without a known role'
            when is_reached and reached_roles = 0 then 'reached without a reached role'
            when is_engaged and engaged_touches = 0 then 'engaged without a high-intent touch'
            when has_pipeline and pipeline_opportunities = 0 then 'pipeline without an opportunity'
            when has_won and won_opportunities = 0 then 'won without a won opportunity'
            when won_opportunities > pipeline_opportunities then 'more won than pipeline opportunities'
            when won_opportunities > closed_opportunities then 'more won than closed opportunities'
            when funnel_stage = 'won' and not has_won then 'stage won without a win'
            when funnel_stage = 'pipeline' and (not has_pipeline or has_won) then 'stage pipeline inconsistent'
            when funnel_stage = 'none' and (is_covered or is_reached or is_engaged or has_pipeline)
                then 'stage none with a stage flag'
        end as violation
    from funnel
)

select * from violations
where violation is not null
