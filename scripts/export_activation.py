#!/usr/bin/env python3
"""Write account scores, the SDR queue and consented contacts to CSV or Parquet for a CRM (reverse ETL).

Reads the published DuckDB file read-only. The consent filter lives in the model
(marts.rpt_activation_contacts); this script checks it again before anything is written and refuses
to deliver a contact without the channel's consent. Files are written next to their final name and
renamed into place, so an importer never sees half a file.

    python scripts/export_activation.py --duckdb warehouse/abm_published.duckdb --out exports --format csv
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import duckdb

# output name -> query; each file is one mart, exactly as the model delivers it
EXPORTS: dict[str, str] = {
    "account_scores": "select * from marts.fct_account_scores order by account_id",
    "sdr_queue": "select * from marts.rpt_sdr_queue order by queue_rank",
    "activation_contacts": "select * from marts.rpt_activation_contacts order by contact_key, channel",
}

# rows that must never leave: a channel without its consent
CONSENT_VIOLATIONS = """
    select count(*) from marts.rpt_activation_contacts
    where not ((channel = 'email' and consent_email) or (channel = 'ads' and consent_ads))
"""


class ConsentError(RuntimeError):
    """The activation table holds a contact without the consent its channel needs."""


def check_consent(con: duckdb.DuckDBPyConnection) -> None:
    violations = con.execute(CONSENT_VIOLATIONS).fetchall()[0][0]
    if violations:
        raise ConsentError(f"marts.rpt_activation_contacts: {violations} row(s) without the channel's consent; nothing exported")


def write_atomically(con: duckdb.DuckDBPyConnection, query: str, target: Path, fmt: str) -> int:
    """Write the query's rows to target via a temporary file and a rename; return the row count."""
    temporary = target.with_name(f".{target.name}.tmp")
    options = "format csv, header true" if fmt == "csv" else "format parquet"
    quoted = str(temporary).replace("'", "''")
    rows = con.execute(f"copy ({query}) to '{quoted}' ({options})").fetchall()[0][0]
    os.replace(temporary, target)
    return int(rows)


def export(duckdb_path: Path, out_dir: Path, fmt: str) -> dict[str, int]:
    """Export every table of EXPORTS; return rows per file. Raises ConsentError before writing anything."""
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        check_consent(con)
        out_dir.mkdir(parents=True, exist_ok=True)
        return {name: write_atomically(con, query, out_dir / f"{name}.{fmt}", fmt) for name, query in EXPORTS.items()}
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", type=Path, default=Path(os.environ.get("ABM_PUBLISH_PATH", "warehouse/abm_published.duckdb")))
    parser.add_argument("--out", type=Path, default=Path("exports"))
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    args = parser.parse_args(argv)
    if not args.duckdb.exists():
        print(f"error: {args.duckdb} does not exist (run make run or make refresh first)", file=sys.stderr)
        return 2
    try:
        counts = export(args.duckdb, args.out, args.format)
    except ConsentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for name, rows in counts.items():
        print(f"{args.out / f'{name}.{args.format}'}: {rows} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
