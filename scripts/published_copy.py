#!/usr/bin/env python3
"""Write the files BI tools read: the marts of a build file, with their primary keys and descriptions.

Two files. The marts that carry personal data (a column tagged `pii` in the YAML: contact names and
addresses) go to a small file of their own, written anew every day (people_path: beside the published
file, `_people` added to its name): DuckDB does not clear the blocks a dropped or deleted row freed, so a
file updated in place would keep an opted-out person's address in its bytes. The other marts hold no
personal data; their file is updated from the last published one (update_published_copy): a table
whose rows and shape are unchanged is kept as it is, a history's changed period ends are replaced, any
other changed table is written again — at 1M companies most of what a fresh file would write (the two
histories alone are 90 M rows) is unchanged from one day to the next.

The refresh (scripts/refresh.py) publishes these copies; `make test` writes them from the CI build to
check them the way BI tools read them (scripts/check_bi_types.py). The build file itself carries no
primary key index on DuckDB: the keys are tested there (unique + not_null) and declared in the marts'
contracts; an index would be rebuilt by every daily run of every mart and checked by every in-place
delete and insert, for a file no BI tool opens. The copy declares each contract's key, built once over
the loaded rows — a duplicate fails the publish, naming the table.

    python scripts/published_copy.py BUILD.duckdb COPY.duckdb --manifest target/manifest.json
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import duckdb

from check_pii import tagged_columns

# the only schemas BI users get: the marts (the semantic layer reads them too) and the refresh stamp
PUBLISHED_SCHEMAS = ("marts", "meta")
# the storage format of the published file, as profiles.yml writes the build: BI tools embed DuckDB 1.4 LTS
PUBLISHED_STORAGE_VERSION = "v1.4.0"

# a keyed table whose changed rows exceed this share of its rows is written again rather than patched:
# deleting most of a table and inserting it again costs more than writing it (measured at 1M companies:
# 6 % of the campaign outcomes replaced in 1.3 s + the patch, against 10 s to write them with their key)
REWRITE_SHARE = 0.25

Table = tuple[str, str]
Keys = dict[Table, tuple[str, ...]]


class PublishError(RuntimeError):
    """The copy could not be written as BI tools need it."""


@dataclass(frozen=True)
class Publication:
    """What dbt's manifest says about publishing the marts."""

    keys: Keys = field(default_factory=dict)  # (schema, table) → the contract's primary key
    # a history → the column whose values (period ends) an update replaces where they changed
    parts: dict[Table, str] = field(default_factory=dict)
    personal: frozenset[Table] = frozenset()  # marts with a column tagged pii: the people file only


def model_nodes(manifest: Path) -> list[dict]:
    return [node for node in json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
            if node.get("resource_type") == "model"]


def keys_of(nodes: list[dict]) -> Keys:
    keys: Keys = {}
    for node in nodes:
        declared = [constraint for constraint in node.get("constraints") or [] if constraint["type"] == "primary_key"]
        if declared:
            keys[(node["schema"], node["alias"])] = tuple(declared[0]["columns"])
    return keys


def primary_keys(manifest: Path) -> Keys:
    """(schema, table) → key columns of every model whose contract declares a primary key."""
    return keys_of(model_nodes(manifest))


def publication(manifest: Path) -> Publication:
    """Keys (contracts), parts (config meta `publish_part`) and personal marts (a column tagged pii)."""
    nodes = model_nodes(manifest)
    parts = {(node["schema"], node["alias"]): node["config"]["meta"]["publish_part"] for node in nodes
             if "publish_part" in ((node.get("config") or {}).get("meta") or {})}
    # the tag as the personal-data check reads it (one reading of the YAML for the gate and the publish)
    personal = frozenset(("marts", table) for table, _ in tagged_columns(manifest))
    return Publication(keys=keys_of(nodes), parts=parts, personal=personal)


def people_path(published: Path) -> Path:
    """The personal-data file beside a published file: abm_published.duckdb → abm_published_people.duckdb."""
    return published.with_name(f"{published.stem}_people{published.suffix}")


