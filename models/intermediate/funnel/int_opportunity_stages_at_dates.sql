-- Every open opportunity of an account at the end of each month end of the funnel history and of
-- as_of_date (grain: opportunity_id, evaluated_on), with the stage it stood in that day: the last
-- stage it entered by then (stage history; a deal without history sits in its current stage from its
-- creation, as in int_opportunities_progressed). Open = created by then, not closed by then, and its
-- stage that day not a closed one. The input of expected revenue and its trend.
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

evaluation_dates as (
    select * from {{ ref('int_funnel_evaluation_dates') }}
),

period_ends as (
    select
        evaluated_on,
        is_as_of_date,
        cast({{ dbt.dateadd('day', 1, 'evaluated_on') }} as {{ dbt.type_timestamp() }}) as cutoff_at
    from evaluation_dates
    where is_month_end or is_as_of_date
),

stage_entries as (
    select
        stage_history.opportunity_id,
        stage_history.stage,
        stage_history.changed_at as entered_at
    from stage_history
    inner join opportunities on stage_history.opportunity_id = opportunities.opportunity_id
    union all
    -- a deal without stage history: its current stage from its creation
    select
        opportunities.opportunity_id,
        opportunities.current_stage as stage,
        opportunities.created_at as entered_at
    from opportunities
    left join stage_history on opportunities.opportunity_id = stage_history.opportunity_id
    where not opportunities.is_closed and stage_history.opportunity_id is null
),

open_on_date as (
    select
        opportunities.opportunity_id,
        period_ends.evaluated_on,
        period_ends.is_as_of_date,
        period_ends.cutoff_at,
        opportunities.account_id,
        opportunities.department,
        coalesce(opportunities.product_line, '(unknown)') as product_line,
        opportunities.amount_jpy
    from opportunities
    inner join period_ends
        on
            opportunities.created_at < period_ends.cutoff_at
            and (opportunities.closed_at is null or opportunities.closed_at >= period_ends.cutoff_at)
    where opportunities.account_id is not null
),

stage_on_date as (
    select
        open_on_date.opportunity_id,
        open_on_date.evaluated_on,
        stages.crm_stage as stage,
        stages.stage_order,
        stages.is_closed,
        row_number() over (
            partition by open_on_date.opportunity_id, open_on_date.evaluated_on
            order by stage_entries.entered_at desc, stages.stage_order desc
        ) as recency_rank
    from open_on_date
    inner join stage_entries
        on
            open_on_date.opportunity_id = stage_entries.opportunity_id
            and open_on_date.cutoff_at > stage_entries.entered_at
    inner join stages on stage_entries.stage = stages.crm_stage
),

staged as (
    select
        open_on_date.opportunity_id,
        open_on_date.evaluated_on,
        open_on_date.is_as_of_date,
        open_on_date.account_id,
        open_on_date.department,
        open_on_date.product_line,
        open_on_date.amount_jpy,
        stage_on_date.stage,
        stage_on_date.stage_order
    from open_on_date
    inner join stage_on_date
        on
            open_on_date.opportunity_id = stage_on_date.opportunity_id
            and open_on_date.evaluated_on = stage_on_date.evaluated_on
            and stage_on_date.recency_rank = 1
    where not stage_on_date.is_closed
)

select * from staged
