#!/usr/bin/env python3
"""Scheduled refresh: freshness check, dbt build into a private file, Great Expectations gate, atomic
publish of the validated file to the path BI tools read.

A DuckDB file has one writer or many readers. BI tools read ABM_PUBLISH_PATH; this command never writes
to it. It copies the private state file (<build-dir>/state/abm.duckdb: every schema, the incremental
state, the account-id registry) to a build file, builds and validates that, then writes the two files
BI users read, holding only the marts (and the refresh stamp) — no raw, staging or intermediate table,
so no raw personal data reaches them: the marts' file, updated from the last published one, and the
personal-data marts' file beside it, written anew (scripts/published_copy.py) — and renames each over
its published path: an atomic rename per file, so a reader sees the old file or the new one, never
half of either. The build file then becomes the
state. A failure at any step leaves the published file untouched; a killed run leaves at most a stale
build folder, removed by the next run.

Exit codes: 0 published · 1 raw files missing or stale · 2 dbt failed · 3 validation failed ·
4 publish failed · 5 another refresh is running. On failure one line on stderr says why; every step
is logged as a JSON line (run_id, step, status, seconds, details) to --log-file.

    python scripts/refresh.py --as-of 2026-11-01
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import build_changed  # noqa: E402
from published_copy import PublishError, people_path, publication, write_published_files  # noqa: E402
from abm_dbt import build_plan  # noqa: E402
from abm_dbt.contract import RAW_TABLES  # noqa: E402

EXIT_STALE, EXIT_BUILD, EXIT_VALIDATION, EXIT_PUBLISH, EXIT_LOCKED = 1, 2, 3, 4, 5


class RefreshError(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


# The scheduled selection (selectors.yml): every model, snapshot, seed and data test. Any other selection
# rebuilds part of the project on the last good build (state file); see build_selection.
FULL_SELECTOR = "daily_refresh"
CHANGED_SELECTOR = "changed_since_published"
# Data tests the validate step repeats where it matters: a history's key, which the gate checks on every
# period end that changed since the last validated build (a period end it did not change was checked when
# it was written). The planned daily build leaves them out instead of grouping every stored row again; a
# `dbt build` outside the refresh runs them. tests/pytest/test_refresh.py checks that each tagged test has
# its twin in a gate suite.
REPEATED_BY_GATE = "tag:repeated_by_gate"


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    publish_path: Path
    build_dir: Path
    log_file: Path
    docs_dir: Path
    as_of: date
    max_raw_age_hours: float
    dbt: Path
    selector: str = FULL_SELECTOR


class JsonLog:
    """Append one JSON object per event to a file (and keep the run id on every line)."""

    def __init__(self, path: Path, run_id: str) -> None:
        self.path, self.run_id = path, run_id
        path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, step: str, status: str, seconds: float | None = None, **details: Any) -> None:
        line = {"ts": datetime.now(timezone.utc).isoformat(timespec="seconds"), "run_id": self.run_id,
                "step": step, "status": status}
        if seconds is not None:
            line["seconds"] = round(seconds, 2)
        line.update(details)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")


@contextmanager
def step(log: JsonLog, name: str) -> Iterator[dict[str, Any]]:
    """Time a step and log it; the body may add details to the yielded dict."""
    details: dict[str, Any] = {}
    started = time.monotonic()
    log.write(name, "started")
    try:
        yield details
    except RefreshError as error:
        log.write(name, "failed", time.monotonic() - started, reason=error.reason, **details)
        raise
    log.write(name, "ok", time.monotonic() - started, **details)


@contextmanager
def exclusive_lock(lock_path: Path) -> Iterator[None]:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RefreshError(EXIT_LOCKED, f"another refresh holds {lock_path}") from None
        yield


def pause_for_tests(point: str) -> None:
    """Fault tests kill the refresh at chosen points: ABM_REFRESH_PAUSE=<point>:<seconds>."""
    wanted = os.environ.get("ABM_REFRESH_PAUSE", "")
    if wanted.startswith(point + ":"):
        time.sleep(float(wanted.split(":", 1)[1]))


def check_freshness(settings: Settings) -> dict[str, Any]:
    """Every required raw table is present, non-empty and younger than the limit."""
    now = time.time()
    found, oldest = 0, 0.0
    for table in RAW_TABLES:
        files = [settings.raw_dir / f"{table.name}.{ext}" for ext in ("parquet", "csv")]
        present = [f for f in files if f.exists()]
        if not present:
            if table.required:
                raise RefreshError(EXIT_STALE, f"freshness: required raw table {table.name} is missing from {settings.raw_dir}")
            continue
        for path in present:
            if path.stat().st_size == 0:
                raise RefreshError(EXIT_STALE, f"freshness: raw table {table.name} file {path.name} is empty")
            age_hours = (now - path.stat().st_mtime) / 3600
            oldest = max(oldest, age_hours)
            if age_hours > settings.max_raw_age_hours:
                raise RefreshError(EXIT_STALE, f"freshness: raw table {table.name} file {path.name} is "
                                               f"{age_hours:.0f} h old (limit {settings.max_raw_age_hours:g} h)")
            found += 1
    return {"raw_files": found, "oldest_hours": round(oldest, 1)}


def remove_stale_builds(build_dir: Path) -> list[str]:
    """Build folders of killed runs (only one refresh runs at a time, under the lock)."""
    removed = []
    for path in sorted(build_dir.glob("run_*")):
        shutil.rmtree(path)
        removed.append(path.name)
    return removed


def state_path(settings: Settings) -> Path:
    """The private file the next build starts from; only this command reads or writes it."""
    return settings.build_dir / "state" / "abm.duckdb"


def schemas_of(path: Path) -> set[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {row[0] for row in con.execute("select distinct schema_name from duckdb_tables()").fetchall()}
    finally:
        con.close()


def stage_build_file(settings: Settings, build_path: Path) -> str:
    """Start from the state file; a published file of the old layout (it held every schema) seeds the
    state once, so the account ids it registered survive the upgrade; else start from nothing."""
    state = state_path(settings)
    if state.exists():
        shutil.copy2(state, build_path)
        return "state"
    if settings.publish_path.exists() and "intermediate" in schemas_of(settings.publish_path):
        shutil.copy2(settings.publish_path, build_path)
        return "published file (old layout)"
    return "empty"


def first_error_line(output: str) -> str:
    """dbt's first error with the lines that explain it (table, column), on one line."""
    for pattern in (r"Runtime Error.*", r"Database Error.*", r"Compilation Error.*", r"Error in .*", r"Failure in .*"):
        match = re.search(pattern, output)
        if match:
            following = []
            for line in output[match.end():].splitlines()[1:6]:
                text = re.sub(r"^\S*\d\d:\d\d:\d\d\s*", "", line.strip()).strip()
                if not text:
                    if following:
                        break
                    continue
                following.append(text)
            return " ".join([match.group(0).strip(), *following])
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def artifacts_path(settings: Settings) -> Path:
    """dbt's target folder, kept from run to run: manifest.json and run_results.json of the last run,
    and partial_parse.msgpack, so a daily run re-parses only what changed."""
    return settings.build_dir / "state" / "target"


