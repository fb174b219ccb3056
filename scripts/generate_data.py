#!/usr/bin/env python3
"""Generate realistic, deterministic Japanese B2B raw data for the ABM project.

The same company appears across CRM, MA, business-card scans and purchased firmographics with the
variants real exports contain, plus deliberately bad rows. The true company behind every source
record goes to a separate truth folder that models never read.

    python scripts/generate_data.py --accounts 3000 --seed 42 --as-of 2026-11-01 --out data/raw
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))

from abm_dbt.contract import RAW_TABLES  # noqa: E402
from abm_dbt.japanese import (  # noqa: E402
    ADDRESS_PLACES, CORES, DEPARTMENTS, DOMAIN_SUFFIXES, FREE_MAIL_DOMAINS, GIVEN_NAMES, INDUSTRIES, INDUSTRY_WEIGHTS,
    INTENT_TOPICS, KANJI_MIDDLES, KANJI_PREFIXES, LEGAL_FORM_WEIGHTS, LEGAL_FORMS, MORAE, NEW_TO_OLD_KANJI,
    PREFECTURES, PRODUCT_LINES, SUBSIDIARY_SUFFIXES, SURNAMES, TITLES, TO_FULL_WIDTH,
    make_corporate_number, to_half_width_katakana,
)

log = logging.getLogger("generate_data")

CHUNK_COMPANIES = 5_000
OPPORTUNITY_STAGES = ("Prospecting", "Qualification", "Needs Analysis", "Proposal", "Negotiation")

# --- how a pilot behaves (README "ABM lift"): targets are picked on a propensity firmographics
# only partly show (fit × a hidden factor), and ABM changes what happens only from the listing day on.
# Before it a target behaves like any account of its propensity; from it on:
ABM_EXTRA_DEAL_CHANCE = 0.2      # added to the chance the account has deals at all; only the deals this
#                                  extra chance creates after the listing day are kept
ABM_WIN_LIFT = 0.15              # added to the win probability of deals created after listing
ABM_SAL_RATE = 0.75              # SAL rate of MQLs after listing (others: BASE_SAL_RATE)
BASE_SAL_RATE = 0.55
ABM_ACTIVITY_RATE = 6.0          # extra touches per contact (expected), meeting-heavy, after listing
TARGET_MIN_PROPENSITY = 0.55     # targets: propensity above this, then one in TARGET_PICK_SHARE
TARGET_PICK_SHARE = 0.35

# --- people across systems (README "People and consent"): one person is a Marketo lead, a Salesforce
# contact and a Sansan card, each written differently, with consent answers given at different times.
EMAIL_OPT_IN_SHARE = 0.7         # people who opt in to e-mail when first asked (else they answer no)
EMAIL_LATER_OPT_OUT = 0.25       # of those, opt out later (an unsubscribe recorded on a newer record)
ADS_OPT_IN_SHARE = 0.35
ADS_LATER_OPT_OUT = 0.2
RE_CONSENT_SHARE = 0.15          # of the opted-out, opt in again later
CARD_WITHOUT_EMAIL = 0.12        # business cards whose e-mail was not read (name-only records)
UNREADABLE_CONSENT = 0.01        # answers written as something neither yes nor no
YES_VALUES = ("true", "true", "1", "TRUE", "はい", "yes")

# --- what real exports add to a company name (README "Demo data generator"): a branch or office
# suffix (the same legal entity), 異体字 that NFKC does not fold, an OCR look-alike on a scanned card,
# ホールディングス written HD. Share of records per system: (branch, 異体字, OCR, HD).
EXPORT_VARIANT_SHARES: dict[str, tuple[float, float, float, float]] = {
    "sansan": (0.25, 0.3, 0.2, 0.5), "salesforce": (0.06, 0.2, 0.0, 0.3), "hubspot": (0.06, 0.2, 0.0, 0.3),
    "marketo": (0.04, 0.1, 0.0, 0.3),
}
BRANCH_SUFFIXES = (" 大阪支店", "(東京本社)", " 名古屋営業所", " 関西支社", "　福岡支店", "（大阪本社）", " 札幌営業所",
                   "東京支店", " 横浜事業所")
ITAIJI = {"高": "髙", "崎": "﨑", "辺": "邊", "斎": "齋", "浜": "濱", "徳": "德", "桜": "櫻", "沢": "澤"}
OCR_LOOKALIKES = {"カ": "力", "エ": "工", "ロ": "口", "ニ": "二", "ハ": "八", "ト": "卜", "タ": "夕", "ー": "一",
                  "ヘ": "へ", "ベ": "べ", "ソ": "ン", "シ": "ツ"}
NO_VALUES = ("false", "false", "0", "FALSE", "いいえ", "no")
ACTIVITY_TYPES: tuple[tuple[str, float], ...] = (
    ("email_sent", 20), ("email_delivered", 18), ("email_open", 22), ("email_click", 6),
    ("web_visit", 14), ("pricing_page_view", 2), ("form_submit", 2), ("webinar_registered", 2),
    ("webinar_attended", 1.5), ("seminar_attended", 1), ("rfp_download", 0.6), ("security_doc_download", 0.6),
    ("call", 3), ("meeting", 1.5), ("executive_briefing", 0.3),
)
USAGE_EVENTS: tuple[tuple[str, float], ...] = (
    ("login", 50), ("feature_used", 30), ("invite_sent", 5), ("admin_role_granted", 2),
    ("audit_log_viewed", 3), ("paid_feature_trial_started", 1.5), ("export_run", 8),
)
OWNERS = ("山田 太郎", "佐々木 花子", "Kenji Mori", "鈴木 一郎", "高田 美穂", "Emily Carter")

# --- ABM actions (README "Account plans and actions"): one campaign of each ABM type per quarter and a
# monthly e-mail; targets are put on a campaign's account list with these chances. Campaign tags and the
# letters / referrals come from generators of their own, so every other generated value stays as it was.
CAMPAIGN_QUARTERS = 5
CAMPAIGN_TYPES: dict[str, tuple[str, str, float]] = {  # type: (name, owner, chance a target is aimed at)
    "seminar": ("業界別DXセミナー", "マーケティング部", 0.6),
    "cxo_letter": ("CxOレター", "インサイドセールス部", 0.35),
    "advisor_referral": ("顧問紹介プログラム", "経営企画部", 0.25),
    "executive_accompaniment": ("役員同行キャンペーン", "営業部", 0.35),
    "content": ("ホワイトペーパー", "マーケティング部", 0.5),
}
CAMPAIGN_ACTIVITY_TYPES: dict[str, str] = {  # activity type: the campaign type it answers
    "seminar_attended": "seminar", "webinar_attended": "seminar", "webinar_registered": "seminar",
    "rfp_download": "content", "security_doc_download": "content", "form_submit": "content",
    "meeting": "executive_accompaniment", "executive_briefing": "executive_accompaniment",
    "email_sent": "email", "email_delivered": "email", "email_open": "email", "email_click": "email",
}
ACCOMPANIED_MEETING_SHARE = 0.5  # meetings of an aimed account in the campaign's quarter that had an executive along
PLAN_SHARE = 0.7                 # targets with an account plan
PLAN_MEETINGS_PER_MONTH = 0.7    # what a plan changes: meetings with people of its department from its start
PLAN_CYCLE_MONTHS = 6            # goals are set for half a year at a time (1-, 3-, 6-month steps), then renewed


@dataclass
class Company:
    company_id: str
    base_ja: str
    base_romaji: str
    base_en: str
    legal_form: int
    form_before: bool
    domain: str
    corporate_number: str
    duns: str
    industry: int
    employees: int
    revenue_jpy: int
    prefecture: str
    parent_id: str | None
    propensity: float
    is_target: bool = False
    listed_on: datetime | None = None  # the day it went on the target list (targets only)
    crm_ids: list[tuple[str, str]] = field(default_factory=list)  # (source_system, source_account_id)

    @property
    def official_name(self) -> str:
        form = LEGAL_FORMS[self.legal_form][0]
        return f"{form}{self.base_ja}" if self.form_before else f"{self.base_ja}{form}"

    @property
    def english_name(self) -> str:
        return f"{self.base_en} {LEGAL_FORMS[self.legal_form][2][0]}"


class TableSink:
    """Writes one table chunk by chunk to Parquet or CSV, so memory stays bounded."""

    def __init__(self, path: Path, columns: tuple[str, ...], fmt: str) -> None:
        self.path, self.columns, self.fmt = path, columns, fmt
        self.schema = pa.schema([pa.field(c, pa.string()) for c in columns])
        self.writer: pq.ParquetWriter | pacsv.CSVWriter | None = None
        self.rows = 0

    def write(self, rows: list[dict[str, str | None]]) -> None:
        if not rows:
            return
        table = pa.Table.from_pylist(rows, schema=self.schema)
        if self.writer is None:
            if self.fmt == "parquet":
                self.writer = pq.ParquetWriter(self.path, self.schema, compression="zstd")
            else:
                self.writer = pacsv.CSVWriter(self.path, self.schema)
        self.writer.write_table(table)
        self.rows += len(rows)

    def close(self) -> None:
        if self.writer is None:  # still write a valid, empty file with the header/schema
            empty = pa.Table.from_pylist([], schema=self.schema)
            if self.fmt == "parquet":
                pq.write_table(empty, self.path)
            else:
                pacsv.write_csv(empty, self.path)
        else:
            self.writer.close()


@dataclass
class Context:
    rng: random.Random
    as_of: datetime
    seen_domains: set[str]
    seed_offset: int
    bad_rows: dict[str, dict[str, int]]
    counters: dict[str, int]
    campaigns: list[dict] = field(default_factory=list)

    def next_id(self, name: str) -> int:
        self.counters[name] = self.counters.get(name, 0) + 1
        return self.counters[name]

    def bad(self, table: str, reason: str) -> None:
        self.bad_rows.setdefault(table, {}).setdefault(reason, 0)
        self.bad_rows[table][reason] += 1

    def ts(self, days_back_max: float, days_back_min: float = 0.0) -> datetime:
        back = self.rng.uniform(days_back_min, days_back_max)
        return self.as_of - timedelta(days=back)


def fmt_ts(value: datetime, rng: random.Random) -> str:
    """Mostly ISO; some exports write Japanese-style slashes."""
    if rng.random() < 0.1:
        return value.strftime("%Y/%m/%d %H:%M")
    return value.strftime("%Y-%m-%d %H:%M:%S")


# --- companies --------------------------------------------------------------------------

def _katakana_word(rng: random.Random) -> tuple[str, str]:
    morae = [rng.choice(MORAE) for _ in range(rng.choice((2, 3, 3, 4)))]
    if morae[0][0] == "ン":
        morae[0] = ("ア", "a")
    return "".join(m[0] for m in morae), "".join(m[1] for m in morae)


def _unique_domain(ctx: Context, stem: str) -> str:
    suffix = ctx.rng.choices([s for s, _ in DOMAIN_SUFFIXES], weights=[w for _, w in DOMAIN_SUFFIXES])[0]
    candidate, n = f"{stem}.{suffix}", 1
    while candidate in ctx.seen_domains:
        n += 1
        candidate = f"{stem}{n}.{suffix}"
    ctx.seen_domains.add(candidate)
    return candidate


def make_company(ctx: Context, index: int, parent: Company | None) -> Company:
    rng = ctx.rng
    if parent is not None:
        suffix = rng.choice(SUBSIDIARY_SUFFIXES)
        base_ja, romaji, base_en = parent.base_ja + suffix[0], f"{parent.base_romaji}-{suffix[1]}", f"{parent.base_en} {suffix[2]}"
    else:
        if rng.random() < 0.3:
            (prefix, prefix_romaji), (middle, middle_romaji) = rng.choice(KANJI_PREFIXES), rng.choice(KANJI_MIDDLES)
            word, word_romaji = prefix + middle, f"{prefix_romaji}{'-' + middle_romaji if middle_romaji else ''}"
        else:
            word, word_romaji = _katakana_word(rng)
        core = rng.choice(CORES)
        base_ja, romaji = word + core[0], word_romaji.replace("-", "")
        base_en = f"{word_romaji.replace('-', ' ').title()} {core[2]}"
        if rng.random() < 0.5:
            romaji += core[1]
    industry = rng.choices(range(len(INDUSTRIES)), weights=INDUSTRY_WEIGHTS)[0]
    employees = max(3, int(rng.lognormvariate(4.8, 1.4)))
    if parent is not None:
        employees = max(10, employees // 2)
    fit = (1.0 if INDUSTRIES[industry][0] in ("G", "E", "J") else 0.4) * (1.0 if 300 <= employees <= 10_000 else 0.5)
    base12 = f"{(ctx.seed_offset + index * 104_729) % 10**12:012d}"
    return Company(
        company_id=f"CO{index:08d}",
        base_ja=base_ja,
        base_romaji=romaji,
        base_en=base_en,
        legal_form=rng.choices(range(len(LEGAL_FORMS)), weights=LEGAL_FORM_WEIGHTS)[0],
        form_before=rng.random() < 0.5,
        domain=_unique_domain(ctx, romaji),
        corporate_number=make_corporate_number(base12),
        duns=f"{(ctx.seed_offset + index * 7_907) % 10**9:09d}",
        industry=industry,
        employees=employees,
        revenue_jpy=int(employees * rng.uniform(15e6, 45e6)),
        prefecture=parent.prefecture if parent and rng.random() < 0.6 else rng.choices(
            [p for p, _ in PREFECTURES], weights=[w for _, w in PREFECTURES])[0],
        parent_id=parent.company_id if parent else None,
        propensity=min(1.0, fit * rng.uniform(0.3, 1.0)),
    )


# --- name, domain and identifier variants (each returns the value and the variant kinds) ----

def name_variant(rng: random.Random, c: Company) -> tuple[str, list[str]]:
    form_ja, abbreviations, _ = LEGAL_FORMS[c.legal_form]
    roll = rng.random()
    kinds: list[str] = []
    if roll < 0.30:
        name = c.official_name
    elif roll < 0.45:
        abbr = rng.choice(abbreviations)
        name = f"{abbr}{c.base_ja}" if c.form_before else f"{c.base_ja}{abbr}"
        kinds.append("legal_form")
    elif roll < 0.55:
        name = f"{c.base_ja}{form_ja}" if c.form_before else f"{form_ja}{c.base_ja}"  # 前株/後株 swapped
        kinds.append("legal_form")
    elif roll < 0.63:
        name = c.base_ja
        kinds.append("legal_form")
    elif roll < 0.72:
        name = rng.choice([to_half_width_katakana(c.official_name), c.official_name.translate(TO_FULL_WIDTH)])
        kinds.append("width")
    elif roll < 0.80:
        name = c.english_name if rng.random() < 0.7 else c.english_name.upper()
        kinds.append("english_name")
    elif roll < 0.86:
        name = f"{form_ja} {c.base_ja}" if c.form_before else f"{c.base_ja}　{form_ja}"
        kinds.append("spacing")
    elif roll < 0.94:
        name = typo(rng, c.official_name)
        kinds.append("typo")
    else:
        old = "".join(NEW_TO_OLD_KANJI.get(ch, ch) for ch in c.official_name).replace("会社", "會社")
        name = old
        kinds.append("old_kanji")
    if rng.random() < 0.05:
        name = f"  {name} "
        kinds.append("spacing")
    return name, kinds


def typo(rng: random.Random, text: str) -> str:
    """One realistic slip: a dropped long vowel mark, a small kana made big, or a swapped char."""
    if "ー" in text and rng.random() < 0.4:
        return text.replace("ー", "", 1)
    smalls = {"ッ": "ツ", "ャ": "ヤ", "ュ": "ユ", "ョ": "ヨ", "ィ": "イ"}
    for small, big in smalls.items():
        if small in text:
            return text.replace(small, big, 1)
    chars = list(text)
    positions = [i for i, ch in enumerate(chars) if "\u30a0" <= ch <= "\u30ff"]
    if positions:
        i = rng.choice(positions)
        chars[i] = rng.choice(MORAE)[0]
    return "".join(chars)


def export_variant(rng: random.Random, name: str | None, system: str) -> tuple[str | None, list[str]]:
    """What a real export adds to a name, drawn from the record's own generator (so every other value
    stays as it was): a branch suffix, 異体字, one OCR look-alike, HD for ホールディングス."""
    if not name:
        return name, []
    branch, itaiji, ocr, hd = EXPORT_VARIANT_SHARES.get(system, (0.0, 0.0, 0.0, 0.0))
    kinds: list[str] = []
    if "ホールディングス" in name and rng.random() < hd:
        name = name.replace("ホールディングス", rng.choice(("HD", "ＨＤ", " HD")), 1)
        kinds.append("hd_abbreviation")
    foldable = [ch for ch in name if ch in ITAIJI]
    if foldable and rng.random() < itaiji:
        target = rng.choice(foldable)
        name = name.replace(target, ITAIJI[target])
        kinds.append("itaiji")
    confusable = [i for i, ch in enumerate(name) if ch in OCR_LOOKALIKES]
    if confusable and rng.random() < ocr:
        i = rng.choice(confusable)
        name = name[:i] + OCR_LOOKALIKES[name[i]] + name[i + 1:]
        kinds.append("ocr")
    if rng.random() < branch:
        name = name.rstrip() + rng.choice(BRANCH_SUFFIXES)
        kinds.append("branch_suffix")
    return name, kinds


def website_variant(rng: random.Random, c: Company) -> tuple[str | None, list[str]]:
    roll = rng.random()
    if roll < 0.15:
        return None, ["missing_domain"]
    if roll < 0.40:
        return f"https://www.{c.domain}/", []
    forms = (
        f"http://{c.domain}", f"www.{c.domain}", f"{c.domain}/company/", f"https://{c.domain}:443/ja/",
        f"info@{c.domain}", f"https://recruit.{c.domain}/jobs", f"HTTPS://WWW.{c.domain.upper()}",
    )
    return rng.choice(forms), ["domain_form"]


def corporate_number_variant(rng: random.Random, c: Company) -> tuple[str | None, list[str]]:
    roll = rng.random()
    if roll < 0.55:
        return c.corporate_number, []
    if roll < 0.63:
        cn = c.corporate_number
        return rng.choice([f"{cn[:1]}-{cn[1:5]}-{cn[5:9]}-{cn[9:]}", cn.translate(TO_FULL_WIDTH), f"{cn[:4]} {cn[4:]}"]), ["id_format"]
    if roll < 0.95:
        return None, ["missing_ids"]
    bad = list(c.corporate_number)
    bad[0] = str((int(bad[0]) + 1) % 10)  # wrong check digit
    return "".join(bad), ["invalid_id"]


def duns_variant(rng: random.Random, c: Company) -> tuple[str | None, list[str]]:
    roll = rng.random()
    if roll < 0.35:
        return c.duns if rng.random() < 0.8 else f"{c.duns[:2]}-{c.duns[2:5]}-{c.duns[5:]}", []
    if roll < 0.96:
        return None, []
    return rng.choice([c.duns[:8], f"D{c.duns[1:]}"]), ["invalid_id"]


# --- tables ---------------------------------------------------------------------------------

def crm_industry(ctx: Context, c: Company, account_id: str) -> tuple[str, str, str] | None:
    """The industry a CRM account is filed under: usually the registered one, but a sales rep may
    leave it blank or file the company under another line of its business, so it disagrees with
    the firmographics vendor's classification now and then. Drawn from its own generator seeded by
    the account id, so every other generated value stays as it was."""
    rng = random.Random(f"{ctx.seed_offset}:industry:{account_id}")
    roll = rng.random()
    if roll < 0.04:
        return None
    if roll < 0.12:
        others = [i for i in range(len(INDUSTRIES)) if i != c.industry]
        return INDUSTRIES[rng.choices(others, weights=[INDUSTRY_WEIGHTS[i] for i in others])[0]]
    return INDUSTRIES[c.industry]


def crm_account_rows(ctx: Context, c: Company, by_id: dict[str, Company], truth: list[dict]) -> list[dict]:
    rng = ctx.rng
    rows: list[dict] = []
    if rng.random() > (0.97 if c.is_target else 0.85):
        return rows
    copies = rng.choices((1, 2, 3), weights=(75, 20, 5))[0]
    for copy in range(copies):
        system = "salesforce" if copy == 0 or rng.random() < 0.5 else "hubspot"
        prefix = "SF" if system == "salesforce" else "HS"
        account_id = f"{prefix}-{ctx.next_id('crm_' + system):08d}"
        name, kinds = name_variant(rng, c) if copy else (c.official_name if rng.random() < 0.6 else name_variant(rng, c)[0], [])
        website, web_kinds = website_variant(rng, c)
        corp, corp_kinds = corporate_number_variant(rng, c)
        duns, duns_kinds = duns_variant(rng, c)
        parent_crm = None
        if c.parent_id and c.parent_id in by_id and rng.random() < 0.7:
            same_system = [aid for sys_, aid in by_id[c.parent_id].crm_ids if sys_ == system]
            parent_crm = same_system[0] if same_system else None
        created = ctx.ts(5 * 365, 30)
        industry = crm_industry(ctx, c, account_id)
        name, export_kinds = export_variant(random.Random(f"{ctx.seed_offset}:name:{account_id}"), name, system)
        kinds = kinds + export_kinds
        row = {
            "source_system": system, "source_account_id": account_id, "account_name": name,
            "website": website, "corporate_number": corp, "duns_number": duns,
            "parent_source_account_id": parent_crm,
            # the Japanese or the English label; drawn even when left blank, to keep the sequence
            "industry": (industry or (None, None, None))[1 if rng.random() < 0.85 else 2],
            "employee_count": (f"{c.employees:,}" if rng.random() < 0.2 else str(c.employees)) if rng.random() < 0.9 else None,
            "annual_revenue_jpy": str(c.revenue_jpy) if rng.random() < 0.7 else None,
            "country": "JP" if rng.random() < 0.8 else "日本",
            "prefecture": c.prefecture, "created_at": fmt_ts(created, rng),
            "updated_at": fmt_ts(created + timedelta(days=rng.uniform(0, 25)), rng),
            "is_deleted": "true" if rng.random() < 0.02 else "false",
        }
        c.crm_ids.append((system, account_id))
        rows.append(row)
        truth.append({"source_table": "crm_accounts", "source_system": system, "source_record_id": account_id,
                      "company_id": c.company_id, "variant_kinds": ",".join(sorted(set(kinds + web_kinds + corp_kinds + duns_kinds)))})
    return rows


def corrupt_crm(ctx: Context, rows: list[dict]) -> None:
    for row in rows:
        roll = ctx.rng.random()
        if roll < 0.003:
            row["source_account_id"] = None
            ctx.bad("crm_accounts", "missing_key:source_account_id")
        elif roll < 0.006:
            row["created_at"] = ctx.rng.choice(["不明", "2024-13-45", "yesterday"])
            ctx.bad("crm_accounts", "unparseable:created_at")


@dataclass
class Person:
    surname: tuple[str, str]
    given: tuple[str, str]
    department: tuple[str, str]
    title: tuple[str, str, float]
    email: str | None


def make_people(ctx: Context, c: Company) -> list[Person]:
    rng = ctx.rng
    n = min(12, max(1, int(rng.gauss(2 + 3 * c.propensity + (2 if c.is_target else 0), 1.5))))
    people = []
    for _ in range(n):
        sur, giv = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
        roll = rng.random()
        if roll < 0.82:
            email = f"{giv[1].lower()}.{sur[1].lower()}{rng.randint(1, 99) if rng.random() < 0.2 else ''}@{c.domain}"
        elif roll < 0.87:
            email = f"{sur[1].lower()}@{rng.choice(('jp', 'mail', 'corp'))}.{c.domain}"
        elif roll < 0.97:
            # a personal address belongs to one person: random enough not to repeat across people
            email = f"{giv[1].lower()}.{sur[1].lower()}{rng.randint(100_000, 9_999_999)}@{rng.choice(FREE_MAIL_DOMAINS)}"
        else:
            email = None
        title = rng.choices(TITLES, weights=[t[2] for t in TITLES])[0]
        if email and email in {other.email for other in people}:
            # a mailbox belongs to one person: a namesake at the same company gets a number
            local, _, domain = email.partition("@")
            email = f"{local}{len(people) + 1}@{domain}"
        people.append(Person(sur, giv, rng.choice(DEPARTMENTS), title, email))
    return people


def office_address(ctx: Context, c: Company, system: str, contact_id: str) -> str | None:
    """The office address a contact record carries: printed on a business card (nearly always), a
    lead form's 都道府県 field (often), a CRM contact's mailing address (half the time). Most people
    sit at the head office; some at a branch in another prefecture, where a same-named company may
    be. Drawn from its own generator seeded by the contact id, so adding the column left every other
    generated value as it was."""
    rng = random.Random(f"{ctx.seed_offset}:{contact_id}")
    if rng.random() >= {"sansan": 0.95, "marketo": 0.6}.get(system, 0.5):
        return None
    prefecture = c.prefecture
    if rng.random() < 0.12:  # a branch office
        prefecture = rng.choices([p for p, _ in PREFECTURES], weights=[w for _, w in PREFECTURES])[0]
    if system == "marketo":
        return prefecture  # the form's prefecture field, nothing more
    street = f"{rng.choice(ADDRESS_PLACES)}{rng.randint(1, 9)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
    roll = rng.random()
    if roll < 0.3:
        return f"〒{rng.randint(100, 999)}-{rng.randint(0, 9999):04d} {prefecture}{street}".translate(
            TO_FULL_WIDTH if rng.random() < 0.5 else {})
    if roll < 0.95:
        return f"{prefecture}{street}"
    return street  # the prefecture left off: says nothing about where the office is


def contact_rows(ctx: Context, c: Company, people: list[Person], truth: list[dict]) -> list[tuple[dict, Person]]:
    rng = ctx.rng
    out: list[tuple[dict, Person]] = []
    for person_index, p in enumerate(people):
        person_rows: list[dict] = []
        systems = rng.sample(["salesforce", "marketo", "sansan"], k=rng.choices((1, 2, 3), weights=(60, 30, 10))[0])
        for system in systems:
            if system == "salesforce" and not c.crm_ids:
                system = "marketo"
            contact_id = f"{system[:2].upper()}C-{ctx.next_id('contact_' + system):09d}"
            account_link = None
            if system == "salesforce":
                account_link = rng.choice([aid for sys_, aid in c.crm_ids])
                # a Salesforce contact belongs to a Salesforce account (copy 0 always is one); the
                # draw over all accounts is kept so the sequence of values stays as it was
                if not account_link.startswith("SF-"):
                    account_link = next(aid for sys_, aid in c.crm_ids if sys_ == "salesforce")
            company_name, kinds = name_variant(rng, c)
            company_name, export_kinds = export_variant(random.Random(f"{ctx.seed_offset}:name:{contact_id}"),
                                                        company_name, system)
            kinds = kinds + export_kinds
            english = rng.random() < 0.2
            full_name = f"{p.given[1]} {p.surname[1]}" if english else rng.choice((f"{p.surname[0]} {p.given[0]}", f"{p.surname[0]}{p.given[0]}", f"{p.surname[0]}　{p.given[0]}"))
            created = ctx.ts(3 * 365, 1)
            row = {
                "source_system": system, "source_contact_id": contact_id, "source_account_id": account_link,
                "company_name": company_name if system != "salesforce" or rng.random() < 0.5 else None,
                "email": p.email.upper() if p.email and rng.random() < 0.03 else p.email,
                "full_name": full_name,
                "department": p.department[1] if english else p.department[0],
                "job_title": p.title[1] if english else p.title[0],
                "consent_email": rng.choice(("true", "true", "true", "false", "1", "0")),
                "consent_ads": rng.choice(("true", "false", "false")),
                "created_at": fmt_ts(created, rng),
                "updated_at": fmt_ts(created + timedelta(days=rng.uniform(0, 60)), rng),
                "is_deleted": "true" if rng.random() < 0.01 else "false",
                "address": office_address(ctx, c, system, contact_id),
            }
            out.append((row, p))
            person_rows.append(row)
            truth.append({"source_table": "contacts", "source_system": system, "source_record_id": contact_id,
                          "company_id": c.company_id, "variant_kinds": ",".join(sorted(set(kinds))),
                          "person_key": f"{c.company_id}-{person_index}"})
        write_person_variants(random.Random(f"{ctx.seed_offset}:person:{c.company_id}:{person_index}"), p, person_rows)
    return out


def consent_timeline(rng: random.Random, times: list[datetime], opt_in_share: float,
                     later_opt_out: float) -> list[tuple[datetime, bool]]:
    """A person's answers over time: a first answer, maybe an opt-out later, maybe an opt-in again.
    The changes fall between the person's first and last record, so older records keep the old answer."""
    first, last = min(times), max(times)
    span = (last - first).total_seconds()
    changes = [(first - timedelta(days=1), rng.random() < opt_in_share)]
    if changes[0][1] and rng.random() < later_opt_out:
        opted_out = first + timedelta(seconds=rng.uniform(0, span)) if span else first + timedelta(days=1)
        changes.append((opted_out, False))
        if rng.random() < RE_CONSENT_SHARE:
            changes.append((opted_out + timedelta(seconds=rng.uniform(0, max((last - opted_out).total_seconds(), 1))), True))
    return changes


