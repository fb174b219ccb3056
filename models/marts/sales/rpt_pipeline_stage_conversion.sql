-- Where the pipeline gets stuck (grain: stage): per CRM stage, the opportunities that entered it and
-- what became of them — advanced (a later stage other than a loss), lost, or still open on as_of_date.
-- Open deals are censored: conversion_rate = advanced ÷ (advanced + lost). Deals that jumped over
-- stages on their way on are counted (skipping_opportunities, skipped_to_won_opportunities); median
-- days spent there (completed stays only); is_bottleneck marks the open stage with the lowest
-- conversion among those with decided deals.
with

stage_entries as (
    select * from {{ ref('int_opportunity_stages_entered') }}
),

measured as (
    select
        stage,
        funnel_label,
        stage_order,
        is_closed,
        count(distinct opportunity_id) as entered_opportunities,
        count(distinct case when outcome = 'advanced' then opportunity_id end) as advanced_opportunities,
        count(distinct case when outcome = 'lost' then opportunity_id end) as lost_opportunities,
        count(distinct case when outcome = 'open' then opportunity_id end) as open_opportunities,
        count(distinct case when skipped_stages > 0 then opportunity_id end) as skipping_opportunities,
        count(distinct case when is_skipped_to_won then opportunity_id end) as skipped_to_won_opportunities,
        {{ median('days_in_stage') }} as median_days_in_stage
    from stage_entries
    group by stage, funnel_label, stage_order, is_closed
),

converted as (
    select
        *,
        advanced_opportunities + lost_opportunities as decided_opportunities,
        case
            when not is_closed and advanced_opportunities + lost_opportunities > 0
                then {{ rate('advanced_opportunities', '(advanced_opportunities + lost_opportunities)') }}
        end as conversion_rate
    from measured
),

flagged as (
    select
        *,
        coalesce(
            conversion_rate = min(conversion_rate) over (), false
        ) as is_bottleneck
    from converted
)

select * from flagged
