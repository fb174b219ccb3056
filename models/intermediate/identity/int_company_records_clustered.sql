-- Company records grouped into clusters (one cluster = one company): the connected components of
-- the accepted links (int_company_records_connected). A component that still carries two valid
-- 法人番号 — joined through records without one — is split by 法人番号, so a conflicting 法人番号
-- always vetoes the merge. The work is done on record numbers (integers, in record-key order, so
-- the smallest number is the smallest key) and mapped back to keys once, at the end.
with

numbered as (
    select * from {{ ref('int_company_records_numbered') }}
),

links_numbered as (
    select * from {{ ref('int_company_record_links_numbered') }}
),

connected as (
    select * from {{ ref('int_company_records_connected') }}
),

components as (
    select
        connected.record_number,
        connected.component_number,
        numbered.corporate_number
    from connected
    inner join numbered on connected.record_number = numbered.record_number
),

-- two distinct valid 法人番号 in one component ⇔ their min and max differ
component_conflicts as (
    select
        component_number,
        coalesce(min(corporate_number) != max(corporate_number), false) as is_conflicted
    from components
    group by component_number
),

conflicted_records as (
    select components.record_number
    from components
    inner join component_conflicts on components.component_number = component_conflicts.component_number
    where component_conflicts.is_conflicted
),

-- both ends of a link lie in one component, so the links of conflicted components are those
-- leaving one of its records; only they are needed to split it
neighbours as (
    select
        record_number_from as record_number,
        record_number_to as neighbour_number
    from links_numbered
    where record_number_from in (select conflicted_records.record_number from conflicted_records)
    union
    select
        record_number_to as record_number,
        record_number_from as neighbour_number
    from links_numbered
    where record_number_from in (select conflicted_records.record_number from conflicted_records)
),

-- in a conflicted component, each 法人番号 is its own company
corporate_number_anchor as (
    select
        component_number,
        corporate_number,
        min(record_number) as anchor_number
    from components
    where corporate_number is not null
    group by component_number, corporate_number
),

-- a record without a 法人番号 in a conflicted component joins the 法人番号 group it links to most
-- directly (ties: the smaller anchor); with no direct link to any, it stands alone
direct_votes as (
    select
        components.record_number,
        corporate_number_anchor.anchor_number,
        count(*) as direct_links
    from components
    inner join component_conflicts on components.component_number = component_conflicts.component_number
    inner join neighbours on components.record_number = neighbours.record_number
    inner join components as neighbour_component on neighbours.neighbour_number = neighbour_component.record_number
    inner join corporate_number_anchor
        on
            neighbour_component.component_number = corporate_number_anchor.component_number
            and neighbour_component.corporate_number = corporate_number_anchor.corporate_number
    where
        component_conflicts.is_conflicted
        and components.corporate_number is null
    group by components.record_number, corporate_number_anchor.anchor_number
),

best_vote as (
    select
        record_number,
        anchor_number,
        row_number() over (
            partition by record_number order by direct_links desc, anchor_number asc
        ) as vote_rank
    from direct_votes
),

clustered_numbers as (
    select
        components.record_number,
        case
            when not component_conflicts.is_conflicted then components.component_number
            when components.corporate_number is not null then corporate_number_anchor.anchor_number
            else coalesce(best_vote.anchor_number, components.record_number)
        end as cluster_number,
        components.component_number,
        component_conflicts.is_conflicted as was_split_by_corporate_number
    from components
    inner join component_conflicts on components.component_number = component_conflicts.component_number
    left join corporate_number_anchor
        on
            components.component_number = corporate_number_anchor.component_number
            and components.corporate_number = corporate_number_anchor.corporate_number
    left join best_vote
        on
            components.record_number = best_vote.record_number
            and best_vote.vote_rank = 1
),

clustered as (
    select
        record.record_key,
        cluster_record.record_key as cluster_key,
        component_record.record_key as component_key,
        clustered_numbers.was_split_by_corporate_number
    from clustered_numbers
    inner join numbered as record on clustered_numbers.record_number = record.record_number
    inner join numbered as cluster_record on clustered_numbers.cluster_number = cluster_record.record_number
    inner join numbered as component_record on clustered_numbers.component_number = component_record.record_number
)

select * from clustered
