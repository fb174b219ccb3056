-- Fit (企業適合) per account against the ICP in seed icp_criteria: for each criterion (industry,
-- employees, revenue, prefecture) the best matching row's points; fit_score = points earned ÷ the
-- points a perfect match would earn × 100. Bucketed strong / moderate / weak by vars.
with

accounts as (
    select * from {{ ref('int_accounts_consolidated') }}
),

criteria as (
    select * from {{ ref('icp_criteria') }}
),

criterion_maximum as (
    select
        criterion,
        max(points) as max_points
    from criteria
    group by criterion
),

matches as (
    select
        accounts.account_id,
        criteria.criterion,
        criteria.points,
        criteria.description,
        row_number() over (
            partition by accounts.account_id, criteria.criterion order by criteria.points desc
        ) as match_rank
    from accounts
    inner join criteria
        on
            (criteria.criterion = 'industry' and accounts.industry_code = criteria.match_value)
            or (criteria.criterion = 'prefecture' and accounts.prefecture = criteria.match_value)
            or (
                criteria.criterion = 'employees'
                and accounts.employee_count between criteria.min_value and criteria.max_value
            )
            or (
                criteria.criterion = 'revenue'
                and accounts.annual_revenue_jpy between criteria.min_value and criteria.max_value
            )
),

best_matches as (
    select * from matches
    where match_rank = 1
),

earned as (
    select
        accounts.account_id,
        accounts.industry_code,
        accounts.employee_count,
        accounts.annual_revenue_jpy,
        accounts.prefecture,
        coalesce(sum(best_matches.points), 0) as fit_points,
        coalesce(max(case when best_matches.criterion = 'industry' then best_matches.points end), 0) as industry_points,
        coalesce(max(case when best_matches.criterion = 'employees' then best_matches.points end), 0)
            as employees_points,
        coalesce(max(case when best_matches.criterion = 'revenue' then best_matches.points end), 0) as revenue_points,
        coalesce(max(case when best_matches.criterion = 'prefecture' then best_matches.points end), 0)
            as prefecture_points
    from accounts
    left join best_matches on accounts.account_id = best_matches.account_id
    group by
        accounts.account_id,
        accounts.industry_code,
        accounts.employee_count,
        accounts.annual_revenue_jpy,
        accounts.prefecture
),

scored as (
    select
        earned.*,
        100.0 * earned.fit_points / (select sum(criterion_maximum.max_points) from criterion_maximum) as fit_score
    from earned
),

final as (
    select
        *,
        case
            when fit_score >= {{ var('fit_strong_min') }} then 'strong'
            when fit_score >= {{ var('fit_moderate_min') }} then 'moderate'
            else 'weak'
        end as fit_bucket
    from scored
)

select * from final
