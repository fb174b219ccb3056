#!/usr/bin/env python3
"""Build only what changed: `dbt build` of the nodes whose inputs changed since they were last built.

1. `dbt parse` (partial: only changed files are read) writes the manifest;
2. every model, seed, snapshot and data test gets a fingerprint (scripts/abm_dbt/build_plan.py: its code,
   config and macros, its parents' fingerprints, the raw files' content, as_of_date where it reads it);
3. `dbt build --select <the nodes whose fingerprint differs from the one stored in the warehouse>`, with
   the appending models that may add the new events' rows only listed in abm_build.appending_nodes
   for the duration of the build (macros/appending.sql);
4. when the build succeeds, the new fingerprints are stored in the warehouse (abm_build.node_fingerprints).

A day with one more day of events and a new as_of_date re-runs what reads the events or the date, and
skips what reads neither (identity resolution, people, the CRM's company records, when their exports did
not change). `--full-refresh` runs everything (`--full-refresh` for the incremental models) and stores the
fingerprints. The environment is dbt's (ABM_RAW_DIR, ABM_DUCKDB_PATH, DBT_TARGET_PATH …).

    python scripts/build_changed.py --as-of 2026-11-01            # the daily build
    python scripts/build_changed.py --as-of 2026-11-01 --dry-run  # what it would run, and why
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from abm_dbt import build_plan  # noqa: E402

FULL_SELECTOR = "daily_refresh"  # selectors.yml: every seed, model, snapshot and data test
SUCCEEDED = frozenset({"success", "pass", "warn"})


def dbt_command(*args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "dbt"), *args]


def run(command: Sequence[str], env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), cwd=ROOT, env=dict(env or os.environ), text=True, check=False)


def target_dir(env: Mapping[str, str]) -> Path:
    return Path(env.get("DBT_TARGET_PATH", ROOT / "target"))


def warehouse_path(env: Mapping[str, str]) -> Path:
    return Path(env.get("ABM_DUCKDB_PATH", ROOT / "warehouse" / "abm.duckdb"))


def raw_dir(env: Mapping[str, str]) -> Path:
    return Path(env.get("ABM_RAW_DIR", ROOT / "data" / "raw"))


def resolved(path: Path) -> Path:
    return path if path.is_absolute() else ROOT / path


def load_manifest(env: Mapping[str, str]) -> dict[str, Any]:
    """The manifest the last dbt command (parse, seed …) wrote."""
    return json.loads((target_dir(env) / "manifest.json").read_text(encoding="utf-8"))


def fingerprint_all(manifest: Mapping[str, Any], env: Mapping[str, str], cli_vars: Mapping[str, Any],
                    as_of: str) -> tuple[dict[str, str], dict[str, str]]:
    """Every node's fingerprint, and the appending models' append bases."""
    salt = build_plan.build_salt(manifest, ROOT, cli_vars)
    sources = build_plan.source_digests(manifest, resolved(raw_dir(env)))
    fingerprints = build_plan.node_fingerprints(manifest, sources, as_of, salt)
    return fingerprints, build_plan.append_bases(manifest, fingerprints, salt, as_of)


def make_plan(manifest: Mapping[str, Any], env: Mapping[str, str], cli_vars: Mapping[str, Any],
              as_of: str, computed: tuple[dict[str, str], dict[str, str]] | None = None) -> build_plan.Plan:
    """Fingerprint every node (unless given: fingerprint_all's result) and compare with what the
    warehouse stored."""
    fingerprints, bases = computed or fingerprint_all(manifest, env, cli_vars, as_of)
    database = resolved(warehouse_path(env))
    if not database.exists():
        return build_plan.plan(manifest, fingerprints, {}, set(), bases)
    with duckdb.connect(str(database), read_only=True) as con:
        return build_plan.plan(manifest, fingerprints, build_plan.stored_fingerprints(con),
                               build_plan.existing_relations(con), bases)


def selection_args(plan: build_plan.Plan, manifest: Mapping[str, Any], exclude: Sequence[str] = ()) -> list[str]:
    """`dbt build` arguments for the stale nodes, less unit tests and the `exclude` selectors; [] when
    nothing is stale."""
    names = plan.selection(manifest)
    return ["--select", *names, "--exclude", "resource_type:unit_test", *exclude] if names else []


def record(env: Mapping[str, str], fingerprints: Mapping[str, str], bases: Mapping[str, str] | None = None) -> int:
    """Store the fingerprints (and append bases) of the nodes the last dbt command ran successfully."""
    results = json.loads((target_dir(env) / "run_results.json").read_text(encoding="utf-8"))["results"]
    built = [result["unique_id"] for result in results if result["status"] in SUCCEEDED]
    with duckdb.connect(str(resolved(warehouse_path(env)))) as con:
        return build_plan.store_fingerprints(con, fingerprints, built, bases)


@contextmanager
def appending_listed(env: Mapping[str, str], appending: frozenset[str]) -> Iterator[None]:
    """For the duration of the dbt build inside: the appending models that may add rows only are listed
    in the warehouse (macro abm_appending reads the list); removed afterwards, whatever the outcome."""
    database = str(resolved(warehouse_path(env)))
    if appending:
        with duckdb.connect(database) as con:
            build_plan.write_appending(con, appending)
    try:
        yield
    finally:
        if appending:
            with duckdb.connect(database) as con:
                build_plan.clear_appending(con)


def build_changed(as_of: date, cli_vars: Mapping[str, Any], full_refresh: bool = False, dry_run: bool = False,
                  extra: Sequence[str] = (), env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Plan, build and record; returns what ran and why. Raises SystemExit when dbt fails."""
    if "as_of_date" in cli_vars:
        raise SystemExit("give the day as --as-of (as_of), not as the var as_of_date")
    # as_of_date as the environment variable the macro as_of_date_string reads, not a var: a var that
    # changes every day would make dbt re-parse the whole project every day
    env = dict(env or os.environ) | {"ABM_AS_OF_DATE": as_of.isoformat()}
    vars_arg = ["--vars", json.dumps(dict(cli_vars))] if cli_vars else []
    parsed = run(dbt_command("parse", *vars_arg), env)
    if parsed.returncode != 0:
        raise SystemExit(f"dbt parse failed ({parsed.returncode})")
    manifest = load_manifest(env)
    plan = make_plan(manifest, env, cli_vars, as_of.isoformat())
    selection = ["--selector", FULL_SELECTOR, "--full-refresh"] if full_refresh else selection_args(plan, manifest)
    appending = frozenset() if full_refresh else plan.appending
    summary: dict[str, Any] = {"as_of": as_of.isoformat(), "stale": len(plan.stale), "why": plan.counts(),
                               "nodes": len(plan.fingerprints), "full_refresh": full_refresh,
                               "appending": sorted(manifest["nodes"][uid]["name"] for uid in appending)}
    if dry_run or not selection:
        summary["ran"] = False
        return summary
    with appending_listed(env, appending):
        returncode = run(dbt_command("build", *selection, *vars_arg, *extra), env).returncode
    if returncode != 0:
        raise SystemExit(f"dbt build failed ({returncode}); fingerprints left as they were")
    summary["ran"], summary["recorded"] = True, record(env, plan.fingerprints, plan.bases)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--as-of", type=date.fromisoformat, required=True, help="as_of_date for dbt")
    parser.add_argument("--vars", default="{}", help="more dbt vars, as JSON")
    parser.add_argument("--full-refresh", action="store_true", help="build everything from scratch")
    parser.add_argument("--dry-run", action="store_true", help="print the plan, build nothing")
    args, extra = parser.parse_known_args(argv)
    summary = build_changed(args.as_of, json.loads(args.vars), args.full_refresh, args.dry_run, extra)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
