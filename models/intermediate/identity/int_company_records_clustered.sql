-- Company records grouped into clusters (one cluster = one company): the connected components of
-- the accepted links (int_company_records_connected). A component that still carries two valid
-- 法人番号 — joined through records without one — is split by 法人番号, so a conflicting 法人番号
-- always vetoes the merge.
with

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

links as (
    select * from {{ ref('int_company_records_linked') }}
),

numbered as (
    select * from {{ ref('int_company_records_numbered') }}
),

connected as (
    select * from {{ ref('int_company_records_connected') }}
),

components as (
    select
        records.record_key,
        records.corporate_number,
        component_record.record_key as component_key
    from records
    inner join numbered on records.record_key = numbered.record_key
    inner join connected on numbered.record_number = connected.record_number
    inner join numbered as component_record on connected.component_number = component_record.record_number
),

component_conflicts as (
    select
        component_key,
        count(distinct corporate_number) as distinct_corporate_numbers
    from components
    group by component_key
),

-- both ends of a link lie in one component, so the links of conflicted components are those
-- leaving one of its records; only they are needed to split it
conflicted_records as (
    select components.record_key
    from components
    inner join component_conflicts on components.component_key = component_conflicts.component_key
    where component_conflicts.distinct_corporate_numbers > 1
),

neighbours as (
    select
        record_key_from as record_key,
        record_key_to as neighbour_key
    from links
    where record_key_from in (select conflicted_records.record_key from conflicted_records)
    union
    select
        record_key_to as record_key,
        record_key_from as neighbour_key
    from links
    where record_key_from in (select conflicted_records.record_key from conflicted_records)
),

-- in a conflicted component, each 法人番号 is its own company
corporate_number_anchor as (
    select
        component_key,
        corporate_number,
        min(record_key) as anchor_record_key
    from components
    where corporate_number is not null
    group by component_key, corporate_number
),

-- a record without a 法人番号 in a conflicted component joins the 法人番号 group it links to most
-- directly (ties: the smaller anchor); with no direct link to any, it stands alone
direct_votes as (
    select
        components.record_key,
        corporate_number_anchor.anchor_record_key,
        count(*) as direct_links
    from components
    inner join component_conflicts on components.component_key = component_conflicts.component_key
    inner join neighbours on components.record_key = neighbours.record_key
    inner join components as neighbour_component on neighbours.neighbour_key = neighbour_component.record_key
    inner join corporate_number_anchor
        on
            neighbour_component.component_key = corporate_number_anchor.component_key
            and neighbour_component.corporate_number = corporate_number_anchor.corporate_number
    where
        component_conflicts.distinct_corporate_numbers > 1
        and components.corporate_number is null
    group by components.record_key, corporate_number_anchor.anchor_record_key
),

best_vote as (
    select
        record_key,
        anchor_record_key,
        row_number() over (
            partition by record_key order by direct_links desc, anchor_record_key asc
        ) as vote_rank
    from direct_votes
),

clustered as (
    select
        components.record_key,
        case
            when component_conflicts.distinct_corporate_numbers <= 1 then components.component_key
            when components.corporate_number is not null then corporate_number_anchor.anchor_record_key
            else coalesce(best_vote.anchor_record_key, components.record_key)
        end as cluster_key,
        components.component_key,
        component_conflicts.distinct_corporate_numbers > 1 as was_split_by_corporate_number
    from components
    inner join component_conflicts on components.component_key = component_conflicts.component_key
    left join corporate_number_anchor
        on
            components.component_key = corporate_number_anchor.component_key
            and components.corporate_number = corporate_number_anchor.corporate_number
    left join best_vote
        on
            components.record_key = best_vote.record_key
            and best_vote.vote_rank = 1
)

select * from clustered
