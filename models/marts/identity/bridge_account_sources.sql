-- Which account every staged source record belongs to, and why (one row per record of
-- crm_accounts, contacts and firmographics). For company records, match_rule is the strongest
-- rule that tied the record to its account ('singleton' when it stands alone); for contacts, the
-- rule that attached the contact ('unmatched' with a null account_id when none did).
with

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

explained as (
    select * from {{ ref('int_company_records_explained') }}
),

contacts as (
    select * from {{ ref('int_contacts_matched_to_accounts') }}
),

company_records as (
    select
        records.source_table,
        records.source_system,
        records.source_record_id,
        explained.account_id,
        explained.match_rule,
        explained.match_score
    from records
    inner join explained on records.record_key = explained.record_key
    where records.source_table in ('crm_accounts', 'firmographics')
),

contact_records as (
    select
        'contacts' as source_table,
        source_system,
        source_contact_id as source_record_id,
        account_id,
        match_rule,
        match_score
    from contacts
),

bridge as (
    select * from company_records
    union all
    select * from contact_records
)

select * from bridge
