#!/usr/bin/env python3
"""Benchmark the daily refresh against a full build and against the one-scan floor, back to back.

From one folder of raw files (say 1M generated companies, events up to day two):
1. day one's raw files: the same files, with the event tables' rows of day two left out;
2. the floor: one scan of every raw file of day two into an empty DuckDB file;
3. day one: `scripts/build_changed.py --full-refresh` on day one's files (a full build of everything,
   `dbt build --selector daily_refresh --full-refresh`, plus the parse before and the fingerprints after);
4. day two: `scripts/build_changed.py` on day two's files into the same warehouse — what the scheduled
   refresh runs the next morning: the nodes whose inputs changed (the event tables, as_of_date) and
   what reads them (the warehouse after day one is kept: --day-two-only re-times day two alone from it).
Prints and writes (JSON and a Markdown table) the wall times, their ratios and where each build spent
its time (summed node times per folder, from dbt's run_results.json).

--scheduled runs both days through the whole scheduled job instead, `scripts/refresh.py` as `make
refresh` runs it: copy of the state file, seed, plan and build, the Great Expectations and PII gate, the
marts-only published copy with its keys and the atomic publish; day one starts from an empty state
(every node new: a full build). Each step's seconds come from the refresh's own JSON log. Results go to
daily_refresh_scheduled.json / .md (the build-only figures above stay as they are).

    python scripts/benchmark_daily_refresh.py --raw-dir build/big/raw --work build/bench-daily
    python scripts/benchmark_daily_refresh.py --raw-dir build/big/raw --work build/bench-daily --scheduled
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from abm_dbt.contract import EVENT_TIME_COLUMNS
from machine_speed import reference_seconds
from published_copy import people_path

ROOT = Path(__file__).resolve().parents[1]

EVENT_TABLES = EVENT_TIME_COLUMNS  # raw event table -> the column that dates its rows
EVENT_DAY_SQL = "try_cast(substr({column}, 1, 10) as date)"


def raw_files(raw: Path) -> list[Path]:
    files = sorted(p for p in raw.iterdir() if p.suffix in (".parquet", ".csv"))
    if not files:
        raise SystemExit(f"no raw files (.parquet, .csv) in {raw}")
    return files


def reader(path: Path) -> str:
    quoted = str(path).replace("'", "''")
    if path.suffix == ".parquet":
        return f"read_parquet('{quoted}')"
    return f"read_csv('{quoted}', all_varchar = true, header = true)"


def newest_event_day(raw: Path) -> date:
    """Day two: the newest day on which every event table has rows (a few rows carry impossible dates,
    which staging quarantines; they are not in every table on the same day)."""
    selects = [f"select distinct {EVENT_DAY_SQL.format(column=EVENT_TABLES[path.stem])} as day from {reader(path)}"
               for path in raw_files(raw) if path.stem in EVENT_TABLES]
    if not selects:
        raise SystemExit(f"no event tables ({', '.join(EVENT_TABLES)}) in {raw}")
    # a connection of its own: the module's default connection is shared with whoever imports duckdb
    with duckdb.connect() as con:
        newest = con.execute(f"select max(day) from ({' intersect '.join(selects)})").fetchall()[0][0]
    if newest is None:
        raise SystemExit(f"the event tables of {raw} share no day: pass --day-two")
    return newest


def write_day_one(raw: Path, day_one_raw: Path, day_two: date) -> dict[str, int]:
    """Day one's files: event rows of day two left out (rows whose day does not parse stay: both days
    quarantine them); other tables linked unchanged. Returns the rows left out per table."""
    day_one_raw.mkdir(parents=True, exist_ok=True)
    held_back: dict[str, int] = {}
    for path in raw_files(raw):
        target = day_one_raw / path.name
        if target.exists() or target.is_symlink():
            target.unlink()
        if path.stem not in EVENT_TABLES:
            target.symlink_to(path.resolve())
            continue
        day_sql = EVENT_DAY_SQL.format(column=EVENT_TABLES[path.stem])
        keep = f"{day_sql} is distinct from date '{day_two.isoformat()}'"
        out = str(target).replace("'", "''")
        options = "(format parquet)" if path.suffix == ".parquet" else "(format csv, header true)"
        with duckdb.connect() as con:
            con.execute(f"copy (select * from {reader(path)} where {keep}) to '{out}' {options}")
            held_back[path.stem] = con.execute(
                f"select count(*) from {reader(path)} where not ({keep})").fetchall()[0][0]
    return held_back


def scan_floor(raw: Path, work: Path) -> float:
    """Seconds to load every raw file once into an empty DuckDB file (one table per file)."""
    database = work / "floor.duckdb"
    database.unlink(missing_ok=True)
    started = time.monotonic()
    with duckdb.connect(str(database)) as con:
        for path in raw_files(raw):
            con.execute(f"create table {path.stem} as select * from {reader(path)}")
    elapsed = time.monotonic() - started
    database.unlink(missing_ok=True)
    return elapsed


def dbt_build(raw: Path, work: Path, as_of: date, full_refresh: bool, label: str) -> dict[str, Any]:
    """One build as the scheduled job runs it (scripts/build_changed.py: `dbt parse`, the plan, `dbt build`
    of what changed, the fingerprints stored; `--full-refresh`: everything); wall seconds, peak memory
    (of the process tree), the plan and node times per folder."""
    target = work / f"target-{label}"
    # as the scheduled job does (scripts/refresh.py): the raw folder behind a fixed link and the last
    # run's parse kept, so the profile stays the same and dbt parses only what changed
    link = work / "raw_link"
    if link.is_symlink():
        link.unlink()
    link.symlink_to(raw.resolve(), target_is_directory=True)
    kept = sorted(work.glob("target-*/partial_parse.msgpack"), key=lambda path: path.stat().st_mtime)
    if kept and not (target / "partial_parse.msgpack").exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(kept[-1], target / "partial_parse.msgpack")
    env = os.environ | {"ABM_RAW_DIR": str(link), "ABM_DUCKDB_PATH": str(work / "abm.duckdb"),
                        "DBT_PROFILES_DIR": str(ROOT), "DBT_TARGET_PATH": str(target),
                        "DBT_LOG_PATH": str(work / "logs")}
    command = [sys.executable, str(ROOT / "scripts" / "build_changed.py"), "--as-of", as_of.isoformat(),
               "--fail-fast", *(["--full-refresh"] if full_refresh else [])]
    log = work / f"{label}.log"
    elapsed, peak_mb = run_timed(command, env, log, f"{label} failed; see {log} and {work / 'logs'}")
    return {"seconds": elapsed, "peak_rss_mb": peak_mb, "plan": plan_printed(log), "node_seconds": node_seconds(target)}


def run_timed(command: list[str], env: dict[str, str] | None, log: Path, failure: str) -> tuple[float, int]:
    """Run a command with its output in `log`: wall seconds and peak memory in MB; exit with `failure`
    (and the exit code) when it fails."""
    started = time.monotonic()
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        # wait4: the peak memory of the process and of the commands it waited for
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{failure} (exit {os.waitstatus_to_exitcode(status)})")
    return round(elapsed, 1), round(usage.ru_maxrss / 1024)


def scheduled_refresh(raw: Path, work: Path, as_of: date, label: str) -> dict[str, Any]:
    """One run of the scheduled job (scripts/refresh.py) on `raw` into the state of work/scheduled:
    wall seconds, peak memory, each step's seconds and the plan from its JSON log, node times per folder."""
    build_dir, log = work / "scheduled", work / f"refresh-{label}.jsonl"
    log.unlink(missing_ok=True)
    command = [sys.executable, str(ROOT / "scripts" / "refresh.py"), "--as-of", as_of.isoformat(),
               "--raw-dir", str(raw.resolve()), "--build-dir", str(build_dir.resolve()),
               "--publish-path", str((work / "published.duckdb").resolve()), "--log-file", str(log.resolve()),
               "--docs-dir", str((work / "data_docs").resolve()),
               # the generated files are as old as their generation, not a day's delivery
               "--max-raw-age-hours", "1000000"]
    output = work / f"{label}.log"
    elapsed, peak_mb = run_timed(command, None, output, f"{label} failed; see {output} and {log}")
    steps, plan = refresh_steps(log)
    return {"seconds": elapsed, "peak_rss_mb": peak_mb, "steps": steps, "plan": plan,
            "node_seconds": node_seconds(build_dir / "state" / "target")}


