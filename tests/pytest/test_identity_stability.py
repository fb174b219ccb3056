"""Stable account ids: a company keeps its account_id when records arrive and when the build runs
again; when new evidence merges two companies, the older id survives and the other is retired."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from abm_dbt.contract import raw_table
from conftest import run_dbt

# xdist: a group runs on one worker, so its module and session builds are made once
pytestmark = [pytest.mark.dbt, pytest.mark.xdist_group("identity_stability")]

ACCOUNTS = [
    # アルファ appears twice without a shared key: two companies until firmographics ties them
    {"source_system": "salesforce", "source_account_id": "SF-1", "account_name": "株式会社アルファ",
     "website": "https://www.alpha.co.jp/", "prefecture": "東京都"},
    {"source_system": "salesforce", "source_account_id": "SF-2", "account_name": "Alpha Co., Ltd.",
     "corporate_number": "7000012050002", "prefecture": "東京都"},
    {"source_system": "salesforce", "source_account_id": "SF-3", "account_name": "ベータ株式会社",
     "website": "beta.co.jp", "prefecture": "大阪府"},
]
NEW_ACCOUNTS = [
    {"source_system": "hubspot", "source_account_id": "HS-9", "account_name": "ベータ(株)",
     "website": "info@beta.co.jp", "prefecture": "大阪府"},
]
NEW_FIRMOGRAPHICS = [
    {"corporate_number": "7000012050002", "company_name": "株式会社アルファ", "company_name_en": "Alpha Co., Ltd.",
     "domain": "alpha.co.jp", "prefecture": "東京都", "industry_code": "G"},
]
CONTACTS = [
    {"source_system": "sansan", "source_contact_id": "C-1", "company_name": "㈱アルファ",
     "email": "taro@alpha.co.jp", "full_name": "山田 太郎"},
]
# the same person again: a lead with the address written otherwise, a card without one
NEW_CONTACTS = [
    {"source_system": "marketo", "source_contact_id": "L-7", "company_name": "アルファ",
     "email": " TARO@alpha.co.jp", "full_name": "Taro Yamada"},
    {"source_system": "sansan", "source_contact_id": "C-8", "company_name": "株式会社アルファ",
     "email": "", "full_name": "山田太郎"},
]


TIMESTAMPS = {"created_at": "2026-01-05 10:00:00", "updated_at": "2026-01-05 10:00:00", "is_deleted": "false"}


def write_table(raw: Path, table: str, rows: list[dict]) -> None:
    """Write rows as <table>.csv with every contract column (missing ones empty)."""
    columns = raw_table(table).columns
    with (raw / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            full = {c: row.get(c, TIMESTAMPS.get(c, "")) for c in columns}
            writer.writerow(full)


def ids(db: Path) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.sql("select record_key, account_id from intermediate.int_account_ids_assigned").fetchall())
    finally:
        con.close()


def people(db: Path) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.sql("select contact_key, person_id from marts.bridge_contact_sources").fetchall())
    finally:
        con.close()


def retired(db: Path) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.sql("select retired_account_id, surviving_account_id from intermediate.int_account_ids_retired").fetchall())
    finally:
        con.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    work = tmp_path_factory.mktemp("stable_ids")
    first, second = work / "raw_v1", work / "raw_v2"
    first.mkdir()
    second.mkdir()
    write_table(first, "crm_accounts", ACCOUNTS)
    write_table(first, "contacts", CONTACTS)
    write_table(second, "crm_accounts", ACCOUNTS + NEW_ACCOUNTS)
    write_table(second, "contacts", CONTACTS + NEW_CONTACTS)
    write_table(second, "firmographics", NEW_FIRMOGRAPHICS)
    states = {}
    # what the assertions read and everything it is built from (with its data tests): the marts of
    # scores, funnel and revenue add minutes over five builds and say nothing about ids
    selected = ["--select", "+int_account_ids_retired", "+bridge_contact_sources", "--indirect-selection", "cautious"]
    for label, raw, args in (("first", first, ["build"]), ("repeat", first, ["build"]),
                             ("full_refresh", first, ["build", "--full-refresh"]),
                             ("new_records", second, ["build"]), ("repeat_new", second, ["build"])):
        result = run_dbt(raw, work, *args, *selected)
        assert result.returncode == 0, result.output[-3000:]
        states[label] = {"ids": ids(result.duckdb_path), "retired": retired(result.duckdb_path),
                         "people": people(result.duckdb_path)}
    return states


def test_first_run_keeps_the_two_alphas_apart(runs) -> None:
    first = runs["first"]["ids"]
    assert first["crm_accounts:salesforce:SF-1"] != first["crm_accounts:salesforce:SF-2"]
    assert first["contacts:sansan:C-1"] == first["crm_accounts:salesforce:SF-1"]  # by e-mail domain


def test_repeating_the_build_changes_no_id(runs) -> None:
    assert runs["repeat"]["ids"] == runs["first"]["ids"]
    assert runs["full_refresh"]["ids"] == runs["first"]["ids"]


def test_new_records_keep_existing_ids_or_retire_them_into_the_survivor(runs) -> None:
    before, after, retirements = runs["first"]["ids"], runs["new_records"]["ids"], runs["new_records"]["retired"]
    for record, old_id in before.items():
        assert after[record] == old_id or retirements.get(old_id) == after[record], record
    # the new HubSpot duplicate joins ベータ under its existing id
    assert after["crm_accounts:hubspot:HS-9"] == before["crm_accounts:salesforce:SF-3"]
    assert after["crm_accounts:salesforce:SF-3"] == before["crm_accounts:salesforce:SF-3"]


def test_a_merge_keeps_one_old_id_and_records_the_retired_one(runs) -> None:
    before, after, retirements = runs["first"]["ids"], runs["new_records"]["ids"], runs["new_records"]["retired"]
    alpha_ids = {before["crm_accounts:salesforce:SF-1"], before["crm_accounts:salesforce:SF-2"]}
    merged = after["crm_accounts:salesforce:SF-1"]
    assert after["crm_accounts:salesforce:SF-2"] == merged == after["firmographics:firmographics:7000012050002"]
    assert merged in alpha_ids
    (retired_id,) = alpha_ids - {merged}
    assert retirements == {retired_id: merged}


def test_a_second_run_on_the_new_data_changes_nothing(runs) -> None:
    assert runs["repeat_new"]["ids"] == runs["new_records"]["ids"]
    assert runs["repeat_new"]["retired"] == runs["new_records"]["retired"]


def test_a_person_keeps_their_id_when_more_of_their_records_arrive(runs) -> None:
    person = runs["first"]["people"]["sansan:C-1"]
    assert all(state["people"]["sansan:C-1"] == person for state in runs.values())
    after = runs["new_records"]["people"]
    assert after["marketo:L-7"] == person  # same address, written in upper case with a space
    assert after["sansan:C-8"] == person  # no address: the same name at the same company
    assert runs["repeat_new"]["people"] == after
