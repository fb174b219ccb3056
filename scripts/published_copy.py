#!/usr/bin/env python3
"""Write the file BI tools read: the marts of a build file, with their primary keys and descriptions.

The refresh (scripts/refresh.py) publishes this copy; `make test` writes one from the CI build to check
it the way BI tools read it (scripts/check_bi_types.py). The build file itself carries no primary key
index on DuckDB: the keys are tested there (unique + not_null) and declared in the marts' contracts; an
index would be rebuilt by every daily run of every mart and checked by every in-place delete and
insert, for a file no BI tool opens. The copy declares each contract's key, built once over the
loaded rows — a duplicate fails the publish, naming the table.

    python scripts/published_copy.py BUILD.duckdb COPY.duckdb --manifest target/manifest.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import duckdb

# the only schemas BI users get: the marts (the semantic layer reads them too) and the refresh stamp
PUBLISHED_SCHEMAS = ("marts", "meta")
# the storage format of the published file, as profiles.yml writes the build: BI tools embed DuckDB 1.4 LTS
PUBLISHED_STORAGE_VERSION = "v1.4.0"

Keys = dict[tuple[str, str], tuple[str, ...]]


class PublishError(RuntimeError):
    """The copy could not be written as BI tools need it."""


def primary_keys(manifest: Path) -> Keys:
    """(schema, table) → key columns of every model whose contract declares a primary key."""
    nodes = json.loads(manifest.read_text())["nodes"].values()
    keys: Keys = {}
    for node in nodes:
        if node.get("resource_type") != "model":
            continue
        declared = [constraint for constraint in node.get("constraints") or [] if constraint["type"] == "primary_key"]
        if declared:
            keys[(node["schema"], node["alias"])] = tuple(declared[0]["columns"])
    return keys


def split_primary_key(ddl: str) -> tuple[str, str | None]:
    """A table's DDL (duckdb_tables().sql) without its table-level PRIMARY KEY, and the key's columns."""
    match = re.search(r",\s*PRIMARY KEY\s*\(([^()]*)\)\s*\);?\s*$", ddl)
    if match is None:
        return ddl, None
    return ddl[:match.start()] + ");", match.group(1)


def quote_literal(text: str) -> str:
    """A SQL string literal (COMMENT ON takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def copy_descriptions(con: duckdb.DuckDBPyConnection, schemas: str) -> None:
    """Table and column COMMENTs (dbt's persist_docs) of the attached build, which DuckDB's DDL omits,
    onto the copy: BI tools show them as descriptions."""
    for schema, table, comment in con.execute(
        "select schema_name, table_name, comment from duckdb_tables() "
        f"where database_name = 'build' and schema_name in ({schemas}) and comment is not null"
    ).fetchall():
        con.execute(f'comment on table "{schema}"."{table}" is {quote_literal(comment)}')
    for schema, table, column, comment in con.execute(
        "select schema_name, table_name, column_name, comment from duckdb_columns() "
        f"where database_name = 'build' and schema_name in ({schemas}) and comment is not null"
    ).fetchall():
        con.execute(f'comment on column "{schema}"."{table}"."{column}" is {quote_literal(comment)}')


def add_primary_key(con: duckdb.DuckDBPyConnection, schema: str, table: str, columns: str) -> None:
    """The key, indexed once over the loaded rows; a duplicate or null names the table."""
    try:
        con.execute(f'alter table "{schema}"."{table}" add primary key ({columns})')
    except duckdb.Error as error:
        raise PublishError(f"publish: {schema}.{table} breaks its primary key ({columns}): {error}") from error


def write_published_copy(build_path: Path, copy_path: Path, keys: Keys | None = None) -> dict[str, int]:
    """A new file with only PUBLISHED_SCHEMAS: each table re-created from its own DDL (types, NOT NULL),
    filled from the build file, with its descriptions and primary key (`keys`, from the contracts, or
    one the build's DDL declares). A fresh file, not a copy with schemas dropped: dropped tables' pages
    could still hold their bytes. Returns the rows copied per table."""
    keys = keys or {}
    con = duckdb.connect(str(copy_path), config={"storage_compatibility_version": PUBLISHED_STORAGE_VERSION})
    try:
        con.execute("attach ? as build (read_only)", [str(build_path)])
        wanted = ", ".join(f"'{schema}'" for schema in PUBLISHED_SCHEMAS)
        tables = con.execute(
            "select schema_name, table_name, sql from duckdb_tables() "
            f"where database_name = 'build' and schema_name in ({wanted}) order by schema_name, table_name"
        ).fetchall()
        for schema in sorted({schema for schema, _, _ in tables}):
            con.execute(f'create schema "{schema}"')
        copied = {}
        for schema, table, ddl in tables:
            create, declared = split_primary_key(ddl)
            con.execute(create)
            con.execute(f'insert into "{schema}"."{table}" select * from build."{schema}"."{table}"')
            contracted = keys.get((schema, table))
            key = ", ".join(f'"{column}"' for column in contracted) if contracted else declared
            if key:
                add_primary_key(con, schema, table, key)
            copied[f"{schema}.{table}"] = int(con.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0][0])
        copy_descriptions(con, wanted)
        con.execute("detach build")
        con.execute("checkpoint")
    finally:
        con.close()
    if Path(f"{copy_path}.wal").exists():
        raise PublishError(f"publish: {copy_path}.wal still exists after checkpoint")
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path, help="the build file (read only)")
    parser.add_argument("copy", type=Path, help="the file to write (replaced if it exists)")
    parser.add_argument("--manifest", type=Path, required=True, help="dbt's manifest.json of that build")
    args = parser.parse_args(argv)
    args.copy.unlink(missing_ok=True)
    try:
        copied = write_published_copy(args.build, args.copy, primary_keys(args.manifest))
    except PublishError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{len(copied)} tables written to {args.copy}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
