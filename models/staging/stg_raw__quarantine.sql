-- Every raw row that did not reach staging, with the reason: nothing is dropped silently.
-- Reason codes are `<rule>:<column>` (missing_key, unparseable, future, negative, out_of_range,
-- invalid_value, missing_value) or duplicate_key, end_before_start, soft_deleted.
{{ config(post_hook="{{ assert_parseable_columns() }}") }}
{%- set tables = raw_table_registry() %}
with

{% for table in tables %}
{{ table.raw_table }}_rejected as (
    select
        '{{ table.raw_table }}' as source_table,
        _source_file as source_file,
        _source_row_number as source_row_number,
        {{ table.record_key }} as source_record_key,
        quarantine_reason
    from {{ ref(table.base) }}
    where quarantine_reason is not null
),
{% endfor %}

all_rejected as (
    {% for table in tables %}
    select * from {{ table.raw_table }}_rejected
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

classified as (
    select
        *,
        -- the rule part of the code, for counting by kind across columns
        {{ dbt.split_part('quarantine_reason', "':'", 1) }} as quarantine_rule,
        {{ dbt.current_timestamp() }} as quarantined_at
    from all_rejected
)

select * from classified
