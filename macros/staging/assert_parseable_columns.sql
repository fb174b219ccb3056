{#- Post-hook of stg_raw__quarantine. A few unparseable values are bad rows and stay quarantined;
    when more than var('max_unparseable_share') of a column fails, the file uses a format the
    project does not read, and the build stops with the table and column named. -#}
{% macro assert_parseable_columns() %}
    {%- if execute -%}
        {%- set tables = raw_table_registry() -%}
        {%- set check_sql -%}
            with rows_in as (
                {% for table in tables -%}
                select '{{ table.raw_table }}' as source_table, count(*) as row_count
                from {{ ref(table.base) }}
                {% if not loop.last %}union all{% endif %}
                {% endfor %}
            ),
            unparseable as (
                select source_table, quarantine_reason, count(*) as bad_count
                from {{ this }}
                where quarantine_rule = 'unparseable'
                group by source_table, quarantine_reason
            )
            select
                unparseable.source_table,
                {{ dbt.split_part('unparseable.quarantine_reason', "':'", 2) }} as column_name,
                unparseable.bad_count,
                rows_in.row_count
            from unparseable
            inner join rows_in on unparseable.source_table = rows_in.source_table
            where unparseable.bad_count > {{ var('max_unparseable_share') }} * rows_in.row_count
            order by 1, 2
        {%- endset -%}
        {%- set failures = run_query(check_sql) -%}
        {%- if failures.rows | length > 0 -%}
            {%- set lines = [] -%}
            {%- for row in failures.rows -%}
                {%- do lines.append("raw table '" ~ row[0] ~ "', column '" ~ row[1] ~ "': " ~ row[2] ~ " of "
                    ~ row[3] ~ " values cannot be read") -%}
            {%- endfor -%}
            {{ exceptions.raise_compiler_error(
                "Unreadable column format (more than " ~ (var('max_unparseable_share') * 100) ~ "% of values):\n  "
                ~ lines | join("\n  ")
                ~ "\nDates must be YYYY-MM-DD[ HH:MM[:SS]] or YYYY/MM/DD[ HH:MM[:SS]]; numbers plain digits "
                ~ "(thousands separators allowed). Fix the export and run again."
            ) }}
        {%- endif -%}
    {%- endif -%}
    select 1
{% endmacro %}
