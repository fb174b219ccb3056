#!/usr/bin/env python3
"""Personal data in the marts only where the YAML says so: every text column of the marts schema that
holds an e-mail address or a phone number must be tagged `pii` in dbt's manifest.

BI users read the marts. A new mart column that carries contact details without the tag — a copied
e-mail column, a phone number in a free-text field — fails this check (make test, the refresh gate).

    python scripts/check_pii.py warehouse/abm.duckdb --manifest target/manifest.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import duckdb

PATTERNS: dict[str, str] = {
    "e-mail address": r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+",
    # Japanese numbers as written (03-1234-5678, 090-1234-5678, +81 3 1234 5678, 0312345678)
    # standing alone, not inside an id or hash
    "phone number": r"(^|[^0-9A-Za-z_])(\+81[- ]?[0-9]{1,4}[- ]?[0-9]{1,4}[- ]?[0-9]{3,4}"
                    r"|0[0-9]{1,4}-[0-9]{1,4}-[0-9]{3,4}|0[0-9]{9,10})([^0-9A-Za-z_]|$)",
}


def tagged_columns(manifest_path: Path, schema: str = "marts") -> set[tuple[str, str]]:
    """(table, column) pairs tagged pii on models of the schema."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    tagged = set()
    for node in manifest["nodes"].values():
        if node.get("resource_type") != "model" or node.get("schema") != schema:
            continue
        for column, spec in node.get("columns", {}).items():
            if "pii" in spec.get("tags", []):
                tagged.add((node["alias"] or node["name"], column))
    return tagged


def text_columns(con: duckdb.DuckDBPyConnection, schema: str) -> dict[str, list[str]]:
    rows = con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = ? and data_type = 'VARCHAR' order by table_name, ordinal_position", [schema]
    ).fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return columns


def untagged_personal_data(duckdb_path: Path, tagged: set[tuple[str, str]], schema: str = "marts") -> list[str]:
    """'schema.table.column: kind (n rows)' for every untagged text column holding personal data."""
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        found = []
        for table, columns in text_columns(con, schema).items():
            checks = [(column, kind, pattern) for column in columns if (table, column) not in tagged
                      for kind, pattern in PATTERNS.items()]
            if not checks:
                continue
            counts = ", ".join(
                f"count(*) filter (where regexp_matches(\"{column}\", '{pattern}'))" for column, _, pattern in checks)
            values = con.execute(f'select {counts} from "{schema}"."{table}"').fetchall()[0]
            found += [f"{schema}.{table}.{column}: {kind} ({n} rows)"
                      for (column, kind, _), n in zip(checks, values) if n]
        return found
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("duckdb", type=Path)
    default_manifest = Path(os.environ.get("DBT_TARGET_PATH", "target")) / "manifest.json"
    parser.add_argument("--manifest", type=Path, default=default_manifest)
    args = parser.parse_args(argv)
    tagged = tagged_columns(args.manifest)
    found = untagged_personal_data(args.duckdb, tagged)
    for line in found:
        print(f"untagged personal data: {line} — tag the column `pii` in its _models.yml or remove it",
              file=sys.stderr)
    print(f"{len(tagged)} mart columns tagged pii; {len(found)} untagged columns hold personal data")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
