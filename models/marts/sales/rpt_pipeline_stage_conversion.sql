-- Where the pipeline gets stuck (grain: stage): per CRM stage, the opportunities that entered it, the
-- share that went on to a later stage other than a loss, and the median days spent there (completed
-- stays only); is_bottleneck marks the open stage with the lowest conversion.
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
        count(distinct case when advanced then opportunity_id end) as advanced_opportunities,
        round(1.0 * count(distinct case when advanced then opportunity_id end) / count(distinct opportunity_id), 4)
            as conversion_rate,
        {{ median('days_in_stage') }} as median_days_in_stage
    from stage_entries
    group by stage, funnel_label, stage_order, is_closed
),

flagged as (
    select
        *,
        not is_closed
        and conversion_rate = min(case when not is_closed then conversion_rate end) over () as is_bottleneck
    from measured
)

select * from flagged
