-- The SDR priority queue (grain: account_id; at most sdr_queue_size accounts): qualified accounts that
-- are not customers with an open deal already, ranked by account score, with why (top factors, intent
-- surge), the next buying-committee role to reach and a person to reach in it, and the owner. A
-- suggested person is only someone whose current e-mail consent (decided across all their records)
-- is an opt-in — the queue is exported to the CRM as is.
with

scores as (
    select * from {{ ref('fct_account_scores') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

committee as (
    select * from {{ ref('fct_buying_committee') }}
),

activation_contacts as (
    select * from {{ ref('rpt_activation_contacts') }}
),

next_roles as (
    select
        account_id,
        buying_role,
        row_number() over (partition by account_id order by reach_priority, buying_role) as role_rank
    from committee
    where is_expected_role and not is_reached
),

email_contacts as (
    select
        account_id,
        buying_role,
        person_id,
        full_name,
        job_title,
        row_number() over (partition by account_id, buying_role order by person_id) as contact_rank
    from activation_contacts
    where channel = 'email'
),

qualified as (
    select
        scores.account_id,
        accounts.account_name,
        accounts.target_owner as owner,
        accounts.is_target,
        scores.score_tier,
        scores.account_score,
        scores.fit_score,
        scores.intent_score,
        scores.engagement_score,
        scores.intent_surge,
        scores.buying_stage,
        scores.buying_stage_order,
        scores.top_factors,
        cast(
            row_number() over (order by scores.account_score desc, scores.account_id asc)
            as {{ dbt.type_bigint() }}
        ) as queue_rank
    from scores
    inner join accounts on scores.account_id = accounts.account_id
    where scores.is_qualified and scores.buying_stage not in ('opportunity', 'customer')
),

queue as (
    select
        qualified.queue_rank,
        qualified.account_id,
        qualified.account_name,
        qualified.owner,
        qualified.is_target,
        qualified.score_tier,
        qualified.account_score,
        qualified.fit_score,
        qualified.intent_score,
        qualified.engagement_score,
        qualified.intent_surge,
        qualified.buying_stage,
        qualified.buying_stage_order,
        case
            when qualified.intent_surge then 'intent surge; ' || qualified.top_factors
            else qualified.top_factors
        end as reason,
        next_roles.buying_role as next_role_to_reach,
        email_contacts.person_id as suggested_person_id,
        email_contacts.full_name as suggested_contact_name,
        email_contacts.job_title as suggested_contact_title
    from qualified
    left join next_roles
        on
            qualified.account_id = next_roles.account_id
            and next_roles.role_rank = 1
    left join email_contacts
        on
            next_roles.account_id = email_contacts.account_id
            and next_roles.buying_role = email_contacts.buying_role
            and email_contacts.contact_rank = 1
    where qualified.queue_rank <= {{ var('sdr_queue_size') }}
)

select * from queue
