#!/usr/bin/env python3
"""Page latency of the reference dashboard over a published DuckDB file: each page requested N times
through the WSGI application in this process (no network, no browser), p50 / p95 / max per page,
one markdown table. What it measures is the page's own cost: open the file read-only, run its
queries, render the template, close.

    python scripts/benchmark_dashboard.py --duckdb warehouse/abm_published.duckdb --repeat 30
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterable
from wsgiref.util import setup_testing_defaults

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dashboard  # noqa: E402


def pages(db: Path) -> list[tuple[str, str, str]]:
    """(name, path, query) of the pages a user opens most: home, filtered home, drill-downs, an account."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        dashboard.attach_people(con, db)
        account_id = con.execute(f"select account_id from {dashboard.personal(con, 'rpt_sdr_queue')} "
                                 "order by queue_rank limit 1").fetchone()
        quarter = con.execute("select max(quarter_start) from marts.rpt_abm_lift").fetchone()[0]
    finally:
        con.close()
    return [("home", "/", ""), ("home, target tier 1, 6 months", "/", "cohort=target&tier=1&months=6"),
            ("accounts: targets covered", "/accounts", "stage=covered&cohort=target"),
            ("accounts CSV: targets covered", "/accounts.csv", "stage=covered&cohort=target"),
            ("lift pairs", "/lift/pairs", f"quarter={quarter}&tier=all"),
            ("account 360°", f"/account/{account_id[0] if account_id else 'none'}", "")]


def request(app: Callable[..., Iterable[bytes]], path: str, query: str) -> tuple[str, float]:
    environ: dict[str, Any] = {}
    setup_testing_defaults(environ)
    environ.update(PATH_INFO=path, QUERY_STRING=query)
    statuses: list[str] = []
    started = time.perf_counter()
    b"".join(app(environ, lambda status, headers: statuses.append(status)))
    return statuses[0], time.perf_counter() - started


def measure(db: Path, repeat: int) -> list[dict[str, Any]]:
    app = dashboard.application(db)
    results = []
    for name, path, query in pages(db):
        status, _ = request(app, path, query)  # warm-up: templates compiled, file pages cached
        if not status.startswith("200"):
            raise SystemExit(f"{name}: {path}?{query} answered {status}")
        times = sorted(request(app, path, query)[1] * 1000 for _ in range(repeat))
        results.append({"page": name, "p50_ms": statistics.median(times),
                        "p95_ms": times[max(0, round(0.95 * len(times)) - 1)], "max_ms": times[-1]})
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", type=Path, default=Path("warehouse/abm_published.duckdb"))
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)
    accounts = duckdb.connect(str(args.duckdb), read_only=True).execute(
        "select count(*) from marts.dim_accounts").fetchone()[0]
    print(f"{accounts:,} accounts, {args.repeat} requests per page after one warm-up\n")
    print("| page | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|")
    for row in measure(args.duckdb, args.repeat):
        print(f"| {row['page']} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | {row['max_ms']:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
