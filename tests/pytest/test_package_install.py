"""abm_analytics installed as a dbt package: the consumer project in integration_tests/ lists it with
`local:`, builds it with its own profile from raw tables already in its warehouse, and loses no table
of its own — not its raw tables, not the landed ones, not a schema that shares a layer's name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from abm_dbt.contract import RAW_TABLES
from conftest import AS_OF, ROOT, generate
from test_source_modes import CONSUMER_ROWS, land_as_warehouse_tables

# xdist: a group runs on one worker, so its module and session builds are made once
pytestmark = [pytest.mark.dbt, pytest.mark.xdist_group("package_install")]

CONSUMER = ROOT / "integration_tests"
DBT = Path(sys.executable).parent / "dbt"


def consumer_dbt(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # the consumer's own profile and paths: nothing of the package's environment may leak in
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("ABM_", "DBT_"))} | {"CONSUMER_DUCKDB_PATH": str(db), "DBT_PROFILES_DIR": str(CONSUMER)}
    return subprocess.run([str(DBT), *args], cwd=CONSUMER, env=env, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def consumer_build(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("consumer")
    raw = generate(work, accounts=300, seed=5, fmt="csv")
    db = work / "consumer.duckdb"
    landed = land_as_warehouse_tables(raw, db)
    con = duckdb.connect(str(db))
    try:
        # the consumer already has a `marts` schema of its own, with a table named like one of the package's
        con.execute("create schema marts")
        con.execute("create table marts.dim_accounts as select range as account_key from range(5)")
    finally:
        con.close()
    deps = consumer_dbt(db, "deps")
    assert deps.returncode == 0, deps.stdout + deps.stderr
    build = consumer_dbt(db, "build", "--vars", f"{{as_of_date: '{AS_OF}'}}")
    return db, landed, build


def test_the_consumer_builds_the_package_from_its_warehouse_tables(consumer_build) -> None:
    db, _, build = consumer_build
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-2000:]
    con = duckdb.connect(str(db), read_only=True)
    try:
        accounts = con.execute("select count(*) from main_marts.dim_accounts").fetchall()[0][0]
        targets = con.execute("select count(*) from main_marts.dim_accounts where is_target").fetchall()[0][0]
        consumer_rows = con.execute("select count(*) from main_reporting.consumer_target_accounts").fetchall()[0][0]
    finally:
        con.close()
    assert accounts > 250
    assert consumer_rows == targets > 0


def test_no_table_of_the_consumer_is_lost_or_written_to(consumer_build) -> None:
    db, landed, build = consumer_build
    assert build.returncode == 0, build.stdout[-4000:]
    con = duckdb.connect(str(db), read_only=True)
    try:
        for table in RAW_TABLES:
            assert con.execute(f"select count(*) from landing.{table.name}").fetchall()[0][0] == landed[table.name]
        assert con.execute("select count(*) from raw.web_events").fetchall()[0][0] == CONSUMER_ROWS
        assert con.execute("select count(*) from marts.dim_accounts").fetchall()[0][0] == 5
        schemas = {row[0]: row[1] for row in con.execute(
            "select schema_name, list(table_name order by table_name) from duckdb_tables() group by 1").fetchall()}
    finally:
        con.close()
    assert schemas["raw"] == ["web_events"], "nothing landed beside the consumer's raw table"
    assert schemas["marts"] == ["dim_accounts"], "the package wrote into the consumer's own marts schema"
    # the package's layers, prefixed with the consumer's target schema
    assert {"main_staging", "main_intermediate", "main_marts", "main_seeds", "main_snapshots"} <= set(schemas)
