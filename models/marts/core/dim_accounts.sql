-- One row per account. Until identity resolution (名寄せ) lands, an account is one staged CRM
-- account record; account_id is already the stable surrogate key BI tools join on.
with

crm_accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

active_targets as (
    select * from {{ ref('int_target_accounts_active') }}
),

industries as (
    select * from {{ ref('jsic_industries') }}
),

accounts as (
    select
        {{ dbt.hash("crm_accounts.source_system || ':' || crm_accounts.source_account_id") }} as account_id,
        crm_accounts.source_system,
        crm_accounts.source_account_id,
        crm_accounts.account_name,
        crm_accounts.website,
        crm_accounts.industry,
        industries.industry_code,
        crm_accounts.employee_count,
        crm_accounts.annual_revenue_jpy,
        crm_accounts.prefecture,
        active_targets.source_account_id is not null as is_target,
        active_targets.tier as target_tier,
        active_targets.owner as target_owner,
        crm_accounts.created_at,
        crm_accounts.updated_at
    from crm_accounts
    left join active_targets
        on
            crm_accounts.source_system = active_targets.source_system
            and crm_accounts.source_account_id = active_targets.source_account_id
    -- CRM users type the industry in Japanese or English: either name maps to the JSIC code
    left join industries
        on crm_accounts.industry in (industries.industry_name_ja, industries.industry_name_en)
)

select * from accounts
