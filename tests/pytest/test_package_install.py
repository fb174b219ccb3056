"""abm_analytics installed as a dbt package: the consumer project in integration_tests/ lists it with
`local:`, builds it with its own profile from raw tables already in its warehouse, and loses no table
of its own — not its raw tables, not the landed ones, not a schema that shares a layer's name."""

from __future__ import annotations

import duckdb
import pytest

from abm_dbt.contract import RAW_TABLES
from conftest import CONSUMER_ROWS, ConsumerBuild

# xdist: the consumer build (conftest.consumer_build) is shared with test_source_modes, on one worker
pytestmark = [pytest.mark.dbt, pytest.mark.xdist_group("tables_mode")]


def test_the_consumer_builds_the_package_from_its_warehouse_tables(consumer_build: ConsumerBuild) -> None:
    db, build = consumer_build.db, consumer_build.build
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


def test_no_table_of_the_consumer_is_lost_or_written_to(consumer_build: ConsumerBuild) -> None:
    db, landed, build = consumer_build.db, consumer_build.landed, consumer_build.build
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