def published_manifest_path(settings: Settings) -> Path:
    """The manifest of what is published now: `--state` for `state:modified+` (README)."""
    return settings.build_dir / "state" / "published"


def raw_link(settings: Settings) -> Path:
    """A fixed path in the state folder that points at the raw folder: the raw folder is part of dbt's
    profile, and a run on another folder (a re-delivery, a backfill) would otherwise force a full re-parse
    of the project, on that run and again on the next one back. (Messages about a raw file name the
    link's path; the run's first log line holds the real folder.)"""
    link = settings.build_dir / "state" / "raw"
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink():
        link.unlink()
    link.symlink_to(settings.raw_dir, target_is_directory=True)
    return link


def dbt_env(settings: Settings, build_path: Path) -> dict[str, str]:
    # as_of_date goes in as ABM_AS_OF_DATE, not --vars: a var that changes every day would make dbt
    # re-parse the whole project every day (macro as_of_date_string reads it at run time)
    return os.environ | {"ABM_DUCKDB_PATH": str(build_path), "ABM_RAW_DIR": str(raw_link(settings)),
                         "ABM_AS_OF_DATE": settings.as_of.isoformat(), "DBT_PROFILES_DIR": str(ROOT),
                         "DBT_TARGET_PATH": str(artifacts_path(settings)),
                         "DBT_LOG_PATH": str(settings.build_dir / "state" / "logs")}


def run_dbt(settings: Settings, build_path: Path, *args: str) -> str:
    command = [str(settings.dbt), *args]
    proc = subprocess.run(command, cwd=ROOT, env=dbt_env(settings, build_path), capture_output=True, text=True,
                          check=False)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise RefreshError(EXIT_BUILD, f"dbt {args[0]}: {first_error_line(output)}")
    return output


