#!/usr/bin/env python3
"""Score identity resolution against the generator's ground truth.

Pairwise precision, recall and F1 of `marts.bridge_account_sources`: two records form a predicted
pair when they share an account_id, a true pair when the generator made them for the same company.
Reported overall and per variant kind (legal form, width, English name, domain form, typo, missing
ids …): a pair counts for a kind when either record carries it. Scopes: company records (CRM
accounts + firmographics) and all records (+ contacts; an unmatched contact is its own singleton).

With --contacts, also where contacts ended by the evidence they carry, and the no-guess ceiling: the
all-records score of a resolver that leaves alone only the contacts whose evidence fits several
companies. Opens the warehouse read-only; the truth folder is never read by the models.

    python scripts/evaluate_identity.py --duckdb warehouse/abm.duckdb --truth-dir data/truth
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

VARIANT_KINDS: tuple[str, ...] = (
    "legal_form", "width", "english_name", "spacing", "old_kanji", "typo", "domain_form",
    "missing_domain", "missing_ids", "invalid_id", "id_format",
    # what real exports add (generate_data.export_variant)
    "branch_suffix", "itaiji", "ocr", "hd_abbreviation",
)
SCOPES: dict[str, str] = {
    "company records": "source_table in ('crm_accounts', 'firmographics')",
    "all records": "true",
}


@dataclass
class Score:
    scope: str
    kind: str
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> None:
    """The temp table `labeled` (record_key, source_table, predicted, actual, kinds) from the bridge."""
    records = truth_dir / "records.parquet"
    con.execute(f"""
        create temp table labeled as
        select
            bridge.source_table || ':' || bridge.source_system || ':' || bridge.source_record_id as record_key,
            bridge.source_table,
            coalesce(bridge.account_id, 'unmatched:' || bridge.source_table || ':' || bridge.source_system
                || ':' || bridge.source_record_id) as predicted,
            truth.company_id as actual,
            string_split(coalesce(truth.variant_kinds, ''), ',') as kinds
        from marts.bridge_account_sources as bridge
        inner join read_parquet('{records}') as truth
            on bridge.source_table = truth.source_table
            and bridge.source_system = truth.source_system
            and bridge.source_record_id = truth.source_record_id
    """)


def load_predictions(con: duckdb.DuckDBPyConnection, truth_dir: Path, predictions: str) -> None:
    """The temp table `labeled` from any relation `predictions` (record_key, predicted) — for other
    linkers (Splink) scored the same way."""
    records = truth_dir / "records.parquet"
    con.execute(f"""
        create temp table labeled as
        select
            predictions.record_key,
            truth.source_table,
            predictions.predicted,
            truth.company_id as actual,
            string_split(coalesce(truth.variant_kinds, ''), ',') as kinds
        from {predictions} as predictions
        inner join read_parquet('{records}') as truth
            on predictions.record_key = truth.source_table || ':' || truth.source_system || ':' || truth.source_record_id
    """)


def score(con: duckdb.DuckDBPyConnection, scope: str, where: str) -> list[Score]:
    kind_columns = ", ".join(
        f"count(*) filter (where list_contains(a.kinds, '{k}') or list_contains(b.kinds, '{k}')) as n_{k}"
        for k in VARIANT_KINDS
    )
    counts = {}
    for name, join_on, good in (("true", "a.actual = b.actual", "a.predicted = b.predicted"),
                                ("predicted", "a.predicted = b.predicted", "a.actual = b.actual")):
        good_columns = ", ".join(
            f"count(*) filter (where ({good}) and (list_contains(a.kinds, '{k}') or list_contains(b.kinds, '{k}'))) as g_{k}"
            for k in VARIANT_KINDS
        )
        row = con.execute(f"""
            with scoped as (select * from labeled where {where})
            select count(*) as n_all, count(*) filter (where {good}) as g_all, {kind_columns}, {good_columns}
            from scoped as a
            inner join scoped as b on {join_on} and a.record_key < b.record_key
        """).fetchone()
        names = ["n_all", "g_all"] + [f"n_{k}" for k in VARIANT_KINDS] + [f"g_{k}" for k in VARIANT_KINDS]
        counts[name] = dict(zip(names, row))
    scores = [Score(scope, "overall", counts["true"]["n_all"], counts["predicted"]["n_all"], counts["true"]["g_all"])]
    for k in VARIANT_KINDS:
        if counts["true"][f"n_{k}"]:
            scores.append(Score(scope, k, counts["true"][f"n_{k}"], counts["predicted"][f"n_{k}"],
                                counts["true"][f"g_{k}"]))
    # correct pairs counted from the true side; predicted side must agree
    assert counts["true"]["g_all"] == counts["predicted"]["g_all"]
    return scores


def evaluate(duckdb_path: Path, truth_dir: Path) -> list[Score]:
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        load(con, truth_dir)
        return [s for scope, where in SCOPES.items() for s in score(con, scope, where)]
    finally:
        con.close()


CONTACT_OUTCOMES_SQL = """
with
truth as (select * from read_parquet('{records}')),
labeled as (
    select truth.source_table, truth.source_system, truth.source_record_id, truth.company_id, bridge.account_id
    from truth
    inner join marts.bridge_account_sources as bridge
        using (source_table, source_system, source_record_id)
),
company_records as (
    select labeled.*, prepared.name_normalized, prepared.prefecture
    from labeled
    inner join intermediate.int_company_records_prepared as prepared
        on prepared.record_key = labeled.source_table || ':' || labeled.source_system || ':' || labeled.source_record_id
    where labeled.source_table in ('crm_accounts', 'firmographics')
),
-- the account most of a company's CRM and firmographics records went to
company_account as (
    select company_id, mode(account_id) as main_account_id
    from company_records
    group by company_id
),
-- accounts that hold a company record: a contact there is attached to a company
company_accounts as (select distinct account_id from company_records),
-- how many true companies carry a normalized name on their company records, in all and per prefecture
name_companies as (
    select name_normalized, count(distinct company_id) as companies, min(company_id) as only_company_id
    from company_records
    where name_normalized is not null
    group by name_normalized
),
name_prefecture_companies as (
    select name_normalized, prefecture, count(distinct company_id) as companies
    from company_records
    where name_normalized is not null
    group by name_normalized, prefecture
),
contacts as (
    select
        case
            when labeled.account_id = company_account.main_account_id then 'with its company'
            when labeled.account_id is null then 'unmatched'
            when company_accounts.account_id is null then 'left alone'
            else 'with another company'
        end as outcome,
        case
            when contact.source_account_id is not null then 'CRM account link'
            when contact.email_domain is not null then 'company e-mail domain'
            when contact.company_name_normalized is null then 'nothing usable'
            when name_companies.companies = 1 and name_companies.only_company_id = labeled.company_id
                then 'company name only, one company carries it'
            -- a slip (typo, OCR) that spelled exactly another company's name: no resolver can tell
            when name_companies.companies = 1 then 'company name only, another company alone carries it'
            when name_prefecture_companies.companies = 1
                then 'company name of several companies, one in the office prefecture'
            when name_companies.companies > 1 then 'company name only, carried by several companies'
            else 'company name only, unknown to company records'
        end as evidence
    from labeled
    inner join company_account on labeled.company_id = company_account.company_id
    inner join staging.stg_crm__contacts as contact
        on labeled.source_system = contact.source_system and labeled.source_record_id = contact.source_contact_id
    left join company_accounts on labeled.account_id = company_accounts.account_id
    left join name_companies on contact.company_name_normalized = name_companies.name_normalized
    left join name_prefecture_companies
        on contact.company_name_normalized = name_prefecture_companies.name_normalized
        and contact.office_prefecture = name_prefecture_companies.prefecture
    where labeled.source_table = 'contacts'
)
select evidence, count(*) as contacts,
    count(*) filter (where outcome = 'with its company') as with_its_company,
    count(*) filter (where outcome = 'with another company') as with_another_company,
    count(*) filter (where outcome = 'left alone') as left_alone
