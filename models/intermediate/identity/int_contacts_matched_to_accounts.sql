-- Every staged contact (CRM contacts, MA leads, business cards) with the account it belongs to and
-- how that was decided. Contacts take part in clustering (int_company_records_prepared): the CRM
-- account link, the company e-mail domain (never free mail) and the company name (with the office
-- prefecture where companies of that name sit in several) tie them to
-- accounts — or, for a company the CRM does not know yet, to each other. A contact with none of
-- those stays unmatched (account_id null), never guessed.
with

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

explained as (
    select * from {{ ref('int_company_records_explained') }}
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
        explained.account_id,
        case explained.match_rule
            when 'crm_account_link' then 'crm_account_link'
            when 'domain' then 'email_domain'
            when 'exact_name' then 'company_name'
            when 'exact_name_and_industry' then 'company_name'
            when 'singleton' then 'contact_only'
            when 'fuzzy_name' then 'company_name'
            when 'same_person_email' then 'same_person_email'
            when 'name_at_office_prefecture' then 'company_name_and_office'
            else 'unmatched'
        end as match_rule,
        explained.match_score
    from contacts
    left join explained
        on
            explained.record_key
            = {{ company_record_key("'contacts'", 'contacts.source_system', 'contacts.source_contact_id') }}
)

select * from matched
