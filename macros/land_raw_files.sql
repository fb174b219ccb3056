{#- on-run-start: (re)load every raw file of the contract into the `raw` schema once per dbt
    invocation. Sources are declared with save_mode `ignore`, so the models that read them later in
    the run reuse these tables instead of reading the files again; unit tests find the columns of
    their fixtures here. -#}
{% macro land_raw_files() %}
    {#- var land_raw_files=false skips it when raw.* is already loaded (benchmarks of later layers) -#}
    {%- if execute and var('land_raw_files', true) and flags.WHICH in ('run', 'build', 'test', 'seed', 'snapshot') -%}
        {%- for node in graph.sources.values() if node.source_name == 'raw' -%}
            {%- do run_query('drop table if exists ' ~ node.schema ~ '.' ~ node.identifier) -%}
            {#- resolving the source makes the dbt-duckdb plugin load the file -#}
            {%- do source(node.source_name, node.name) -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{% endmacro %}