def answer_at(changes: list[tuple[datetime, bool]], when: datetime) -> bool:
    return [answer for changed, answer in changes if changed <= when][-1]


def written_answer(rng: random.Random, answer: bool) -> str:
    if rng.random() < UNREADABLE_CONSENT:
        return rng.choice(("未確認", "?", "unknown"))
    return rng.choice(YES_VALUES if answer else NO_VALUES)


def email_variant(rng: random.Random, email: str, system: str) -> str:
    """How a form, a CRM user or a card scan writes the same address."""
    local, _, domain = email.partition("@")
    roll = rng.random()
    if system == "marketo" and domain in ("gmail.com", "outlook.com", "icloud.com") and roll < 0.3:
        return f"{local}+{rng.choice(('seminar', 'webinar', 'news'))}@{domain}"  # sub-addressing on a form
    if roll < 0.05:
        return f" {email} " if rng.random() < 0.5 else f"{local} @{domain}"
    if roll < 0.08:
        return email.translate(TO_FULL_WIDTH)
    if roll < 0.11:
        return email.upper()
    return email


def name_variant_of_person(rng: random.Random, p: Person, full_name: str) -> str:
    """Romanised names in the other order (YAMADA Taro), now and then."""
    if full_name == f"{p.given[1]} {p.surname[1]}" and rng.random() < 0.3:
        return f"{p.surname[1].upper()} {p.given[1]}"
    return full_name


