#!/usr/bin/env python3
"""Benchmark: the same data built on DuckDB and on a standalone Spark cluster (loopback, one master and
N workers), at several sizes, back to back; prints a Markdown table for the README.

Each size: generate the demo data, `dbt seed` + `dbt run` (models only: the cost of a build) on DuckDB
(.venv), then the same on Spark through scripts/spark_build.py (.venv-spark; the raw landing is timed
apart). Wall-clock seconds of each step, measured with time.monotonic around the subprocess.

    .venv/bin/python scripts/benchmark_spark.py --sizes 300 3000 --work build/bench-spark
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-01"
VARS = ["--vars", json.dumps({"as_of_date": AS_OF})]


def timed(command: list[str], env: dict[str, str], log: Path) -> float:
    """Run `command`, output to `log`; seconds of wall clock. Raises with the log's tail on failure."""
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as handle:
        result = subprocess.run(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
        raise SystemExit(f"{' '.join(command)} failed ({log}):\n" + "\n".join(tail))
    return elapsed


def raw_rows(raw_dir: Path) -> int:
    import duckdb

    con = duckdb.connect()
    try:
        return sum(con.execute(f"select count(*) from read_parquet('{path}')").fetchone()[0]
                   for path in sorted(raw_dir.glob("*.parquet")))
    finally:
        con.close()


def measure_size(accounts: int, work: Path, master: str, spark_python: Path) -> dict[str, float | int]:
    folder = work / str(accounts)
    folder.mkdir(parents=True, exist_ok=True)
    raw = folder / "raw"
    subprocess.run([sys.executable, "scripts/generate_data.py", "--accounts", str(accounts), "--seed", "42",
                    "--as-of", AS_OF, "--out", str(raw), "--truth-dir", str(folder / "truth")],
                   cwd=ROOT, check=True, capture_output=True)
    env = os.environ | {"DBT_PROFILES_DIR": str(ROOT), "ABM_RAW_DIR": str(raw)}
    duckdb_env = env | {"ABM_DUCKDB_PATH": str(folder / "abm.duckdb"), "DBT_TARGET_PATH": str(folder / "target-duckdb")}
    dbt = str(Path(sys.executable).parent / "dbt")
    result: dict[str, float | int] = {"accounts": accounts, "raw_rows": raw_rows(raw)}
    result["duckdb_seed_s"] = timed([dbt, "seed", *VARS], duckdb_env, folder / "duckdb_seed.log")
    result["duckdb_run_s"] = timed([dbt, "run", *VARS], duckdb_env, folder / "duckdb_run.log")
    spark_env = env | {"DBT_TARGET_PATH": str(folder / "target-spark")}
    runner = [str(spark_python), "scripts/spark_build.py", "--raw-dir", str(raw), "--warehouse",
              str(folder / "warehouse"), "--master", master]
    result["spark_land_raw_s"] = timed([*runner, "--", "none"], spark_env, folder / "spark_land.log")
    result["spark_seed_s"] = timed([*runner, "--skip-raw", "--", "seed", *VARS], spark_env, folder / "spark_seed.log")
    result["spark_run_s"] = timed([*runner, "--skip-raw", "--", "run", *VARS], spark_env, folder / "spark_run.log")
    return result


def markdown(rows: list[dict[str, float | int]], workers: int) -> str:
    lines = ["| companies | raw rows | DuckDB seed + run | Spark land raw | Spark seed + run "
             f"({workers} workers) | Spark ÷ DuckDB |", "|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        duck = float(row["duckdb_seed_s"]) + float(row["duckdb_run_s"])
        spark = float(row["spark_seed_s"]) + float(row["spark_run_s"])
        lines.append(f"| {row['accounts']:,} | {row['raw_rows']:,} | {duck:.1f} s | {float(row['spark_land_raw_s']):.1f} s"
                     f" | {spark:.1f} s | {spark / duck:.1f}× |")
    if len(rows) >= 2:
        first, last = rows[0], rows[-1]
        growth = float(last["raw_rows"]) / float(first["raw_rows"])
        duck_growth = ((float(last["duckdb_seed_s"]) + float(last["duckdb_run_s"]))
                       / (float(first["duckdb_seed_s"]) + float(first["duckdb_run_s"])))
        spark_growth = ((float(last["spark_seed_s"]) + float(last["spark_run_s"]))
                        / (float(first["spark_seed_s"]) + float(first["spark_run_s"])))
        lines.append("")
        lines.append(f"Data ×{growth:.1f}: DuckDB time ×{duck_growth:.2f}, Spark time ×{spark_growth:.2f}.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    parser.add_argument("--work", type=Path, default=Path("build/bench-spark"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--spark-python", type=Path, default=ROOT / ".venv-spark" / "bin" / "python")
    args = parser.parse_args(argv)
    work = args.work.resolve()
    cluster = work / "cluster"
    master = subprocess.run([str(args.spark_python), "scripts/spark_cluster.py", "start", "--dir", str(cluster),
                             "--workers", str(args.workers)], cwd=ROOT, check=True, capture_output=True,
                            text=True).stdout.strip().splitlines()[-1]
    try:
        rows = [measure_size(accounts, work, master, args.spark_python) for accounts in args.sizes]
    finally:
        subprocess.run([str(args.spark_python), "scripts/spark_cluster.py", "stop", "--dir", str(cluster)],
                       cwd=ROOT, check=False, capture_output=True)
    (work / "benchmark.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print(markdown(rows, args.workers))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
