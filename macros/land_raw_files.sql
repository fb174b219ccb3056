{#- on-run-start, files mode only: load each raw file of the contract whose content changed since it
    was landed, once per dbt invocation. The loader source `raw_files` is declared with save_mode
    `ignore`, so the models that read the tables later in the run reuse them instead of reading the
    files again; unit tests find the columns of their fixtures here.

    What a table holds is recorded as a digest of its file's bytes, of the loader's code and of the
    file's write time (SQL function abm_raw_file_landing_key, scripts/abm_dbt/build_plan.py) in
    abm_build.landed_raw_files; a file with the same key is not read again (a daily run re-lands only
    the exports that were written again). The write time is part of the key because the landed table
    carries it (_loaded_at, what `dbt source freshness` reads); the models built from the table follow
    the bytes alone (scripts/build_changed.py). A table without a record is loaded again.

    Data safety: only this package's own loader tables are touched, and a table is dropped only when
    it carries the loader's lineage column `_source_file` — a table of the same name that the loader
    did not write (another project's, or tables you loaded yourself) stops the run instead. In tables
    mode (var abm_source_mode: tables) the source is switched off and nothing is loaded or dropped. -#}
{% macro land_raw_files() %}
    {#- var land_raw_files=false skips it when the raw tables are already loaded (benchmarks of later layers) -#}
    {%- if execute and abm_source_mode() == 'files' and var('land_raw_files', true)
            and flags.WHICH in ('run', 'build', 'test', 'seed', 'snapshot') -%}
        {%- do run_query("create schema if not exists abm_build") -%}
        {%- do run_query("create table if not exists abm_build.landed_raw_files (table_name varchar primary key, "
                         ~ "digest varchar not null, landed_at timestamp)") -%}
        {%- set landed = {} -%}
        {%- for row in run_query("select table_name, digest from abm_build.landed_raw_files") -%}
            {%- do landed.update({row[0]: row[1]}) -%}
        {%- endfor -%}
        {%- for node in graph.sources.values()
                if node.package_name == 'abm_analytics' and node.source_name == 'raw_files' -%}
            {%- set existing = load_relation(api.Relation.create(database=node.database, schema=node.schema,
                                                    identifier=node.identifier)) -%}
            {%- set digest = run_query("select abm_raw_file_landing_key('" ~ node.name ~ "')")[0][0] -%}
            {%- if existing is not none and landed.get(node.schema ~ '.' ~ node.identifier) == digest -%}
                {%- do log("raw table " ~ node.name ~ ": file not written again since it was landed, not read again") -%}
                {#- the plugin would keep it anyway (save_mode ignore); resolving it is what the models need -#}
                {%- do source(node.source_name, node.name) -%}
            {%- else -%}
                {%- if existing is not none -%}
                    {%- set column_names = adapter.get_columns_in_relation(existing) | map(attribute='name')
                        | map('lower') | list -%}
                    {%- if '_source_file' not in column_names -%}
                        {{ exceptions.raise_compiler_error(
                            "abm_analytics would reload raw table '" ~ node.name ~ "' from its file into " ~ existing
                            ~ ", but that table was not written by its raw-file loader (no _source_file column): refusing "
                            ~ "to drop it. Point var abm_raw_schema at a schema of its own, or read the table where it "
                            ~ "is with var abm_source_mode: tables.") }}
                    {%- endif -%}
                    {%- do run_query("delete from abm_build.landed_raw_files where table_name = '" ~ node.schema ~ "." ~ node.identifier ~ "'") -%}
                    {%- do run_query('drop table ' ~ existing) -%}
                    {#- the hook's transaction is rolled back at its end: commit the drop, or the plugin
                        (save_mode ignore) would see the old table and keep it -#}
                    {%- do adapter.commit() -%}
                {%- endif -%}
                {#- resolving the source makes the dbt-duckdb plugin load the file -#}
                {%- do source(node.source_name, node.name) -%}
                {%- do run_query("insert or replace into abm_build.landed_raw_files values ('" ~ node.schema ~ "." ~ node.identifier
                                 ~ "', '" ~ digest ~ "', current_timestamp)") -%}
                {%- do adapter.commit() -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{% endmacro %}
