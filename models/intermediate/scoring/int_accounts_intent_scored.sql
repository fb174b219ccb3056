-- Intent (外部シグナル) per account from third-party research signals: each signal's score × its
-- topic's weight (seed intent_topic_weights), decayed with a half-life of var intent_half_life_days
-- over var intent_window_days, then divided by a size factor (1 + log10 of head count) so big
-- companies do not win by volume alone; 0–100 with diminishing returns. A surge is this week's
-- weighted intent at least var intent_surge_ratio times the account's own weekly average of the
-- four weeks before.
with

signals as (
    select * from {{ ref('stg_intent__signals') }}
),

topic_weights as (
    select * from {{ ref('intent_topic_weights') }}
),

domain_accounts as (
    select * from {{ ref('int_account_domains_resolved') }}
),

accounts as (
    select * from {{ ref('int_accounts_consolidated') }}
),

-- vendors deliver hosts (www.mirax.co.jp): reduce them once, then join on plain equality
signal_hosts as (
    select
        *,
        {{ url_host('domain') }} as signal_host
    from signals
),

signal_distinct_hosts as (
    select distinct signal_host
    from signal_hosts
    where signal_host is not null
),

-- the registrable domain is a Python function: called once per distinct host (259 k at 1M
-- companies), not once per signal (4.3 M)
signal_host_domains as (
    select
        signal_host,
        {{ registrable_domain('signal_host') }} as signal_domain
    from signal_distinct_hosts
),

signal_domains as (
    select
        signal_hosts.*,
        signal_host_domains.signal_domain
    from signal_hosts
    left join signal_host_domains on signal_hosts.signal_host = signal_host_domains.signal_host
),

weighted_signals as (
    select
        domain_accounts.account_id,
        signal_domains.topic,
        -- noqa: disable=LT05
        {{ dbt.datediff('signal_domains.signal_date', as_of_date(), 'day') }} as age_days,
        -- noqa: enable=LT05
        signal_domains.score * coalesce(topic_weights.weight, 0) as weighted_score
    from signal_domains
    inner join domain_accounts on signal_domains.signal_domain = domain_accounts.domain
    left join topic_weights on signal_domains.topic = topic_weights.topic
),

recent as (
    select
        *,
        weighted_score * {{ decay_weight('age_days', var('intent_half_life_days')) }} as decayed_score
    from weighted_signals
    where age_days between 0 and {{ var('intent_window_days') }}
),

per_account as (
    select
        account_id,
        sum(decayed_score) as decayed_intent,
        sum(case when age_days < 7 then weighted_score else 0 end) as intent_this_week,
        sum(case when age_days between 7 and 34 then weighted_score else 0 end) / 4.0 as intent_weekly_baseline,
        count(*) as recent_signals
    from recent
    group by account_id
),

top_topic as (
    select
        account_id,
        topic,
        row_number() over (partition by account_id order by sum(decayed_score) desc, topic) as topic_rank
    from recent
    group by account_id, topic
),

scored as (
    select
        per_account.account_id,
        per_account.decayed_intent,
        per_account.intent_this_week,
        per_account.intent_weekly_baseline,
        per_account.recent_signals,
        top_topic.topic as top_topic,
        per_account.decayed_intent
        / (1 + log10(greatest(coalesce(accounts.employee_count, 1), 1))) as size_adjusted_intent,
        per_account.intent_this_week >= {{ var('intent_surge_min_weekly') }}
        and per_account.intent_this_week
        >= {{ var('intent_surge_ratio') }} * per_account.intent_weekly_baseline as intent_surge
    from per_account
    left join accounts on per_account.account_id = accounts.account_id
    left join top_topic
        on
            per_account.account_id = top_topic.account_id
            and top_topic.topic_rank = 1
),

final as (
    select
        *,
        {{ saturating_score('size_adjusted_intent', var('intent_score_scale')) }} as intent_score
    from scored
)

select * from final
