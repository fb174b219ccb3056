-- One row per day, the time spine MetricFlow needs to aggregate metrics by day, week, month and
-- quarter: ten years up to as_of_date and one after it.
with

days as (
    select
        cast({{ dbt.dateadd('day', 'integers.n - 3653', as_of_date()) }} as date) as date_day
    from {{ integers(4019) }}
)

select * from days
