#!/usr/bin/env python3
"""Personal data in the marts only where the YAML says so: every text column of the marts schema that
holds an e-mail address or a phone number must be tagged `pii` in dbt's manifest.

BI users read the marts. A new mart column that carries contact details without the tag — a copied
e-mail column, a phone number in a free-text field — fails this check (make test, the refresh gate).

Given the last checked build (--previous; the refresh passes its state file), a mart checked then with
the same columns and patterns (meta.pii_checked, written by record_checked) is read again only in the
parts (scripts/changed_parts.py) whose checked columns changed since: a history's period ends, else its
accounts, else its persons; a mart with none of those columns is read whole.

    python scripts/check_pii.py warehouse/abm.duckdb --manifest target/manifest.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from changed_parts import PREVIOUS, changed_parts, quote, record_fingerprints, recorded_fingerprints, scoped_query

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
        "where table_catalog = current_database() and table_schema = ? and data_type = 'VARCHAR' "
        "order by table_name, ordinal_position", [schema]
    ).fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return columns


# columns that split a mart's rows into parts, in order of preference (any column would do: a pattern
# is matched row by row)
PART_COLUMNS = ("evaluated_on", "account_id", "person_id")


@dataclass
class Scan:
    found: list[str] = field(default_factory=list)  # 'schema.table.column: kind (n rows)'
    fingerprints: dict[str, str] = field(default_factory=dict)  # table → what was checked in it
    scoped: dict[str, str] = field(default_factory=dict)  # table → how many parts were read again


def checks_fingerprint(checks: list[tuple[str, str, str]]) -> str:
    return hashlib.sha256(json.dumps(sorted(checks)).encode("utf-8")).hexdigest()[:16]


def scan(duckdb_path: Path, tagged: set[tuple[str, str]], schema: str = "marts", previous: Path | None = None) -> Scan:
    """Every untagged text column holding personal data; with `previous`, marts checked then the same
    way are read only where they changed since."""
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        before: dict[str, str] = {}
        if previous is not None and previous.exists():
            con.execute(f"attach ? as {PREVIOUS} (read_only)", [str(previous)])
            before = recorded_fingerprints(con, "pii_checked", "table_name")
        result = Scan()
        for table, columns in text_columns(con, schema).items():
            checks = [(column, kind, pattern) for column in columns if (table, column) not in tagged
                      for kind, pattern in PATTERNS.items()]
            if not checks:
                continue
            result.fingerprints[table] = checks_fingerprint(checks)
            source = f"{quote(schema)}.{quote(table)}"
            all_columns = {row[0] for row in con.execute(f"select * from {source} limit 0").description}
            part = next((column for column in PART_COLUMNS if column in all_columns), None)
            if part and before.get(table) == result.fingerprints[table]:
                read = sorted({part, *(column for column, _, _ in checks)})
                query = f"select {', '.join(quote(column) for column in read)} from {source}"
                parts = changed_parts(con, query, part)
                if parts is not None:
                    result.scoped[table] = f"{parts[0]} of {parts[1]} {part} changed since the last checked build"
                    source = f"({scoped_query(query, part)}) as q"
            counts = ", ".join(
                f"count(*) filter (where regexp_matches({quote(column)}, '{pattern}'))" for column, _, pattern in checks)
            values = con.execute(f"select {counts} from {source}").fetchall()[0]
            result.found += [f"{schema}.{table}.{column}: {kind} ({n} rows)"
                             for (column, kind, _), n in zip(checks, values) if n]
        return result
    finally:
        con.close()


def untagged_personal_data(duckdb_path: Path, tagged: set[tuple[str, str]], schema: str = "marts") -> list[str]:
    """'schema.table.column: kind (n rows)' for every untagged text column holding personal data."""
    return scan(duckdb_path, tagged, schema).found


def record_checked(build_path: Path, result: Scan) -> None:
    """Store what was checked in each mart of a build that passed (meta.pii_checked): when this build
    is the last checked one, the next run reads only what changed since."""
    record_fingerprints(build_path, "pii_checked", "table_name", result.fingerprints, (
        "The marts this file was checked in for untagged e-mail addresses and phone numbers before it was "
        "published (scripts/check_pii.py).",
        "The mart checked.",
        "Hash of the columns and patterns checked: rows checked under the same fingerprint are not read again."))


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
