"""scripts/check_bi_types.py fails on what BI drivers mistype, naming table and column."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT

COMPAT = ROOT / ".venv-compat" / "bin" / "python"
CHECK = ROOT / "scripts" / "check_bi_types.py"


def run_check(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert COMPAT.exists(), "make compat creates .venv-compat (make test does)"
    return subprocess.run([str(COMPAT), str(CHECK), str(path), *extra], capture_output=True, text=True, check=False)


def write_file(path: Path, statements: list[str]) -> Path:
    con = duckdb.connect(str(path), config={"storage_compatibility_version": "v1.4.0"})
    try:
        con.execute("create schema marts")
        for statement in statements:
            con.execute(statement)
    finally:
        con.close()
    return path


GOOD = [
    "create table marts.ok (account_id varchar primary key, amount_jpy bigint, score double, tier integer, "
    "is_target boolean, as_of_date date, scored_at timestamp)",
    "insert into marts.ok values ('a', 1000, 12.5, 1, true, date '2026-11-01', timestamp '2026-11-01 05:00')",
    "comment on table marts.ok is 'One row per account.'",
    *[f"comment on column marts.ok.{column} is 'described'"
      for column in ("account_id", "amount_jpy", "score", "tier", "is_target", "as_of_date", "scored_at")],
]


def test_a_well_typed_described_mart_passes(tmp_path: Path) -> None:
    proc = run_check(write_file(tmp_path / "good.duckdb", GOOD), "--require-key", "ok")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert report == {"driver": report["driver"], "uri": report["uri"], "tables": 1, "columns": 7,
                      "tables_with_primary_key": 1, "failing": {}}
    assert report["uri"].startswith("duckdb:////") and report["uri"].endswith("good.duckdb?access_mode=read_only")


@pytest.mark.parametrize(("statements", "named"), [
    (["alter table marts.ok add column ltv_jpy decimal(38, 2)", "comment on column marts.ok.ltv_jpy is 'x'",
      "update marts.ok set ltv_jpy = 1.5"], ["ltv_jpy: type NUMERIC", "ltv_jpy: fetched as Decimal"]),
    (["alter table marts.ok add column total_jpy hugeint", "comment on column marts.ok.total_jpy is 'x'"],
     ["total_jpy: type HugeInteger"]),
    (["alter table marts.ok add column roles varchar[]", "comment on column marts.ok.roles is 'x'"], ["roles: type"]),
    (["alter table marts.ok add column owner varchar"], ["owner: no description"]),
    (["comment on table marts.ok is null"], ["no table description"]),
], ids=["decimal", "hugeint", "list", "undescribed column", "undescribed table"])
def test_what_bi_tools_mistype_fails_naming_table_and_column(tmp_path: Path, statements: list[str],
                                                             named: list[str]) -> None:
    proc = run_check(write_file(tmp_path / "bad.duckdb", GOOD + statements))
    assert proc.returncode == 1, proc.stdout
    for text in named:
        assert f"marts.ok: {text}" in proc.stderr, proc.stderr


def test_a_required_key_must_be_declared(tmp_path: Path) -> None:
    statements = [GOOD[0].replace(" primary key", "")] + GOOD[1:]
    proc = run_check(write_file(tmp_path / "nokey.duckdb", statements), "--require-key", "ok")
    assert proc.returncode == 1
    assert "marts.ok: no primary key declared" in proc.stderr
