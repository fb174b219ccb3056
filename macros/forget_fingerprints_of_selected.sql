{#- on-run-start: whatever a dbt command selects may be rebuilt from other inputs than those its stored
    fingerprint describes (scripts/abm_dbt/build_plan.py), so that fingerprint is deleted first; the
    planned build (scripts/build_changed.py) stores new ones only after it succeeds. It plans DuckDB
    builds only: on another adapter nothing stores fingerprints, so there is nothing to forget; nor
    where the table does not exist (a new warehouse, a build that never went through the plan). -#}
{% macro forget_fingerprints_of_selected() %}
    {%- if execute and target.type == 'duckdb' and flags.WHICH in ('run', 'build', 'test', 'seed', 'snapshot')
            and selected_resources -%}
        {%- set fingerprints = load_relation(api.Relation.create(
                database=target.database, schema='abm_build', identifier='node_fingerprints')) -%}
        {%- if fingerprints is not none -%}
            {%- set selected = selected_resources | list -%}
            {%- for start in range(0, selected | length, 500) -%}
                {%- set chunk = selected[start:start + 500] -%}
                {#- with the append base stored beside a fingerprint (unique_id|append_base) -#}
                {%- do run_query("delete from " ~ fingerprints ~ " where split_part(unique_id, '|', 1) in ('"
                                 ~ chunk | join("', '") ~ "')") -%}
            {%- endfor -%}
            {%- do adapter.commit() -%}
        {%- endif -%}
    {%- endif -%}
    select 1
{% endmacro %}
