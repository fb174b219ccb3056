-- Consent per person and purpose (grain: person_id, channel), with the evidence a data protection
-- officer needs: the current status, the record and time that decided it, the answer as delivered,
-- and how many of the person's records said yes, no, something unreadable or nothing.
with

consent as (
    select * from {{ ref('int_contact_consent_resolved') }}
),

channels as (
    select * from {{ ref('consent_channels') }}
),

documented as (
    select
        consent.person_id,
        consent.channel,
        channels.purpose_ja,
        channels.purpose_en,
        consent.has_consent,
        consent.consent_status,
        consent.deciding_contact_key,
        consent.decided_at,
        consent.deciding_answer_text,
        consent.records,
        consent.opt_in_records,
        consent.opt_out_records,
        consent.unreadable_records,
        consent.unanswered_records,
        consent.last_opt_in_at,
        consent.last_opt_out_at,
        consent.has_conflicting_answers
    from consent
    inner join channels on consent.channel = channels.channel
)

select * from documented
