"""scripts/published_copy.py: the file BI tools read gets each contract's primary key, indexed once the
rows are in; a duplicate fails the publish naming the table. The personal-data marts go to a file of
their own, written anew; the other marts' file is updated from the last published one and ends equal
to a fresh copy."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from published_copy import (PublishError, people_path, primary_keys, publication, split_primary_key,
                            update_published_copy, write_published_copy, write_published_files)


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
    """Why the personal-data marts' file is written anew each day instead of copying yesterday's and
    replacing what changed: DuckDB does not overwrite the blocks a dropped table frees, so an address
    removed from a mart (an opt-out) would stay in the file BI users receive."""
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


def write_publication_manifest(path: Path) -> Path:
    """dim_contacts carries a pii-tagged column; the history is published by its period ends."""
    def model(name: str, key: list[str], **extra: object) -> dict:
        return {"resource_type": "model", "schema": "marts", "alias": name, "columns": {}, "config": {"meta": {}},
                "constraints": [{"type": "primary_key", "columns": key}] if key else []} | extra
    nodes = {
        "model.abm.dim_accounts": model("dim_accounts", ["account_id"]),
        "model.abm.dim_contacts": model("dim_contacts", ["person_id"],
                                        columns={"email": {"tags": ["pii"]}, "person_id": {"tags": []}}),
        "model.abm.fct_history": model("fct_history", [], config={"meta": {"publish_part": "evaluated_on"}}),
        "model.abm.rpt_changing": model("rpt_changing", ["k"]),
        "model.abm.fct_stable": model("fct_stable", ["k"]),
    }
    path.write_text(json.dumps({"nodes": nodes}))
    return path


DAY_ONE = [
    "create schema meta",
    "create table meta.refresh_run as select 'one' as run_id",
    "create table marts.dim_accounts (account_id varchar not null, name varchar)",
    "insert into marts.dim_accounts select 'a' || range, '株式会社' || range from range(1000)",
    "comment on table marts.dim_accounts is 'One row per company.'",
    "create table marts.dim_contacts (person_id varchar not null, email varchar)",
    "insert into marts.dim_contacts values ('p1', 'someone@example.co.jp'), ('p2', 'opted.out@example.co.jp')",
    "create table marts.fct_history (account_id varchar, evaluated_on date, stage varchar)",
    "insert into marts.fct_history select 'a' || range % 10, date '2026-10-01' + interval (range // 10) day, 'reached' "
    "from range(50)",
    "create table marts.rpt_changing (k integer not null, v double)",
    "insert into marts.rpt_changing values (1, 0.5), (2, 1.5)",
    "create table marts.rpt_gone (x integer)",
    "create table marts.fct_stable as select range as k, range * 2 as v from range(10)",
    "create table marts.rpt_unkeyed as select range as x from range(10)",
    "create table marts.rpt_reshaped as select range as x from range(10)",
    "comment on column marts.rpt_unkeyed.x is 'A number.'",
]
DAY_TWO = [
    "create or replace table meta.refresh_run as select 'two' as run_id",
    "delete from marts.dim_contacts where person_id = 'p2'",
    # the newest period end re-taken with other rows, one more period end, the oldest one gone
    "update marts.fct_history set stage = 'engaged' where evaluated_on = date '2026-10-05' and account_id = 'a3'",
    "insert into marts.fct_history select 'a' || range, date '2026-10-06', 'reached' from range(10)",
    "delete from marts.fct_history where evaluated_on = date '2026-10-01'",
    "update marts.rpt_changing set v = 2.5 where k = 2",
    "drop table marts.rpt_gone",
    "create table marts.rpt_new as select 1 as y",
    "comment on column marts.dim_accounts.name is 'The company name as registered.'",
    # a renamed, a new and a gone company: 3 keys of 1,000 differ
    "update marts.dim_accounts set name = '株式会社エービーエム' where account_id = 'a7'",
    "insert into marts.dim_accounts values ('a1000', '合同会社新規')",
    "delete from marts.dim_accounts where account_id = 'a999'",
    # same rows, another type: written again; a description dropped from the YAML leaves the copy too
    "alter table marts.rpt_reshaped alter x type varchar",
    "comment on column marts.rpt_unkeyed.x is null",
]


def tables_of(path: Path) -> dict[str, object]:
    """Every table's DDL, key, description and rows (sorted) — what a BI user can see of a file."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        seen: dict[str, object] = {}
        for schema, table, ddl, comment in con.execute(
                "select schema_name, table_name, sql, comment from duckdb_tables() order by all").fetchall():
            columns = con.execute("select column_name, comment from duckdb_columns() where schema_name = ? "
                                  "and table_name = ? order by column_index", [schema, table]).fetchall()
            rows = sorted(con.execute(f'select * from "{schema}"."{table}"').fetchall(), key=repr)
            seen[f"{schema}.{table}"] = (ddl, comment, columns, rows)
        return seen
    finally:
        con.close()


