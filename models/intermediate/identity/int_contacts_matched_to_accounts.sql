-- Every staged contact (CRM contacts, MA leads, business cards) with the account it belongs to and
-- how that was decided: the CRM account link when it names a known account record, else the
-- company e-mail domain (never a free-mail one), else the normalized company name — each only
-- when it points to exactly one account. The rest stay unmatched (account_id null), never guessed.
with

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

account_ids as (
    select * from {{ ref('int_account_ids_assigned') }}
),

record_accounts as (
    select
        records.source_table,
        records.source_system,
        records.source_record_id,
        records.domain,
        records.name_normalized,
        records.name_en_normalized,
        account_ids.account_id
    from records
    inner join account_ids on records.record_key = account_ids.record_key
),

unambiguous_domains as (
    select
        domain,
        min(account_id) as account_id
    from record_accounts
    where domain is not null
    group by domain
    having count(distinct account_id) = 1
),

account_names as (
    select
        name_normalized as name,
        account_id
    from record_accounts
    where name_normalized is not null
    union
    select
        name_en_normalized as name,
        account_id
    from record_accounts
    where name_en_normalized is not null
),

unambiguous_names as (
    select
        name,
        min(account_id) as account_id
    from account_names
    group by name
    having count(distinct account_id) = 1
),

matched as (
    select
        contacts.source_system,
        contacts.source_contact_id,
        contacts.source_account_id,
        contacts.email,
        contacts.email_domain,
        contacts.company_name,
        contacts.company_name_normalized,
        case
            when crm_link.account_id is not null then crm_link.account_id
            when by_domain.account_id is not null then by_domain.account_id
            else by_name.account_id
        end as account_id,
        case
            when crm_link.account_id is not null then 'crm_account_link'
            when by_domain.account_id is not null then 'email_domain'
            when by_name.account_id is not null then 'company_name'
            else 'unmatched'
        end as match_rule
    from contacts
    left join record_accounts as crm_link
        on
            crm_link.source_table = 'crm_accounts'
            and contacts.source_system = crm_link.source_system
            and contacts.source_account_id = crm_link.source_record_id
    left join unambiguous_domains as by_domain on contacts.email_domain = by_domain.domain
    left join unambiguous_names as by_name on contacts.company_name_normalized = by_name.name
)

select * from matched
