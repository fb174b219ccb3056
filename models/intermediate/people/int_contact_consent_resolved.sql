-- Consent per person and purpose (grain: person_id, channel; channels from seed consent_channels):
-- the latest explicit answer across all the person's records decides — an opt-out recorded after
-- the last opt-in stops every record of that person, a later opt-in (re-consent) restores it. An
-- answer is as old as its record's last update. Same time, different answers: the opt-out wins. A
-- record with no answer says nothing; one whose value cannot be read counts as an answer without
-- consent (it may have been an opt-out we cannot read). No answer at all is no consent. The deciding
-- record and its time are kept as evidence ("why was this person contacted?").
with

people as (
    select * from {{ ref('int_contacts_resolved_to_people') }}
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

channels as (
    select * from {{ ref('consent_channels') }}
),

records as (
    select
        people.person_id,
        people.contact_key,
        contacts.consent_email_answer,
        contacts.consent_email_text,
        contacts.consent_ads_answer,
        contacts.consent_ads_text,
        coalesce(contacts.updated_at, contacts.created_at) as answered_at
    from people
    inner join contacts
        on
            people.source_system = contacts.source_system
            and people.source_contact_id = contacts.source_contact_id
),

-- one row per record and channel; a new purpose adds one select here (its answer column)
answers as (
    select
        person_id,
        contact_key,
        'email' as channel,
        consent_email_answer as answer,
        consent_email_text as answer_text,
        answered_at
    from records
    union all
    select
        person_id,
        contact_key,
        'ads' as channel,
        consent_ads_answer as answer,
        consent_ads_text as answer_text,
        answered_at
    from records
),

classified as (
    select
        answers.*,
        case
            when answers.answer then 'opt_in'
            when not answers.answer then 'opt_out'
            when answers.answer_text is not null then 'unreadable'
        end as answer_kind
    from answers
    inner join channels on answers.channel = channels.channel
),

explicit_answers as (
    select
        *,
        row_number() over (
            partition by person_id, channel
            -- latest first; at the same time an opt-out or unreadable answer before an opt-in
            order by
                answered_at desc nulls last,
                case when answer_kind = 'opt_in' then 1 else 0 end asc,
                contact_key asc
        ) as answer_rank
    from classified
    where answer_kind is not null
),

answer_counts as (
    select
        person_id,
        channel,
        count(*) as records,
        count(case when answer_kind = 'opt_in' then 1 end) as opt_in_records,
        count(case when answer_kind = 'opt_out' then 1 end) as opt_out_records,
        count(case when answer_kind = 'unreadable' then 1 end) as unreadable_records,
        count(case when answer_kind is null then 1 end) as unanswered_records,
        max(case when answer_kind = 'opt_in' then answered_at end) as last_opt_in_at,
        max(case when answer_kind = 'opt_out' then answered_at end) as last_opt_out_at
    from classified
    group by person_id, channel
),

resolved as (
    select
        answer_counts.person_id,
        answer_counts.channel,
        coalesce(deciding.answer_kind = 'opt_in', false) as has_consent,
        case
            when deciding.answer_kind = 'opt_in' then 'consented'
            when deciding.answer_kind = 'opt_out' then 'opted_out'
            when deciding.answer_kind = 'unreadable' then 'unreadable_answer'
            else 'no_answer'
        end as consent_status,
        deciding.contact_key as deciding_contact_key,
        deciding.answered_at as decided_at,
        deciding.answer_text as deciding_answer_text,
        answer_counts.records,
        answer_counts.opt_in_records,
        answer_counts.opt_out_records,
        answer_counts.unreadable_records,
        answer_counts.unanswered_records,
        answer_counts.last_opt_in_at,
        answer_counts.last_opt_out_at,
        -- the person's records disagree: a record-by-record check would have got this person wrong
        answer_counts.opt_in_records > 0 and (answer_counts.opt_out_records + answer_counts.unreadable_records) > 0
            as has_conflicting_answers
    from answer_counts
    left join explicit_answers as deciding
        on
            answer_counts.person_id = deciding.person_id
            and answer_counts.channel = deciding.channel
            and deciding.answer_rank = 1
)

select * from resolved