def write_person_variants(rng: random.Random, p: Person, rows: list[dict]) -> None:
    """One person's records as real exports hold them: addresses and names written differently, a card
    whose e-mail was not read, and consent answers as the person gave them over time — a business card
    carries none, a CRM contact often none, a lead form always one."""
    times = [parse_ts(row["updated_at"]) for row in rows]
    known = [t for t in times if t is not None] or [datetime(2025, 1, 1)]
    email_changes = consent_timeline(rng, known, EMAIL_OPT_IN_SHARE, EMAIL_LATER_OPT_OUT)
    ads_changes = consent_timeline(rng, known, ADS_OPT_IN_SHARE, ADS_LATER_OPT_OUT)
    for row, when in zip(rows, times):
        when = when or known[0]
        if row["email"]:
            row["email"] = email_variant(rng, row["email"], row["source_system"])
            if row["source_system"] == "sansan" and rng.random() < CARD_WITHOUT_EMAIL:
                row["email"] = None
        row["full_name"] = name_variant_of_person(rng, p, row["full_name"])
        answers = {"sansan": 0.0, "salesforce": 0.8}.get(row["source_system"], 1.0)
        row["consent_email"] = written_answer(rng, answer_at(email_changes, when)) if rng.random() < answers else None
        row["consent_ads"] = written_answer(rng, answer_at(ads_changes, when)) if rng.random() < answers else None


