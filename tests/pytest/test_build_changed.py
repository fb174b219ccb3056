"""The planned daily build (scripts/build_changed.py): it skips what neither the new events nor the new
as_of_date reach, and every table it leaves equals what the whole daily build makes from the same
warehouse, the touches appended for the new events alone; the same day again runs nothing; a dbt run
outside the plan, or a missing table, cannot leave a node skipped that should run; a changed contact
export rebuilds the touches whole, and the funnel, phases and campaign outcomes it carries equal a whole
evaluation."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

import build_changed
from conftest import ROOT, cut_events_before, generate

pytestmark = [pytest.mark.dbt, pytest.mark.xdist_group("build_changed")]

DAY_ONE, DAY_TWO = date(2026, 10, 31), date(2026, 11, 1)
# written at run time, not derived from the data: they differ between any two builds. previous_account_id
# is the id a record had before "the run that last assigned it": a run that re-assigns unchanged records
# sets it to their own id, a skipped one leaves it null — both read "unchanged" (int_account_ids_retired,
# which is compared, keeps only ids that differ)
RUN_TIME_COLUMNS = ("_loaded_at", "quarantined_at", "scored_at", "first_assigned_at", "dbt_valid_from",
                    "dbt_valid_to", "dbt_updated_at", "dbt_scd_id", "previous_account_id")
# skipped on day two: they read neither an event table nor as_of_date
# the evaluated funnel and phases carry stored states (macros/funnel/carried_states.sql)
CARRYING = ("int_account_funnel_evaluated", "int_department_phases_evaluated")
# marts that rewrite only the accounts whose inputs fingerprint changed (meta day_in_fingerprint)
CAMPAIGNS = ("fct_campaign_account_outcomes", "int_campaign_account_outcomes_measured")
PER_ACCOUNT = ("fct_buying_committee", *CAMPAIGNS)
UNTOUCHED = ("int_company_records_clustered", "int_accounts_consolidated", "int_people_consolidated",
             "base_crm__contacts", "int_company_records_linked_by_names")


def environment(work: Path, raw: Path, warehouse: Path) -> dict[str, str]:
    """A fixed raw path (a link) and target folder: the profile stays the same, so dbt parses partially."""
    link = work / "raw_link"
    if link.is_symlink():
        link.unlink()
    link.symlink_to(raw.resolve(), target_is_directory=True)
    return os.environ | {"ABM_RAW_DIR": str(link), "ABM_DUCKDB_PATH": str(warehouse),
                         "DBT_PROFILES_DIR": str(ROOT), "DBT_TARGET_PATH": str(work / "target"),
                         "DBT_LOG_PATH": str(work / "logs")}


def tables(db: Path) -> dict[str, list[tuple]]:
    """Every table a build writes, without the run-time columns; doubles rounded (summation order)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = con.execute("select schema_name, table_name from duckdb_tables() where schema_name in "
                            "('staging', 'intermediate', 'marts', 'snapshots') order by all").fetchall()
        rows = {}
        for schema, table in found:
            columns = [f'round("{name}", 8)' if kind in ("DOUBLE", "FLOAT") else f'"{name}"'
                       for name, kind in con.execute(
                           "select column_name, data_type from duckdb_columns() where schema_name = ? "
                           "and table_name = ? order by column_index", [schema, table]).fetchall()
                       if name not in RUN_TIME_COLUMNS]
            rows[f"{schema}.{table}"] = con.execute(
                f'select {", ".join(columns)} from "{schema}"."{table}" order by all').fetchall()
        return rows
    finally:
        con.close()


def qualified(found: dict[str, list[tuple]], names: tuple[str, ...]) -> list[str]:
    """schema.table of each model name among the tables found."""
    return [next(table for table in found if table.endswith("." + name)) for name in names]


def rows_since(db: Path, table: str, day: date) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"select * from {table} where evaluated_on >= ? order by all", [day]).fetchall()
    finally:
        con.close()


def run_names(work: Path) -> set[str]:
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    return {result["unique_id"].split(".")[2] for result in results}


