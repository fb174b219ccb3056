{#- Which base/staging models hold each raw table, and how a row of it is named in the quarantine.
    One list for the quarantine model and the reconciliation test, so a new raw table is added once. -#}
{% macro raw_table_registry() -%}
    {{ return([
        {'raw_table': 'crm_accounts', 'base': 'base_crm__accounts', 'staged': 'stg_crm__accounts',
         'record_key': "source_system || ':' || coalesce(source_account_id, '')"},
        {'raw_table': 'contacts', 'base': 'base_crm__contacts', 'staged': 'stg_crm__contacts',
         'record_key': "source_system || ':' || coalesce(source_contact_id, '')"},
        {'raw_table': 'lead_status_history', 'base': 'base_ma__lead_status_history', 'staged': 'stg_ma__lead_status_history',
         'record_key': "coalesce(source_contact_id, '') || ':' || coalesce(status_raw, '')"},
        {'raw_table': 'activities', 'base': 'base_ma__activities', 'staged': 'stg_ma__activities',
         'record_key': "activity_id"},
        {'raw_table': 'intent_signals', 'base': 'base_intent__signals', 'staged': 'stg_intent__signals',
         'record_key': "coalesce(domain, '') || ':' || coalesce(topic, '')"},
        {'raw_table': 'product_usage', 'base': 'base_product__usage_events', 'staged': 'stg_product__usage_events',
         'record_key': "event_id"},
        {'raw_table': 'opportunities', 'base': 'base_crm__opportunities', 'staged': 'stg_crm__opportunities',
         'record_key': "opportunity_id"},
        {'raw_table': 'opportunity_stage_history', 'base': 'base_crm__opportunity_stage_history', 'staged': 'stg_crm__opportunity_stage_history',
         'record_key': "coalesce(opportunity_id, '') || ':' || coalesce(stage, '')"},
        {'raw_table': 'contracts', 'base': 'base_billing__contracts', 'staged': 'stg_billing__contracts',
         'record_key': "contract_id"},
        {'raw_table': 'target_accounts', 'base': 'base_abm__target_accounts', 'staged': 'stg_abm__target_accounts',
         'record_key': "coalesce(source_system, '') || ':' || coalesce(source_account_id, '')"},
        {'raw_table': 'firmographics', 'base': 'base_firmographics__companies', 'staged': 'stg_firmographics__companies',
         'record_key': "firmographics_key"},
        {'raw_table': 'account_plan_goals', 'base': 'base_abm__account_plan_goals', 'staged': 'stg_abm__account_plan_goals',
         'record_key': "coalesce(source_account_id, '') || ':' || coalesce(metric, '')"},
    ]) }}
{%- endmacro %}