def parse_ts(text: str | None) -> datetime | None:
    """A timestamp fmt_ts wrote (ISO or slashed)."""
    try:
        return datetime.fromisoformat(text.replace("/", "-")) if text else None
    except ValueError:
        return None


def corrupt_contacts(ctx: Context, rows: list[dict]) -> None:
    for row in rows:
        roll = ctx.rng.random()
        if roll < 0.002:
            row["source_contact_id"] = None
            ctx.bad("contacts", "missing_key:source_contact_id")
        elif roll < 0.004:
            row["created_at"] = "2025-02-30 10:00:00"
            ctx.bad("contacts", "unparseable:created_at")


def abm_rng(ctx: Context, c: Company, key: str) -> random.Random:
    """A generator of the company's own for what the pilot changes, so every other value stays as it was."""
    return random.Random(f"{ctx.seed_offset}:abm:{c.company_id}:{key}")


def is_after_listing(c: Company, when: datetime) -> bool:
    """ABM acts on a target from its listing day on, never before."""
    return c.is_target and c.listed_on is not None and when >= c.listed_on


def lead_status_rows(ctx: Context, contact: dict, c: Company) -> list[dict]:
    rng = ctx.rng
    if contact["source_system"] != "marketo" or rng.random() > 0.25 + 0.4 * c.propensity:
        return []
    when = ctx.ts(330, 20)
    mql = {"source_system": "marketo", "source_contact_id": contact["source_contact_id"], "status": "MQL", "changed_at": fmt_ts(when, rng)}
    rows = [mql] + lead_progress(rng, contact, when, ABM_SAL_RATE if is_after_listing(c, when) else BASE_SAL_RATE)
    return [r for r in rows if datetime.strptime(r["changed_at"][:10].replace("/", "-"), "%Y-%m-%d") <= ctx.as_of]


