-- The time spine holds every day from ten years before as_of_date to a year after it, none missing:
-- MetricFlow fills its day, week and month buckets from it. Returns one row when it does not.
with

spine as (
    select * from {{ ref('metricflow_time_spine') }}
),

observed as (
    select
        min(date_day) as first_day,
        max(date_day) as last_day,
        count(*) as day_count
    from spine
),

expected_ends as (
    select
        cast({{ dbt.dateadd('day', -3653, as_of_date()) }} as date) as first_day,
        cast({{ dbt.dateadd('day', 365, as_of_date()) }} as date) as last_day
),

expected as (
    select
        first_day,
        last_day,
        1 + {{ dbt.datediff(
            'first_day', 'last_day', 'day'
        ) }} as day_count
    from expected_ends
),

mismatches as (
    select
        observed.first_day,
        observed.last_day,
        observed.day_count
    from observed
    cross join expected
    where
        observed.first_day <> expected.first_day
        or observed.last_day <> expected.last_day
        or observed.day_count <> expected.day_count
)

select * from mismatches
