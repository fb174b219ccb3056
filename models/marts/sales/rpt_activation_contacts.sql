-- Contacts that may be activated through each channel (grain: contact_key, channel): e-mail needs
-- consent_email, advertising audiences need consent_ads. Only contacts of target or qualified
-- accounts, and only with the consent the channel requires — the consent filter lives here, before
-- any export (scripts/export_activation.py delivers this table and rpt_sdr_queue as they are).
with

contacts as (
    select * from {{ ref('int_contacts_roles_assigned') }}
),

scores as (
    select * from {{ ref('fct_account_scores') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

activation_accounts as (
    select
        accounts.account_id,
        accounts.is_target,
        scores.is_qualified
    from accounts
    inner join scores on accounts.account_id = scores.account_id
    where accounts.is_target or scores.is_qualified
),

channels as (
    select
        'email' as channel,
        contacts.*
    from contacts
    where contacts.consent_email and contacts.email is not null
    union all
    select
        'ads' as channel,
        contacts.*
    from contacts
    where contacts.consent_ads and contacts.email is not null
),

activatable as (
    select
        channels.source_system || ':' || channels.source_contact_id as contact_key,
        channels.channel,
        channels.account_id,
        activation_accounts.is_target,
        activation_accounts.is_qualified,
        channels.source_system,
        channels.source_contact_id,
        channels.full_name,
        channels.email,
        channels.department,
        channels.job_title,
        channels.buying_role,
        channels.consent_email,
        channels.consent_ads
    from channels
    inner join activation_accounts on channels.account_id = activation_accounts.account_id
)

select * from activatable
