{{ config(
    materialized=abm_incremental_materialization(),
    unique_key=['account_id', 'evaluated_on'],
    incremental_strategy=abm_incremental_strategy(),
    on_schema_change='sync_all_columns',
    pre_hook=["{{ prune_to_evaluation_days(account_is_gone()) }}", "{{ record_evaluated_days() }}"],
    meta={'appends_from': ['int_funnel_evaluation_dates', 'int_accounts_consolidated', 'int_people_consolidated',
                           'int_touches_attributed_to_accounts', 'int_opportunities_progressed',
                           'int_target_listings_resolved', 'int_accounts_control_matched']},
) }}
-- The account funnel of every account on every evaluation day (grain: account_id, evaluated_on):
-- coverage and reach of the expected buying committee, high-intent engagement, pipeline and wins,
-- each counted only from data dated on or before that day, so a past day's figures are what they were
-- then. Stage rules: seed funnel_stages; thresholds: vars funnel_*; cohort: target list on that day
-- and the matched control group (int_accounts_control_matched).
-- Incremental (macros/funnel/evaluation_days.sql): a daily run evaluates as_of_date and the recent
-- period ends only; older period ends keep the figures they were given, as the histories do. Of the days
-- it evaluates, a planned daily build carries the stored funnel of an account whose people, touches
-- and opportunities did not change and moved no window edge (macros/funnel/carried_states.sql) and
-- evaluates the others; the cohort (target list, control group) is looked up for every account.
{%- set carrying = abm_appending() %}
{#- the cohort on the day, looked up for every account -#}
{%- set cohort_columns = ['is_target', 'cohort', 'tier', 'owner'] %}
{#- what a carried row keeps: everything but the day, its flags and the cohort -#}
{%- set state_columns = [
    'expected_roles', 'known_roles', 'reached_roles', 'engaged_touches', 'known_people', 'reached_people',
    'engaged_people', 'pipeline_opportunities', 'pipeline_amount_jpy', 'won_opportunities', 'won_amount_jpy',
    'closed_opportunities', 'sales_cycle_days', 'coverage_rate', 'reach_rate', 'win_rate', 'acv_jpy',
    'is_covered', 'is_reached', 'is_engaged', 'has_pipeline', 'has_won', 'funnel_stage_order',
    'staircase_stage_order', 'funnel_stage', 'staircase_stage',
] %}
with

evaluation_spine as (
    select * from {{ ref('int_funnel_evaluation_dates') }}
),

accounts as (
    select * from {{ ref('int_accounts_consolidated') }}
),

people as (
    select * from {{ ref('int_people_consolidated') }}
),

touches as (
    select * from {{ ref('int_touches_attributed_to_accounts') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_progressed') }}
),

listings as (
    select * from {{ ref('int_target_listings_resolved') }}
),

control_matches as (
    select * from {{ ref('int_accounts_control_matched') }}
),

roles as (
    select * from {{ ref('buying_committee_roles') }}
),

funnel_stages as (
    select * from {{ ref('funnel_stages') }}
),

-- the days this run evaluates (all of them on a first run or --full-refresh)
evaluation_dates as (
    select * from evaluation_spine
    where {{ evaluation_days_filter('evaluation_spine') }}
),

-- every account with the fingerprint of the rows its funnel is counted from (the source named in each
-- row's hash, so equal rows of two sources do not stand in for each other)
people_fingerprints as (
    select
        account_id,
        {{ inputs_fingerprint(["'person'", 'buying_role', 'first_known_at']) }} as inputs_fingerprint
    from people
    where account_id is not null
    group by account_id
),

touch_fingerprints as (
    select
        account_id,
        {{ inputs_fingerprint([
            "'touch'", 'buying_role', 'occurred_at', 'contact_key', 'is_outbound_reach', 'is_high_intent'
        ]) }} as inputs_fingerprint
    from touches
    where is_outbound_reach or is_high_intent
    group by account_id
),

opportunity_fingerprints as (
    select
        account_id,
        {{ inputs_fingerprint([
            "'opportunity'", 'amount_jpy', 'created_at', 'pipeline_reached_at', 'won_at', 'closed_at'
        ]) }} as inputs_fingerprint
    from opportunities
    where account_id is not null
    group by account_id
),

account_inputs as (
    select
        accounts.account_id,
        coalesce(people_fingerprints.inputs_fingerprint, 0)
        + coalesce(touch_fingerprints.inputs_fingerprint, 0)
        + coalesce(opportunity_fingerprints.inputs_fingerprint, 0) as inputs_fingerprint
    from accounts
    left join people_fingerprints on accounts.account_id = people_fingerprints.account_id
    left join touch_fingerprints on accounts.account_id = touch_fingerprints.account_id
    left join opportunity_fingerprints on accounts.account_id = opportunity_fingerprints.account_id
),
{% if carrying %}
reference_days as (
    {{ reference_days('evaluation_dates') }}
),

-- accounts with a dated input that entered between the reference day and the day, or left the
-- engagement window (high-intent touches) or the opportunity window (creation): their funnel may have
-- moved although their inputs did not change
moved_accounts as (
    select
        people.account_id,
        reference_days.evaluated_on
    from people
    inner join reference_days
        on {{ crosses_window_edges(
            'cast(people.first_known_at as date)', 'reference_days.reference_on', 'reference_days.evaluated_on', []
        ) }}
    where people.account_id is not null
    union
    select
        touches.account_id,
        reference_days.evaluated_on
    from touches
    inner join reference_days
        on {{ crosses_window_edges(
            'cast(touches.occurred_at as date)', 'reference_days.reference_on', 'reference_days.evaluated_on',
            [var('funnel_engagement_window_days')]
        ) }}
    where touches.is_outbound_reach or touches.is_high_intent
    union
    select
        opportunities.account_id,
        reference_days.evaluated_on
    from opportunities
    inner join reference_days
        on
            {{ crosses_window_edges(
                'cast(opportunities.created_at as date)', 'reference_days.reference_on',
                'reference_days.evaluated_on', [var('funnel_opportunity_window_days')]
            ) }}
            {%- for milestone in ['pipeline_reached_at', 'won_at', 'closed_at'] %}
            or {{ crosses_window_edges(
                'cast(opportunities.' ~ milestone ~ ' as date)', 'reference_days.reference_on',
                'reference_days.evaluated_on', []
            ) }}
            {%- endfor %}
    where opportunities.account_id is not null
),

-- the stored funnel of every other account whose inputs are the ones it was evaluated from
carried as (
    {{ carried_rows(['account_id'], state_columns, 'account_inputs', 'moved_accounts', cohort_columns) }}
),
{% endif %}
-- the accounts evaluated on each day: every account, but those carried
account_days as (
    select
        account_inputs.account_id,
        account_inputs.inputs_fingerprint,
        evaluation_dates.evaluated_on
    from account_inputs
    cross join evaluation_dates
    {%- if carrying %}
    where not exists (
        select 1
        from carried
        where
            carried.account_id = account_inputs.account_id
            and carried.evaluated_on = evaluation_dates.evaluated_on
    )
    {%- endif %}
),

-- the rows the evaluated accounts' funnels are counted from
people_counted as (
    select * from people
    {%- if carrying %}
    where account_id in (select account_days.account_id from account_days)
    {%- endif %}
),

touches_counted as (
    select * from touches
    {%- if carrying %}
    where account_id in (select account_days.account_id from account_days)
    {%- endif %}
),

opportunities_counted as (
    select * from opportunities
    {%- if carrying %}
    where account_id in (select account_days.account_id from account_days)
    {%- endif %}
),

expected_roles as (
    select role from roles
    where is_expected
),

expected_role_count as (
    select count(*) as expected_roles from expected_roles
),

-- the day each expected role first had a known contact, and first had one we reached
role_known as (
    select
        people.account_id,
        people.buying_role,
        min(coalesce(people.first_known_at, cast('1900-01-01' as {{ dbt.type_timestamp() }}))) as known_at
    from people_counted as people
    inner join expected_roles on people.buying_role = expected_roles.role
    where people.account_id is not null
    group by people.account_id, people.buying_role
),

role_reached as (
    select
        touches.account_id,
        touches.buying_role,
        min(touches.occurred_at) as reached_at
    from touches_counted as touches
    inner join expected_roles on touches.buying_role = expected_roles.role
    where touches.is_outbound_reach
    group by touches.account_id, touches.buying_role
),

committee_on_day as (
    select
        role_known.account_id,
        evaluation_dates.evaluated_on,
        count(*) as known_roles,
        count(
            case
                when role_reached.reached_at < {{ dbt.dateadd('day', 1, 'evaluation_dates.evaluated_on') }} then 1
            end
        ) as reached_roles
    from role_known
    inner join evaluation_dates
        on role_known.known_at < {{ dbt.dateadd('day', 1, 'evaluation_dates.evaluated_on') }}
    left join role_reached
        on
            role_known.account_id = role_reached.account_id
            and role_known.buying_role = role_reached.buying_role
    group by role_known.account_id, evaluation_dates.evaluated_on
),

-- people, not records (int_people_consolidated): how many persons of the account were known and
-- reached by each day, and engaged (a high-intent touch) in the engagement window before it
person_first_reach as (
    select
        account_id,
        contact_key,
        min(occurred_at) as reached_at
    from touches_counted
    where is_outbound_reach and contact_key is not null
    group by account_id, contact_key
),

people_known_on_day as (
    select
        people.account_id,
        evaluation_dates.evaluated_on,
        count(*) as known_people
    from people_counted as people
    inner join evaluation_dates
        on
            coalesce(people.first_known_at, cast('1900-01-01' as {{ dbt.type_timestamp() }}))
            < {{ dbt.dateadd('day', 1, 'evaluation_dates.evaluated_on') }}
    where people.account_id is not null
    group by people.account_id, evaluation_dates.evaluated_on
),

people_reached_on_day as (
    select
        person_first_reach.account_id,
        evaluation_dates.evaluated_on,
        count(*) as reached_people
    from person_first_reach
    inner join evaluation_dates
        on person_first_reach.reached_at < {{ dbt.dateadd('day', 1, 'evaluation_dates.evaluated_on') }}
    group by person_first_reach.account_id, evaluation_dates.evaluated_on
),

high_intent_person_days as (
    select distinct
        account_id,
        contact_key,
        cast(occurred_at as date) as touched_on
    from touches_counted
    where is_high_intent and contact_key is not null
),

people_engaged_on_day as (
    select
        high_intent_person_days.account_id,
        evaluation_dates.evaluated_on,
        count(distinct high_intent_person_days.contact_key) as engaged_people
    from high_intent_person_days
    inner join evaluation_dates
        on
            high_intent_person_days.touched_on <= evaluation_dates.evaluated_on
            and high_intent_person_days.touched_on > {{ dbt.dateadd(
                'day', -var('funnel_engagement_window_days'), 'evaluation_dates.evaluated_on'
            ) }}
    group by high_intent_person_days.account_id, evaluation_dates.evaluated_on
),

high_intent_days as (
    select
        account_id,
        cast(occurred_at as date) as touched_on,
        count(*) as touches
    from touches_counted
    where is_high_intent
    group by account_id, cast(occurred_at as date)
),

engagement_on_day as (
    select
        high_intent_days.account_id,
        evaluation_dates.evaluated_on,
        cast(sum(high_intent_days.touches) as {{ dbt.type_bigint() }}) as engaged_touches
    from high_intent_days
    inner join evaluation_dates
        on
            high_intent_days.touched_on <= evaluation_dates.evaluated_on
            and high_intent_days.touched_on > {{ dbt.dateadd(
                'day', -var('funnel_engagement_window_days'), 'evaluation_dates.evaluated_on'
            ) }}
    group by high_intent_days.account_id, evaluation_dates.evaluated_on
),

opportunities_on_day as (
    select
        opportunities.account_id,
        evaluation_dates.evaluated_on,
        opportunities.amount_jpy,
        opportunities.created_at,
        opportunities.pipeline_reached_at < {{ dbt.dateadd('day', 1, 'evaluation_dates.evaluated_on') }}
            as is_pipeline,
        opportunities.won_at < {{ dbt.dateadd('day', 1, 'evaluation_dates.evaluated_on') }} as is_won,
        opportunities.closed_at < {{ dbt.dateadd('day', 1, 'evaluation_dates.evaluated_on') }} as is_closed,
        opportunities.won_at
    from opportunities_counted as opportunities
    inner join evaluation_dates
        on
            opportunities.created_at < {{ dbt.dateadd('day', 1, 'evaluation_dates.evaluated_on') }}
            and opportunities.created_at >= {{ dbt.dateadd(
                'day', 1 - var('funnel_opportunity_window_days'), 'evaluation_dates.evaluated_on'
            ) }}
    where opportunities.account_id is not null
),

deals_on_day as (
    select
        account_id,
        evaluated_on,
        count(case when is_pipeline then 1 end) as pipeline_opportunities,
        coalesce(sum(case when is_pipeline then amount_jpy end), 0) as pipeline_amount_jpy,
        count(case when is_won then 1 end) as won_opportunities,
        coalesce(sum(case when is_won then amount_jpy end), 0) as won_amount_jpy,
        count(case when is_closed then 1 end) as closed_opportunities,
        -- noqa: disable=LT05
        avg(case when is_won then {{ dbt.datediff('created_at', 'won_at', 'day') }} end) as sales_cycle_days
        -- noqa: enable=LT05
    from opportunities_on_day
    group by account_id, evaluated_on
),

listed_on_day as (
    select
        listings.account_id,
        evaluation_dates.evaluated_on,
        listings.tier,
        listings.owner,
        row_number() over (
            partition by listings.account_id, evaluation_dates.evaluated_on
            order by listings.tier, listings.added_on, listings.source_system, listings.source_account_id
        ) as listing_rank
    from listings
    inner join evaluation_dates
        on
            listings.added_on <= evaluation_dates.evaluated_on
            and (listings.removed_on is null or listings.removed_on > evaluation_dates.evaluated_on)
),

-- a control may serve targets of several listing quarters: one row per control, the most invested tier
controls as (
    select
        control_account_id as account_id,
        min(tier) as tier
    from control_matches
    where control_account_id is not null
    group by control_account_id
),

measured as (
    select
        account_days.*,
        expected_role_count.expected_roles,
        coalesce(committee_on_day.known_roles, 0) as known_roles,
        coalesce(committee_on_day.reached_roles, 0) as reached_roles,
        coalesce(engagement_on_day.engaged_touches, 0) as engaged_touches,
        coalesce(people_known_on_day.known_people, 0) as known_people,
        coalesce(people_reached_on_day.reached_people, 0) as reached_people,
        coalesce(people_engaged_on_day.engaged_people, 0) as engaged_people,
        coalesce(deals_on_day.pipeline_opportunities, 0) as pipeline_opportunities,
        coalesce(deals_on_day.pipeline_amount_jpy, 0) as pipeline_amount_jpy,
        coalesce(deals_on_day.won_opportunities, 0) as won_opportunities,
        coalesce(deals_on_day.won_amount_jpy, 0) as won_amount_jpy,
        coalesce(deals_on_day.closed_opportunities, 0) as closed_opportunities,
        deals_on_day.sales_cycle_days
    from account_days
    cross join expected_role_count
    left join committee_on_day
        on
            account_days.account_id = committee_on_day.account_id
            and account_days.evaluated_on = committee_on_day.evaluated_on
    left join engagement_on_day
        on
            account_days.account_id = engagement_on_day.account_id
            and account_days.evaluated_on = engagement_on_day.evaluated_on
    left join deals_on_day
        on
            account_days.account_id = deals_on_day.account_id
            and account_days.evaluated_on = deals_on_day.evaluated_on
    left join people_known_on_day
        on
            account_days.account_id = people_known_on_day.account_id
            and account_days.evaluated_on = people_known_on_day.evaluated_on
    left join people_reached_on_day
        on
            account_days.account_id = people_reached_on_day.account_id
            and account_days.evaluated_on = people_reached_on_day.evaluated_on
    left join people_engaged_on_day
        on
            account_days.account_id = people_engaged_on_day.account_id
            and account_days.evaluated_on = people_engaged_on_day.evaluated_on
),

rated as (
    select
        *,
        {{ rate('known_roles', 'expected_roles') }} as coverage_rate,
        {{ rate('reached_roles', 'expected_roles') }} as reach_rate,
        case when closed_opportunities > 0 then {{ rate('won_opportunities', 'closed_opportunities') }} end
            as win_rate,
        case when won_opportunities > 0 then {{ round_divide('won_amount_jpy', 'won_opportunities', 0) }} end
            as acv_jpy
    from measured
),

staged as (
    select
        *,
        coverage_rate >= {{ var('funnel_min_coverage_rate') }} as is_covered,
        reach_rate >= {{ var('funnel_min_reach_rate') }} as is_reached,
        engaged_touches >= {{ var('funnel_min_engaged_touches') }} as is_engaged,
        pipeline_opportunities > 0 as has_pipeline,
        won_opportunities > 0 as has_won
    from rated
),

deepest_stage as (
    select
        staged.*,
        case
            when staged.has_won then 5
            when staged.has_pipeline then 4
            when staged.is_engaged then 3
            when staged.is_reached then 2
            when staged.is_covered then 1
            else 0
        end as funnel_stage_order,
        -- the strict staircase (seed 001): a step counts only when every step before it holds too
        case
            when not staged.is_covered then 0
            when not staged.is_reached then 1
            when not staged.is_engaged then 2
            when not staged.has_pipeline then 3
            when not staged.has_won then 4
            else 5
        end as staircase_stage_order
    from staged
),

named as (
    select
        deepest_stage.*,
        funnel_stages.funnel_stage,
        staircase_stages.funnel_stage as staircase_stage
    from deepest_stage
    inner join funnel_stages on deepest_stage.funnel_stage_order = funnel_stages.stage_order
    inner join funnel_stages as staircase_stages
        on deepest_stage.staircase_stage_order = staircase_stages.stage_order
),

funnel_states as (
    select
        account_id,
        evaluated_on,
        {%- for column in state_columns %}
        {{ column }},
        {%- endfor %}
        inputs_fingerprint,
        cast(null as date) as reference_on,
        cast(null as {{ dbt.type_boolean() }}) as stored_is_target,
        cast(null as {{ dbt.type_string() }}) as stored_cohort,
        cast(null as {{ dbt.type_int() }}) as stored_tier,
        cast(null as {{ dbt.type_string() }}) as stored_owner
    from named
    {%- if carrying %}
    union all
    select * from carried
    {%- endif %}
),

-- the day's flags and the cohort on the day, for evaluated and carried funnels alike
cohorts as (
    select
        funnel_states.account_id,
        funnel_states.evaluated_on,
        evaluation_dates.is_week_end,
        evaluation_dates.is_month_end,
        evaluation_dates.is_quarter_end,
        evaluation_dates.is_as_of_date,
        listed_on_day.account_id is not null as is_target,
        case
            when listed_on_day.account_id is not null then 'target'
            when controls.account_id is not null then 'control'
            else 'other'
        end as cohort,
        -- a control carries the tier of the target it was matched with, so lift compares like with like
        case
            when listed_on_day.account_id is not null then listed_on_day.tier
            else controls.tier
        end as tier,
        listed_on_day.owner,
        {%- for column in state_columns %}
        funnel_states.{{ column }},
        {%- endfor %}
        funnel_states.inputs_fingerprint,
        funnel_states.reference_on,
        funnel_states.stored_is_target,
        funnel_states.stored_cohort,
        funnel_states.stored_tier,
        funnel_states.stored_owner
    from funnel_states
    inner join evaluation_dates on funnel_states.evaluated_on = evaluation_dates.evaluated_on
    left join listed_on_day
        on
            funnel_states.account_id = listed_on_day.account_id
            and funnel_states.evaluated_on = listed_on_day.evaluated_on
            and listed_on_day.listing_rank = 1
    left join controls on funnel_states.account_id = controls.account_id
),

-- what this run writes: evaluated rows, and carried ones where the stored row differs (a new day, or a
-- cohort that changed on a stored day); a carried row equal to its stored row stays as it is
changed as (
    select
        account_id,
        evaluated_on,
        is_week_end,
        is_month_end,
        is_quarter_end,
        is_as_of_date,
        {%- for column in cohort_columns %}
        {{ column }},
        {%- endfor %}
        {%- for column in state_columns %}
        {{ column }},
        {%- endfor %}
        inputs_fingerprint
    from cohorts
    {%- if carrying %}
    where
        reference_on is null
        or reference_on != evaluated_on
        {%- for column in cohort_columns %}
        or stored_{{ column }} is distinct from {{ column }}
        {%- endfor %}
    {%- endif %}
)

select * from changed
