-- The target review needs criteria fixed for the quarter: without a version of seed
-- target_review_criteria effective on as_of_date, rpt_target_candidates would be empty, not wrong-looking.
-- Fails with one row saying so.
select
    'no version of seed target_review_criteria is effective on {{ as_of_date_string() }}' as problem
from (
    select count(*) as versions
    from {{ ref('target_review_criteria') }}
    where effective_from <= {{ as_of_date() }}
) as effective
where versions = 0
