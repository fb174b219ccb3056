-- One row per person (grain: person_id) — everyone the CRM, marketing automation and business-card
-- scans know, resolved across systems (int_contacts_resolved_to_people): golden name, e-mail,
-- account, department, title, buying-committee role, current consent per channel and how many
-- source records stand behind the person. Personal data: full_name and email only (tagged pii).
with

people as (
    select * from {{ ref('int_people_consolidated') }}
),

consent as (
    select * from {{ ref('int_contact_consent_resolved') }}
),

email_consent as (
    select * from consent
    where channel = 'email'
),

ads_consent as (
    select * from consent
    where channel = 'ads'
),

contacts as (
    select
        people.person_id,
        people.account_id,
        people.full_name,
        people.email,
        people.department,
        people.job_title,
        people.buying_role,
        coalesce(email_consent.has_consent, false) as has_email_consent,
        coalesce(email_consent.consent_status, 'no_answer') as email_consent_status,
        coalesce(ads_consent.has_consent, false) as has_ads_consent,
        coalesce(ads_consent.consent_status, 'no_answer') as ads_consent_status,
        people.source_records,
        people.source_systems,
        people.source_system_list,
        people.has_name_only_records,
        people.first_known_at,
        people.last_recorded_at
    from people
    left join email_consent on people.person_id = email_consent.person_id
    left join ads_consent on people.person_id = ads_consent.person_id
)

select * from contacts