def refresh_steps(log: Path) -> tuple[dict[str, float], dict[str, Any]]:
    """Seconds of each step the refresh finished (its JSON log, one line per step), and the build's plan."""
    steps: dict[str, float] = {}
    plan: dict[str, Any] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry["status"] in ("ok", "published") and "seconds" in entry:
            steps[entry["step"]] = entry["seconds"]
        if entry["step"] == "build" and entry["status"] == "ok":
            plan = entry.get("plan", {}) | {"nodes_run": entry.get("nodes")}
    return steps, plan


SCHEDULED_STEPS = {
    "stage": "stage: copy the state file to a private build file",
    "build": "build: seed, plan, `dbt build` of what changed",
    "validate": "validate: Great Expectations suites and the PII check",
    "publish": "publish: the marts' file updated from the last one, the personal-data file anew, keys, atomic renames",
}


def scheduled_table(figures: dict[str, Any]) -> str:
    floor, one, two = figures["floor_seconds"], figures["day_one"], figures["day_two"]
    rows = [
        "| step of the scheduled refresh (`scripts/refresh.py`) | day one (empty state: full build) | day two |",
        "|---|---:|---:|",
    ]
    rows += [f"| {text} | {one['steps'].get(step, 0):.1f} s | {two['steps'].get(step, 0):.1f} s |"
             for step, text in SCHEDULED_STEPS.items()]
    rows += [
        f"| whole run, wall (with cleanup, freshness, start-up) | {one['seconds']:.1f} s "
        f"({one['seconds'] / floor:.1f} × the {floor:.1f} s scan) | {two['seconds']:.1f} s "
        f"({two['seconds'] / one['seconds']:.0%} of day one) |",
        f"| nodes run | {one['plan'].get('nodes_run')} | {two['plan'].get('nodes_run')} |",
    ]
    return "\n".join([*rows, *speed_lines(figures)]) + "\n"


