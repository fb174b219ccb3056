{#- The funnel's counts over a group of accounts (rows with is_covered … has_won, staircase_stage_order,
    pipeline_amount_jpy, won_amount_jpy): accounts, accounts meeting each stage's own definition, the
    strict staircase's steps and the yen amounts — one definition for every segment report
    (rpt_account_funnel, rpt_account_funnel_current). -#}
{% macro funnel_segment_counts() -%}
    {%- set stages = [
        ('covered', 'is_covered'), ('reached', 'is_reached'), ('engaged', 'is_engaged'),
        ('pipeline', 'has_pipeline'), ('won', 'has_won'),
    ] -%}
    count(*) as accounts,
    {%- for stage, flag in stages %}
    count(case when {{ flag }} then 1 end) as {{ stage }}_accounts,
    {%- endfor %}
    {%- for stage, _ in stages %}
    count(case when staircase_stage_order >= {{ loop.index }} then 1 end) as staircase_{{ stage }}_accounts,
    {%- endfor %}
    {{ as_yen('sum(pipeline_amount_jpy)') }} as pipeline_amount_jpy,
    {{ as_yen('sum(won_amount_jpy)') }} as won_amount_jpy
{%- endmacro %}