def planned_selection(settings: Settings, build_path: Path) -> tuple[list[str], build_plan.Plan]:
    """The daily selection, planned (scripts/build_changed.py): the nodes whose inputs changed since they
    were built — a changed raw file, a new as_of_date for what reads it, a code change — and what reads
    them. `dbt seed` has just loaded every seed: their fingerprints are stored first, so they are not
    loaded twice."""
    env = dbt_env(settings, build_path)
    manifest = build_changed.load_manifest(env)
    as_of = settings.as_of.isoformat()
    computed = build_changed.fingerprint_all(manifest, env, {}, as_of)
    build_changed.record(env, computed[0])
    plan = build_changed.make_plan(manifest, env, {}, as_of, computed)
    return build_changed.selection_args(plan, manifest, exclude=(REPEATED_BY_GATE,)), plan


def gate_repeated_tests(manifest_path: Path) -> list[str]:
    """The data tests the planned build leaves to the gate (REPEATED_BY_GATE)."""
    tag = REPEATED_BY_GATE.removeprefix("tag:")
    nodes = json.loads(manifest_path.read_text(encoding="utf-8"))["nodes"]
    return sorted(uid for uid, node in nodes.items() if node["resource_type"] == "test" and tag in node["tags"])


def record_gate_repeated(build_path: Path, plan: build_plan.Plan, manifest_path: Path) -> int:
    """After the gate passed: the tests it repeats are recorded as run on these inputs, like the tests
    dbt ran (the gate checked their key), so a later planned build does not run them again."""
    con = duckdb.connect(str(build_path))
    try:
        return build_plan.store_fingerprints(con, plan.fingerprints, gate_repeated_tests(manifest_path))
    finally:
        con.close()


def build_selection(settings: Settings) -> list[str]:
    """dbt build's selection arguments for a selector other than the planned daily one. A partial
    selection (e.g. changed_since_published after a code change: what changed since the published build
    and everything downstream) leaves the other tables as the last good build made them, for that build's
    as_of_date: allowed only for the same as_of_date, or the file would be stamped with a day its
    unselected marts were not built for."""
    selection = ["--selector", settings.selector]
    state = state_path(settings)
    built_for = state_as_of(state) if state.exists() else None
    if built_for != settings.as_of:
        raise RefreshError(EXIT_BUILD, f"selector {settings.selector} rebuilds part of the project, but the last good "
                                       f"build is for as_of_date {built_for}, not {settings.as_of}: run the full "
                                       f"refresh (selector {FULL_SELECTOR}) for a new day")
    if settings.selector == CHANGED_SELECTOR:
        selection += ["--state", str(published_manifest_path(settings))]
    return selection


def state_as_of(path: Path) -> date | None:
    """The as_of_date the refresh stamped on a build file (None before the first stamp)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        found = con.execute("select count(*) from duckdb_tables() where schema_name = 'meta' "
                            "and table_name = 'refresh_run'").fetchall()[0][0]
        return con.execute("select as_of_date from meta.refresh_run").fetchall()[0][0] if found else None
    finally:
        con.close()


def nodes_run(settings: Settings) -> int:
    """How many nodes (models, snapshots, seeds, tests) the last dbt command ran."""
    results = json.loads((artifacts_path(settings) / "run_results.json").read_text(encoding="utf-8"))
    return len(results["results"])


def mart_row_counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute("select table_name, estimated_size from duckdb_tables() where schema_name = 'marts' "
                             "order by table_name").fetchall()
        return {name: int(con.execute(f'select count(*) from marts."{name}"').fetchall()[0][0]) for name, _ in tables}
    finally:
        con.close()


def stamp_and_checkpoint(build_path: Path, run_id: str, as_of: date) -> None:
    """Record which refresh built the file, and fold the WAL into it so one file is all there is."""
    con = duckdb.connect(str(build_path))
    try:
        con.execute("create schema if not exists meta")
        con.execute("create or replace table meta.refresh_run as select ? as run_id, cast(? as date) as as_of_date, "
                    "current_timestamp as built_at", [run_id, as_of.isoformat()])
        con.execute("checkpoint")
    finally:
        con.close()
    if Path(f"{build_path}.wal").exists():
        raise RefreshError(EXIT_PUBLISH, f"publish: {build_path}.wal still exists after checkpoint")


def replace_durably(source: Path, target: Path) -> None:
    """fsync source, then rename it over target (atomic on one file system) and fsync the folder."""
    with source.open("rb") as handle:
        os.fsync(handle.fileno())
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


FULL_PARSE = re.compile(r"Unable to do partial parsing[^\n]*|Starting full parse[^\n]*")


def parse_kind(dbt_output: str) -> str:
    """'partial' when dbt re-used the stored parse (only changed files re-read), else 'full: <why>'."""
    match = FULL_PARSE.search(dbt_output)
    return f"full: {match.group(0).strip()}" if match else "partial"


def keep_published_manifest(settings: Settings) -> None:
    """Copy the manifest of the published build beside the state: `dbt build --select state:modified+
    --state warehouse/.build/state/published` then builds only what changed since."""
    folder = published_manifest_path(settings)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(artifacts_path(settings) / "manifest.json", folder / "manifest.json.tmp")
    os.replace(folder / "manifest.json.tmp", folder / "manifest.json")


def summarise(done: dict[str, str]) -> dict[str, Any]:
    """What the publish did to one file's tables, for the log: how many were kept, written or dropped,
    and each history's replaced parts."""
    summary: dict[str, Any] = {}
    for table, what in sorted(done.items()):
        if " replaced" in what:
            summary[table] = what
        else:
            kind = what.split(":")[0]
            summary[kind] = summary.get(kind, 0) + 1
    return summary


