#!/usr/bin/env python3
"""Readers during a publish: N read-only BI connections query the published file in a loop while a
refresh builds and publishes a new one. Counts reader errors and checks that every query saw one whole
file — the run stamp (meta.refresh_run) and the marts' as_of_date always agree — never a mix.

    python scripts/benchmark_refresh.py --accounts 3000 --readers 8
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from refresh import FULL_SELECTOR

ROOT = Path(__file__).resolve().parents[1]

# one query, one connection: what a dashboard tile does
READER_QUERY = """
    select
        (select run_id from meta.refresh_run) as run_id,
        (select max(as_of_date) from meta.refresh_run) as stamped_as_of,
        (select max(as_of_date) from marts.fct_account_funnel) as funnel_as_of,
        (select max(scored_at) from marts.fct_account_scores) as scores_as_of,
        (select count(*) from marts.fct_account_funnel) as accounts
"""


def refresh(raw: Path, work: Path, as_of: date, selector: str = FULL_SELECTOR) -> tuple[int, float, str]:
    command = [sys.executable, str(ROOT / "scripts" / "refresh.py"), "--as-of", as_of.isoformat(),
               "--raw-dir", str(raw), "--publish-path", str(work / "published.duckdb"),
               "--build-dir", str(work / "build"), "--log-file", str(work / "refresh.jsonl"),
               "--docs-dir", str(work / "docs"), "--max-raw-age-hours", "1000000", "--selector", selector]
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    return proc.returncode, time.perf_counter() - started, proc.stderr.strip()[-500:]


def readers_during_refresh(raw: Path, work: Path, readers: int, as_of: date, tail_seconds: float = 3.0,
                           pause: float = 0.01, first_refresh: bool = True,
                           selector: str = FULL_SELECTOR) -> dict[str, Any]:
    """Refresh once for as_of − 1 day (the old file; skipped when first_refresh is false and work
    already holds a published file), then refresh for as_of while readers query (with `selector`: a
    test that needs a publish, not a build, passes changed_since_published)."""
    if first_refresh:
        code, _, reason = refresh(raw, work, as_of - timedelta(days=1))
        if code != 0:
            raise RuntimeError(f"first refresh failed: {reason}")
    context = mp.get_context("spawn")
    results = context.Queue()
    processes = []
    # readers run until the refresh is done plus a tail; the deadline is shared so it can move
    shared_stop = context.Value("d", time.time() + 24 * 3600)
    for _ in range(readers):
        process = context.Process(target=_reader_entry, args=(str(work / "published.duckdb"), shared_stop, results, pause))
        process.start()
        processes.append(process)
    code, refresh_seconds, reason = refresh(raw, work, as_of, selector)
    shared_stop.value = time.time() + tail_seconds
    outcomes = [results.get() for _ in processes]
    for process in processes:
        process.join()
    latencies = sorted(latency for outcome in outcomes for latency in outcome["latencies"])
    seen: dict[str, int] = {}
    for outcome in outcomes:
        for run_id, count in outcome["observations"].items():
            seen[run_id] = seen.get(run_id, 0) + count
    return {
        "readers": readers, "refresh_exit_code": code, "refresh_reason": reason,
        "refresh_seconds": round(refresh_seconds, 1),
        "queries": len(latencies), "errors": sum(len(o["errors"]) for o in outcomes),
        "error_examples": [e for o in outcomes for e in o["errors"]][:3],
        "mixed_results": sum(o["mixes"] for o in outcomes), "files_seen": len(seen), "queries_per_file": seen,
        "latency_ms_p50": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "latency_ms_p95": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
    }


def _reader_entry(path: str, shared_stop: Any, results: Any, pause: float) -> None:
    """Connect, query, disconnect until the shared deadline; report observations, errors, latencies."""
    observations: dict[str, int] = {}
    errors: list[str] = []
    latencies: list[float] = []
    mixes = 0
    while time.time() < shared_stop.value:
        started = time.perf_counter()
        try:
            con = duckdb.connect(path, read_only=True)
            try:
                run_id, stamped, funnel, scores, _ = con.execute(READER_QUERY).fetchall()[0]
            finally:
                con.close()
        except Exception as error:  # noqa: BLE001 — every reader failure is the figure we report
            errors.append(f"{type(error).__name__}: {error}")
            time.sleep(pause)
            continue
        latencies.append(time.perf_counter() - started)
        observations[run_id] = observations.get(run_id, 0) + 1
        if not stamped == funnel == scores:
            mixes += 1
        time.sleep(pause)
    results.put({"observations": observations, "errors": errors, "latencies": latencies, "mixes": mixes})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=3000)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 1))
    parser.add_argument("--work-dir", type=Path, default=None)
    parser.add_argument("--pause", type=float, default=0.01, help="seconds each reader waits between queries")
    args = parser.parse_args(argv)
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="abm_bench_refresh_"))
    raw = work / "raw"
    if not raw.exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_data.py"), "--accounts", str(args.accounts),
                        "--as-of", args.as_of.isoformat(), "--out", str(raw), "--truth-dir", str(work / "truth")],
                       check=True, cwd=ROOT)
    report = readers_during_refresh(raw, work, args.readers, args.as_of, pause=args.pause)
    report["accounts"] = args.accounts
    print(json.dumps(report, indent=1, default=str))
    ok = report["refresh_exit_code"] == 0 and report["errors"] == 0 and report["mixed_results"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