def plan_printed(log: Path) -> dict[str, Any]:
    """The summary scripts/build_changed.py prints last (a JSON object at the start of a line)."""
    text = log.read_text(encoding="utf-8", errors="replace")
    return json.loads(text[text.rindex("\n{") + 1:])


def node_seconds(target: Path) -> dict[str, float]:
    """Summed execution time per kind of node and, for models, per folder (models/intermediate/identity …)."""
    nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    totals: dict[str, float] = defaultdict(float)
    for result in json.loads((target / "run_results.json").read_text())["results"]:
        node = nodes.get(result["unique_id"], {})
        kind = node.get("resource_type", result["unique_id"].split(".")[0])
        group = str(Path(node["original_file_path"]).parent) if kind == "model" else kind
        totals[group] += result["execution_time"]
    return {group: round(seconds, 1) for group, seconds in sorted(totals.items(), key=lambda kv: -kv[1])}


def table(figures: dict[str, Any]) -> str:
    floor, one, two = figures["floor_seconds"], figures["day_one"]["seconds"], figures["day_two"]["seconds"]
    rows = [
        "| step | wall | ratio |",
        "|---|---:|---:|",
        f"| one scan of every raw file (floor) | {floor:.1f} s | 1 × floor |",
        f"| day one: full build (`--full-refresh`) | {one:.1f} s | {one / floor:.1f} × floor |",
        f"| day two: daily refresh, one more day of events ({figures['day_two']['plan']['stale']} of "
        f"{figures['day_two']['plan']['nodes']} nodes ran) | {two:.1f} s | {two / one:.0%} of the full build |",
    ]
    one_nodes, two_nodes = figures["day_one"]["node_seconds"], figures["day_two"]["node_seconds"]
    rows += ["", "| where the time went (summed node seconds) | day one | day two |", "|---|---:|---:|"]
    rows += [f"| {group} | {one_nodes.get(group, 0):.1f} | {two_nodes.get(group, 0):.1f} |" for group in one_nodes]
    return "\n".join([*rows, *speed_lines(figures)]) + "\n"


