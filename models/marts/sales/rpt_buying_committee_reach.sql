-- Coverage and first contact per buying-committee role (grain: cohort, target_tier, buying_role), as of
-- as_of_date: of the accounts in a cohort and target-list tier, how many have someone known in the role and how
-- many have been reached in it — the seeds' first-contact rate per role, which shows the roles the
-- plays have not opened yet (often the decision maker and the blocker).
with

funnel as (
    select * from {{ ref('fct_account_funnel') }}
),

committee as (
    select * from {{ ref('fct_buying_committee') }}
),

roles as (
    select * from {{ ref('buying_committee_roles') }}
),

segmented_accounts as (
    select
        account_id,
        cohort,
        target_tier
    from funnel
),

-- every account × every role, so a role nobody was found for still counts in the denominator
account_roles as (
    select
        segmented_accounts.account_id,
        segmented_accounts.cohort,
        segmented_accounts.target_tier,
        roles.role as buying_role,
        roles.label_ja as role_label_ja,
        roles.is_expected as is_expected_role,
        roles.reach_priority,
        coalesce(committee.is_covered, false) as is_covered,
        coalesce(committee.is_reached, false) as is_reached,
        coalesce(committee.known_contacts, 0) as known_contacts,
        coalesce(committee.reached_contacts, 0) as reached_contacts
    from segmented_accounts
    cross join roles
    left join committee
        on
            segmented_accounts.account_id = committee.account_id
            and roles.role = committee.buying_role
),

per_role as (
    select
        cohort,
        target_tier,
        buying_role,
        role_label_ja,
        is_expected_role,
        reach_priority,
        count(*) as accounts,
        count(case when is_covered then 1 end) as accounts_role_known,
        count(case when is_reached then 1 end) as accounts_role_reached,
        cast(sum(known_contacts) as {{ dbt.type_bigint() }}) as known_contacts,
        cast(sum(reached_contacts) as {{ dbt.type_bigint() }}) as reached_contacts
    from account_roles
    group by cohort, target_tier, buying_role, role_label_ja, is_expected_role, reach_priority
),

rated as (
    select
        *,
        {{ rate('accounts_role_known', 'accounts') }} as role_coverage_rate,
        {{ rate('accounts_role_reached', 'accounts') }} as first_contact_rate,
        case when accounts_role_known > 0 then {{ rate('accounts_role_reached', 'accounts_role_known') }} end
            as reached_of_known_rate
    from per_role
)

select * from rated