def publish(copy_path: Path, publish_path: Path) -> None:
    """Rename the two copies over the published paths: the personal-data file first, then the marts'."""
    pause_for_tests("publish")
    replace_durably(people_path(copy_path), people_path(publish_path))
    replace_durably(copy_path, publish_path)


def refresh(settings: Settings, run_id: str, log: JsonLog) -> dict[str, Any]:
    settings.build_dir.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(settings.build_dir / "refresh.lock"):
        with step(log, "cleanup") as details:
            details["removed"] = remove_stale_builds(settings.build_dir)
        with step(log, "freshness") as details:
            details.update(check_freshness(settings))
        # the file keeps the name abm.duckdb: dbt-duckdb names the catalog after it. One fixed folder
        # (runs are serialised by the lock; a killed run's folder is removed above): the path is part of
        # dbt's profile, and a path that changed every run would force a full re-parse every run.
        build_path = settings.build_dir / "run_current" / "abm.duckdb"
        with step(log, "stage") as details:
            build_path.parent.mkdir(parents=True)
            details["from"] = stage_build_file(settings, build_path)
        with step(log, "build") as details:
            planned = settings.selector == FULL_SELECTOR
            selection = [] if planned else build_selection(settings)
            seed_output = run_dbt(settings, build_path, "seed")
            if planned:
                selection, plan = planned_selection(settings, build_path)
                details["plan"] = {"stale": len(plan.stale), "of": len(plan.fingerprints), "why": plan.counts(),
                                   "appending": len(plan.appending)}
            pause_for_tests("build")
            details["parse"] = {"seed": parse_kind(seed_output), "build": "not run: nothing changed"}
            details["selector"], details["nodes"] = settings.selector, 0
            if selection:
                # --fail-fast: a run that cannot publish stops at its first error instead of building the
                # rest of the project (at 1M companies that is minutes of a failed night); the error named
                # is the first one, which is the one the log and the exit reason report
                appending = plan.appending if planned else frozenset()
                with build_changed.appending_listed(dbt_env(settings, build_path), appending):
                    build_output = run_dbt(settings, build_path, "build", *selection, "--fail-fast")
                details["parse"]["build"], details["nodes"] = parse_kind(build_output), nodes_run(settings)
                if planned:
                    build_changed.record(dbt_env(settings, build_path), plan.fingerprints, plan.bases)
            details["rows"] = mart_row_counts(build_path)
        with step(log, "validate") as details:
            import validate_marts  # noqa: PLC0415 — GX is slow to import; only a build that succeeded needs it

            pause_for_tests("validate")
            # the state is the last published build, validated when it was published (with the suites'
            # fingerprints): marts with a scope column are validated row by row where they changed since
            report = validate_marts.run_suites(build_path, settings.as_of, settings.docs_dir,
                                               previous=state_path(settings))
            details["suites"] = {name: suite["success"] for name, suite in report["suites"].items()}
            details["seconds_by_suite"] = {name: suite["seconds"] for name, suite in report["suites"].items()}
            details["scoped"] = {name: suite["scope"] for name, suite in report["suites"].items() if "scope" in suite}
            if not report["success"]:
                failed = [f"{name}: {', '.join(suite['failed'])}" for name, suite in report["suites"].items()
                          if not suite["success"]]
                raise RefreshError(EXIT_VALIDATION, "validation: " + "; ".join(failed))
            import check_pii  # noqa: PLC0415

            manifest = artifacts_path(settings) / "manifest.json"
            pii = check_pii.scan(build_path, check_pii.tagged_columns(manifest), previous=state_path(settings))
            details["untagged_personal_data"], details["pii_scoped"] = len(pii.found), pii.scoped
            if pii.found:
                raise RefreshError(EXIT_VALIDATION, "validation: untagged personal data in " + "; ".join(pii.found))
            # what this build passed: the next run checks again only what changed since
            validate_marts.record_validated(build_path, report)
            check_pii.record_checked(build_path, pii)
            if planned:
                details["recorded_for_gate"] = record_gate_repeated(build_path, plan, manifest)
        with step(log, "publish") as details:
            # the seconds of its parts, for the log: stamp, copies, renames (fsync of the files included)
            seconds = details["seconds_by_part"] = {}
            started = time.monotonic()
            stamp_and_checkpoint(build_path, run_id, settings.as_of)
            seconds["stamp"], started = round(time.monotonic() - started, 1), time.monotonic()
            copy_path = build_path.with_name("published.duckdb")
            try:
                marts = publication(artifacts_path(settings) / "manifest.json")
                written = write_published_files(build_path, copy_path, marts, previous=settings.publish_path)
            except PublishError as error:
                raise RefreshError(EXIT_PUBLISH, str(error)) from error
            seconds["copies"], started = round(time.monotonic() - started, 1), time.monotonic()
            details["tables"] = {name: summarise(done) for name, done in written.items()}
            details["primary_keys"] = len(marts.keys)
            try:
                publish(copy_path, settings.publish_path)
                # the published file is out; the build becomes the next run's starting point
                replace_durably(build_path, state_path(settings))
                keep_published_manifest(settings)
            except OSError as error:
                raise RefreshError(EXIT_PUBLISH, f"publish: {error}") from error
            seconds["renames"] = round(time.monotonic() - started, 1)
            details["path"] = str(settings.publish_path)
        shutil.rmtree(build_path.parent, ignore_errors=True)
        return {"published": str(settings.publish_path), "run_id": run_id}


