"""The build plan's fingerprints on a small hand-made manifest: what a change reaches, and what it does not."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from abm_dbt import build_plan

SALT = "salt"


def node(name: str, kind: str = "model", parents: tuple[str, ...] = (), macros: tuple[str, ...] = (),
         code: str = "select 1", schema: str = "staging") -> dict[str, Any]:
    return {"unique_id": f"{kind}.abm_analytics.{name}", "name": name, "resource_type": kind, "schema": schema,
            "alias": name, "raw_code": code, "checksum": {"checksum": code},
            "config": {"materialized": "table"}, "depends_on": {"nodes": list(parents), "macros": list(macros)}}


def manifest() -> dict[str, Any]:
    """raw.activities -> base_activities -> scores (reads as_of_date through a macro's macro);
    raw.crm_accounts -> base_accounts -> accounts -> scores, and a test on accounts whose own SQL reads
    as_of_date. A hook macro no node calls."""
    nodes = [
        node("base_activities", parents=("source.abm_analytics.raw.activities",)),
        node("base_accounts", parents=("source.abm_analytics.raw.crm_accounts",), macros=("macro.abm_analytics.clean",)),
        node("accounts", parents=("model.abm_analytics.base_accounts",), schema="intermediate",
             code="-- the state on as_of_date\nselect * from x where is_as_of_date"),
        node("scores", parents=("model.abm_analytics.base_activities", "model.abm_analytics.accounts"),
             macros=("macro.abm_analytics.window",), schema="marts"),
        node("assert_recent", kind="test", code="select * from x where day > {{ var('as_of_date') }}",
             parents=("model.abm_analytics.accounts",)),
    ]
    macros = {
        "macro.abm_analytics.clean": {"macro_sql": "trim(x)", "package_name": "abm_analytics",
                                      "depends_on": {"macros": []}},
        "macro.abm_analytics.window": {"macro_sql": "{{ as_of_date() }} - 30", "package_name": "abm_analytics",
                                       "depends_on": {"macros": ["macro.abm_analytics.as_of_date"]}},
        "macro.abm_analytics.as_of_date": {"macro_sql": "cast(x as date)", "package_name": "abm_analytics",
                                           "depends_on": {"macros": []}},
        "macro.abm_analytics.on_start": {"macro_sql": "select 1", "package_name": "abm_analytics",
                                         "depends_on": {"macros": []}},
    }
    by_id = {n["unique_id"]: n for n in nodes}
    children: dict[str, list[str]] = {}
    for n in nodes:
        for parent in n["depends_on"]["nodes"]:
            children.setdefault(parent, []).append(n["unique_id"])
    return {"nodes": by_id, "macros": macros, "child_map": children,
            "metadata": {"project_name": "abm_analytics", "dbt_version": "1.11", "adapter_type": "duckdb"},
            "sources": {}}


SOURCES = {"source.abm_analytics.raw.activities": "a1", "source.abm_analytics.raw.crm_accounts": "c1"}


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {uid.split(".")[-1] for uid in before if before[uid] != after[uid]}


def test_a_new_as_of_date_reaches_only_what_reads_it() -> None:
    m = manifest()
    day_one = build_plan.node_fingerprints(m, SOURCES, "2026-11-01", SALT)
    day_two = build_plan.node_fingerprints(m, SOURCES, "2026-11-02", SALT)
    # scores reads it through a macro's macro, the test in its own SQL; the base models and accounts do not
    # (accounts names a column is_as_of_date and the day in a comment: neither reads the var)
    assert changed(day_one, day_two) == {"scores", "assert_recent"}


def test_a_changed_raw_file_reaches_its_descendants_only() -> None:
    m = manifest()
    before = build_plan.node_fingerprints(m, SOURCES, "2026-11-01", SALT)
    after = build_plan.node_fingerprints(m, SOURCES | {"source.abm_analytics.raw.activities": "a2"}, "2026-11-01", SALT)
    assert changed(before, after) == {"base_activities", "scores"}


def test_a_changed_macro_reaches_the_nodes_that_call_it_and_below() -> None:
    m = manifest()
    before = build_plan.node_fingerprints(m, SOURCES, "2026-11-01", SALT)
    m["macros"]["macro.abm_analytics.clean"]["macro_sql"] = "lower(trim(x))"
    after = build_plan.node_fingerprints(m, SOURCES, "2026-11-01", SALT)
    assert changed(before, after) == {"base_accounts", "accounts", "scores", "assert_recent"}


def test_a_changed_model_or_config_reaches_itself_and_below() -> None:
    m = manifest()
    before = build_plan.node_fingerprints(m, SOURCES, "2026-11-01", SALT)
    m["nodes"]["model.abm_analytics.accounts"]["checksum"] = {"checksum": "changed"}
    after_code = build_plan.node_fingerprints(m, SOURCES, "2026-11-01", SALT)
    assert changed(before, after_code) == {"accounts", "scores", "assert_recent"}
    m["nodes"]["model.abm_analytics.base_activities"]["config"] = {"materialized": "incremental"}
    after_config = build_plan.node_fingerprints(m, SOURCES, "2026-11-01", SALT)
    assert changed(after_code, after_config) == {"base_activities", "scores"}


def test_the_salt_reaches_everything() -> None:
    m = manifest()
    before = build_plan.node_fingerprints(m, SOURCES, "2026-11-01", SALT)
    after = build_plan.node_fingerprints(m, SOURCES, "2026-11-01", "another dbt version")
    assert changed(before, after) == {"base_activities", "base_accounts", "accounts", "scores", "assert_recent"}


def test_hooks_and_other_unnamed_macros_go_into_the_salt(tmp_path: Path) -> None:
    m = manifest()
    assert build_plan.unnamed_project_macros(m) == {"macro.abm_analytics.on_start"}
    before = build_plan.build_salt(m, tmp_path, {})
    m["macros"]["macro.abm_analytics.on_start"]["macro_sql"] = "select 2"
    assert build_plan.build_salt(m, tmp_path, {}) != before
    # a var other than as_of_date changes the salt; as_of_date reaches only what reads it
    assert build_plan.build_salt(m, tmp_path, {"as_of_date": "2026-11-02"}) == build_plan.build_salt(m, tmp_path, {})
    assert build_plan.build_salt(m, tmp_path, {"fit_min_auc": 0.7}) != build_plan.build_salt(m, tmp_path, {})


def test_the_plan_runs_new_changed_and_missing_tables_and_what_is_below_a_missing_one() -> None:
    m = manifest()
    now = build_plan.node_fingerprints(m, SOURCES, "2026-11-02", SALT)
    stored = build_plan.node_fingerprints(m, SOURCES, "2026-11-01", SALT)
    del stored["model.abm_analytics.base_activities"]
    relations = {("staging", "base_activities"), ("staging", "base_accounts"), ("marts", "scores")}
    plan = build_plan.plan(m, now, stored, relations)
    assert plan.reasons == {
        "model.abm_analytics.base_activities": "new",
        "model.abm_analytics.scores": "changed",
        "test.abm_analytics.assert_recent": "changed",
        # intermediate.accounts is not in the warehouse: it runs, and so does what reads it
        "model.abm_analytics.accounts": "missing table",
    }
    assert plan.selection(m) == ["accounts", "assert_recent", "base_activities", "scores"]
    everything = {("staging", "base_activities"), ("staging", "base_accounts"), ("intermediate", "accounts"),
                  ("marts", "scores")}
    assert build_plan.plan(m, now, now, everything).stale == frozenset()


def test_fingerprints_are_stored_and_read_back() -> None:
    con = duckdb.connect()
    assert build_plan.stored_fingerprints(con) == {}
    assert build_plan.store_fingerprints(con, {"a": "1", "b": "2"}, ["a", "x"]) == 1
    assert build_plan.store_fingerprints(con, {"a": "3", "b": "2"}, ["a", "b"]) == 2
    assert build_plan.stored_fingerprints(con) == {"a": "3", "b": "2"}


def test_a_raw_file_digest_follows_its_bytes_not_its_name_or_time(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    table = pa.table({"activity_id": ["a1"], "occurred_at": ["2026-11-01"]})
    pq.write_table(table, one / "activities.parquet")
    pq.write_table(table, two / "activities.parquet")
    assert build_plan.raw_file_digest(one, "activities") == build_plan.raw_file_digest(two, "activities")
    pq.write_table(pa.table({"activity_id": ["a2"], "occurred_at": ["2026-11-01"]}), two / "activities.parquet")
    assert build_plan.raw_file_digest(one, "activities") != build_plan.raw_file_digest(two, "activities")
    # an absent optional table has a digest of its own
    assert build_plan.raw_file_digest(one, "product_usage") not in {build_plan.raw_file_digest(one, "activities"), ""}


def test_the_landing_key_also_follows_the_write_time(tmp_path: Path) -> None:
    """The same bytes delivered again: the landed table is reloaded (its _loaded_at moves), the models
    built from it are not (their fingerprint follows the bytes)."""
    pq.write_table(pa.table({"activity_id": ["a1"], "occurred_at": ["2026-11-01"]}), tmp_path / "activities.parquet")
    digest, key = build_plan.raw_file_digest(tmp_path, "activities"), build_plan.raw_file_landing_key(tmp_path, "activities")
    written = (tmp_path / "activities.parquet").stat().st_mtime_ns
    os.utime(tmp_path / "activities.parquet", ns=(written + 10**9, written + 10**9))
    assert build_plan.raw_file_digest(tmp_path, "activities") == digest
    assert build_plan.raw_file_landing_key(tmp_path, "activities") != key


def appending_manifest() -> dict[str, Any]:
    """manifest() with scores an appending model that adds the new rows of base_activities."""
    m = manifest()
    m["nodes"]["model.abm_analytics.scores"]["config"] = {"materialized": "incremental",
                                                          "meta": {"appends_from": ["base_activities"]}}
    return m


def appending_after(m: dict[str, Any], sources: dict[str, str], as_of: str = "2026-11-01",
                    relations: set[tuple[str, str]] | None = None,
                    day_one: dict[str, Any] | None = None) -> frozenset[str]:
    """Build day_one (default: m) on day one — fingerprints and append bases stored —, then plan m with
    the given inputs."""
    before = day_one or m
    stored_fps = build_plan.node_fingerprints(before, SOURCES, "2026-11-01", SALT)
    stored = stored_fps | {uid + build_plan.APPEND_BASE_SUFFIX: base
                           for uid, base in build_plan.append_bases(before, stored_fps, SALT, "2026-11-01").items()}
    now = build_plan.node_fingerprints(m, sources, as_of, SALT)
    everything = {("staging", "base_activities"), ("staging", "base_accounts"), ("intermediate", "accounts"),
                  ("marts", "scores")}
    plan = build_plan.plan(m, now, stored, everything if relations is None else relations,
                           build_plan.append_bases(m, now, SALT, as_of))
    assert plan.bases.keys() == {"model.abm_analytics.scores"}
    return plan.appending


def test_an_appending_model_adds_rows_only_when_nothing_but_its_followed_events_changed() -> None:
    m = appending_manifest()
    new_events = SOURCES | {"source.abm_analytics.raw.activities": "a2"}
    assert appending_after(m, new_events) == {"model.abm_analytics.scores"}
    # the accounts it reads changed too: whole
    assert appending_after(m, new_events | {"source.abm_analytics.raw.crm_accounts": "c2"}) == frozenset()
    # it reads as_of_date: a new day changes what its stored rows would be, whole
    assert appending_after(m, new_events, as_of="2026-11-02") == frozenset()
    # the followed model's code changed: its stored rows may differ, whole
    new_code = appending_manifest()
    new_code["nodes"]["model.abm_analytics.base_activities"]["checksum"] = {"checksum": "new code"}
    assert appending_after(new_code, new_events, day_one=m) == frozenset()
    # and the same code on the next day's events again appends
    assert appending_after(new_code, new_events, day_one=new_code) == {"model.abm_analytics.scores"}


def test_a_model_that_fingerprints_the_day_still_appends_on_a_new_day() -> None:
    """meta day_in_fingerprint: the model hashes per row what the day makes of its inputs, so a new day
    leaves its append base as it was; its own code, and the tables it does not follow, still count."""
    m = appending_manifest()
    m["nodes"]["model.abm_analytics.scores"]["config"]["meta"]["day_in_fingerprint"] = True
    new_events = SOURCES | {"source.abm_analytics.raw.activities": "a2"}
    assert appending_after(m, new_events, as_of="2026-11-02") == {"model.abm_analytics.scores"}
    assert appending_after(m, new_events | {"source.abm_analytics.raw.crm_accounts": "c2"},
                           as_of="2026-11-02") == frozenset()
    new_code = appending_manifest()
    new_code["nodes"]["model.abm_analytics.scores"]["config"]["meta"]["day_in_fingerprint"] = True
    new_code["nodes"]["model.abm_analytics.scores"]["checksum"] = {"checksum": "new code"}
    assert appending_after(new_code, new_events, as_of="2026-11-02", day_one=m) == frozenset()


def test_an_appending_model_is_whole_when_its_followed_table_was_rebuilt_or_its_base_is_unknown() -> None:
    m = appending_manifest()
    new_events = SOURCES | {"source.abm_analytics.raw.activities": "a2"}
    rebuilt = {("staging", "base_accounts"), ("intermediate", "accounts"), ("marts", "scores")}
    assert appending_after(m, new_events, relations=rebuilt) == frozenset()
    now = build_plan.node_fingerprints(m, new_events, "2026-11-01", SALT)
    stored = build_plan.node_fingerprints(m, SOURCES, "2026-11-01", SALT)  # no append base stored
    everything = {("staging", "base_activities"), ("staging", "base_accounts"), ("intermediate", "accounts"),
                  ("marts", "scores")}
    assert build_plan.plan(m, now, stored, everything, build_plan.append_bases(m, now, SALT, "2026-11-01")
                           ).appending == frozenset()
    m["nodes"]["model.abm_analytics.scores"]["config"]["meta"] = {"appends_from": ["not_a_parent"]}
    with pytest.raises(ValueError, match="not_a_parent"):
        build_plan.append_bases(m, now, SALT, "2026-11-01")


def test_append_bases_are_stored_beside_fingerprints_and_the_appending_list_is_temporary() -> None:
    con = duckdb.connect()
    build_plan.store_fingerprints(con, {"a": "1"}, ["a"], {"a": "base"})
    assert build_plan.stored_fingerprints(con) == {"a": "1", "a" + build_plan.APPEND_BASE_SUFFIX: "base"}
    build_plan.write_appending(con, ["a"])
    assert con.execute(f"select * from {build_plan.APPENDING_TABLE}").fetchall() == [("a",)]
    build_plan.clear_appending(con)
    assert con.execute("select count(*) from duckdb_tables() where table_name = 'appending_nodes'").fetchall() == [(0,)]
