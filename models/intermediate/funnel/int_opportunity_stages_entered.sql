-- One row per opportunity and stage it entered (from stage history and seed opportunity_stages),
-- with the time spent there and whether the deal went on to a later stage other than a loss: the
-- input of stage conversion and time-in-stage (where does the pipeline get stuck?).
with

stage_history as (
    select * from {{ ref('stg_crm__opportunity_stage_history') }}
),

stages as (
    select * from {{ ref('opportunity_stages') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_progressed') }}
),

entries as (
    select
        stage_history.opportunity_id,
        stages.crm_stage as stage,
        stages.funnel_label,
        stages.stage_order,
        stages.is_closed and not stages.is_won as is_loss,
        stages.is_closed,
        stage_history.changed_at as entered_at
    from stage_history
    inner join stages on stage_history.stage = stages.crm_stage
    -- history of deals that are in the funnel (staged, with an account)
    inner join opportunities on stage_history.opportunity_id = opportunities.opportunity_id
    where
        opportunities.account_id is not null
        and stage_history.changed_at < {{ as_of_cutoff_timestamp() }}
),

sequenced as (
    select
        *,
        lead(entered_at) over (partition by opportunity_id order by entered_at, stage_order) as left_at,
        -- the furthest stage the deal reached without being lost
        max(case when not is_loss then stage_order end) over (partition by opportunity_id) as furthest_open_order
    from entries
),

measured as (
    select
        opportunity_id,
        stage,
        funnel_label,
        stage_order,
        is_closed,
        entered_at,
        left_at,
        case
            when left_at is not null then {{ dbt.datediff('entered_at', 'left_at', 'day') }}
        end as days_in_stage,
        coalesce(furthest_open_order > stage_order, false) as advanced
    from sequenced
)

select * from measured
