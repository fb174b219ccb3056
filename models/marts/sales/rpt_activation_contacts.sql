-- People who may be activated through each channel (grain: person_id, channel; channels from seed
-- consent_channels): people of target or qualified accounts with a current opt-in for that purpose,
-- decided across all their records (int_contact_consent_resolved) — never one record's flag. Each
-- row carries its evidence: which record gave the consent, and when. The consent filter lives here,
-- before any export; scripts/export_activation.py checks every row against fct_contact_consent again.
with

people as (
    select * from {{ ref('dim_contacts') }}
),

consent as (
    select * from {{ ref('fct_contact_consent') }}
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

consented as (
    select * from consent
    where has_consent
),

activatable as (
    select
        people.person_id,
        consented.channel,
        people.account_id,
        activation_accounts.is_target,
        activation_accounts.is_qualified,
        people.full_name,
        people.email,
        people.department,
        people.job_title,
        people.buying_role,
        consented.has_consent,
        consented.consent_status,
        consented.decided_at as consented_at,
        consented.deciding_contact_key as consent_source_record,
        consented.has_conflicting_answers
    from people
    inner join consented on people.person_id = consented.person_id
    inner join activation_accounts on people.account_id = activation_accounts.account_id
    where people.email is not null
)

select * from activatable
