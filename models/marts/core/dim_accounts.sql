-- One row per company (account) after identity resolution (名寄せ): the golden record, its place in
-- the group hierarchy, customer and target status as of as_of_date, and how many source records
-- and contacts stand behind it. Companies known only through leads or business cards are accounts
-- too (account_source = 'contacts').
with

accounts as (
    select * from {{ ref('int_accounts_consolidated') }}
),

hierarchy as (
    select * from {{ ref('int_account_hierarchy_resolved') }}
),

targets as (
    select * from {{ ref('int_target_accounts_resolved') }}
),

contracts as (
    select * from {{ ref('int_contracts_attributed_to_accounts') }}
),

industries as (
    select * from {{ ref('jsic_industries') }}
),

customer_status as (
    select
        account_id,
        count(*) filter (where is_active_on_as_of_date) as active_contracts,
        min(start_date) as first_contract_start_date
    from contracts
    where account_id is not null
    group by account_id
),

final as (
    select
        accounts.account_id,
        accounts.account_name,
        accounts.account_name_normalized,
        accounts.corporate_number,
        accounts.duns_number,
        accounts.primary_domain,
        accounts.industry_code,
        industries.industry_name_ja as industry,
        accounts.employee_count,
        {{ as_yen('accounts.annual_revenue_jpy') }} as annual_revenue_jpy,
        accounts.prefecture,
        hierarchy.parent_account_id,
        hierarchy.ultimate_parent_account_id,
        hierarchy.hierarchy_depth,
        hierarchy.hierarchy_issue,
        coalesce(customer_status.active_contracts, 0) > 0 as is_customer,
        customer_status.first_contract_start_date,
        targets.account_id is not null as is_target,
        targets.tier as target_tier,
        targets.owner as target_owner,
        case
            when accounts.crm_account_records > 0 then 'crm'
            when accounts.firmographics_records > 0 then 'firmographics'
            else 'contacts'
        end as account_source,
        accounts.crm_account_records,
        accounts.firmographics_records,
        accounts.contact_records
    from accounts
    left join hierarchy on accounts.account_id = hierarchy.account_id
    left join targets on accounts.account_id = targets.account_id
    left join customer_status on accounts.account_id = customer_status.account_id
    left join industries on accounts.industry_code = industries.industry_code
)

select * from final
