"""scripts/published_copy.py: the file BI tools read gets each contract's primary key, indexed once the
rows are in; a duplicate fails the publish naming the table."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from published_copy import PublishError, primary_keys, split_primary_key, write_published_copy


def write_manifest(path: Path, keys: dict[str, list[str]]) -> Path:
    nodes = {f"model.abm.{table}": {"resource_type": "model", "schema": "marts", "alias": table,
                                    "constraints": [{"type": "primary_key", "columns": columns}]}
             for table, columns in keys.items()}
    nodes["model.abm.plain"] = {"resource_type": "model", "schema": "marts", "alias": "plain", "constraints": []}
    nodes["test.abm.unique_x"] = {"resource_type": "test", "schema": "marts", "alias": "unique_x"}
    path.write_text(json.dumps({"nodes": nodes}))
    return path


def write_build(path: Path, statements: list[str]) -> Path:
    con = duckdb.connect(str(path))
    try:
        for statement in ["create schema marts", "create schema staging", *statements]:
            con.execute(statement)
    finally:
        con.close()
    return path


def declared_keys(path: Path) -> dict[str, list[str]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute("select table_name, constraint_column_names from duckdb_constraints() "
                           "where constraint_type = 'PRIMARY KEY' order by table_name").fetchall()
    finally:
        con.close()
    return {table: list(columns) for table, columns in rows}


BUILD = [
    'create table marts.fct_pairs (account_id varchar not null, "month start" date not null, mrr bigint)',
    "insert into marts.fct_pairs values ('a', date '2026-10-01', 1), ('a', date '2026-11-01', 2)",
    "create table marts.plain (x integer)",
    "create table staging.stg_people (email varchar)",
]


def test_the_contracts_keys_are_declared_in_the_copy_only(tmp_path: Path) -> None:
    build = write_build(tmp_path / "build.duckdb", BUILD)
    keys = primary_keys(write_manifest(tmp_path / "manifest.json", {"fct_pairs": ["account_id", "month start"]}))
    assert keys == {("marts", "fct_pairs"): ("account_id", "month start")}
    copied = write_published_copy(build, tmp_path / "copy.duckdb", keys)
    assert copied == {"marts.fct_pairs": 2, "marts.plain": 0}, "only the marts, every row"
    assert declared_keys(tmp_path / "copy.duckdb") == {"fct_pairs": ["account_id", "month start"]}
    assert declared_keys(build) == {}, "the build file is read, not changed"


def test_a_duplicate_key_fails_the_publish_naming_the_table(tmp_path: Path) -> None:
    build = write_build(tmp_path / "build.duckdb", [*BUILD, "insert into marts.fct_pairs values ('a', date '2026-11-01', 3)"])
    keys = primary_keys(write_manifest(tmp_path / "manifest.json", {"fct_pairs": ["account_id", "month start"]}))
    with pytest.raises(PublishError, match=r"marts\.fct_pairs breaks its primary key"):
        write_published_copy(build, tmp_path / "copy.duckdb", keys)


def test_a_key_the_build_declares_is_kept_without_a_manifest(tmp_path: Path) -> None:
    """A warehouse built before keys left the build file (an incremental mart keeps its key until a
    full refresh) publishes the key its DDL declares."""
    build = write_build(tmp_path / "build.duckdb", ["create table marts.t (a varchar, b integer, primary key (a, b))",
                                                    "insert into marts.t values ('x', 1)"])
    write_published_copy(build, tmp_path / "copy.duckdb")
    assert declared_keys(tmp_path / "copy.duckdb") == {"t": ["a", "b"]}


def test_the_published_ddl_loses_its_primary_key_only_until_the_rows_are_in() -> None:
    """Publishing creates each table without its key, loads it, then adds the key: the table ends with
    the DDL it started from, and a table without a key is created as it was."""
    con = duckdb.connect()
    con.execute('create table "t" (a varchar not null, "b c" integer not null, d double, primary key (a, "b c"))')
    con.execute("create table u (a varchar, b integer)")
    ddl, plain = [row[0] for row in con.execute("select sql from duckdb_tables() order by table_name").fetchall()]
    create, key = split_primary_key(ddl)
    assert "PRIMARY KEY" not in create and key is not None
    assert split_primary_key(plain) == (plain, None)
    copy = duckdb.connect()
    copy.execute(create)
    copy.execute("insert into t values ('x', 1, 0.5)")
    copy.execute(f"alter table t add primary key ({key})")
    assert copy.execute("select sql from duckdb_tables()").fetchall()[0][0] == ddl
    with pytest.raises(duckdb.ConstraintException):
        copy.execute("insert into t values ('x', 1, 0.7)")


def test_a_fresh_copy_holds_no_byte_of_a_table_it_leaves_out_which_a_drop_would_keep(tmp_path: Path) -> None:
    """Why the publish writes a new file each day instead of copying yesterday's and replacing what
    changed: DuckDB does not overwrite the blocks a dropped table frees, so an address removed from a
    mart (an opt-out) would stay in the file BI users receive."""
    address = b"opted-out.person@example.co.jp"
    # the address's block lies before the mart's: it is not at the end of the file, which a checkpoint truncates
    build = write_build(tmp_path / "build.duckdb", [
        f"create table staging.stg_people as select '{address.decode()}' as email", "checkpoint",
        "create table marts.dim_accounts as select 'a' || range as account_id from range(100000)"])
    write_published_copy(build, tmp_path / "copy.duckdb")
    assert address not in (tmp_path / "copy.duckdb").read_bytes()
    con = duckdb.connect(str(build))
    con.execute("drop table staging.stg_people")
    con.execute("checkpoint")
    con.close()
    assert address in build.read_bytes(), "DuckDB now clears dropped blocks: an incremental publish becomes possible"
