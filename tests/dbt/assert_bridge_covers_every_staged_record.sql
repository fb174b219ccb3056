-- bridge_account_sources has exactly one row per staged record of crm_accounts, contacts and
-- firmographics: none lost, none doubled.
with

bridge_counts as (
    select
        source_table,
        count(*) as bridge_rows
    from {{ ref('bridge_account_sources') }}
    group by source_table
),

staged_counts as (
    select
        'crm_accounts' as source_table,
        count(*) as staged_rows
    from {{ ref('stg_crm__accounts') }}
    union all
    select
        'contacts' as source_table,
        count(*) as staged_rows
    from {{ ref('stg_crm__contacts') }}
    union all
    select
        'firmographics' as source_table,
        count(*) as staged_rows
    from {{ ref('stg_firmographics__companies') }}
),

mismatches as (
    select
        staged_counts.source_table,
        staged_counts.staged_rows,
        coalesce(bridge_counts.bridge_rows, 0) as bridge_rows
    from staged_counts
    left join bridge_counts on staged_counts.source_table = bridge_counts.source_table
    where staged_counts.staged_rows != coalesce(bridge_counts.bridge_rows, 0)
)

select * from mismatches
