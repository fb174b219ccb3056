-- Rows in = rows staged + rows quarantined, for every raw table. "Rows in" is counted from the
-- row numbers the loader gave each raw row (1…n), so a row lost before staging is caught too.
-- Returns one row per table that does not reconcile.
{%- set tables = raw_table_registry() %}

with

quarantined as (
    select
        source_table,
        count(*) as rows_quarantined
    from {{ ref('stg_raw__quarantine') }}
    group by source_table
),

counts as (
    -- one pass over each base table (not one per figure): at a million companies the activities'
    -- base table alone holds 13 M rows
    {% for table in tables %}
    select
        '{{ table.raw_table }}' as source_table,
        count(*) as rows_in_base,
        count(distinct _source_row_number) as distinct_row_numbers,
        coalesce(max(_source_row_number), 0) as rows_in_file,
        -- rows of this run's file that passed validation; that each reached its staging model (which
        -- for incremental event tables also holds earlier runs) is checked by assert_events_staged
        count(case when quarantine_reason is null then 1 end) as rows_staged
    from {{ ref(table.base) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

reconciled as (
    select
        counts.*,
        coalesce(quarantined.rows_quarantined, 0) as rows_quarantined
    from counts
    left join quarantined on counts.source_table = quarantined.source_table
)

select * from reconciled
where
    rows_in_file != rows_in_base
    or distinct_row_numbers != rows_in_base
    or rows_in_file != rows_staged + rows_quarantined
