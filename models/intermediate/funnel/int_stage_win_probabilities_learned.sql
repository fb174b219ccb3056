-- The win probability of each stage of the sales process (grain: stage_order), for expected revenue.
-- Learned from history: of the deals closed by as_of_date that reached the stage (their furthest stage
-- before a loss is at least this one — a deal that skipped it passed it), the share won. Used once at
-- least var stage_probability_min_closed_deals such deals exist; otherwise the seed's
-- opportunity_stages.win_probability. Closed stages are 1 (won) and 0 (lost) by definition.
with

opportunities as (
    select * from {{ ref('int_opportunities_progressed') }}
),

stage_history as (
    select * from {{ ref('stg_crm__opportunity_stage_history') }}
),

stages as (
    select * from {{ ref('opportunity_stages') }}
),

closed_deals as (
    select
        opportunity_id,
        current_stage,
        is_won
    from opportunities
    where
        is_closed
        and account_id is not null
        and closed_at < {{ as_of_cutoff_timestamp() }}
),

stages_reached as (
    select
        closed_deals.opportunity_id,
        stage_history.stage
    from closed_deals
    inner join stage_history on closed_deals.opportunity_id = stage_history.opportunity_id
    where stage_history.changed_at < {{ as_of_cutoff_timestamp() }}
    union all
    select
        opportunity_id,
        current_stage as stage
    from closed_deals
),

furthest_stage as (
    select
        stages_reached.opportunity_id,
        max(case when not (stages.is_closed and not stages.is_won) then stages.stage_order end)
            as furthest_open_order
    from stages_reached
    inner join stages on stages_reached.stage = stages.crm_stage
    group by stages_reached.opportunity_id
),

closed_outcomes as (
    select
        furthest_stage.furthest_open_order,
        closed_deals.is_won
    from furthest_stage
    inner join closed_deals on furthest_stage.opportunity_id = closed_deals.opportunity_id
),

stage_list as (
    -- the JP and EN names of a stage share its order, label and probability
    select
        stage_order,
        min(funnel_label) as funnel_label,
        {{ dbt.bool_or("is_closed") }} as is_closed,
        {{ dbt.bool_or("is_won") }} as is_won,
        max(win_probability) as seed_win_probability
    from stages
    group by stage_order
),

learned as (
    select
        stage_list.stage_order,
        stage_list.funnel_label,
        stage_list.is_closed,
        stage_list.is_won,
        stage_list.seed_win_probability,
        count(closed_outcomes.furthest_open_order) as closed_deals_reached,
        coalesce(sum(case when closed_outcomes.is_won then 1 else 0 end), 0) as won_deals_reached
    from stage_list
    left join closed_outcomes on stage_list.stage_order <= closed_outcomes.furthest_open_order
    group by
        stage_list.stage_order,
        stage_list.funnel_label,
        stage_list.is_closed,
        stage_list.is_won,
        stage_list.seed_win_probability
),

chosen as (
    select
        stage_order,
        funnel_label,
        is_closed,
        seed_win_probability,
        closed_deals_reached,
        won_deals_reached,
        case
            when closed_deals_reached > 0 then {{ rate('won_deals_reached', 'closed_deals_reached') }}
        end as learned_win_probability,
        case
            when is_closed and is_won then cast(1 as {{ type_double() }})
            when is_closed then cast(0 as {{ type_double() }})
            when closed_deals_reached >= {{ var('stage_probability_min_closed_deals') }}
                then {{ rate('won_deals_reached', 'closed_deals_reached') }}
            else cast(seed_win_probability as {{ type_double() }})
        end as win_probability,
        case
            when is_closed then 'closed'
            when closed_deals_reached >= {{ var('stage_probability_min_closed_deals') }} then 'learned'
            else 'seed'
        end as probability_source
    from learned
)

select * from chosen
