-- Every accepted link between company records (one row per record_number_from, record_number_to and
-- match_rule): the identifier, exact-name and fuzzy-name links in one edge list, the input of
-- int_company_records_connected. Several rules may link one pair; each is kept, so a record's
-- strongest rule can be told (int_company_records_clustered). A view: a union of three tables costs
-- nothing to read twice, and writing its 2.6 M rows at 1M companies would.
{{ config(materialized='view') }}
with

identifier_links as (
    select * from {{ ref('int_company_records_linked_by_identifiers') }}
),

name_links as (
    select * from {{ ref('int_company_records_linked_by_names') }}
),

similarity_links as (
    select * from {{ ref('int_company_records_linked_by_similarity') }}
),

all_links as (
    select
        record_number_from,
        record_number_to,
        match_rule,
        match_score
    from identifier_links
    union all
    select
        record_number_from,
        record_number_to,
        match_rule,
        match_score
    from name_links
    union all
    select
        record_number_from,
        record_number_to,
        match_rule,
        match_score
    from similarity_links
)

select * from all_links