def test_the_personal_data_marts_are_published_in_a_file_of_their_own(tmp_path: Path) -> None:
    build = write_build(tmp_path / "build.duckdb", DAY_ONE)
    marts = publication(write_publication_manifest(tmp_path / "manifest.json"))
    assert marts.personal == {("marts", "dim_contacts")}
    assert marts.parts == {("marts", "fct_history"): "evaluated_on"}
    written = write_published_files(build, tmp_path / "published.duckdb", marts)
    assert people_path(tmp_path / "published.duckdb") == tmp_path / "published_people.duckdb"
    assert set(written["people"]) == {"marts.dim_contacts", "meta.refresh_run"}
    assert "marts.dim_contacts" not in written["published"] and "marts.dim_accounts" in written["published"]
    assert b"@example.co.jp" not in (tmp_path / "published.duckdb").read_bytes()
    assert declared_keys(tmp_path / "published_people.duckdb") == {"dim_contacts": ["person_id"]}


def test_the_marts_file_updated_from_yesterdays_equals_a_fresh_copy_and_rewrites_only_what_changed(tmp_path: Path) -> None:
    build = write_build(tmp_path / "build.duckdb", DAY_ONE)
    marts = publication(write_publication_manifest(tmp_path / "manifest.json"))
    write_published_files(build, tmp_path / "day_one.duckdb", marts)
    con = duckdb.connect(str(build))
    for statement in DAY_TWO:
        con.execute(statement)
    con.close()
    written = write_published_files(build, tmp_path / "day_two.duckdb", marts, previous=tmp_path / "day_one.duckdb")
    assert written["published"] == {
        "marts.rpt_gone": "dropped",
        "marts.dim_accounts": "3 of 1000 rows replaced",  # and its new column description copied
        "marts.fct_stable": "kept",
        "marts.rpt_unkeyed": "kept",
        "marts.rpt_reshaped": "written",
        "marts.fct_history": "3 of 5 evaluated_on replaced",  # changed, new and gone period ends
        "marts.rpt_changing": "written",  # 1 of 2 rows: more than REWRITE_SHARE, the table is written again
        "marts.rpt_new": "written",
        "meta.refresh_run": "written",
    }
    fresh = write_published_files(build, tmp_path / "fresh.duckdb", marts)
    assert tables_of(tmp_path / "day_two.duckdb") == tables_of(tmp_path / "fresh.duckdb")
    assert set(fresh["published"]) == set(written["published"]) - {"marts.rpt_gone"}
    assert b"opted.out@example.co.jp" not in people_path(tmp_path / "day_two.duckdb").read_bytes()


def test_a_previous_file_holding_personal_data_is_not_updated_but_written_anew(tmp_path: Path) -> None:
    """A file published before the split (or before a column was tagged pii) holds a personal-data
    mart: dropping it from a copy would leave its bytes, so the marts' file is written anew."""
    build = write_build(tmp_path / "build.duckdb", DAY_ONE)
    write_published_copy(build, tmp_path / "before_split.duckdb")
    assert b"opted.out@example.co.jp" in (tmp_path / "before_split.duckdb").read_bytes()
    marts = publication(write_publication_manifest(tmp_path / "manifest.json"))
    done = update_published_copy(build, tmp_path / "before_split.duckdb", tmp_path / "after.duckdb", marts)
    assert set(done.values()) == {f"fresh file: {rows} rows" for rows in (1, 1000, 50, 2, 0, 10, 10)}
    assert b"@example.co.jp" not in (tmp_path / "after.duckdb").read_bytes()
