-- Every staged contact with its account and buying-committee role (one row per contact): the first
-- rule of seed title_role_rules (by rule_order) whose pattern matches the job title or department,
-- Japanese or English (部長 → champion, 情報システム部 → technical_evaluator, CIO → economic_buyer …).
with

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

matched as (
    select * from {{ ref('int_contacts_matched_to_accounts') }}
),

rules as (
    select * from {{ ref('title_role_rules') }}
),

contact_fields as (
    select
        contacts.source_system,
        contacts.source_contact_id,
        matched.account_id,
        contacts.email,
        contacts.full_name,
        contacts.department,
        contacts.job_title,
        contacts.created_at,
        lower(coalesce(contacts.job_title, '')) as title_text,
        lower(coalesce(contacts.department, '')) as department_text
    from contacts
    inner join matched
        on
            contacts.source_system = matched.source_system
            and contacts.source_contact_id = matched.source_contact_id
),

-- the rules run on each distinct (title, department) pair, not on each contact: the pattern is a
-- column, so every evaluation compiles its regex, and 3.8 M contacts carry a few hundred pairs at 1M
-- companies (237 s of the 1M build went here when every contact was matched against every rule)
distinct_texts as (
    select distinct
        title_text,
        department_text
    from contact_fields
),

rule_hits as (
    select
        distinct_texts.title_text,
        distinct_texts.department_text,
        rules.role,
        row_number() over (
            partition by distinct_texts.title_text, distinct_texts.department_text
            order by rules.rule_order
        ) as rule_rank
    from distinct_texts
    inner join rules
        on {{ regex_matches_expression(
            "case when rules.field = 'department' then distinct_texts.department_text else distinct_texts.title_text end",
            'rules.pattern'
        ) }}
),

assigned as (
    select
        contact_fields.source_system,
        contact_fields.source_contact_id,
        contact_fields.account_id,
        contact_fields.email,
        contact_fields.full_name,
        contact_fields.department,
        contact_fields.job_title,
        contact_fields.created_at,
        coalesce(rule_hits.role, 'user') as buying_role
    from contact_fields
    left join rule_hits
        on
            contact_fields.title_text = rule_hits.title_text
            and contact_fields.department_text = rule_hits.department_text
            and rule_hits.rule_rank = 1
)

select * from assigned
