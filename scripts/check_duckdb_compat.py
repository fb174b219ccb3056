#!/usr/bin/env python3
"""Open a warehouse file read-only with whatever DuckDB this interpreter has and query every table.

`make test` runs it with DuckDB 1.4.x (the LTS line BI tools embed) from .venv-compat, to prove the
file the project writes can be read there. Standard library + duckdb only.
"""

from __future__ import annotations

import argparse
import sys

import duckdb


def check(path: str) -> list[tuple[str, int]]:
    """Return (schema.table, row count) for every table and view; raise on any failure."""
    con = duckdb.connect(path, read_only=True)
    try:
        names = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() order by 1, 2"
        ).fetchall()
        return [(f"{schema}.{table}", con.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0][0])
                for schema, table in names]
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("duckdb_file")
    parser.add_argument("--require", action="append", default=[], help="schema.table that must be there")
    args = parser.parse_args(argv)
    tables = dict(check(args.duckdb_file))
    missing = [name for name in args.require if name not in tables]
    print(f"DuckDB {duckdb.__version__} opened {args.duckdb_file} read-only: {len(tables)} tables and views readable")
    if missing:
        print(f"missing: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
