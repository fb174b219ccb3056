"""Raw tables already in the warehouse (var abm_source_mode: tables) give the same marts as the files,
and no mode ever drops a table the project did not land itself. The tables mode is the consumer build of
test_package_install (the project installed as a package, conftest.consumer_build), which also checks that
no table of the consumer's is lost or written to."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from abm_dbt.contract import RAW_TABLES
from conftest import ConsumerBuild, run_dbt

# xdist: the consumer build is shared with test_package_install, on one worker
pytestmark = [pytest.mark.dbt, pytest.mark.xdist_group("tables_mode")]

COMPARED_MARTS = ("dim_accounts", "fct_account_funnel", "rpt_abm_lift", "dim_contacts")
TABLES_MODE = "abm_source_mode: tables, abm_raw_schema: landing, abm_raw_loaded_at_field: _fivetran_synced"


@pytest.fixture(scope="module")
def both_modes(consumer_build: ConsumerBuild, tmp_path_factory: pytest.TempPathFactory):
    files_dir = tmp_path_factory.mktemp("files_mode")
    # the data tests run where the mode under test is: the files mode and its tests are built by csv_build;
    # here the files mode builds only the marts compared with the tables mode, and what they are made from,
    # from the same CSV files the consumer's tables were landed from
    files = run_dbt(consumer_build.raw, files_dir, "build", "--select", *(f"+{mart}" for mart in COMPARED_MARTS),
                    data_tests=False)
    return files, consumer_build


@pytest.mark.parametrize("mart", COMPARED_MARTS)
def test_tables_mode_gives_the_marts_of_files_mode(both_modes, mart: str) -> None:
    files, tables = both_modes
    assert files.returncode == 0, files.output[-3000:]
    assert tables.build.returncode == 0, tables.build.stdout[-3000:]
    con = duckdb.connect(str(files.duckdb_path), read_only=True)
    con.execute(f"attach '{tables.db}' as tables_db (read_only)")
    # the consumer's profile puts the package's marts in schema main_marts
    files_mart, tables_mart = f"abm.marts.{mart}", f"tables_db.main_marts.{mart}"
    # both directions: a row only tables mode has (an extra or a duplicated one) differs as well
    only_files, only_tables = (
        con.sql(f"select count(*) from (select * from {left} except all select * from {right})").fetchall()[0][0]
        for left, right in ((files_mart, tables_mart), (tables_mart, files_mart)))
    total = con.sql(f"select count(*) from {files_mart}").fetchall()[0][0]
    assert total > 0 and only_files == only_tables == 0, (
        f"{mart}: {only_files} of {total} rows only in files mode, {only_tables} only in tables mode")


def test_a_switched_off_optional_table_reads_as_empty(consumer_build: ConsumerBuild, tmp_path: Path) -> None:
    db = tmp_path / "abm.duckdb"
    con = duckdb.connect(str(db))
    con.execute(f"attach '{consumer_build.db}' as built (read_only)")
    con.execute("create schema landing")
    for table in RAW_TABLES:
        if table.name != "intent_signals":
            con.execute(f"create table landing.{table.name} as select * from built.landing.{table.name}")
    con.close()
    result = run_dbt(tmp_path / "none", tmp_path, "run", "-s", "base_intent__signals", "stg_intent__signals",
                     dbt_vars=TABLES_MODE + ", abm_intent_signals_enabled: false")
    assert result.returncode == 0, result.output[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    assert con.sql("select count(*) from staging.stg_intent__signals").fetchall()[0][0] == 0


def test_a_missing_table_stops_the_run_naming_it(tmp_path: Path) -> None:
    duckdb.connect(str(tmp_path / "abm.duckdb")).execute("create schema landing").close()
    result = run_dbt(tmp_path / "none", tmp_path, "run", "-s", "base_crm__accounts", dbt_vars=TABLES_MODE)
    assert result.returncode != 0
    assert "raw table 'crm_accounts'" in result.output and "does not exist" in result.output


def test_files_mode_refuses_to_drop_a_table_it_did_not_land(parquet_raw: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "abm.duckdb"))
    con.execute("create schema raw")
    con.execute("create table raw.contacts as select 1 as my_own_column")
    con.close()
    result = run_dbt(parquet_raw, tmp_path, "run", "-s", "base_crm__accounts")
    assert result.returncode != 0
    assert "refusing to drop it" in result.output and "'contacts'" in result.output
    con = duckdb.connect(str(tmp_path / "abm.duckdb"), read_only=True)
    assert con.sql("select * from raw.contacts").fetchall() == [(1,)]
