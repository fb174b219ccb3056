#!/usr/bin/env python3
"""Read every mart of a published DuckDB file the way Python BI tools do, and fail on what they mistype.

Apache Superset (and other SQLAlchemy-based BI tools) reach DuckDB through duckdb-engine. `make test`
runs this script in `.venv-compat`, which holds what Superset 6.1's DuckDB extra installs (DuckDB 1.4,
duckdb-engine 0.17, SQLAlchemy 1.4), against the file `scripts/refresh.py` publishes. Per table of the
schema (default `marts`) it checks:

- every column reflects to a SQLAlchemy type BI tools chart and filter as such: integers, DOUBLE,
  text, boolean, date, timestamp. DECIMAL, HUGEINT, lists, structs, intervals and unknown types fail
  (DECIMAL results reach Superset's SQL Lab as Python Decimal objects and come back untyped);
- the rows fetched through the driver hold no Decimal values;
- the table and every column carry a description (dbt's persist_docs), so the BI tool shows them;
- which columns form the primary key (reported; `--require-key TABLE` makes one mandatory).

Prints one JSON document; exits 1 naming each table and column that fails.
"""

from __future__ import annotations

import argparse
import decimal
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import types as sa_types

# Types a BI tool charts and filters without a cast: numbers, text, flags, dates and timestamps.
BI_TYPES: tuple[type, ...] = (
    sa_types.Integer,  # SMALLINT, INTEGER, BIGINT (not HUGEINT: duckdb-engine's own class, below)
    sa_types.Float,  # DOUBLE, REAL
    sa_types.String,
    sa_types.Boolean,
    sa_types.Date,
    sa_types.DateTime,
)
# Reflected as a subclass of an accepted type, yet mistyped by BI tools.
REJECTED_TYPES: tuple[type, ...] = (sa_types.Numeric,)  # DECIMAL(p, s): Float is a Numeric too
SAMPLE_ROWS = 200


@dataclass
class TableReport:
    name: str
    columns: dict[str, str] = field(default_factory=dict)
    primary_key: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def is_bi_type(column_type: sa_types.TypeEngine) -> bool:
    """True when BI tools read the reflected type as a number, text, flag, date or timestamp."""
    if type(column_type).__name__ == "HugeInteger":
        return False
    if isinstance(column_type, sa_types.Float):
        return True
    if isinstance(column_type, REJECTED_TYPES):
        return False
    return isinstance(column_type, BI_TYPES)


def primary_keys(connection: sa.engine.Connection, schema: str) -> dict[str, list[str]]:
    """Primary-key columns per table, from DuckDB's catalogue (duckdb-engine 0.17 reflects none)."""
    rows = connection.execute(
        sa.text(
            "select table_name, constraint_column_names from duckdb_constraints() "
            "where schema_name = :schema and constraint_type = 'PRIMARY KEY'"
        ),
        {"schema": schema},
    ).fetchall()
    return {table: list(columns) for table, columns in rows}


def decimal_columns(connection: sa.engine.Connection, schema: str, table: str) -> list[str]:
    """Columns whose fetched values arrive as Python Decimal objects."""
    result = connection.execute(sa.text(f'select * from "{schema}"."{table}" limit {SAMPLE_ROWS}'))
    names = list(result.keys())
    found: set[str] = set()
    for row in result:
        found.update(name for name, value in zip(names, row) if isinstance(value, decimal.Decimal))
    return sorted(found)


def check_table(inspector: Any, connection: sa.engine.Connection, schema: str, table: str,
                keys: dict[str, list[str]]) -> TableReport:
    report = TableReport(name=f"{schema}.{table}", primary_key=keys.get(table, []))
    if not (inspector.get_table_comment(table, schema=schema).get("text") or "").strip():
        report.problems.append("no table description")
    for column in inspector.get_columns(table, schema=schema):
        column_type = column["type"]
        report.columns[column["name"]] = repr(column_type)
        if not is_bi_type(column_type):
            report.problems.append(f"{column['name']}: type {column_type!r} is not one BI tools type")
        if not (column.get("comment") or "").strip():
            report.problems.append(f"{column['name']}: no description")
    report.problems.extend(f"{name}: fetched as Decimal" for name in decimal_columns(connection, schema, table))
    return report


def superset_uri(path: str) -> str:
    """The SQLAlchemy URI to paste into Superset's database connection form (README "BI tools"): an
    absolute path, opened read-only so a refresh can publish over it while dashboards read."""
    return f"duckdb:///{Path(path).resolve()}?access_mode=read_only"


def check(path: str, schema: str, required_keys: list[str]) -> list[TableReport]:
    engine = sa.create_engine(superset_uri(path))
    try:
        with engine.connect() as connection:
            inspector = sa.inspect(connection)
            keys = primary_keys(connection, schema)
            reports = [check_table(inspector, connection, schema, table, keys)
                       for table in sorted(inspector.get_table_names(schema=schema))]
    finally:
        engine.dispose()
    for name in required_keys:
        matching = [report for report in reports if report.name == f"{schema}.{name}"]
        if not matching:
            reports.append(TableReport(name=f"{schema}.{name}", problems=["table missing"]))
        elif not matching[0].primary_key:
            matching[0].problems.append("no primary key declared")
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("duckdb_file")
    parser.add_argument("--schema", default="marts")
    parser.add_argument("--require-key", action="append", default=[], metavar="TABLE",
                        help="a table that must declare a primary key (repeatable)")
    args = parser.parse_args(argv)
    reports = check(args.duckdb_file, args.schema, args.require_key)
    failing = [report for report in reports if report.problems]
    print(json.dumps({
        "driver": f"SQLAlchemy {sa.__version__}",
        "uri": superset_uri(args.duckdb_file),
        "tables": len(reports),
        "columns": sum(len(report.columns) for report in reports),
        "tables_with_primary_key": sum(1 for report in reports if report.primary_key),
        "failing": {report.name: report.problems for report in failing},
    }, ensure_ascii=False, indent=1))
    for report in failing:
        for problem in report.problems:
            print(f"{report.name}: {problem}", file=sys.stderr)
    return 1 if failing else 0


if __name__ == "__main__":
    raise SystemExit(main())