def attach_people(con: duckdb.DuckDBPyConnection, published: Path) -> None:
    """For readers of a published file (dashboard, export): attach the personal-data file beside it
    read-only as `people` when it is there. A build file, which holds every mart, has none beside it."""
    people = people_path(published)
    if people.exists():
        con.execute("attach ? as people (read_only)", [str(people)])


def personal(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """The name to read a personal-data mart by: in the attached people file, else in the file itself."""
    attached = con.execute("select count(*) from duckdb_databases() where database_name = 'people'").fetchall()[0][0]
    return f"people.marts.{quote(table)}" if attached else f"marts.{quote(table)}"


def split_primary_key(ddl: str) -> tuple[str, str | None]:
    """A table's DDL (duckdb_tables().sql) without its table-level PRIMARY KEY, and the key's columns."""
    match = re.search(r",\s*PRIMARY KEY\s*\(([^()]*)\)\s*\);?\s*$", ddl)
    if match is None:
        return ddl, None
    return ddl[:match.start()] + ");", match.group(1)


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """A SQL string literal (COMMENT ON takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def copy_descriptions(con: duckdb.DuckDBPyConnection, tables: list[Table]) -> None:
    """Table and column COMMENTs (dbt's persist_docs) of the attached build, which DuckDB's DDL omits,
    onto the copy's tables — where they differ, a description the build no longer has removed: BI
    tools show them as descriptions."""
    wanted = set(tables)
    differing = ("on copy.database_name = current_database() and copy.schema_name = build.schema_name "
                 "and copy.table_name = build.table_name {more} "
                 "where build.database_name = 'build' and build.comment is distinct from copy.comment")
    for schema, table, comment in con.execute(
        "select build.schema_name, build.table_name, build.comment from duckdb_tables() as build "
        f"inner join duckdb_tables() as copy {differing.format(more='')}"
    ).fetchall():
        if (schema, table) in wanted:
            text = "null" if comment is None else quote_literal(comment)
            con.execute(f"comment on table {quote(schema)}.{quote(table)} is {text}")
    for schema, table, column, comment in con.execute(
        "select build.schema_name, build.table_name, build.column_name, build.comment from duckdb_columns() as build "
        f"inner join duckdb_columns() as copy {differing.format(more='and copy.column_name = build.column_name')}"
    ).fetchall():
        if (schema, table) in wanted:
            text = "null" if comment is None else quote_literal(comment)
            con.execute(f"comment on column {quote(schema)}.{quote(table)}.{quote(column)} is {text}")


def add_primary_key(con: duckdb.DuckDBPyConnection, schema: str, table: str, columns: str) -> None:
    """The key, indexed once over the loaded rows; a duplicate or null names the table."""
    try:
        con.execute(f"alter table {quote(schema)}.{quote(table)} add primary key ({columns})")
    except duckdb.Error as error:
        raise PublishError(f"publish: {schema}.{table} breaks its primary key ({columns}): {error}") from error


def build_tables(con: duckdb.DuckDBPyConnection, chosen: Callable[[Table], bool]) -> dict[Table, str]:
    """(schema, table) → DDL of the attached build's tables in PUBLISHED_SCHEMAS that `chosen` keeps."""
    wanted = ", ".join(quote_literal(schema) for schema in PUBLISHED_SCHEMAS)
    found = con.execute(
        "select schema_name, table_name, sql from duckdb_tables() "
        f"where database_name = 'build' and schema_name in ({wanted}) order by schema_name, table_name"
    ).fetchall()
    return {(schema, table): ddl for schema, table, ddl in found if chosen((schema, table))}


def table_key(con: duckdb.DuckDBPyConnection, table: Table, database: str | None = None) -> tuple[str, ...] | None:
    """The primary key a table declares, in `database` (default: the connection's own file)."""
    found = con.execute("select constraint_column_names from duckdb_constraints() "
                        "where database_name = coalesce(?, current_database()) "
                        "and schema_name = ? and table_name = ? and constraint_type = 'PRIMARY KEY'",
                        [database, *table]).fetchall()
    return tuple(found[0][0]) if found else None


def wanted_key(con: duckdb.DuckDBPyConnection, table: Table, keys: Keys) -> tuple[str, ...] | None:
    """The contract's key, else the one the build's DDL declares."""
    return keys.get(table) or table_key(con, table, "build")


def write_table(con: duckdb.DuckDBPyConnection, table: Table, ddl: str, keys: Keys) -> int:
    """Create the table in the copy from the build's DDL without its key, load it, then add the key."""
    schema, name = table
    con.execute(split_primary_key(ddl)[0])
    con.execute(f"insert into {quote(schema)}.{quote(name)} select * from build.{quote(schema)}.{quote(name)}")
    key = wanted_key(con, table, keys)
    # a key declared on its column stays in the DDL (and is checked while loading): only a table-level one is added
    if key and table_key(con, table) is None:
        add_primary_key(con, schema, name, ", ".join(quote(column) for column in key))
    return int(con.execute(f"select count(*) from {quote(schema)}.{quote(name)}").fetchall()[0][0])


@contextmanager
def copy_connection(build_path: Path, copy_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the copy (created in the published storage format) with the build attached
    read-only as `build`; on leaving, the build detached and everything checkpointed into the one file."""
    con = duckdb.connect(str(copy_path), config={"storage_compatibility_version": PUBLISHED_STORAGE_VERSION})
    try:
        con.execute("attach ? as build (read_only)", [str(build_path)])
        yield con
        con.execute("detach build")
        con.execute("checkpoint")
    finally:
        con.close()
    if Path(f"{copy_path}.wal").exists():
        raise PublishError(f"publish: {copy_path}.wal still exists after checkpoint")


def write_published_copy(build_path: Path, copy_path: Path, keys: Keys | None = None,
                         chosen: Callable[[Table], bool] = lambda table: True) -> dict[str, int]:
    """A new file with the tables of PUBLISHED_SCHEMAS that `chosen` keeps: each table re-created from
    its own DDL (types, NOT NULL), filled from the build file, with its descriptions and primary key
    (`keys`, from the contracts, or one the build's DDL declares). A fresh file, not a copy with tables
    dropped: dropped tables' pages could still hold their bytes. Returns the rows copied per table."""
    keys = keys or {}
    with copy_connection(build_path, copy_path) as con:
        tables = build_tables(con, chosen)
        for schema in sorted({schema for schema, _ in tables}):
            con.execute(f"create schema {quote(schema)}")
        copied = {f"{schema}.{name}": write_table(con, (schema, name), ddl, keys) for (schema, name), ddl in tables.items()}
        copy_descriptions(con, list(tables))
    return copied


def rows_fingerprint(con: duckdb.DuckDBPyConnection, relation: str, columns: list[str], part: str | None) -> str:
    """Per part (or once for the whole table): the row count and the order-free sum of the rows' hashes."""
    row_hash = f"sum(hash({', '.join(quote(column) for column in columns)}))"
    if part is None:
        return f"select count(*) as row_count, {row_hash} as row_hash from {relation}"
    return f"select {quote(part)} as part, count(*) as row_count, {row_hash} as row_hash from {relation} group by 1"


def same_rows(con: duckdb.DuckDBPyConnection, table: Table, columns: list[str]) -> bool:
    ours = f"{quote(table[0])}.{quote(table[1])}"
    now, was = (con.execute(rows_fingerprint(con, relation, columns, None)).fetchall()[0]
                for relation in (f"build.{ours}", ours))
    return now == was


def replace_changed_parts(con: duckdb.DuckDBPyConnection, table: Table, columns: list[str], part: str) -> tuple[int, int]:
    """Replace the copy's rows of every part (a history's period end) whose rows differ from the build's
    — count or hash — or exist on one side only. Returns (parts replaced, parts in the build)."""
    ours = f"{quote(table[0])}.{quote(table[1])}"
    con.execute(
        "create or replace temporary table publish_parts as "
        f"select coalesce(now.part, was.part) as part, now.part is not null as in_build "
        f"from ({rows_fingerprint(con, 'build.' + ours, columns, part)}) as now "
        f"full join ({rows_fingerprint(con, ours, columns, part)}) as was on now.part is not distinct from was.part "
        # a part on one side only has a null count on the other: distinct too
        "where now.row_count is distinct from was.row_count or now.row_hash is distinct from was.row_hash")
    changed = int(con.execute("select count(*) from publish_parts").fetchall()[0][0])
    if changed:
        # two statements, two transactions: DuckDB checks a key deleted and inserted again in one transaction
        con.execute(f"delete from {ours} using publish_parts as p where {ours}.{quote(part)} is not distinct from p.part")
        con.execute(f"insert into {ours} select b.* from build.{ours} as b semi join publish_parts as p "
                    f"on b.{quote(part)} is not distinct from p.part")
    total = int(con.execute(f"select count(distinct {quote(part)}) from build.{ours}").fetchall()[0][0])
    return changed, total


def shape(con: duckdb.DuckDBPyConnection, table: Table, database: str | None, key: tuple[str, ...] | None) -> list[tuple]:
    """Columns (name, type, nullable) and key of a table: a key column counts as not null (adding the key
    drops its NOT NULL from the DDL, which the key implies)."""
    columns = con.execute("select column_name, data_type, is_nullable from duckdb_columns() "
                          "where database_name = coalesce(?, current_database()) and schema_name = ? and table_name = ? "
                          "order by column_index", [database, *table]).fetchall()
    return [(name, data_type, nullable and name not in (key or ())) for name, data_type, nullable in columns] + [key]


def replace_changed_rows(con: duckdb.DuckDBPyConnection, table: Table, columns: list[str],
                         key: tuple[str, ...]) -> tuple[int, int] | None:
    """Replace the copy's rows whose key is new, gone or whose row hash differs from the build's, when
    they are at most REWRITE_SHARE of the build's rows; returns (rows replaced, rows in the build), or
    None when more changed (the caller writes the table again: cheaper than deleting most of it)."""
    ours = f"{quote(table[0])}.{quote(table[1])}"
    keys = [quote(column) for column in key]
    row_hash = f"hash({', '.join(quote(column) for column in columns)}) as row_hash"
    matched = " and ".join(f"{{left}}.{column} = {{right}}.{column}" for column in keys)
    con.execute(
        "create or replace temporary table publish_rows as "
        f"select {', '.join(f'coalesce(now.{column}, was.{column}) as {column}' for column in keys)} "
        f"from (select {', '.join(keys)}, {row_hash} from build.{ours}) as now "
        f"full join (select {', '.join(keys)}, {row_hash} from {ours}) as was on {matched.format(left='now', right='was')} "
        "where now.row_hash is distinct from was.row_hash")
    changed = int(con.execute("select count(*) from publish_rows").fetchall()[0][0])
    total = int(con.execute(f"select count(*) from build.{ours}").fetchall()[0][0])
    if changed > REWRITE_SHARE * total:
        return None
    if changed:
        con.execute(f"delete from {ours} using publish_rows as p where {matched.format(left=ours, right='p')}")
        con.execute(f"insert into {ours} select b.* from build.{ours} as b semi join publish_rows as p "
                    f"on {matched.format(left='b', right='p')}")
    return changed, total


def update_table(con: duckdb.DuckDBPyConnection, table: Table, ddl: str, present: str | None,
                 publication: Publication) -> str:
    """Make the copy's table equal to the build's, writing as little as it can: a history's changed
    parts, a keyed table's changed rows (up to REWRITE_SHARE), else the whole table when its rows
    differ; a table whose columns or key changed is written again. Says what it did."""
    schema, name = table
    key = wanted_key(con, table, publication.keys)
    if present is not None and shape(con, table, None, table_key(con, table)) == shape(con, table, "build", key):
        columns = [row[0] for row in con.execute(f"select * from build.{quote(schema)}.{quote(name)} limit 0").description]
        part = publication.parts.get(table)
        if part is not None and part in columns:
            changed, total = replace_changed_parts(con, table, columns, part)
            return f"{changed} of {total} {part} replaced"
        if key:
            replaced = replace_changed_rows(con, table, columns, key)
            if replaced is not None:
                return f"{replaced[0]} of {replaced[1]} rows replaced" if replaced[0] else "kept"
        elif same_rows(con, table, columns):
            return "kept"
    if present is not None:
        con.execute(f"drop table {quote(schema)}.{quote(name)}")
    write_table(con, table, ddl, publication.keys)
    return "written"


def update_published_copy(build_path: Path, previous: Path, copy_path: Path, publication: Publication) -> dict[str, str]:
    """The marts without personal data, as a copy of the last published file (`previous`) brought up to
    the build: unchanged tables kept, a history's changed parts replaced, the rest written again, tables
    gone from the build dropped. A previous file holding a personal-data mart (one published before the
    split, or a column tagged pii since) or any schema but PUBLISHED_SCHEMAS is not updated: a fresh
    file is written instead (write_published_copy), so no byte of those tables stays. Returns per table
    what was done ('fresh file' and its rows when fresh)."""
    def chosen(table: Table) -> bool:
        return table not in publication.personal

    con = duckdb.connect(str(previous), read_only=True)
    try:
        present = {(schema, name): ddl for schema, name, ddl in con.execute(
            "select schema_name, table_name, sql from duckdb_tables() where database_name = current_database()").fetchall()}
    finally:
        con.close()
    # a personal-data mart, or a schema BI users do not get (a file published as a whole build once)
    if any(table in publication.personal or table[0] not in PUBLISHED_SCHEMAS for table in present):
        copied = write_published_copy(build_path, copy_path, publication.keys, chosen)
        return {table: f"fresh file: {rows} rows" for table, rows in copied.items()}
    shutil.copyfile(previous, copy_path)
    with copy_connection(build_path, copy_path) as con:
        tables = build_tables(con, chosen)
        done = {}
        for schema, name in sorted(set(present) - set(tables)):
            con.execute(f"drop table {quote(schema)}.{quote(name)}")
            done[f"{schema}.{name}"] = "dropped"
        for schema in sorted({schema for schema, _ in tables} - {schema for schema, _ in present}):
            con.execute(f"create schema {quote(schema)}")
        for table, ddl in tables.items():
            done[".".join(table)] = update_table(con, table, ddl, present.get(table), publication)
        # descriptions change with the YAML, not with the rows: compared for every table (metadata only)
        copy_descriptions(con, list(tables))
    return done


def write_published_files(build_path: Path, copy_path: Path, publication: Publication,
                          previous: Path | None = None) -> dict[str, dict[str, str]]:
    """The two files BI tools read: copy_path (updated from `previous` when given and present, else
    fresh) and people_path(copy_path), always fresh. Returns per file and table what was done."""
    people = write_published_copy(build_path, people_path(copy_path), publication.keys,
                                  lambda table: table in publication.personal or table[0] == "meta")
    if previous is not None and previous.exists():
        accounts = update_published_copy(build_path, previous, copy_path, publication)
    else:
        copied = write_published_copy(build_path, copy_path, publication.keys,
                                      lambda table: table not in publication.personal)
        accounts = {table: f"fresh file: {rows} rows" for table, rows in copied.items()}
    return {"published": accounts, "people": {table: f"fresh file: {rows} rows" for table, rows in people.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path, help="the build file (read only)")
    parser.add_argument("copy", type=Path, help="the file to write (replaced if it exists); the personal-data "
                                                "marts go to the file beside it, _people added to its name")
    parser.add_argument("--manifest", type=Path, required=True, help="dbt's manifest.json of that build")
    args = parser.parse_args(argv)
    args.copy.unlink(missing_ok=True)
    people_path(args.copy).unlink(missing_ok=True)
    try:
        written = write_published_files(args.build, args.copy, publication(args.manifest))
    except PublishError as error:
        print(error, file=sys.stderr)
        return 1
    for name, tables in written.items():
        print(f"{len(tables)} tables written to the {name} file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
