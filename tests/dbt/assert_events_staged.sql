-- Every valid event row of this run's files is in its incremental staging model. A row missing here
-- arrived later than var event_lookback_days behind the newest stored event: raise the look-back or
-- run `dbt build --full-refresh --select <model>`; the build stops rather than lose it silently.
with

activities as (
    select base.activity_id as event_key
    from {{ ref('base_ma__activities') }} as base
    left join {{ ref('stg_ma__activities') }} as staged on base.activity_id = staged.activity_id
    where base.quarantine_reason is null and staged.activity_id is null
),

usage_events as (
    select base.event_id as event_key
    from {{ ref('base_product__usage_events') }} as base
    left join {{ ref('stg_product__usage_events') }} as staged on base.event_id = staged.event_id
    where base.quarantine_reason is null and staged.event_id is null
),

stage_history as (
    select base.opportunity_id || ':' || base.stage as event_key
    from {{ ref('base_crm__opportunity_stage_history') }} as base
    left join {{ ref('stg_crm__opportunity_stage_history') }} as staged
        on
            base.opportunity_id = staged.opportunity_id
            and base.stage = staged.stage
            and base.changed_at = staged.changed_at
    where base.quarantine_reason is null and staged.opportunity_id is null
),

status_history as (
    select base.source_contact_id || ':' || base.status as event_key
    from {{ ref('base_ma__lead_status_history') }} as base
    left join {{ ref('stg_ma__lead_status_history') }} as staged
        on
            base.source_system = staged.source_system
            and base.source_contact_id = staged.source_contact_id
            and base.status = staged.status
            and base.changed_at = staged.changed_at
    where base.quarantine_reason is null and staged.source_contact_id is null
),

intent_signals as (
    select base.domain || ':' || base.topic as event_key
    from {{ ref('base_intent__signals') }} as base
    left join {{ ref('stg_intent__signals') }} as staged
        on
            base.domain = staged.domain
            and base.topic = staged.topic
            and base.signal_date = staged.signal_date
            and base.score is not distinct from staged.score
    where base.quarantine_reason is null and staged.domain is null
),

missing as (
    select
        'activities' as raw_table,
        event_key
    from activities
    union all
    select
        'product_usage' as raw_table,
        event_key
    from usage_events
    union all
    select
        'opportunity_stage_history' as raw_table,
        event_key
    from stage_history
    union all
    select
        'lead_status_history' as raw_table,
        event_key
    from status_history
    union all
    select
        'intent_signals' as raw_table,
        event_key
    from intent_signals
)

select * from missing
