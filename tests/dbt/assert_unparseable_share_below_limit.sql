-- A few unparseable values are bad rows (quarantined); most of a column failing means the file
-- uses a format we do not read. Then the build stops, and this row names the table and column.
{%- set tables = raw_table_registry() %}

with

rows_per_table as (
    {% for table in tables %}
    select
        '{{ table.raw_table }}' as source_table,
        count(*) as rows_in
    from {{ ref(table.base) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

unparseable as (
    select
        source_table,
        quarantine_reason,
        count(*) as rows_unparseable
    from {{ ref('stg_raw__quarantine') }}
    where quarantine_rule = 'unparseable'
    group by source_table, quarantine_reason
),

shares as (
    select
        unparseable.source_table,
        -- the column named in the reason code, e.g. unparseable:occurred_at
        unparseable.quarantine_reason,
        unparseable.rows_unparseable,
        rows_per_table.rows_in,
        unparseable.rows_unparseable * 1.0 / rows_per_table.rows_in as unparseable_share
    from unparseable
    inner join rows_per_table on unparseable.source_table = rows_per_table.source_table
)

select * from shares
where unparseable_share > {{ var('max_unparseable_share') }}
