{#- Carried accounts: a model whose rows of an account are a function of that account's input rows and
    that stores, on every row, the order-free fingerprint of those inputs (macro inputs_fingerprint)
    may, when the plan lists it (abm_appending: nothing but its followed parents' data changed since
    it was built; macros/appending.sql), write only the accounts whose fingerprint is not the stored
    one. Its unique key is the account (delete+insert replaces all of an account's rows), so a row the
    account no longer has goes too. A model whose reading of as_of_date lies wholly in those
    fingerprints (window figures as of the day, a cut-off applied before hashing) sets meta
    day_in_fingerprint, so a new day does not make it whole (scripts/abm_dbt/build_plan.py).

    What the unique key cannot do is remove an account that has no row left to write: the pre-hook
    carried_accounts_gone deletes, when carrying, the stored rows of accounts that none of `kept_by`
    (SQL selects of account_id) names any more. Outside a carrying run abm_clear_unless_appending
    empties the table instead. -#}
{% macro carried_accounts_gone(kept_by) -%}
    {%- if execute and abm_appending() -%}
        delete from {{ this }} as stored
        where
            {%- for kept in kept_by %}
            not exists (
                select 1
                from ({{ kept }}) as kept
                where kept.account_id = stored.account_id
            )
            {%- if not loop.last %} and {% endif %}
            {%- endfor %}
    {%- endif -%}
{%- endmacro %}

{#- The accounts whose fingerprint (a CTE `inputs` of account_id, inputs_fingerprint) differs from the
    one stored with their rows, or that have no stored row: all of `inputs` when not carrying. -#}
{% macro accounts_to_evaluate(inputs) -%}
    select * from {{ inputs }}
    {%- if abm_appending() %}
    where not exists (
        select 1
        from {{ this }} as stored
        where
            stored.account_id = {{ inputs }}.account_id
            and stored.inputs_fingerprint = {{ inputs }}.inputs_fingerprint
    )
    {%- endif %}
{%- endmacro %}

{#- The closing CTEs of a mart carried per account whose rows all lie in the CTE `rows`, a function of
    data its followed parents hold: account_fingerprints (per account, the order-free hash of every
    column its rows show — the model's contracted columns but inputs_fingerprint, so nothing it shows
    can change unseen), evaluated_accounts (all of them, or when carrying those whose hash is not the
    stored one) and `written` (their rows, with the hash). The model ends with `select * from written`.
    Every account's rows are still computed: what carrying saves is writing (and sorting) the
    unchanged ones. -#}
{% macro carried_account_rows(rows) -%}
    {#- a unit test (or parsing) renders the model without its columns: no fingerprint, nothing carried -#}
    {%- set columns = (model.get('columns') or {}).keys() | reject('equalto', 'inputs_fingerprint') | list -%}
account_fingerprints as (
    select
        account_id,
        {% if columns -%}
        {{ mart_fingerprint(columns) }}
        {%- else -%}
        cast(null as {{ dbt.type_string() }})
        {%- endif %} as inputs_fingerprint
    from {{ rows }}
    group by account_id
),

evaluated_accounts as (
    {{ accounts_to_evaluate('account_fingerprints') }}
),

written as (
    select
        {{ rows }}.*,
        evaluated_accounts.inputs_fingerprint
    from {{ rows }}
    inner join evaluated_accounts on {{ rows }}.account_id = evaluated_accounts.account_id
)
{%- endmacro %}

{#- The fingerprint as a mart stores it: text, a type every BI tool reads (a 38-digit decimal is fetched
    as Python Decimal and left untyped; scripts/check_bi_types.py). -#}
{% macro mart_fingerprint(columns) -%}
    cast({{ inputs_fingerprint(columns) }} as {{ dbt.type_string() }})
{%- endmacro %}
