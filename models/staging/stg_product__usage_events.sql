-- Staged rows: those of product__usage_events that passed validation. Rejected rows are in stg_raw__quarantine.
with

validated as (
    select * from {{ ref('base_product__usage_events') }}
),

clean as (
    select
        event_id,
        user_email,
        event_name,
        occurred_at,
        _source_file,
        _source_row_number
    from validated
    where quarantine_reason is null
)

select * from clean
