-- One row per opportunity with the day it reached each funnel milestone (pipeline = SQL/SQO, late
-- stage, closed, won), from its stage history and seed opportunity_stages. An opportunity without
-- history counts its current stage from its creation (closed stages from closed_at), so no deal is
-- lost for lack of history; stages missing from the seed are flagged, not guessed.
with

opportunities as (
    select * from {{ ref('int_opportunities_attributed_to_accounts') }}
),

stage_history as (
    select * from {{ ref('stg_crm__opportunity_stage_history') }}
),

stages as (
    select * from {{ ref('opportunity_stages') }}
),

department_aliases as (
    select * from {{ ref('department_aliases') }}
),

stage_entries as (
    select
        opportunity_id,
        stage,
        changed_at as entered_at
    from stage_history
    union all
    select
        opportunity_id,
        stage,
        case when is_closed then coalesce(closed_at, created_at) else created_at end as entered_at
    from opportunities
),

mapped_entries as (
    select
        stage_entries.opportunity_id,
        stage_entries.entered_at,
        stages.crm_stage is null as is_unmapped,
        coalesce(stages.is_pipeline, false) as is_pipeline,
        coalesce(stages.is_late_stage, false) as is_late_stage
    from stage_entries
    left join stages on stage_entries.stage = stages.crm_stage
),

milestones as (
    select
        opportunity_id,
        min(case when is_pipeline then entered_at end) as pipeline_reached_at,
        min(case when is_late_stage then entered_at end) as late_stage_reached_at,
        max(case when is_unmapped then 1 else 0 end) = 1 as has_unmapped_stage
    from mapped_entries
    group by opportunity_id
),

progressed as (
    select
        opportunities.opportunity_id,
        opportunities.account_id,
        opportunities.source_system,
        opportunities.department as department_raw,
        {{ canonical_department('department_aliases.department', 'opportunities.department') }} as department,
        opportunities.product_line,
        opportunities.stage as current_stage,
        current_stage.stage_order as current_stage_order,
        coalesce(opportunities.amount_jpy, 0) as amount_jpy,
        opportunities.created_at,
        milestones.pipeline_reached_at,
        milestones.late_stage_reached_at,
        case when opportunities.is_closed then coalesce(opportunities.closed_at, opportunities.created_at) end
            as closed_at,
        case when opportunities.is_won then coalesce(opportunities.closed_at, opportunities.created_at) end
            as won_at,
        coalesce(opportunities.is_closed, false) as is_closed,
        coalesce(opportunities.is_won, false) as is_won,
        opportunities.primary_contact_id,
        milestones.has_unmapped_stage
    from opportunities
    inner join milestones on opportunities.opportunity_id = milestones.opportunity_id
    left join stages as current_stage on opportunities.stage = current_stage.crm_stage
    left join department_aliases
        on {{ department_key('opportunities.department') }} = department_aliases.department_alias
)

select * from progressed