def lead_progress(rng: random.Random, contact: dict, when: datetime, sal_rate: float) -> list[dict]:
    """SAL then SQL, or disqualified / recycled at the first stage the lead does not pass."""
    rows = []
    for status, rate in (("SAL", sal_rate), ("SQL", 0.55)):
        if rng.random() > rate:
            final = rng.choice(("disqualified", "recycled"))
            when += timedelta(days=rng.uniform(1, 20))
            rows.append({"source_system": "marketo", "source_contact_id": contact["source_contact_id"], "status": final, "changed_at": fmt_ts(when, rng)})
            break
        when += timedelta(days=rng.uniform(0.5, 15))
        rows.append({"source_system": "marketo", "source_contact_id": contact["source_contact_id"], "status": status, "changed_at": fmt_ts(when, rng)})
    return rows


def activity_rows(ctx: Context, contact: dict, c: Company, aimed: set[str]) -> list[dict]:
    rng = ctx.rng
    tagger = random.Random(f"{ctx.seed_offset}:campaign-tag:{contact['source_contact_id']}")
    base_rate = 1 + 8 * c.propensity
    rate = base_rate + (ABM_ACTIVITY_RATE if c.is_target else 0)
    n = int(rng.expovariate(1 / rate))
    types = [t for t, _ in ACTIVITY_TYPES]
    base_weights = [w for _, w in ACTIVITY_TYPES]
    weights = [w * (3 if c.is_target and w < 3 else 1) for _, w in ACTIVITY_TYPES]
    abm = abm_rng(ctx, c, contact["source_contact_id"] or "")
    rows = []
    for _ in range(n):
        activity_type = rng.choices(types, weights=weights)[0]
        occurred = ctx.ts(365)
        row = {
            "activity_id": f"ACT-{ctx.next_id('activity'):010d}", "source_system": contact["source_system"],
            "source_contact_id": contact["source_contact_id"], "email": contact["email"],
            "activity_type": activity_type,
            "occurred_at": fmt_ts(occurred, rng),
            # drawn as before so the random stream is unchanged; the tag itself is set below
            "campaign_id": f"CMP-{rng.randint(1, 40):03d}" if rng.random() < 0.6 else None,
        }
        if c.is_target and not is_after_listing(c, occurred):
            # before listing a target is touched like any account of its propensity: thin the
            # boosted stream back to the base rate and mix (own generator: other values unchanged)
            if abm.random() >= base_rate / rate:
                continue
            row["activity_type"] = abm.choices(types, weights=base_weights)[0]
        row["campaign_id"] = campaign_tag(ctx, row["activity_type"], occurred, aimed, tagger)
        rows.append(row)
    return rows


def campaign_tag(ctx: Context, activity_type: str, occurred: datetime, aimed: set[str], tagger: random.Random) -> str | None:
    """The campaign an activity answers: the e-mail of its month, the seminar or content campaign of its
    quarter, and for a meeting of an account on the quarter's 同行 list, half the time the 同行 campaign."""
    kind = CAMPAIGN_ACTIVITY_TYPES.get(activity_type)
    if kind is None:
        return None
    day = occurred.date()
    for campaign in ctx.campaigns:
        if campaign["campaign_type"] != kind or not campaign["start"] <= day <= campaign["last_day"]:
            continue
        if kind == "executive_accompaniment":
            if campaign["campaign_id"] not in aimed or tagger.random() >= ACCOMPANIED_MEETING_SHARE:
                return None
        return campaign["campaign_id"]
    return None


def corrupt_events(ctx: Context, table: str, rows: list[dict], id_col: str, ts_col: str) -> list[dict]:
    """Replayed rows (duplicate ids), dates in the future, unparseable dates, null ids."""
    extra = []
    for row in rows:
        roll = ctx.rng.random()
        if roll < 0.005:
            extra.append(dict(row))
            ctx.bad(table, "duplicate_key")
        elif roll < 0.007:
            row[ts_col] = (ctx.as_of + timedelta(days=ctx.rng.randint(30, 400))).strftime("%Y-%m-%d %H:%M:%S")
            ctx.bad(table, f"future:{ts_col}")
        elif roll < 0.009:
            row[ts_col] = "31/31/2025"
            ctx.bad(table, f"unparseable:{ts_col}")
        elif roll < 0.010:
            row[id_col] = None
            ctx.bad(table, f"missing_key:{id_col}")
    return rows + extra


def intent_rows(ctx: Context, c: Company) -> list[dict]:
    rng = ctx.rng
    if rng.random() > 0.15 + 0.4 * c.propensity:
        return []
    topics = rng.sample(INTENT_TOPICS, k=rng.randint(1, 4))
    surging = rng.random() < 0.15
    rows = []
    for _ in range(rng.randint(3, 30)):
        back = rng.uniform(0, 7) if surging and rng.random() < 0.6 else rng.uniform(0, 120)
        rows.append({"domain": c.domain if rng.random() < 0.9 else f"www.{c.domain}", "topic": rng.choice(topics),
                     "signal_date": (ctx.as_of - timedelta(days=back)).strftime("%Y-%m-%d"),
                     "score": str(rng.randint(10, 100))})
    return rows


def usage_rows(ctx: Context, c: Company, people: list[Person]) -> list[dict]:
    rng = ctx.rng
    if rng.random() > 0.03 + 0.12 * c.propensity:
        return []
    users = [p.email for p in people if p.email and c.domain in p.email] or [f"user{rng.randint(1, 99)}@{c.domain}"]
    names = [e for e, _ in USAGE_EVENTS]
    weights = [w for _, w in USAGE_EVENTS]
    return [{"event_id": f"EV-{ctx.next_id('usage'):010d}", "user_email": rng.choice(users),
             "event_name": rng.choices(names, weights=weights)[0], "occurred_at": fmt_ts(ctx.ts(180), rng)}
            for _ in range(rng.randint(5, 60))]


