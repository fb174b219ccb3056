-- Which account every staged source record belongs to, and why (one row per record of
-- crm_accounts, contacts and firmographics). For company records, match_rule is the strongest
-- rule that tied the record to its account (corporate_number > duns_number > domain > exact_name >
-- fuzzy_name; 'singleton' when it stands alone) and match_score its score; for contacts, the rule
-- that attached the contact ('unmatched' with a null account_id when none did).
with

records as (
    select * from {{ ref('int_company_records_prepared') }}
),

account_ids as (
    select * from {{ ref('int_account_ids_assigned') }}
),

links as (
    select * from {{ ref('int_company_records_linked') }}
),

contacts as (
    select * from {{ ref('int_contacts_matched_to_accounts') }}
),

link_ends as (
    select
        record_key_from as record_key,
        match_rule,
        match_score
    from links
    union all
    select
        record_key_to as record_key,
        match_rule,
        match_score
    from links
),

strongest_link as (
    select
        record_key,
        match_rule,
        match_score,
        row_number() over (
            partition by record_key
            order by
                case match_rule
                    when 'corporate_number' then 1
                    when 'duns_number' then 2
                    when 'domain' then 3
                    when 'exact_name' then 4
                    else 5
                end,
                match_score desc
        ) as rule_rank
    from link_ends
),

company_records as (
    select
        records.source_table,
        records.source_system,
        records.source_record_id,
        account_ids.account_id,
        coalesce(strongest_link.match_rule, 'singleton') as match_rule,
        coalesce(strongest_link.match_score, 1.0) as match_score
    from records
    inner join account_ids on records.record_key = account_ids.record_key
    left join strongest_link
        on
            records.record_key = strongest_link.record_key
            and strongest_link.rule_rank = 1
),

contact_records as (
    select
        'contacts' as source_table,
        source_system,
        source_contact_id as source_record_id,
        account_id,
        match_rule,
        case when account_id is not null then 1.0 end as match_score
    from contacts
),

bridge as (
    select * from company_records
    union all
    select * from contact_records
)

select * from bridge
