"""Raw tables already in the warehouse (var abm_source_mode: tables) give the same marts as the files,
and no mode ever drops a table the project did not land itself."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from abm_dbt.contract import RAW_TABLES
from conftest import generate, run_dbt

# xdist: a group runs on one worker, so its module and session builds are made once
pytestmark = [pytest.mark.dbt, pytest.mark.xdist_group("source_modes")]

CONSUMER_ROWS = 1_000
COMPARED_MARTS = ("dim_accounts", "fct_account_funnel", "rpt_abm_lift", "dim_contacts")
TABLES_MODE = "abm_source_mode: tables, abm_raw_schema: landing, abm_raw_loaded_at_field: _fivetran_synced"


def land_as_warehouse_tables(raw_dir: Path, db: Path) -> dict[str, int]:
    """What a Fivetran-style loader leaves: typed tables (CSV types detected) in schema `landing`,
    stamped with _fivetran_synced; plus a table of the consumer's own in schema `raw`."""
    con = duckdb.connect(str(db))
    counts = {}
    try:
        con.execute("create schema landing")
        for table in RAW_TABLES:
            path = raw_dir / f"{table.name}.csv"
            con.execute(f"create table landing.{table.name} as select *, now()::timestamp as _fivetran_synced "
                        f"from read_csv('{path}', header = true)")
            counts[table.name] = con.sql(f"select count(*) from landing.{table.name}").fetchall()[0][0]
        con.execute("create schema raw")
        con.execute(f"create table raw.web_events as select range as event_id from range({CONSUMER_ROWS})")
    finally:
        con.close()
    return counts


@pytest.fixture(scope="module")
def both_modes(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("source_modes")
    raw = generate(work, accounts=300, seed=5, fmt="csv")
    files_dir, tables_dir = work / "files", work / "tables"
    files_dir.mkdir()
    tables_dir.mkdir()
    # the data tests run where the mode under test is: the files mode and its tests are built by csv_build;
    # here the files mode builds only the marts compared with the tables mode, and what they are made from
    files = run_dbt(raw, files_dir, "build", "--select", *(f"+{mart}" for mart in COMPARED_MARTS), data_tests=False)
    counts = land_as_warehouse_tables(raw, tables_dir / "abm.duckdb")
    # the files folder must not matter in tables mode: point it at nothing
    tables = run_dbt(work / "no_such_folder", tables_dir, "build",
                     dbt_vars=TABLES_MODE)
    return files, tables, counts


def test_tables_mode_builds_and_keeps_every_table(both_modes) -> None:
    _, tables, counts = both_modes
    assert tables.returncode == 0, tables.output[-3000:]
    con = duckdb.connect(str(tables.duckdb_path), read_only=True)
    for name, rows in counts.items():
        assert con.sql(f"select count(*) from landing.{name}").fetchall()[0][0] == rows, name
    assert con.sql("select count(*) from raw.web_events").fetchall()[0][0] == CONSUMER_ROWS
    # nothing was landed next to the consumer's own table
    assert {r[0] for r in con.sql("select table_name from information_schema.tables "
                                  "where table_schema = 'raw'").fetchall()} == {"web_events"}


@pytest.mark.parametrize("mart", COMPARED_MARTS)
def test_tables_mode_gives_the_marts_of_files_mode(both_modes, mart: str) -> None:
    files, tables, _ = both_modes
    assert files.returncode == 0, files.output[-3000:]
    con = duckdb.connect(str(files.duckdb_path), read_only=True)
    con.execute(f"attach '{tables.duckdb_path}' as tables_db (read_only)")
    differing = con.sql(f"select count(*) from (select * from abm.marts.{mart} except all "
                        f"select * from tables_db.marts.{mart})").fetchall()[0][0]
    total = con.sql(f"select count(*) from abm.marts.{mart}").fetchall()[0][0]
    assert total > 0 and differing == 0, f"{mart}: {differing} of {total} rows differ"


def test_a_switched_off_optional_table_reads_as_empty(both_modes, tmp_path: Path) -> None:
    _, tables, _ = both_modes
    db = tmp_path / "abm.duckdb"
    con = duckdb.connect(str(db))
    con.execute(f"attach '{tables.duckdb_path}' as built (read_only)")
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
