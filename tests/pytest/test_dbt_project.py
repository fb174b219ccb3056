"""dbt end to end on small generated data: the contract's variations build, nothing is lost, and
bad files stop the build with the table and column named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pyarrow.csv as pacsv
import pytest

from abm_dbt.normalize import normalize_company_name
from conftest import generate, run_dbt

# xdist: a group runs on one worker, so its module and session builds are made once
pytestmark = [pytest.mark.dbt, pytest.mark.xdist_group("csv_build")]


def test_csv_build_with_absent_optional_tables_and_cp932_succeeds(csv_build) -> None:
    _, _, result = csv_build
    assert result.returncode == 0, result.output[-3000:]


def test_absent_optional_tables_are_empty_and_accounts_are_built(csv_build) -> None:
    _, _, result = csv_build
    con = duckdb.connect(str(result.duckdb_path), read_only=True)
    try:
        assert con.sql("select count(*) from raw.intent_signals").fetchall()[0][0] == 0
        assert con.sql("select count(*) from staging.stg_product__usage_events").fetchall()[0][0] == 0
        # no campaign account lists: campaigns still reach accounts through tagged activities, none aimed
        aimed, touched = con.sql("select count(*) filter (where is_aimed), count(*) from "
                                 "marts.fct_campaign_account_outcomes").fetchall()[0]
        assert aimed == 0 and touched > 0
        accounts, targets = con.sql("select count(*), count(*) filter (where is_target) from marts.dim_accounts").fetchall()[0]
        assert accounts > 300 and targets > 0
        # Japanese survives the cp932 round trip
        assert con.sql("select count(*) from staging.stg_crm__contacts where company_name like '%株式会社%'").fetchall()[0][0] > 0
    finally:
        con.close()


def test_the_golden_name_keeps_its_own_normalized_form(csv_build) -> None:
    """dim_accounts takes account_name_normalized from the surviving record (no second normalization):
    it must equal the normalizer's result for account_name, whichever record survived."""
    _, _, result = csv_build
    con = duckdb.connect(str(result.duckdb_path), read_only=True)
    try:
        rows = con.sql("select account_name, account_name_normalized from marts.dim_accounts").fetchall()
    finally:
        con.close()
    assert len(rows) > 300
    assert [row for row in rows if normalize_company_name(row[0]) != row[1]] == []


def test_key_uniqueness_test_finds_a_duplicated_history_row(csv_build, tmp_path: Path) -> None:
    """The generic test unique_combination_of_columns groups by a key hash first: run its compiled SQL
    on a copy of the warehouse — no rows on the built history, then exactly the key of a row inserted
    twice (with the count), so the hash pass neither hides a duplicate nor invents one."""
    work, _, result = csv_build
    # dbt names the compiled file of a long test name by a hash: find it by the table it reads
    compiled = [path.read_text(encoding="utf-8")
                for path in (work / "target" / "compiled").rglob("unique_combination_of_columns_*.sql")]
    history_tests = [sql for sql in compiled if '"marts"."fct_account_funnel_history"' in sql]
    assert len(history_tests) == 1, len(history_tests)
    sql = history_tests[0]
    assert "hash(" in sql
    copy = tmp_path / "abm.duckdb"
    shutil.copyfile(result.duckdb_path, copy)
    # the compiled SQL names the catalog by the file's name: a copy of the same name
    con = duckdb.connect(str(copy))
    try:
        assert con.sql(sql).fetchall() == []
        row = con.sql("select account_id, evaluated_on from marts.fct_account_funnel_history "
                      "order by account_id, evaluated_on limit 1").fetchall()[0]
        con.execute("insert into marts.fct_account_funnel_history select * from marts.fct_account_funnel_history "
                    "where account_id = ? and evaluated_on = ?", list(row))
        assert con.sql(sql).fetchall() == [(row[0], row[1], 2)]
    finally:
        con.close()

def test_quarantine_holds_exactly_the_bad_rows_the_generator_wrote(csv_build) -> None:
    work, _, result = csv_build
    manifest = json.loads((work / "truth" / "manifest.json").read_text(encoding="utf-8"))
    expected = {(table, reason): count for table, reasons in manifest["bad_rows"].items()
                for reason, count in reasons.items() if table not in ("intent_signals", "product_usage")}
    con = duckdb.connect(str(result.duckdb_path), read_only=True)
    try:
        found = dict(((t, r), n) for t, r, n in con.sql(
            "select source_table, quarantine_reason, count(*) from staging.stg_raw__quarantine "
            "where quarantine_rule != 'soft_deleted' group by all").fetchall())
    finally:
        con.close()
    assert found == expected


def test_missing_required_column_stops_the_build_naming_table_and_column(csv_build, tmp_path: Path) -> None:
    _, raw, _ = csv_build
    bad = tmp_path / "raw"
    shutil.copytree(raw, bad)
    accounts = pacsv.read_csv(bad / "crm_accounts.csv", convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    pacsv.write_csv(accounts.drop_columns(["corporate_number"]), bad / "crm_accounts.csv")
    result = run_dbt(bad, tmp_path, "build", "--fail-fast")
    assert result.returncode != 0
    assert "raw table 'crm_accounts'" in result.output
    assert "missing required column(s) corporate_number" in result.output


def test_wrong_date_format_stops_the_build_naming_table_and_column(tmp_path: Path) -> None:
    raw = generate(tmp_path, accounts=150, seed=3, fmt="csv")
    text = (raw / "opportunity_stage_history.csv").read_text(encoding="utf-8").splitlines()
    # dd.mm.yyyy, as a European export would write it
    rewritten = [text[0]] + [
        ",".join(p if i != 2 else f'"{p.strip(chr(34))[8:10]}.{p.strip(chr(34))[5:7]}.{p.strip(chr(34))[:4]}"'
                 for i, p in enumerate(line.split(",")))
        for line in text[1:]
    ]
    (raw / "opportunity_stage_history.csv").write_text("\n".join(rewritten) + "\n", encoding="utf-8")
    result = run_dbt(raw, tmp_path, "build", "--fail-fast")
    assert result.returncode != 0
    assert "raw table 'opportunity_stage_history', column 'changed_at'" in result.output


def test_unreadable_file_stops_the_build_naming_the_table(tmp_path: Path) -> None:
    raw = generate(tmp_path, accounts=100, seed=5)
    data = (raw / "opportunities.parquet").read_bytes()
    (raw / "opportunities.parquet").write_bytes(data[:100])
    result = run_dbt(raw, tmp_path, "build", "--fail-fast")
    assert result.returncode != 0
    assert "raw table 'opportunities'" in result.output and "unreadable" in result.output
