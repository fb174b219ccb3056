-- Every campaign-tagged touch at an account up to as_of_date is counted once in
-- fct_campaign_account_outcomes, per campaign: no touch lost, none counted twice.
with

tagged as (
    select
        campaign_id,
        count(*) as tagged_touches
    from {{ ref('int_touches_attributed_to_accounts') }}
    where campaign_id is not null and occurred_at < {{ as_of_cutoff_timestamp() }}
    group by campaign_id
),

counted as (
    select
        campaign_id,
        sum(campaign_touches) as counted_touches
    from {{ ref('fct_campaign_account_outcomes') }}
    group by campaign_id
),

compared as (
    select
        coalesce(tagged.campaign_id, counted.campaign_id) as campaign_id,
        coalesce(tagged.tagged_touches, 0) as tagged_touches,
        coalesce(counted.counted_touches, 0) as counted_touches
    from tagged
    full outer join counted on tagged.campaign_id = counted.campaign_id
)

select * from compared
where tagged_touches <> counted_touches
