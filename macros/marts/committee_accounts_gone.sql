{#- pre-hook of fct_buying_committee when it carries accounts (macros/appending.sql): the rows of an
    account that has left the committee — no known person and off the target list — go; nothing the
    run writes would replace them. Outside a carrying run abm_clear_unless_appending empties the table. -#}
{% macro committee_accounts_gone() -%}
    {%- if execute and abm_appending() -%}
        delete from {{ this }} as stored
        where
            not exists (
                select 1
                from {{ ref('int_people_consolidated') }} as people
                where people.account_id = stored.account_id
            )
            and not exists (
                select 1
                from {{ ref('int_target_accounts_resolved') }} as targets
                where targets.account_id = stored.account_id
            )
    {%- endif -%}
{%- endmacro %}
