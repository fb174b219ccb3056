#!/usr/bin/env python3
"""Benchmark identity resolution: run time, peak memory and pairwise precision/recall/F1.

Generates N companies (or uses --raw-dir/--truth-dir), builds everything up to staging, parses the
project once with the identity run's vars (timed apart: a full parse costs about 20 s), then times
the identity models alone (`dbt run --select tag:identity`, raw files already landed) in their own
process and reads its peak resident memory, then scores `marts.bridge_account_sources` against the
ground truth with scripts/evaluate_identity.py.

    python scripts/benchmark_identity.py --accounts 10000 --work /tmp/bench10k
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import evaluate_identity  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-01"


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak RSS in MB) of that process alone."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed ({os.waitstatus_to_exitcode(status)}): {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--work", type=Path, required=True, help="folder for data, warehouse and results")
    parser.add_argument("--raw-dir", type=Path, help="use existing raw data instead of generating")
    parser.add_argument("--truth-dir", type=Path, help="ground truth of --raw-dir")
    parser.add_argument("--reuse-staging", action="store_true",
                        help="the warehouse in --work already holds staging for this raw data: time identity only")
    args = parser.parse_args(argv)

    args.work.mkdir(parents=True, exist_ok=True)
    raw, truth = args.raw_dir or args.work / "raw", args.truth_dir or args.work / "truth"
    bin_dir = Path(sys.executable).parent
    env = os.environ | {"ABM_RAW_DIR": str(raw), "ABM_DUCKDB_PATH": str(args.work / "abm.duckdb"),
                        "DBT_PROFILES_DIR": str(ROOT), "DBT_TARGET_PATH": str(args.work / "target"),
                        "DBT_LOG_PATH": str(args.work / "logs")}
    figures: dict[str, float] = {}
    if args.raw_dir is None:
        figures["generate_s"], _ = run_measured(
            [sys.executable, "scripts/generate_data.py", "--accounts", str(args.accounts), "--seed", str(args.seed),
             "--as-of", AS_OF, "--out", str(raw), "--truth-dir", str(truth)], env)
    dbt = str(bin_dir / "dbt")
    pinned = ["--vars", f"{{as_of_date: '{AS_OF}'}}"]
    if not args.reuse_staging:
        # a fresh file: the incremental state of an earlier run would mix two generations of data
        for stale in (args.work / "abm.duckdb", args.work / "abm.duckdb.wal"):
            stale.unlink(missing_ok=True)
        figures["seed_and_staging_s"], figures["seed_and_staging_peak_mb"] = run_measured(
            [dbt, "build", "--exclude", "tag:identity+", *pinned], env)
    identity_vars = ["--vars", f"{{as_of_date: '{AS_OF}', land_raw_files: false}}"]
    # other vars than the staging build's mean a full re-parse (about 20 s here): timed on its own, so
    # the identity run below starts from a parsed project, as a scheduled job with its manifest does
    figures["parse_s"], _ = run_measured([dbt, "parse", *identity_vars], env)
    figures["identity_s"], figures["identity_peak_mb"] = run_measured(
        [dbt, "run", "--select", "tag:identity", *identity_vars], env)
    # per-model execution times of the identity run, from dbt's own record of it
    run_results = json.loads((args.work / "target" / "run_results.json").read_text(encoding="utf-8"))
    model_seconds = {r["unique_id"].split(".")[-1]: round(r["execution_time"], 2) for r in run_results["results"]}
    figures["linking_and_clustering_s"] = sum(model_seconds.get(m, 0.0) for m in (
        "int_company_records_numbered", "int_company_record_names", "int_company_name_endings_counted",
        "int_company_name_pairs_scored", "int_company_record_pairs_scored",
        "int_company_records_linked_by_identifiers", "int_company_records_linked_by_names",
        "int_company_records_linked_by_similarity", "int_company_records_linked",
        "int_company_records_connected", "int_company_records_clustered"))
    scores = evaluate_identity.evaluate(args.work / "abm.duckdb", truth)
    print(evaluate_identity.as_markdown(scores))
    print(json.dumps(figures | {"models": model_seconds}, indent=2))
    (args.work / "benchmark.json").write_text(json.dumps(
        {"accounts": args.accounts, "figures": figures, "model_seconds": model_seconds,
         "scores": [{"scope": s.scope, "kind": s.kind, "precision": s.precision, "recall": s.recall, "f1": s.f1,
                     "true_pairs": s.true_pairs, "predicted_pairs": s.predicted_pairs} for s in scores]},
        indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
