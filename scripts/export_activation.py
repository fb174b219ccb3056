#!/usr/bin/env python3
"""Write account scores, the SDR queue and consented contacts to CSV or Parquet for a CRM (reverse ETL).

Reads the published DuckDB file read-only (and the personal-data file beside it, where the SDR queue
and the activation contacts are published: scripts/published_copy.py). The consent filter lives in the model
(marts.rpt_activation_contacts, one row per person and channel); this script checks every row again
against the person's consent (marts.fct_contact_consent: the latest explicit answer across all the
person's records) and refuses to write anything if one row lacks it — also for the people the SDR
queue suggests. Files are written next to their final name and renamed into place, so an importer
never sees half a file.

    python scripts/export_activation.py --duckdb warehouse/abm_published.duckdb --out exports --format csv
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import duckdb

from published_copy import attach_people, personal

# output name -> query; each file is one mart, exactly as the model delivers it. {rpt_…}: a personal-data
# mart, named where the file holds it (resolved)
EXPORTS: dict[str, str] = {
    "account_scores": "select * from marts.fct_account_scores order by account_id",
    "sdr_queue": "select * from {rpt_sdr_queue} order by queue_rank",
    "activation_contacts": "select * from {rpt_activation_contacts} order by person_id, channel",
}

PERSONAL_MARTS = ("rpt_sdr_queue", "rpt_activation_contacts")

# rows that must never leave, each check one query returning the number of offending rows
CONSENT_CHECKS: dict[str, str] = {
    "rows without the person's current consent for the channel": """
        select count(*) from {rpt_activation_contacts} as activation
        left join marts.fct_contact_consent as consent
            on activation.person_id = consent.person_id and activation.channel = consent.channel
        where consent.person_id is null or not consent.has_consent or consent.consent_status <> 'consented'
    """,
    "rows whose person opted out after the opt-in that decided": """
        select count(*) from {rpt_activation_contacts} as activation
        inner join marts.fct_contact_consent as consent
            on activation.person_id = consent.person_id and activation.channel = consent.channel
        where consent.last_opt_out_at >= consent.decided_at or consent.decided_at is null
    """,
    "e-mail addresses delivered twice on one channel": """
        select count(*) - count(distinct channel || ' ' || lower(email)) from {rpt_activation_contacts}
    """,
    "rows without an e-mail address": "select count(*) from {rpt_activation_contacts} where email is null",
    "SDR-queue suggestions without the person's current e-mail consent": """
        select count(*) from {rpt_sdr_queue} as queue
        left join marts.fct_contact_consent as consent
            on queue.suggested_person_id = consent.person_id and consent.channel = 'email'
        where queue.suggested_person_id is not null and (consent.person_id is null or not consent.has_consent)
    """,
}


class ConsentError(RuntimeError):
    """An activation row or SDR suggestion lacks the person's current consent."""


def resolved(con: duckdb.DuckDBPyConnection, query: str) -> str:
    """The query with its personal-data marts named where this connection finds them."""
    return query.format(**{table: personal(con, table) for table in PERSONAL_MARTS})


def check_consent(con: duckdb.DuckDBPyConnection) -> None:
    """Raise ConsentError naming every failed check; nothing may be written then."""
    failed = []
    for check, query in CONSENT_CHECKS.items():
        offending = con.execute(resolved(con, query)).fetchall()[0][0]
        if offending:
            failed.append(f"{offending} {check}")
    if failed:
        raise ConsentError("marts.rpt_activation_contacts: " + "; ".join(failed) + "; nothing exported")


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
        attach_people(con, duckdb_path)
        check_consent(con)
        out_dir.mkdir(parents=True, exist_ok=True)
        return {name: write_atomically(con, resolved(con, query), out_dir / f"{name}.{fmt}", fmt)
                for name, query in EXPORTS.items()}
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
