-- Parent and ultimate parent of every account (one row per account_id). Parent links come from the
-- CRM (parent_source_account_id) and from firmographics (parent 法人番号); the registry's link wins
-- when both exist. The chain is walked up a fixed number of levels: a company that is its own parent,
-- a cycle, or a chain deeper than the walk is flagged in hierarchy_issue and never looped on.
{%- set max_depth = var('hierarchy_max_depth') %}
with

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

account_ids as (
    select * from {{ ref('int_account_ids_assigned') }}
),

accounts as (
    select * from {{ ref('int_accounts_consolidated') }}
),

records_with_accounts as (
    select
        records.*,
        account_ids.account_id
    from records
    inner join account_ids on records.record_key = account_ids.record_key
),

crm_parent_links as (
    select
        child.account_id,
        parent.account_id as parent_account_id,
        2 as link_priority
    from records_with_accounts as child
    inner join records_with_accounts as parent
        on
            parent.source_table = 'crm_accounts'
            and child.source_system = parent.source_system
            and child.parent_source_account_id = parent.source_record_id
    where child.source_table = 'crm_accounts'
),

registry_parent_links as (
    select
        child.account_id,
        parent.account_id as parent_account_id,
        1 as link_priority
    from records_with_accounts as child
    inner join accounts as parent on child.parent_corporate_number = parent.corporate_number
    where child.parent_corporate_number is not null
),

parent_candidates as (
    select * from crm_parent_links
    union all
    select * from registry_parent_links
),

chosen_parent as (
    select
        account_id,
        parent_account_id
    from (
        select
            account_id,
            parent_account_id,
            row_number() over (
                partition by account_id order by link_priority, parent_account_id
            ) as parent_rank
        from parent_candidates
    ) as ranked
    where parent_rank = 1
),

direct_parent as (
    select
        accounts.account_id,
        chosen_parent.parent_account_id as stated_parent_account_id,
        case
            when chosen_parent.parent_account_id != accounts.account_id then chosen_parent.parent_account_id
        end as parent_account_id
    from accounts
    left join chosen_parent on accounts.account_id = chosen_parent.account_id
),

-- the level-by-level select lists below are generated; sqlfluff cannot lay out their indentation
-- noqa: disable=LT02
walk as (
    select
        level_0.account_id,
        level_0.stated_parent_account_id,
        level_0.parent_account_id as ancestor_1,
        {% for level in range(1, max_depth + 1) -%}
        level_{{ level }}.parent_account_id as ancestor_{{ level + 1 }}{{ ',' if not loop.last }}
        {% endfor %}
    from direct_parent as level_0
    {% for level in range(1, max_depth + 1) -%}
    left join direct_parent as level_{{ level }}
        on level_{{ level - 1 }}.parent_account_id = level_{{ level }}.account_id
    {% endfor %}
),

classified as (
    select
        account_id,
        ancestor_1 as parent_account_id,
        case
            when stated_parent_account_id = account_id then 'self_parent'
            when
                {% for level in range(1, max_depth + 2) -%}
                coalesce(ancestor_{{ level }} = account_id, false){{ ' or' if not loop.last }}
                {% endfor %}
                then 'cycle'
            when ancestor_{{ max_depth + 1 }} is not null then 'too_deep'
        end as hierarchy_issue,
        coalesce(
            {% for level in range(max_depth, 0, -1) -%}
            ancestor_{{ level }},
            {% endfor -%}
            account_id
        ) as top_of_walk,
        -- ancestors are filled from level 1 up, so counting them gives the depth
        {% for level in range(1, max_depth + 1) -%}
        case when ancestor_{{ level }} is not null then 1 else 0 end{{ ' +' if not loop.last }}
        {% endfor -%}
        as hierarchy_depth
    from walk
),

-- noqa: enable=LT02
resolved as (
    select
        account_id,
        parent_account_id,
        -- no ultimate parent can be named inside a cycle or past the walk
        case when hierarchy_issue in ('cycle', 'too_deep') then null else top_of_walk end as ultimate_parent_account_id,
        hierarchy_depth,
        hierarchy_issue
    from classified
)

select * from resolved