from contacts
group by evidence
order by contacts desc
"""


def contact_outcomes(duckdb_path: Path, truth_dir: Path) -> list[tuple[str, int, int, int, int]]:
    """Where contacts ended, by the evidence they carry: (evidence, contacts, of which with the account
    most of their true company's records went to, with an account of another company — a wrong
    attachment —, and left alone in an account of contacts only) — what limits the recall of all
    records, and what a wrong attachment costs. The rest are unmatched, or in an account of their own
    company that is not its main one (a split)."""
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        rows = con.execute(CONTACT_OUTCOMES_SQL.format(records=truth_dir / "records.parquet")).fetchall()
        return [(str(e), int(n), int(w), int(x), int(a)) for e, n, w, x, a in rows]
    finally:
        con.close()


NO_GUESS_CEILING_SQL = """
create temp table ceiling_predictions as
with
truth as (
    select source_table || ':' || source_system || ':' || source_record_id as record_key, *
    from read_parquet('{records}')
),
registered as (select company_id, prefecture from read_parquet('{companies}')),
bridged as (
    select truth.record_key, truth.source_table, truth.source_system, truth.source_record_id, truth.company_id
    from truth
    inner join marts.bridge_account_sources as bridge using (source_table, source_system, source_record_id)
),
-- every normalized name matching compares, by record key (the names are kept by record number)
record_names as (
    select numbered.record_key, names.name
    from intermediate.int_company_record_names as names
    inner join intermediate.int_company_records_numbered as numbered using (record_number)
),
-- the true companies that carry each normalized name on any record, and where they are registered
name_companies as (
    select distinct names.name, truth.company_id, registered.prefecture
    from record_names as names
    inner join truth on names.record_key = truth.record_key
    inner join registered on truth.company_id = registered.company_id
),
name_counts as (select name, count(*) as companies from name_companies group by name),
name_prefecture_counts as (
    select name, prefecture, count(*) as companies from name_companies group by name, prefecture
),
contact_evidence as (
    select
        bridged.record_key,
        lower(contact.email) as email,
        linked_account.record_key is not null
        or contact.email_domain is not null
        or coalesce(name_counts.companies = 1, false)
        or coalesce(name_prefecture_counts.companies = 1, false) as tells_its_company
    from bridged
    inner join staging.stg_crm__contacts as contact
        on bridged.source_system = contact.source_system and bridged.source_record_id = contact.source_contact_id
    -- a link to an account the export does not hold (deleted, quarantined) tells nothing
    left join bridged as linked_account
        on linked_account.source_table = 'crm_accounts'
        and contact.source_system = linked_account.source_system
        and contact.source_account_id = linked_account.source_record_id
    -- the contact's name as matching compares it (a contact carries one)
    left join record_names as contact_name on bridged.record_key = contact_name.record_key
    left join name_counts on contact_name.name = name_counts.name
    left join name_prefecture_counts
        on contact_name.name = name_prefecture_counts.name
        and contact.office_prefecture = name_prefecture_counts.prefecture
    where bridged.source_table = 'contacts'
),
-- one person's records (the same address in two systems) share what any of them tells
person_evidence as (
    select
        record_key,
        email,
        case
            when email is null then tells_its_company
            else bool_or(tells_its_company) over (partition by email)
        end as tells_its_company
    from contact_evidence
)
select
    bridged.record_key,
    case
        when person_evidence.record_key is null or person_evidence.tells_its_company then bridged.company_id
        else 'undecidable:' || coalesce(person_evidence.email, bridged.record_key)
    end as predicted
