-- No contact without the channel's consent is ever offered for activation: the consent is read again
-- from the staged contact (not from the mart's own copy), for rpt_activation_contacts and for the
-- contacts rpt_sdr_queue suggests (e-mail consent).
with

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

activation as (
    select * from {{ ref('rpt_activation_contacts') }}
),

queue as (
    select * from {{ ref('rpt_sdr_queue') }}
),

offered as (
    select
        contact_key,
        channel
    from activation
    union all
    select
        suggested_contact_key as contact_key,
        'email' as channel
    from queue
    where suggested_contact_key is not null
),

violations as (
    select
        offered.contact_key,
        offered.channel,
        contacts.consent_email,
        contacts.consent_ads
    from offered
    left join contacts
        on offered.contact_key = contacts.source_system || ':' || contacts.source_contact_id
    where
        contacts.source_contact_id is null
        or (offered.channel = 'email' and not contacts.consent_email)
        or (offered.channel = 'ads' and not contacts.consent_ads)
)

select * from violations
