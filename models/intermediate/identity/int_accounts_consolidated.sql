-- The golden record of every account (one row per account_id): each field taken from the account's
-- records by the rule the seed survivorship_rules sets for it — source priority (seed
-- source_priority) then the most recent record, or the reverse. Identifiers are candidates only when
-- valid (invalid 法人番号 / D-U-N-S / domains are null in the records), so valid identifiers come first.
-- depends_on: {{ ref('survivorship_rules') }}
{%- set field_expressions = {
    'account_name': 'company_name',
    'corporate_number': 'corporate_number',
    'duns_number': 'duns_number',
    'primary_domain': 'domain',
    'industry_code': 'industry_code',
    'employee_count': 'employee_count',
    'annual_revenue_jpy': 'annual_revenue_jpy',
    'prefecture': 'prefecture',
} %}
{#- a field's companion columns come from the same surviving record -#}
{%- set companions = {'account_name': {'account_name_normalized': 'company_name_normalized'}} %}
{#- contact records (what a lead typed) only fill fields no company record has -#}
{%- set order_rules = {
    'source_priority_then_recent': 'is_contact_record, source_priority, updated_at desc nulls last, record_key',
    'recent_then_source_priority': 'is_contact_record, updated_at desc nulls last, source_priority, record_key',
} %}
{%- set rules = {} %}
{%- if execute %}
{%- set rule_rows = run_query('select field_name, order_rule from ' ~ ref('survivorship_rules')) %}
{%- for row in rule_rows.rows %}
{%- if row[0] not in field_expressions or row[1] not in order_rules %}
            {{ exceptions.raise_compiler_error("seed survivorship_rules: unknown field '" ~ row[0] ~ "' or order_rule '" ~ row[1] ~ "'") }}
        {%- endif %}
{%- do rules.update({row[0]: row[1]}) %}
{%- endfor %}
{%- endif %}
with

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

account_ids as (
    select * from {{ ref('int_account_ids_assigned') }}
),

source_priority as (
    select * from {{ ref('source_priority') }}
),

ranked_records as (
    select
        account_ids.account_id,
        records.*,
        coalesce(source_priority.priority, 99) as source_priority,
        case when records.source_table = 'contacts' then 1 else 0 end as is_contact_record
    from records
    inner join account_ids on records.record_key = account_ids.record_key
    left join source_priority on records.source_system = source_priority.source_system
),

accounts as (
    select
        account_id,
        count(*) filter (where source_table = 'crm_accounts') as crm_account_records,
        count(*) filter (where source_table = 'firmographics') as firmographics_records,
        count(*) filter (where source_table = 'contacts') as contact_records,
        min(record_key) as anchor_record_key
    from ranked_records
    group by account_id
),

{% for field, expression in field_expressions.items() %}
{{ field }}_ranked as (
    select
        account_id,
        {{ expression }} as {{ field }},
        {% for companion, companion_expression in companions.get(field, {}).items() -%}
        {{ companion_expression }} as {{ companion }},
        {% endfor -%}
        row_number() over (
            partition by account_id
            order by {{ order_rules[rules.get(field, 'source_priority_then_recent')] }}
        ) as field_rank
    from ranked_records
    where {{ expression }} is not null
),
{% endfor %}

consolidated as (
    select
        accounts.account_id,
        {% for field in field_expressions -%}
        {{ field }}_ranked.{{ field }},
        {% for companion in companions.get(field, {}) -%}
        {{ field }}_ranked.{{ companion }},
        {% endfor -%}
        {% endfor -%}
        accounts.crm_account_records,
        accounts.firmographics_records,
        accounts.contact_records,
        accounts.anchor_record_key
    from accounts
    {% for field in field_expressions -%}
    left join {{ field }}_ranked
        on
            accounts.account_id = {{ field }}_ranked.account_id
            and {{ field }}_ranked.field_rank = 1
    {% endfor %}
)

select * from consolidated
