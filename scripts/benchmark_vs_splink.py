#!/usr/bin/env python3
"""This project's identity resolution against Splink, back to back, on the same company records.

Splink links company records only, so both run on the company records alone: the raw files of
--raw-dir with the contacts file replaced by its header (a company-only copy in --work). The script
then runs, one right after the other in this process's lifetime,

1. scripts/benchmark_identity.py on that copy (staging, then the identity models timed alone), and
2. scripts/benchmark_splink.py (in its own venv) on the warehouse step 1 built — the same prepared
   records, the same normalized names and identifiers,

and writes one table: precision, recall, F1, linking + clustering seconds, peak memory, and the
speed ratio (with --rounds N: both N times, alternating, and the median of the rounds' ratios). Both
are scored by scripts/evaluate_identity.py against the same ground truth.

    python scripts/benchmark_vs_splink.py --raw-dir build/bench1m/raw --truth-dir build/bench1m/truth \\
        --work build/bench1m-co
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
COMPANY_SCOPE = "company records"


def company_only_copy(raw_dir: Path, target: Path) -> None:
    """target: every raw file of raw_dir linked, except contacts, written with no rows."""
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(raw_dir.iterdir()):
        destination = target / source.name
        destination.unlink(missing_ok=True)
        if source.name == "contacts.parquet":
            pq.write_table(pq.read_schema(source).empty_table(), destination)
        else:
            destination.symlink_to(source.resolve())


def overall(scores: list[dict[str, object]], kind: str = "overall") -> dict[str, object]:
    """The company-records score of a kind; Splink's scores carry no scope (it links company records only)."""
    for score in scores:
        if score.get("scope", COMPANY_SCOPE) == COMPANY_SCOPE and score["kind"] == kind:
            return score
    raise SystemExit(f"no company-records {kind} score in the benchmark output")


def as_markdown(rounds: list[tuple[dict[str, Any], dict[str, Any]]], started: str) -> str:
    """One table of quality and memory (the last round; every round links the same records the same way),
    each round's linking + clustering times and ratio, and the median of the rounds' ratios."""
    ours, splink = rounds[-1]
    ours_score, splink_score = overall(ours["scores"]), overall(splink["scores"])
    times = [(float(o["figures"]["linking_and_clustering_s"]), float(s["figures"]["splink_s"])) for o, s in rounds]
    ratios = [splink_s / ours_s for ours_s, splink_s in times]
    ours_s, splink_s = times[-1]
    lines = [
        f"Measured back to back from {started} UTC, {splink['figures']['records']:,} company records"
        f"{f', {len(rounds)} rounds (this project, then Splink, in each)' if len(rounds) > 1 else ''}.",
        "",
        "| linker | precision | recall | F1 | linking + clustering | whole run | peak memory |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| this project | {ours_score['precision']:.4f} | {ours_score['recall']:.4f} | {ours_score['f1']:.4f} "
        f"| {ours_s:.1f} s | {float(ours['figures']['identity_s']):.1f} s (dbt process) "
        f"| {float(ours['figures']['identity_peak_mb']):,.0f} MB |",
        f"| Splink 5.0.0 | {splink_score['precision']:.4f} | {splink_score['recall']:.4f} | {splink_score['f1']:.4f} "
        f"| {splink_s:.1f} s | — | {float(splink['figures']['splink_peak_mb']):,.0f} MB |",
        "",
    ]
    if len(rounds) > 1:
        lines += ["| round | this project | Splink | ratio |", "|---:|---:|---:|---:|"]
        lines += [f"| {number} | {ours_s:.1f} s | {splink_s:.1f} s | {ratio:.2f}× |"
                  for number, ((ours_s, splink_s), ratio) in enumerate(zip(times, ratios), start=1)]
        lines += ["", f"Speed ratio (Splink ÷ this project, linking + clustering), median of the rounds: "
                      f"**{statistics.median(ratios):.2f}×**."]
    else:
        lines.append(f"Speed ratio (Splink ÷ this project, linking + clustering): **{ratios[0]:.2f}×**.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw-dir", type=Path, required=True, help="generated raw files (with contacts)")
    parser.add_argument("--truth-dir", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True, help="folder for the company-only copy and warehouse")
    parser.add_argument("--splink-python", type=Path, default=ROOT / ".venv-splink" / "bin" / "python")
    parser.add_argument("--reuse-staging", action="store_true",
                        help="the warehouse in --work already holds staging of the company-only copy")
    parser.add_argument("--rounds", type=int, default=1,
                        help="run both linkers this many times, alternating, and report the median ratio "
                             "(this machine's speed varies from minute to minute)")
    args = parser.parse_args(argv)

    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    company_only_copy(args.raw_dir, args.work / "raw")
    rounds = []
    for number in range(args.rounds):
        # staging of the copy is built once; later rounds time the linkers alone
        reuse = args.reuse_staging or number > 0
        subprocess.run([sys.executable, str(ROOT / "scripts" / "benchmark_identity.py"), "--work", str(args.work),
                        "--raw-dir", str(args.work / "raw"), "--truth-dir", str(args.truth_dir),
                        *(["--reuse-staging"] if reuse else [])], cwd=ROOT, check=True)
        subprocess.run([str(args.splink_python), str(ROOT / "scripts" / "benchmark_splink.py"),
                        "--duckdb", str(args.work / "abm.duckdb"), "--truth-dir", str(args.truth_dir),
                        "--json", str(args.work / "splink.json")], cwd=ROOT, check=True)
        rounds.append((json.loads((args.work / "benchmark.json").read_text(encoding="utf-8")),
                       json.loads((args.work / "splink.json").read_text(encoding="utf-8"))))
    report = as_markdown(rounds, started)
    (args.work / "vs_splink.md").write_text(report + "\n", encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
