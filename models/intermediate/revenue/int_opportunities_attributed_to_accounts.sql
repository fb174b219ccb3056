-- Every staged opportunity with the resolved account it belongs to (one row per opportunity):
-- deals recorded under duplicate CRM records of one company land on one account_id.
with

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

account_ids as (
    select * from {{ ref('int_account_ids_assigned') }}
),

attributed as (
    select
        opportunities.opportunity_id,
        opportunities.source_system,
        opportunities.source_account_id,
        account_ids.account_id,
        opportunities.department,
        opportunities.product_line,
        opportunities.stage,
        opportunities.amount_jpy,
        opportunities.created_at,
        opportunities.closed_at,
        opportunities.is_closed,
        opportunities.is_won,
        opportunities.primary_contact_id
    from opportunities
    left join account_ids
        on
            account_ids.record_key
            = {{ company_record_key(
                "'crm_accounts'", 'opportunities.source_system', 'opportunities.source_account_id'
            ) }}
)

select * from attributed
