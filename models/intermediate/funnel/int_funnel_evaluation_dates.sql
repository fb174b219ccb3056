-- The days the account funnel is evaluated on (one row per day): as_of_date, the ends of the last
-- funnel_history_weeks weeks (Sundays) and of the last funnel_history_months months (quarter ends among
-- them), none after as_of_date. The seeds review coverage and engagement weekly, pipeline monthly and
-- wins quarterly; a period end on or before as_of_date is complete, so its figures can be frozen.
with

days_back as (
    select
        cast({{ dbt.dateadd('day', '-integers.n', as_of_date()) }} as date) as evaluated_on,
        integers.n as days_before_as_of
    from {{ integers(var('funnel_history_months') * 31 + 31) }}
),

flagged as (
    select
        evaluated_on,
        -- a day is the last of its week / month / quarter when the next day starts a new one
        cast({{ dbt.date_trunc('week', dbt.dateadd('day', 1, 'evaluated_on')) }} as date)
        = cast({{ dbt.dateadd('day', 1, 'evaluated_on') }} as date)
        and days_before_as_of < 7 * {{ var('funnel_history_weeks') }} as is_week_end,
        cast({{ dbt.date_trunc('month', dbt.dateadd('day', 1, 'evaluated_on')) }} as date)
        = cast({{ dbt.dateadd('day', 1, 'evaluated_on') }} as date)
        and evaluated_on > cast({{ dbt.dateadd('month', -var('funnel_history_months'), as_of_date()) }} as date)
            as is_month_end,
        cast({{ dbt.date_trunc('quarter', dbt.dateadd('day', 1, 'evaluated_on')) }} as date)
        = cast({{ dbt.dateadd('day', 1, 'evaluated_on') }} as date)
        and evaluated_on > cast({{ dbt.dateadd('month', -var('funnel_history_months'), as_of_date()) }} as date)
            as is_quarter_end,
        days_before_as_of = 0 as is_as_of_date
    from days_back
),

evaluation_dates as (
    select * from flagged
    where is_as_of_date or is_week_end or is_month_end
)

select * from evaluation_dates
