-- One row per opportunity and stage it entered (from stage history and seed opportunity_stages),
-- with the time spent there and what became of the deal from there (outcome): advanced to a later
-- stage other than a loss, lost, or still open on as_of_date — open deals are censored, not failures.
-- skipped_stages counts the stages the deal jumped over on its way to the next stage it entered
-- (Prospecting straight to Closed Won skips four): the input of stage conversion and time-in-stage.
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
        stages.is_won,
        stage_history.changed_at as entered_at,
        coalesce(opportunities.closed_at < {{ as_of_cutoff_timestamp() }}, false) as is_deal_closed
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
        lead(stage_order) over (partition by opportunity_id order by entered_at, stage_order) as next_stage_order,
        lead(is_loss) over (partition by opportunity_id order by entered_at, stage_order) as is_next_loss,
        lead(is_won) over (partition by opportunity_id order by entered_at, stage_order) as is_next_won,
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
        coalesce(furthest_open_order > stage_order, false) as advanced,
        case
            when is_closed then 'closed'
            when coalesce(furthest_open_order > stage_order, false) then 'advanced'
            when is_deal_closed then 'lost'
            else 'open'
        end as outcome,
        -- a loss ends the deal wherever it stands; only forward moves to an open or won stage skip
        case
            when not is_closed and not is_next_loss and next_stage_order > stage_order + 1
                then next_stage_order - stage_order - 1
            else 0
        end as skipped_stages,
        coalesce(not is_closed and is_next_won and next_stage_order > stage_order + 1, false) as is_skipped_to_won
    from sequenced
)

select * from measured