def speed_lines(figures: dict[str, Any]) -> list[str]:
    """The machine-speed readings as a sentence under a table (none in results written before them)."""
    readings = figures.get("machine_speed_seconds") or {}
    if not readings:
        return []
    spoken = ", ".join(f"{moment.replace('_', ' ')} {seconds:.2f} s" for moment, seconds in readings.items())
    return ["", f"Machine speed (scripts/machine_speed.py, lower is faster): {spoken}."]


def note_machine_speed(figures: dict[str, Any], moment: str) -> None:
    """Record how fast the machine runs the reference loop now (scripts/machine_speed.py), outside any timed
    step: on a shared VM a figure is comparable with another only at a like reading."""
    figures.setdefault("machine_speed_seconds", {})[moment] = round(reference_seconds(), 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw-dir", type=Path, required=True, help="raw files of day two")
    parser.add_argument("--work", type=Path, required=True, help="folder for day one's files, warehouse, results")
    parser.add_argument("--day-two", type=date.fromisoformat, help="default: the newest event day of the files")
    parser.add_argument("--day-two-only", action="store_true",
                        help="re-time day two alone from the warehouse a previous run kept after day one "
                             "(to measure a change to the incremental models against the same day one); "
                             "with --scheduled, from the state and published file it kept")
    parser.add_argument("--scheduled", action="store_true",
                        help="both days through the whole scheduled job, scripts/refresh.py (stage, build, "
                             "validate, publish) from an empty state")
    args = parser.parse_args(argv)

    args.work.mkdir(parents=True, exist_ok=True)
    if args.scheduled:
        return run_scheduled(args.raw_dir, args.work, args.day_two, args.day_two_only)
    warehouse, results = args.work / "abm.duckdb", args.work / "daily_refresh.json"
    day_one_copy = args.work / "abm-day-one.duckdb"
    if args.day_two_only:
        if not day_one_copy.exists() or not results.exists():
            raise SystemExit(f"--day-two-only needs a previous run's {day_one_copy} and {results}")
        figures: dict[str, Any] = json.loads(results.read_text())
        # the same day two as the day one kept (unless asked for another)
        day_two = args.day_two or date.fromisoformat(figures["as_of"]["day_two"])
        shutil.copyfile(day_one_copy, warehouse)
    else:
        day_two = args.day_two or newest_event_day(args.raw_dir)
        day_one = day_two - timedelta(days=1)
        warehouse.unlink(missing_ok=True)
        figures = {"raw_dir": str(args.raw_dir), "day_one": None, "day_two": None,
                   "as_of": {"day_one": day_one.isoformat(), "day_two": day_two.isoformat()}}
        figures["held_back_rows"] = write_day_one(args.raw_dir, args.work / "raw-day-one", day_two)
        print(f"day one {day_one}, day two {day_two}; event rows of day two: {figures['held_back_rows']}", flush=True)
        note_machine_speed(figures, "before_floor")
        figures["floor_seconds"] = round(scan_floor(args.raw_dir, args.work), 1)
        print(f"floor: {figures['floor_seconds']} s", flush=True)
        note_machine_speed(figures, "before_day_one")
        figures["day_one"] = dbt_build(args.work / "raw-day-one", args.work, day_one, True, "day-one")
        print(f"day one: {figures['day_one']['seconds']} s", flush=True)
        shutil.copyfile(warehouse, day_one_copy)
        # kept now, so that a day two that fails can be re-timed with --day-two-only
        results.write_text(json.dumps(figures, indent=2) + "\n")
    note_machine_speed(figures, "before_day_two")
    figures["day_two"] = dbt_build(args.raw_dir, args.work, day_two, False, "day-two")
    print(f"day two: {figures['day_two']['seconds']} s", flush=True)
    note_machine_speed(figures, "end")
    results.write_text(json.dumps(figures, indent=2) + "\n")
    (args.work / "daily_refresh.md").write_text(table(figures))
    print(table(figures))
    return 0


# what a scheduled run publishes in the work folder: the marts' file and the personal-data file beside it
PUBLISHED_FILES = ("published.duckdb", people_path(Path("published.duckdb")).name)


def keep_day_one(work: Path) -> None:
    """Copy day one's state folder and published files aside (work/scheduled-day-one): --day-two-only
    re-times day two alone from them."""
    kept = work / "scheduled-day-one"
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(work / "scheduled", kept / "scheduled", symlinks=True)
    for published in PUBLISHED_FILES:
        shutil.copyfile(work / published, kept / published)


def restore_day_one(work: Path) -> None:
    """Put back what keep_day_one kept, as day one left it."""
    kept = work / "scheduled-day-one"
    if not (kept / "published.duckdb").exists():
        raise SystemExit(f"--scheduled --day-two-only needs a previous scheduled run's {kept}")
    shutil.rmtree(work / "scheduled", ignore_errors=True)
    shutil.copytree(kept / "scheduled", work / "scheduled", symlinks=True)
    for published in PUBLISHED_FILES:
        shutil.copyfile(kept / published, work / published)


def run_scheduled(raw: Path, work: Path, day_two: date | None, day_two_only: bool = False) -> int:
    """Day one from an empty state, then day two, each through scripts/refresh.py (day_two_only: day two
    alone, from the state and published file a previous run kept after day one)."""
    results = work / "daily_refresh_scheduled.json"
    if day_two_only:
        if not results.exists():
            raise SystemExit(f"--scheduled --day-two-only needs a previous scheduled run's {results}")
        figures: dict[str, Any] = json.loads(results.read_text())
        day_two = day_two or date.fromisoformat(figures["as_of"]["day_two"])
        restore_day_one(work)
    else:
        day_two = day_two or newest_event_day(raw)
        day_one = day_two - timedelta(days=1)
        shutil.rmtree(work / "scheduled", ignore_errors=True)
        for published in PUBLISHED_FILES:
            (work / published).unlink(missing_ok=True)
        figures = {"raw_dir": str(raw), "as_of": {"day_one": day_one.isoformat(), "day_two": day_two.isoformat()}}
        figures["held_back_rows"] = write_day_one(raw, work / "raw-day-one", day_two)
        print(f"day one {day_one}, day two {day_two}; event rows of day two: {figures['held_back_rows']}", flush=True)
        note_machine_speed(figures, "before_floor")
        figures["floor_seconds"] = round(scan_floor(raw, work), 1)
        print(f"floor: {figures['floor_seconds']} s", flush=True)
        note_machine_speed(figures, "before_day_one")
        figures["day_one"] = scheduled_refresh(work / "raw-day-one", work, day_one, "scheduled-day-one")
        print(f"day one: {figures['day_one']['seconds']} s {figures['day_one']['steps']}", flush=True)
        results.write_text(json.dumps(figures, indent=2) + "\n")
        keep_day_one(work)
    note_machine_speed(figures, "before_day_two")
    figures["day_two"] = scheduled_refresh(raw, work, day_two, "scheduled-day-two")
    print(f"day two: {figures['day_two']['seconds']} s {figures['day_two']['steps']}", flush=True)
    note_machine_speed(figures, "end")
    results.write_text(json.dumps(figures, indent=2) + "\n")
    (work / "daily_refresh_scheduled.md").write_text(scheduled_table(figures))
    print(scheduled_table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
