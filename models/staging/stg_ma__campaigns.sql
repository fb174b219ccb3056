-- Staged rows: those of ma__campaigns that passed validation. Rejected rows are in stg_raw__quarantine.
with

validated as (
    select * from {{ ref('base_ma__campaigns') }}
),

clean as (
    select
        source_system,
        campaign_id,
        campaign_name,
        campaign_type,
        start_date,
        end_date,
        owner,
        _source_file,
        _source_row_number
    from validated
    where quarantine_reason is null
)

select * from clean