@pytest.fixture(scope="module")
def two_days(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("build_changed")
    day_two_raw = generate(work / "gen", accounts=300, seed=33)
    day_one_raw = work / "day_one_raw"
    cut_events_before(day_two_raw, day_one_raw, DAY_TWO.isoformat())
    planned = work / "planned"
    planned.mkdir()
    first = build_changed.build_changed(DAY_ONE, {}, env=environment(planned, day_one_raw, planned / "abm.duckdb"))
    assert first["ran"] and first["why"] == {"new": first["nodes"]}
    plain = work / "plain"
    plain.mkdir()
    shutil.copy(planned / "abm.duckdb", plain / "abm.duckdb")
    second = build_changed.build_changed(DAY_TWO, {}, env=environment(planned, day_two_raw, planned / "abm.duckdb"))
    ran = run_names(planned)
    # the whole daily build from the same day-one warehouse, as the scheduled job ran it before (its
    # data tests left out: they write no table, and the planned run's tests ran on the same data)
    env = environment(plain, day_two_raw, plain / "abm.duckdb") | {"ABM_AS_OF_DATE": DAY_TWO.isoformat()}
    whole = subprocess.run([str(Path(sys.executable).parent / "dbt"), "build", "--selector", "daily_refresh",
                            "--exclude", "resource_type:test"],
                           cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert whole.returncode == 0, whole.stdout[-3000:]
    return work, day_two_raw, second, ran


def test_day_two_skips_what_neither_events_nor_the_date_reach(two_days) -> None:
    _, _, second, ran = two_days
    assert second["ran"] and 0 < second["stale"] < second["nodes"]
    assert set(second["why"]) == {"changed"}
    assert ran.isdisjoint(UNTOUCHED)
    assert {"base_ma__activities", "int_accounts_scored", "fct_account_funnel", "assert_raw_rows_reconcile"} <= ran
    # only the events grew: the touches are attributed for the recent events alone, and the evaluated funnel
    # and phases carry the stored state of the accounts whose inputs did not change
    assert second["appending"] == sorted([*CARRYING, *PER_ACCOUNT, "int_touches_attributed_to_accounts"])


def test_every_table_equals_the_whole_daily_build(two_days) -> None:
    work, _, _, _ = two_days
    planned, whole = tables(work / "planned" / "abm.duckdb"), tables(work / "plain" / "abm.duckdb")
    assert planned.keys() == whole.keys() and len(planned) > 100
    for table in planned:
        assert planned[table] == whole[table], table


def test_the_same_day_again_runs_nothing(two_days) -> None:
    work, day_two_raw, _, _ = two_days
    again = build_changed.build_changed(DAY_TWO, {}, dry_run=True,
                                        env=environment(work / "planned", day_two_raw, work / "planned" / "abm.duckdb"))
    assert again["stale"] == 0 and not again["ran"]


def test_a_build_outside_the_plan_or_a_missing_table_is_not_skipped(two_days, tmp_path: Path) -> None:
    work, day_two_raw, _, _ = two_days
    shutil.copy(work / "planned" / "abm.duckdb", tmp_path / "abm.duckdb")
    env = environment(tmp_path, day_two_raw, tmp_path / "abm.duckdb") | {"ABM_AS_OF_DATE": DAY_TWO.isoformat()}
    # a plain dbt run of one model (it could have read other files): its stored fingerprint is forgotten
    outside = subprocess.run([str(Path(sys.executable).parent / "dbt"), "run", "--select", "int_accounts_fit_scored"],
                             cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert outside.returncode == 0, outside.stdout[-3000:]
    con = duckdb.connect(str(tmp_path / "abm.duckdb"))
    con.execute("drop table intermediate.int_company_records_clustered")
    con.close()
    plan = build_changed.build_changed(DAY_TWO, {}, dry_run=True, env=env)
    assert plan["why"]["new"] == 1
    assert plan["why"]["missing table"] == 1 and plan["why"]["below a missing table"] > 10


def test_a_changed_contact_export_rebuilds_the_touches_whole(two_days, tmp_path: Path) -> None:
    """The touches append only while nothing but the events changed. A contact export without a tenth of
    its rows changes who a touch belongs to: the planned build rebuilds every touch (none appended), and
    the table equals a --full-refresh of the model on the same inputs — no touch of a vanished contact
    survives from before. The evaluated funnel and phases still carry the states of the accounts whose
    people and touches did not change: what they hold equals evaluating every account again."""
    work, day_two_raw, _, _ = two_days
    raw = tmp_path / "raw"
    shutil.copytree(day_two_raw, raw)
    contacts = pq.read_table(raw / "contacts.parquet")
    pq.write_table(contacts.slice(0, contacts.num_rows * 9 // 10), raw / "contacts.parquet")
    shutil.copy(work / "planned" / "abm.duckdb", tmp_path / "abm.duckdb")
    env = environment(tmp_path, raw, tmp_path / "abm.duckdb")
    third = build_changed.build_changed(DAY_TWO, {}, env=env)
    assert third["ran"] and "int_touches_attributed_to_accounts" in run_names(tmp_path)
    # whole: the committee (it follows no people) and the campaign outcomes (contacts feed identity
    # resolution, so the campaigns' account lists are resolved anew); their mart compares its rows
    assert third["appending"] == sorted([*CARRYING, "fct_campaign_account_outcomes"])
    touches = "intermediate.int_touches_attributed_to_accounts"
    evaluated = [f"intermediate.{name}" for name in CARRYING]
    planned = tables(tmp_path / "abm.duckdb")
    before = tables(work / "planned" / "abm.duckdb")
    assert planned[touches] != before[touches]  # the contacts did change touches
    assert all(planned[table] != before[table] for table in evaluated)  # … and funnels and phases
    dbt = str(Path(sys.executable).parent / "dbt")
    env |= {"ABM_AS_OF_DATE": DAY_TWO.isoformat()}
    refreshed = subprocess.run([dbt, "run", "--full-refresh", "--select", "int_touches_attributed_to_accounts"],
                               cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert refreshed.returncode == 0, refreshed.stdout[-3000:]
    # outside the plan nothing is carried: the same days are evaluated for every account
    evaluated_again = subprocess.run([dbt, "run", "--select", *CARRYING, *CAMPAIGNS],
                                     cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert evaluated_again.returncode == 0, evaluated_again.stdout[-3000:]
    after = tables(tmp_path / "abm.duckdb")
    for table in [touches, *evaluated, *qualified(after, CAMPAIGNS)]:
        assert planned[table] == after[table], table
    # the days the daily build evaluated (as_of_date and the period ends in the look-back) hold what an
    # evaluation from scratch gives: no row of a department whose contacts vanished stays behind
    since = DAY_TWO - timedelta(days=7)
    recent = {table: rows_since(tmp_path / "abm.duckdb", table, since) for table in evaluated}
    from_scratch = subprocess.run([dbt, "run", "--full-refresh", "--select", *CARRYING],
                                  cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert from_scratch.returncode == 0, from_scratch.stdout[-3000:]
    for table in evaluated:
        assert recent[table] == rows_since(tmp_path / "abm.duckdb", table, since), table


def test_carried_states_follow_the_windows(two_days, tmp_path: Path) -> None:
    """Two weeks on with no new data: no account's inputs change, yet meetings, wins, high-intent touches
    and opportunities leave their windows. With the two models listed as the plan lists them, the days
    they evaluate equal an evaluation of every account (mutation-checked: without the window-edge check,
    carried states keep what left the windows). The same for the marts carried per account: the buying
    committee (touches leave its engagement window, the target list moves with the day) and the
    campaign outcomes."""
    work, day_two_raw, _, _ = two_days
    shutil.copy(work / "planned" / "abm.duckdb", tmp_path / "abm.duckdb")
    later = DAY_TWO + timedelta(days=14)
    env = environment(tmp_path, day_two_raw, tmp_path / "abm.duckdb") | {"ABM_AS_OF_DATE": later.isoformat()}
    dbt = str(Path(sys.executable).parent / "dbt")

    def run(*args: str) -> None:
        done = subprocess.run([dbt, "run", "--select", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, done.stdout[-3000:]

    # the days to evaluate and the target list on the day: nothing else they read reads the date
    run("int_funnel_evaluation_dates", "int_target_accounts_resolved")
    con = duckdb.connect(str(tmp_path / "abm.duckdb"))
    build_changed.build_plan.write_appending(con, [f"model.abm_analytics.{name}" for name in CARRYING + PER_ACCOUNT])
    con.close()
    run(*CARRYING, *PER_ACCOUNT)
    con = duckdb.connect(str(tmp_path / "abm.duckdb"))
    build_changed.build_plan.clear_appending(con)
    con.close()
    evaluated = [f"intermediate.{name}" for name in CARRYING]
    since = later - timedelta(days=7)
    carried = {table: rows_since(tmp_path / "abm.duckdb", table, since) for table in evaluated}
    assert all(carried.values())
    stored = tables(tmp_path / "abm.duckdb")
    per_account = qualified(stored, PER_ACCOUNT)
    carried_per_account = {table: stored[table] for table in per_account}
    run(*CARRYING, *PER_ACCOUNT)  # outside the plan: every account evaluated again
    for table in evaluated:
        assert carried[table] == rows_since(tmp_path / "abm.duckdb", table, since), table
    after = tables(tmp_path / "abm.duckdb")
    for table in per_account:
        assert carried_per_account[table] == after[table], table


def key_test(target: Path, model: str) -> tuple[str, str]:
    """The name of the model's key test (unique_combination_of_columns) and the SQL dbt ran for it in the
    last build there."""
    nodes = json.loads((target / "manifest.json").read_text())["nodes"].values()
    found = [node for node in nodes if node["resource_type"] == "test"
             and (node.get("test_metadata") or {}).get("name") == "unique_combination_of_columns"
             and node.get("attached_node") == f"model.abm_analytics.{model}"]
    assert len(found) == 1, found
    node = found[0]
    ran = target / "run" / "abm_analytics" / node["original_file_path"] / node["path"]
    return node["name"], ran.read_text(encoding="utf-8")


def test_the_evaluated_key_tests_read_the_days_the_build_wrote(two_days, tmp_path: Path) -> None:
    """Appending on day two, the evaluated funnel and phases recorded the days they may write (macro
    record_evaluated_days); their key tests checked those days only. On a copy of the warehouse, with
    the record put back as that build left it: a key repeated on a recorded day fails the test as dbt ran
    it, one on an older day is not read there (those rows passed the test when they were written) — yet
    a `dbt test` of its own, another invocation, reads every row and fails. The record goes with the
    build."""
    work, _, _, _ = two_days
    day_two_run = json.loads((work / "planned" / "target" / "run_results.json").read_text())
    invocation = day_two_run["metadata"]["invocation_id"]
    shutil.copy(work / "planned" / "abm.duckdb", tmp_path / "abm.duckdb")
    con = duckdb.connect(str(tmp_path / "abm.duckdb"))
    try:
        assert con.execute("select count(*) from duckdb_tables() where schema_name = 'abm_build' "
                           "and table_name = 'evaluated_days'").fetchall()[0][0] == 0
        for model in CARRYING:
            _, sql = key_test(work / "planned" / "target", model)
            assert "evaluated_days" in sql and invocation in sql, model
            table = f"intermediate.{model}"
            con.execute("create or replace table abm_build.evaluated_days as select ? as relation_name, "
                        "? as invocation_id, ?::date as evaluated_on", [model, invocation, DAY_TWO])
            # dbt's wrapper: one row, the number of failing keys first
            assert con.execute(sql).fetchall()[0][0] == 0, model
            oldest = con.execute(f"select min(evaluated_on) from {table}").fetchall()[0][0]
            assert oldest < DAY_TWO - timedelta(days=30)
            con.execute(f"insert into {table} select * from {table} where evaluated_on = ? limit 1", [oldest])
            assert con.execute(sql).fetchall()[0][0] == 0, model  # an older day is not read
            con.execute(f"insert into {table} select * from {table} where evaluated_on = ? limit 1", [DAY_TWO])
            assert con.execute(sql).fetchall()[0][0] == 1, model  # a recorded day is
    finally:
        con.close()
    env = environment(tmp_path, work / "day_one_raw", tmp_path / "abm.duckdb") | {"ABM_AS_OF_DATE": DAY_TWO.isoformat()}
    own = subprocess.run([str(Path(sys.executable).parent / "dbt"), "test", "--select",
                          *(key_test(work / "planned" / "target", model)[0] for model in CARRYING)],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert own.returncode == 1, own.stdout[-3000:]
    # both tests fail, each on its two repeated keys: the older day's too
    assert own.stdout.count("Got 2 results") == 2, own.stdout[-3000:]