def parse_settings(argv: list[str] | None) -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", type=date.fromisoformat, default=None,
                        help="as_of_date for dbt (default: $AS_OF or today)")
    parser.add_argument("--raw-dir", type=Path, default=Path(os.environ.get("ABM_RAW_DIR", "data/raw")))
    parser.add_argument("--publish-path", type=Path,
                        default=Path(os.environ.get("ABM_PUBLISH_PATH", "warehouse/abm_published.duckdb")))
    parser.add_argument("--build-dir", type=Path, default=Path(os.environ.get("ABM_BUILD_DIR", "warehouse/.build")))
    parser.add_argument("--log-file", type=Path, default=Path(os.environ.get("ABM_REFRESH_LOG", "logs/refresh.jsonl")))
    parser.add_argument("--docs-dir", type=Path, default=Path(os.environ.get("ABM_DATA_DOCS_DIR", "warehouse/data_docs")))
    parser.add_argument("--max-raw-age-hours", type=float, default=float(os.environ.get("ABM_MAX_RAW_AGE_HOURS", "36")))
    parser.add_argument("--selector", default=FULL_SELECTOR,
                        help=f"a selection in selectors.yml (default {FULL_SELECTOR}: the whole project, planned: only the "
                             "nodes whose inputs changed since they were built run, scripts/build_changed.py). "
                             f"{CHANGED_SELECTOR} deploys a code change the same day: it rebuilds what changed since "
                             "the published build and everything downstream; other tables stay as the last good build")
    args = parser.parse_args(argv)
    as_of = args.as_of or (date.fromisoformat(os.environ["AS_OF"]) if os.environ.get("AS_OF") else date.today())
    return Settings(raw_dir=args.raw_dir.resolve(), publish_path=args.publish_path.resolve(),
                    build_dir=args.build_dir.resolve(), log_file=args.log_file.resolve(),
                    docs_dir=args.docs_dir.resolve(), as_of=as_of, max_raw_age_hours=args.max_raw_age_hours,
                    dbt=Path(sys.executable).parent / "dbt", selector=args.selector)


def main(argv: list[str] | None = None) -> int:
    settings = parse_settings(argv)
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "_" + uuid.uuid4().hex[:6]
    log = JsonLog(settings.log_file, run_id)
    started = time.monotonic()
    log.write("refresh", "started", as_of=settings.as_of.isoformat(), raw_dir=str(settings.raw_dir))
    try:
        result = refresh(settings, run_id, log)
    except RefreshError as error:
        log.write("refresh", "failed", time.monotonic() - started, exit_code=error.code, reason=error.reason)
        print(f"refresh failed: {error.reason}", file=sys.stderr)
        return error.code
    log.write("refresh", "published", time.monotonic() - started, **result)
    print(f"published {result['published']} (run {run_id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
