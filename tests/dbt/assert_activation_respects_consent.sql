-- No person without a current consent for the channel is ever offered for activation. The consent is
-- decided again here from the staged records (not from the mart's own copy): for every offered person
-- and channel, the latest record of that person with an explicit answer (yes, or anything else that
-- is not empty) must say yes — for rpt_activation_contacts and for the people rpt_sdr_queue suggests
-- (e-mail). Ties at the same time fail when any of the tied answers is not yes.
with

activation as (
    select * from {{ ref('rpt_activation_contacts') }}
),

queue as (
    select * from {{ ref('rpt_sdr_queue') }}
),

bridge as (
    select * from {{ ref('bridge_contact_sources') }}
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

offered as (
    select
        person_id,
        channel
    from activation
    union
    select
        suggested_person_id as person_id,
        'email' as channel
    from queue
    where suggested_person_id is not null
),

record_answers as (
    select
        bridge.person_id,
        'email' as channel,
        contacts.consent_email_answer as answer,
        contacts.consent_email_text as answer_text,
        coalesce(contacts.updated_at, contacts.created_at) as answered_at
    from bridge
    inner join contacts
        on
            bridge.source_system = contacts.source_system
            and bridge.source_contact_id = contacts.source_contact_id
    union all
    select
        bridge.person_id,
        'ads' as channel,
        contacts.consent_ads_answer as answer,
        contacts.consent_ads_text as answer_text,
        coalesce(contacts.updated_at, contacts.created_at) as answered_at
    from bridge
    inner join contacts
        on
            bridge.source_system = contacts.source_system
            and bridge.source_contact_id = contacts.source_contact_id
),

explicit_answers as (
    select * from record_answers
    where answer_text is not null
),

latest_answer_times as (
    select
        person_id,
        channel,
        max(answered_at) as latest_at
    from explicit_answers
    group by person_id, channel
),

latest_verdicts as (
    select
        explicit_answers.person_id,
        explicit_answers.channel,
        min(case when explicit_answers.answer then 1 else 0 end) = 1 as all_latest_say_yes
    from explicit_answers
    inner join latest_answer_times
        on
            explicit_answers.person_id = latest_answer_times.person_id
            and explicit_answers.channel = latest_answer_times.channel
            and explicit_answers.answered_at = latest_answer_times.latest_at
    group by explicit_answers.person_id, explicit_answers.channel
),

violations as (
    select
        offered.person_id,
        offered.channel,
        latest_verdicts.all_latest_say_yes
    from offered
    left join latest_verdicts
        on
            offered.person_id = latest_verdicts.person_id
            and offered.channel = latest_verdicts.channel
    where latest_verdicts.all_latest_say_yes is null or not latest_verdicts.all_latest_say_yes
)

select * from violations