def deal_amount(base_jpy: int, employees: int) -> int:
    """A deal's amount grows with the buyer's size (more seats, more departments): the base draw ×
    √(employees ÷ 300), between ¼ and 4×, in whole 10,000 yen. Deterministic, so the random stream (and
    every other generated value) does not depend on it."""
    factor = min(4.0, max(0.25, (max(employees, 1) / 300) ** 0.5))
    return max(100_000, int(base_jpy * factor) // 10_000 * 10_000)


def opportunity_rows(ctx: Context, c: Company, contacts: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """Opportunities, their stage history and the contracts won deals produce."""
    rng = ctx.rng
    opps, history, contracts = [], [], []
    contract_sources: list[str] = []
    created_on: dict[str, datetime] = {}
    base_chance = 0.08 + 0.35 * c.propensity
    roll = rng.random() if c.crm_ids else 1.0
    if not c.crm_ids or roll > base_chance + (ABM_EXTRA_DEAL_CHANCE if c.is_target else 0):
        return opps, history, contracts
    # deals only ABM's extra chance produced exist only when created after the listing day
    abm_only = roll > base_chance
    sf_contacts = [r["source_contact_id"] for r in contacts if r["source_system"] == "salesforce"]
    for _ in range(rng.randint(1, 3)):
        system, account_id = rng.choice(c.crm_ids)
        opp_id = f"OPP-{ctx.next_id('opportunity'):08d}"
        created = ctx.ts(720, 5)
        created_on[opp_id] = created
        depth = rng.randint(1, len(OPPORTUNITY_STAGES))
        when = created
        for stage in OPPORTUNITY_STAGES[:depth]:
            if when > ctx.as_of:
                break
            history.append({"opportunity_id": opp_id, "stage": stage, "changed_at": fmt_ts(when, rng)})
            when += timedelta(days=rng.uniform(3, 40))
        closed = when <= ctx.as_of and rng.random() < 0.75
        after_listing = is_after_listing(c, created)
        won = closed and rng.random() < 0.2 + 0.5 * c.propensity + (ABM_WIN_LIFT if after_listing else 0)
        stage = ("Closed Won" if won else "Closed Lost") if closed else history[-1]["stage"]
        if closed:
            history.append({"opportunity_id": opp_id, "stage": stage, "changed_at": fmt_ts(when, rng)})
        department = rng.choice(DEPARTMENTS)[0]
        product = rng.choice(PRODUCT_LINES)
        amount = deal_amount(rng.randrange(500_000, 60_000_000, 10_000), c.employees)
        opps.append({
            "source_system": system, "opportunity_id": opp_id, "source_account_id": account_id,
            "department": department, "product_line": product, "stage": stage, "amount_jpy": str(amount),
            "created_at": fmt_ts(created, rng), "closed_at": fmt_ts(when, rng) if closed else None,
            "is_closed": str(closed).lower(), "is_won": str(won).lower(),
            "primary_contact_id": rng.choice(sf_contacts) if sf_contacts else None,
        })
        if won:
            start = (when + timedelta(days=rng.randint(1, 30))).date()
            if start > ctx.as_of.date():
                continue
            months = rng.randint(1, 36)
            end = start + timedelta(days=30 * months) if rng.random() < 0.35 else None
            revenue = max(50_000, amount // 12 // 1000 * 1000)
            contract_sources.append(opp_id)
            contracts.append({
                "source_system": system, "contract_id": f"CT-{ctx.next_id('contract'):08d}", "source_account_id": account_id,
                "department": department, "product_line": product, "start_date": start.isoformat(),
                "end_date": end.isoformat() if end and end <= ctx.as_of.date() else None,
                "monthly_revenue_jpy": str(revenue), "monthly_cost_jpy": str(int(revenue * rng.uniform(0.3, 0.65))),
            })
    for row in opps:
        if rng.random() < 0.005:
            row["amount_jpy"] = str(-int(row["amount_jpy"]))
            ctx.bad("opportunities", "negative:amount_jpy")
    for row in contracts:
        roll = rng.random()
        if roll < 0.01:
            row["monthly_revenue_jpy"] = str(-int(row["monthly_revenue_jpy"]))
            ctx.bad("contracts", "negative:monthly_revenue_jpy")
        elif roll < 0.02:
            row["end_date"] = (date.fromisoformat(row["start_date"]) - timedelta(days=rng.randint(1, 90))).isoformat()
            ctx.bad("contracts", "end_before_start")
    if abm_only:
        kept = {opp_id for opp_id, created in created_on.items() if is_after_listing(c, created)}
        opps = [o for o in opps if o["opportunity_id"] in kept]
        history = [h for h in history if h["opportunity_id"] in kept]
        contracts = [k for k, src in zip(contracts, contract_sources) if src in kept]
    return opps, history, contracts


def firmographic_row(ctx: Context, c: Company, by_id: dict[str, Company], truth: list[dict]) -> list[dict]:
    rng = ctx.rng
    if rng.random() > 0.9:
        return []
    parent = by_id.get(c.parent_id) if c.parent_id else None
    key = c.corporate_number
    truth.append({"source_table": "firmographics", "source_system": "firmographics", "source_record_id": key,
                  "company_id": c.company_id, "variant_kinds": ""})
    return [{
        "corporate_number": key, "duns_number": c.duns if rng.random() < 0.7 else None,
        "company_name": c.official_name, "company_name_en": c.english_name, "domain": c.domain if rng.random() < 0.92 else None,
        "industry_code": INDUSTRIES[c.industry][0], "employee_count": str(c.employees),
        "annual_revenue_jpy": str(c.revenue_jpy), "parent_corporate_number": parent.corporate_number if parent else None,
        "prefecture": c.prefecture,
    }]


def target_rows(ctx: Context, c: Company) -> list[dict]:
    rng = ctx.rng
    if not c.is_target or not c.crm_ids:
        return []
    system, account_id = c.crm_ids[0]
    ctx.ts(400, 60)  # the listing day is drawn with the company (listed_on); kept for the draw order
    added = c.listed_on.date() if c.listed_on else ctx.as_of.date()
    removed = (added + timedelta(days=rng.randint(90, 300))) if rng.random() < 0.1 else None
    return [{"source_system": system, "source_account_id": account_id,
             "tier": str(rng.choices((1, 2, 3), weights=(15, 35, 50))[0]), "owner": rng.choice(OWNERS),
             "added_on": added.isoformat(),
             "removed_on": removed.isoformat() if removed and removed <= ctx.as_of.date() else None}]


# goal chains of one plan cycle: metric → (months into the cycle, target within the cycle) — the 1-, 3-
# and 6-month steps of seed 000; pipeline grows with the buyer's size (deal_amount). Targets are
# cumulative from the plan's start, so a second cycle adds its targets to the first's.
PLAN_GOAL_CHAINS: dict[str, tuple[tuple[int, int], ...]] = {
    "contacts_met": ((1, 1), (3, 2), (6, 3)),
    "meetings": ((1, 1), (3, 2), (6, 4)),
    "decision_maker_identified": ((3, 1),),
    "pipeline_amount_jpy": ((6, 10_000_000),),
}
# set once, not per cycle: the decision maker once known stays known
PLAN_ONCE_METRICS = ("decision_maker_identified",)
# not carried into the next cycle, and never more than the department's known people
PLAN_PEOPLE_METRICS = ("contacts_met",)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def campaign_calendar(as_of: date) -> list[dict]:
    """One campaign of each ABM type per quarter (the last CAMPAIGN_QUARTERS quarters) and a monthly
    e-mail, each with its first and last day; a campaign still running on as_of has no end date."""
    campaigns = []
    first = add_months(quarter_start(as_of), -3 * (CAMPAIGN_QUARTERS - 1))
    for q in range(CAMPAIGN_QUARTERS):
        start = add_months(first, 3 * q)
        last_day = add_months(start, 3) - timedelta(days=1)
        label = f"{start.year}Q{(start.month - 1) // 3 + 1}"
        for number, (kind, (name, owner, _)) in enumerate(CAMPAIGN_TYPES.items(), start=1):
            campaigns.append({"campaign_id": f"CMP-{label}-{number}", "campaign_type": kind,
                              "campaign_name": f"{name} {label}", "owner": owner, "start": start, "last_day": last_day})
    month = add_months(date(as_of.year, as_of.month, 1), -12)
    while month <= as_of:
        last_day = add_months(month, 1) - timedelta(days=1)
        campaigns.append({"campaign_id": f"CMP-EM-{month:%Y%m}", "campaign_type": "email",
                          "campaign_name": f"メールマガジン {month:%Y年%m月}", "owner": "マーケティング部",
                          "start": month, "last_day": last_day})
        month = add_months(month, 1)
    return campaigns


def campaign_rows(ctx: Context) -> list[dict]:
    as_of = ctx.as_of.date()
    return [{"source_system": "salesforce", "campaign_id": k["campaign_id"], "campaign_name": k["campaign_name"],
             "campaign_type": k["campaign_type"], "start_date": k["start"].isoformat(),
             "end_date": k["last_day"].isoformat() if k["last_day"] <= as_of else None, "owner": k["owner"]}
            for k in ctx.campaigns]


def campaign_aims(ctx: Context, c: Company) -> dict[str, date]:
    """The ABM campaigns a target is put on (campaign id → day added): those running after its listing
    day, each with its type's chance. Own generator: no other value changes."""
    if not c.is_target or not c.crm_ids or c.listed_on is None:
        return {}
    picker = random.Random(f"{ctx.seed_offset}:campaign-aim:{c.company_id}")
    listed, as_of = c.listed_on.date(), ctx.as_of.date()
    aims = {}
    for campaign in ctx.campaigns:
        kind = campaign["campaign_type"]
        if kind not in CAMPAIGN_TYPES or campaign["last_day"] < listed or campaign["start"] > as_of:
            continue
        if picker.random() < CAMPAIGN_TYPES[kind][2]:
            aims[campaign["campaign_id"]] = max(campaign["start"], listed)
    return aims


def campaign_account_rows(c: Company, aims: dict[str, date]) -> list[dict]:
    if not aims:
        return []
    system, account_id = c.crm_ids[0]
    return [{"source_system": system, "campaign_id": campaign_id, "source_account_id": account_id,
             "added_on": added.isoformat()} for campaign_id, added in aims.items()]


def campaign_activity_rows(ctx: Context, c: Company, contacts: list[dict], aims: dict[str, date]) -> list[dict]:
    """What only the campaign writes: a CxO letter to up to two people of each account on a letter list,
    and the advisor's introduction (顧問紹介) to one person of most accounts on a referral list."""
    by_id = {k["campaign_id"]: k for k in ctx.campaigns}
    people = [r for r in contacts if r["source_system"] in ("salesforce", "hubspot") and r["source_contact_id"]]
    if not aims or not people:
        return []
    maker = random.Random(f"{ctx.seed_offset}:campaign-activity:{c.company_id}")
    rows = []
    for campaign_id, added in sorted(aims.items()):
        kind = by_id[campaign_id]["campaign_type"]
        if kind == "cxo_letter":
            chosen = maker.sample(people, k=min(2, len(people)))
            activity_type = "cxo_letter_sent"
        elif kind == "advisor_referral" and maker.random() < 0.7:
            chosen = [maker.choice(people)]
            activity_type = "advisor_referral"
        else:
            continue
        last = min(by_id[campaign_id]["last_day"], ctx.as_of.date())
        for person in chosen:
            day = added + timedelta(days=maker.randint(0, max(0, (last - added).days)))
            rows.append({
                "activity_id": f"ACT-C{ctx.next_id('campaign_activity'):09d}", "source_system": person["source_system"],
                "source_contact_id": person["source_contact_id"], "email": person["email"],
                "activity_type": activity_type, "occurred_at": f"{day.isoformat()} {maker.randint(9, 18):02d}:00:00",
                "campaign_id": campaign_id,
            })
    return rows


def plan_row(ctx: Context, c: Company, people: list[Person]) -> tuple[dict, str] | None:
    """An account plan for most targets: started within a month of the listing day, with a revenue
    ambition (目的と方向性) over two or three years that grows with the account's size, starting from
    the department where most of the account's known people work (returned with the row)."""
    if not c.is_target or not c.crm_ids or c.listed_on is None:
        return None
    planner = random.Random(f"{ctx.seed_offset}:plan:{c.company_id}")
    if planner.random() >= PLAN_SHARE:
        return None
    start = c.listed_on.date() + timedelta(days=planner.randint(0, 30))
    if start > ctx.as_of.date():
        return None
    system, account_id = c.crm_ids[0]
    horizon = planner.choice((24, 36))
    target = deal_amount(planner.randrange(5_000_000, 40_000_000, 1_000_000), c.employees) // 1_000_000 * 1_000_000
    counts: dict[str, int] = {}
    for person in people:
        counts[person.department[0]] = counts.get(person.department[0], 0) + 1
    department = max(sorted(counts), key=lambda d: counts[d]) if counts else planner.choice(DEPARTMENTS)[0]
    row = {"source_system": system, "plan_id": f"AP-{c.company_id}", "source_account_id": account_id,
           "owner": planner.choice(OWNERS), "plan_start": start.isoformat(),
           "ambition": f"{horizon // 12}年後に年間{target // 10_000:,}万円。{department}を起点に全社の標準ツールへ",
           "revenue_target_jpy": str(target), "horizon_months": str(horizon)}
    return row, department


def goal_rows(ctx: Context, c: Company, plan: tuple[dict, str] | None, people: list[Person]) -> list[dict]:
    """Goals of targets: with a plan, chains of monthly goals in the plan's department counted from the
    plan's start; without one (an export from before plans), single goals with a due date around as_of."""
    rng = ctx.rng
    if not c.is_target or not c.crm_ids:
        return []
    system, account_id = c.crm_ids[0]
    metrics = (("contacts_met", 3), ("decision_maker_identified", 1), ("meetings", 4), ("pipeline_amount_jpy", 10_000_000))
    single = [{"source_system": system, "source_account_id": account_id, "department": rng.choice(DEPARTMENTS)[0],
               "metric": metric, "target_value": str(value),
               "due_date": (ctx.as_of + timedelta(days=rng.randint(-60, 120))).date().isoformat(), "plan_id": None}
              for metric, value in rng.sample(metrics, k=rng.randint(1, 3))]
    if plan is None:
        return single
    row, department = plan
    start = date.fromisoformat(row["plan_start"])
    cycles = 0
    while add_months(start, PLAN_CYCLE_MONTHS * cycles) <= ctx.as_of.date():
        cycles += 1
    department_people = max(1, sum(1 for p in people if p.department[0] == department))
    chains = []
    for goal in single:  # the same metrics, as chains from the plan's start in its department
        metric = goal["metric"]
        for cycle in range(cycles):
            if metric in PLAN_ONCE_METRICS and cycle > 0:
                continue
            uncarried = metric in PLAN_ONCE_METRICS + PLAN_PEOPLE_METRICS
            carried = 0 if uncarried else cycle * PLAN_GOAL_CHAINS[metric][-1][1]
            for months, value in PLAN_GOAL_CHAINS[metric]:
                total = carried + value
                if metric in PLAN_PEOPLE_METRICS:
                    total = min(total, department_people)
                if metric == "pipeline_amount_jpy":
                    total = deal_amount(total, c.employees)
                due = add_months(start, PLAN_CYCLE_MONTHS * cycle + months)
                chains.append(goal | {"department": department, "target_value": str(total),
                                      "due_date": due.isoformat(), "plan_id": row["plan_id"]})
    return chains


def plan_meeting_rows(ctx: Context, c: Company, plan: tuple[dict, str] | None,
                      contacts: list[tuple[dict, Person]], aims: dict[str, date]) -> list[dict]:
    """What a plan changes: from its start, meetings (now and then an executive briefing) with people of
    its department — mostly the same few, a new one now and then — PLAN_MEETINGS_PER_MONTH on average;
    in a quarter the account is on the 同行 list, half of them with an executive along. Own generator."""
    if plan is None:
        return []
    row, department = plan
    people = [r for r, person in contacts if person.department[0] == department and r["source_contact_id"]]
    people.sort(key=lambda r: r["source_system"] != "salesforce")  # the CRM contact first
    if not people:
        return []
    maker = random.Random(f"{ctx.seed_offset}:plan-meeting:{row['plan_id']}")
    tagger = random.Random(f"{ctx.seed_offset}:plan-meeting-tag:{row['plan_id']}")
    start = datetime.combine(date.fromisoformat(row["plan_start"]), datetime.min.time())
    rows = []
    when = start + timedelta(days=maker.expovariate(PLAN_MEETINGS_PER_MONTH / 30.4))
    known = 1
    while when <= ctx.as_of:
        if known < len(people) and maker.random() < 0.35:
            known += 1
        person = people[maker.randrange(known)]
        activity_type = "executive_briefing" if maker.random() < 0.1 else "meeting"
        when = when.replace(hour=maker.randint(9, 18), minute=0, second=0)
        if when <= ctx.as_of:
            rows.append({
                "activity_id": f"ACT-P{ctx.next_id('plan_activity'):09d}", "source_system": person["source_system"],
                "source_contact_id": person["source_contact_id"], "email": person["email"],
                "activity_type": activity_type, "occurred_at": when.strftime("%Y-%m-%d %H:%M:%S"),
                "campaign_id": campaign_tag(ctx, activity_type, when, set(aims), tagger),
            })
        when += timedelta(days=maker.expovariate(PLAN_MEETINGS_PER_MONTH / 30.4))
    return rows


# --- driver ------------------------------------------------------------------------------------

def generate_chunk(ctx: Context, start: int, count: int, by_id: dict[str, Company]) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    rng = ctx.rng
    out: dict[str, list[dict]] = {t.name: [] for t in RAW_TABLES}
    truth: dict[str, list[dict]] = {"records": [], "companies": []}
    companies: list[Company] = []
    for index in range(start, start + count):
        parent = None
        if companies and rng.random() < 0.12:
            candidates = [x for x in companies[-200:] if x.parent_id is None]
            parent = rng.choice(candidates) if candidates else None
        company = make_company(ctx, index, parent)
        company.is_target = company.propensity > TARGET_MIN_PROPENSITY and rng.random() < TARGET_PICK_SHARE
        if company.is_target:
            company.listed_on = ctx.as_of - timedelta(days=abm_rng(ctx, company, "listing").uniform(60, 400))
        companies.append(company)
        by_id[company.company_id] = company
    campaign_activities: list[dict] = []
    for c in companies:
        out["crm_accounts"] += crm_account_rows(ctx, c, by_id, truth["records"])
        people = make_people(ctx, c)
        contacts = contact_rows(ctx, c, people, truth["records"])
        contact_dicts = [row for row, _ in contacts]
        out["contacts"] += contact_dicts
        aims = campaign_aims(ctx, c)
        aimed = set(aims)
        for row in contact_dicts:
            out["lead_status_history"] += lead_status_rows(ctx, row, c)
            out["activities"] += activity_rows(ctx, row, c, aimed)
        out["intent_signals"] += intent_rows(ctx, c)
        out["product_usage"] += usage_rows(ctx, c, people)
        opps, history, contracts = opportunity_rows(ctx, c, contact_dicts)
        out["opportunities"] += opps
        out["opportunity_stage_history"] += history
        out["contracts"] += contracts
        out["target_accounts"] += target_rows(ctx, c)
        out["firmographics"] += firmographic_row(ctx, c, by_id, truth["records"])
        plan = plan_row(ctx, c, people)
        out["account_plans"] += [plan[0]] if plan else []
        out["account_plan_goals"] += goal_rows(ctx, c, plan, people)
        out["campaign_accounts"] += campaign_account_rows(c, aims)
        campaign_activities += campaign_activity_rows(ctx, c, contact_dicts, aims)
        campaign_activities += plan_meeting_rows(ctx, c, plan, contacts, aims)
        truth["companies"].append({
            "company_id": c.company_id, "official_name": c.official_name, "english_name": c.english_name,
            "domain": c.domain, "corporate_number": c.corporate_number, "duns_number": c.duns,
            "parent_company_id": c.parent_id, "industry_code": INDUSTRIES[c.industry][0],
            "employee_count": str(c.employees), "prefecture": c.prefecture, "is_target": str(c.is_target).lower(),
        })
    corrupt_crm(ctx, out["crm_accounts"])
    corrupt_contacts(ctx, out["contacts"])
    out["activities"] = corrupt_events(ctx, "activities", out["activities"], "activity_id", "occurred_at")
    out["product_usage"] = corrupt_events(ctx, "product_usage", out["product_usage"], "event_id", "occurred_at")
    # after the corruption pass, which draws from the shared stream per row: letters and referrals are clean
    out["activities"] += campaign_activities
    # Keep only the recent companies for parent look-ups: bounded memory at 1M accounts.
    if len(by_id) > 20_000:
        for key in list(by_id)[: len(by_id) - 10_000]:
            del by_id[key]
    return out, truth


def generate(accounts: int, seed: int, as_of: date, out_dir: Path, truth_dir: Path, fmt: str) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    suffix = "parquet" if fmt == "parquet" else "csv"
    for stale in list(out_dir.glob("*.parquet")) + list(out_dir.glob("*.csv")):
        stale.unlink()
    sinks = {t.name: TableSink(out_dir / f"{t.name}.{suffix}", t.columns, fmt) for t in RAW_TABLES}
    truth_sinks = {
        "records": TableSink(truth_dir / "records.parquet",
                             ("source_table", "source_system", "source_record_id", "company_id", "variant_kinds", "person_key"), "parquet"),
        "companies": TableSink(truth_dir / "companies.parquet",
                               ("company_id", "official_name", "english_name", "domain", "corporate_number", "duns_number",
                                "parent_company_id", "industry_code", "employee_count", "prefecture", "is_target"), "parquet"),
    }
    ctx = Context(rng=random.Random(), as_of=datetime.combine(as_of, datetime.min.time()) + timedelta(hours=23),
                  seen_domains=set(), seed_offset=random.Random(seed).randrange(10**11), bad_rows={}, counters={})
    ctx.campaigns = campaign_calendar(as_of)
    sinks["campaigns"].write(campaign_rows(ctx))
    by_id: dict[str, Company] = {}
    started = time.monotonic()
    for start in range(0, accounts, CHUNK_COMPANIES):
        ctx.rng.seed(f"{seed}:{start}")
        count = min(CHUNK_COMPANIES, accounts - start)
        tables, truth = generate_chunk(ctx, start, count, by_id)
        for name, rows in tables.items():
            sinks[name].write(rows)
        for name, rows in truth.items():
            truth_sinks[name].write(rows)
        done = start + count
        if accounts >= 50_000 or done == accounts:
            log.info("%d/%d companies (%.0f s)", done, accounts, time.monotonic() - started)
    for sink in list(sinks.values()) + list(truth_sinks.values()):
        sink.close()
    counts = {name: sink.rows for name, sink in sinks.items()}
    manifest = {"accounts": accounts, "seed": seed, "as_of": as_of.isoformat(), "format": fmt,
                "rows": counts, "bad_rows": ctx.bad_rows}
    (truth_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return counts


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=3000, help="number of true companies (default 3000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date.today(), help="last day of the data (ISO date)")
    parser.add_argument("--out", type=Path, default=Path("data/raw"), help="raw folder (ABM_RAW_DIR)")
    parser.add_argument("--truth-dir", type=Path, default=Path("data/truth"), help="ground truth, never read by models")
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    args = parse_args(argv)
    started = time.monotonic()
    counts = generate(args.accounts, args.seed, args.as_of, args.out, args.truth_dir, args.format)
    log.info("wrote %s rows to %s in %.1f s: %s", f"{sum(counts.values()):,}", args.out, time.monotonic() - started,
             ", ".join(f"{k}={v:,}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
