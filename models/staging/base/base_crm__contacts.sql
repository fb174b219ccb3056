-- Every raw contact row (CRM contacts, MA leads, business-card scans), typed and flagged.
with

source as (
    select * from {{ raw_source('contacts') }}
),

prefectures as (
    select * from {{ ref('jp_prefectures') }}
),

plus_addressing as (
    select * from {{ ref('email_plus_addressing_domains') }}
),

company_names as (
    select * from {{ ref('base_identity__company_names') }}
),

typed as (
    select
        {{ clean_text('source_system') }} as source_system,
        {{ clean_text('source_contact_id') }} as source_contact_id,
        {{ clean_text('source_account_id') }} as source_account_id,
        {{ clean_text('company_name') }} as company_name,
        {{ clean_email('email') }} as email,
        {{ clean_text('full_name') }} as full_name,
        {{ clean_text('department') }} as department,
        {{ clean_text('job_title') }} as job_title,
        -- consent answers stay three-valued here: true, false, or null (no answer, or one not read)
        {{ safe_cast_boolean('consent_email') }} as consent_email_answer,
        {{ safe_cast_boolean('consent_ads') }} as consent_ads_answer,
        {{ clean_text('consent_email') }} as consent_email_text,
        {{ clean_text('consent_ads') }} as consent_ads_text,
        {{ safe_cast_timestamp('created_at') }} as created_at,
        {{ safe_cast_timestamp('updated_at') }} as updated_at,
        coalesce({{ safe_cast_boolean('is_deleted') }}, false) as is_deleted,
        {{ clean_text('address') }} as address,
        {{ clean_text('created_at') }} as created_at_raw,
        {{ clean_text('updated_at') }} as updated_at_raw,
        _source_row_number,
        _source_file
    from source
),

-- an address starts with its prefecture once a leading 〒 postal code is taken off (〒100-0005 東京都…);
-- prefecture names are three characters long, or four (神奈川県, 和歌山県, 鹿児島県)
address_starts as (
    select
        *,
        {{ regex_replace_all('address', '^[〒\\s　0-9０-９－ー‐-]+', '') }} as address_from_prefecture
    from typed
),

located as (
    select
        address_starts.*,
        coalesce(four_characters.prefecture_name, three_characters.prefecture_name) as office_prefecture
    from address_starts
    left join prefectures as three_characters
        on substring(address_starts.address_from_prefecture, 1, 3) = three_characters.prefecture_name
    left join prefectures as four_characters
        on substring(address_starts.address_from_prefecture, 1, 4) = four_characters.prefecture_name
),

identified as (
    select
        located.*,
        company_names.company_name_normalized,
        {{ url_host('located.email') }} as email_host,
        {{ email_person_key('located.email', 'plus_addressing') }} as email_key,
        lower({{ nfkc('located.full_name') }}) as full_name_folded
    from located
    left join plus_addressing on {{ email_domain_part('located.email') }} = plus_addressing.domain
    left join company_names on located.company_name = company_names.company_name
),

-- the registrable domain once (a Python function): the status below reads it twice
with_registrable_domain as (
    select
        *,
        {{ person_name_key('full_name_folded') }} as name_key,
        {{ registrable_domain('email_host') }} as email_registrable_domain
    from identified
),

with_domain as (
    select
        *,
        {{ domain_status('email_host', 'email_registrable_domain') }} as email_domain_status
    from with_registrable_domain
),

ranked as (
    select
        *,
        row_number() over (
            partition by source_system, source_contact_id
            order by updated_at desc nulls last, _source_row_number desc
        ) as version_rank
    from with_domain
),

flagged as (
    select
        *,
        {{ quarantine_reason([
            ('source_system is null', 'missing_key:source_system'),
            ('source_contact_id is null', 'missing_key:source_contact_id'),
            ('created_at_raw is not null and created_at is null', 'unparseable:created_at'),
            ('updated_at_raw is not null and updated_at is null', 'unparseable:updated_at'),
            ('version_rank > 1', 'duplicate_key'),
            ('is_deleted', 'soft_deleted'),
        ]) }} as quarantine_reason
    from ranked
)

select * from flagged