from bridged
left join person_evidence on bridged.record_key = person_evidence.record_key
"""


def no_guess_ceiling(duckdb_path: Path, truth_dir: Path) -> Score:
    """The all-records score of a resolver that places every record with its true company except the
    contacts whose own evidence cannot tell which company they belong to — no CRM account link, no
    company e-mail domain, and a company name that several true companies carry (also at the office
    prefecture, where known) — which it leaves alone (one person's records together). What no linker
    that refuses to guess can beat: an upper bound for the recall of all records. A CRM account link
    counts only when the export holds that account."""
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        con.execute(NO_GUESS_CEILING_SQL.format(records=truth_dir / "records.parquet",
                                                companies=truth_dir / "companies.parquet"))
        load_predictions(con, truth_dir, "ceiling_predictions")
        overall = score(con, "all records", "true")[0]
        return Score("all records", "no-guess ceiling", overall.true_pairs, overall.predicted_pairs,
                     overall.correct_pairs)
    finally:
        con.close()


def contact_outcomes_markdown(rows: list[tuple[str, int, int, int, int]]) -> str:
    lines = ["| contact's evidence | contacts | with its company | share | with another company | share "
             "| left alone | share |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for evidence, contacts, with_company, elsewhere, alone in rows:
        lines.append(f"| {evidence} | {contacts:,} | {with_company:,} | {with_company / contacts:.3f} "
                     f"| {elsewhere:,} | {elsewhere / contacts:.3f} | {alone:,} | {alone / contacts:.3f} |")
    return "\n".join(lines)


def as_markdown(scores: list[Score]) -> str:
    lines = ["| scope | variant kind | true pairs | predicted pairs | precision | recall | F1 |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for s in scores:
        lines.append(f"| {s.scope} | {s.kind} | {s.true_pairs:,} | {s.predicted_pairs:,} | "
                     f"{s.precision:.4f} | {s.recall:.4f} | {s.f1:.4f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duckdb", type=Path, default=Path("warehouse/abm.duckdb"))
    parser.add_argument("--truth-dir", type=Path, default=Path("data/truth"))
    parser.add_argument("--json", type=Path, help="also write the scores as JSON here")
    parser.add_argument("--contacts", action="store_true",
                        help="also show where contacts ended, by the evidence they carry")
    args = parser.parse_args(argv)
    scores = evaluate(args.duckdb, args.truth_dir)
    print(as_markdown(scores))
    if args.contacts:
        print(contact_outcomes_markdown(contact_outcomes(args.duckdb, args.truth_dir)))
        print(as_markdown([no_guess_ceiling(args.duckdb, args.truth_dir)]))
    if args.json:
        args.json.write_text(json.dumps([asdict(s) | {"precision": s.precision, "recall": s.recall, "f1": s.f1}
                                         for s in scores], indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
