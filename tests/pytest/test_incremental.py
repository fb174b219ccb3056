"""Incremental event models: a daily run adds only new rows (plus a look-back), running twice changes
nothing, a replayed file does not double-count, and --full-refresh gives the identical result. The
funnel history keeps closed periods frozen when old data changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import cut_events_before, generate, run_dbt

# xdist: a group runs on one worker, so its module and session builds are made once
pytestmark = [pytest.mark.dbt, pytest.mark.xdist_group("incremental")]

# what is compared between runs; the loader's lineage columns (file row numbers) are left out, and so is
# inputs_fingerprint: it records the inputs a row was evaluated from (macros/funnel/carried_states.sql),
# so a frozen period end evaluated yesterday keeps yesterday's while a full refresh records today's
COMPARED = (
    "staging.stg_ma__activities", "staging.stg_product__usage_events", "staging.stg_intent__signals",
    "staging.stg_crm__opportunity_stage_history", "staging.stg_ma__lead_status_history",
    "marts.fct_account_scores", "marts.fct_account_funnel", "marts.fct_account_funnel_history",
    "marts.fct_account_department_phase", "marts.fct_department_phase_history", "marts.rpt_demand_waterfall",
    # incremental too: a daily run evaluates only as_of_date and the recent period ends
    "intermediate.int_account_funnel_evaluated", "intermediate.int_department_phases_evaluated",
    # normalized names come from base_identity__company_names, which keeps them across runs
    "staging.base_identity__company_names", "staging.stg_crm__accounts", "staging.stg_crm__contacts",
    "staging.stg_firmographics__companies",
)
# every build but day two's builds only what the compared tables are made from (68 of 125 models): what
# else a build makes is compared by no test of this module; day two's build is whole, with its data tests
COMPARED_AND_UPSTREAM = ("--select", *(f"+{table.split('.')[1]}" for table in COMPARED))
YESTERDAY = "2026-10-29"  # day one's delivery stops here; the as-of date is 2026-11-01


def table_rows(db: Path, table: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = [name for name, in con.execute(
            "select column_name from information_schema.columns where table_schema || '.' || table_name = ? "
            "and column_name not in ('_source_file', '_source_row_number', 'scored_at', 'inputs_fingerprint') "
            "order by ordinal_position",
            [table]).fetchall()]
        return con.execute(f"select {', '.join(columns)} from {table} order by all").fetchall()
    finally:
        con.close()


def snapshot(db: Path) -> dict[str, list[tuple]]:
    return {table: table_rows(db, table) for table in COMPARED}


def replay_rows(raw: Path, table: str, rows: int) -> None:
    """Append the file's first `rows` rows again, as a re-delivered export would."""
    data = pq.read_table(raw / f"{table}.parquet")
    pq.write_table(pa.concat_tables([data, data.slice(0, rows)]), raw / f"{table}.parquet")


@pytest.fixture(scope="module")
def daily_runs(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("incremental")
    full_raw = generate(work / "gen", accounts=300, seed=21)
    day1 = work / "day1_raw"
    cut_events_before(full_raw, day1, YESTERDAY)
    warehouse = work / "warehouse"
    warehouse.mkdir()
    # day one builds what the compared tables are made from, without data tests (make test's own build
    # runs them on 3,000 companies); day two's build is whole, and its data tests check what the
    # incremental run left
    first = run_dbt(day1, warehouse, "build", *COMPARED_AND_UPSTREAM, data_tests=False)
    assert first.returncode == 0, first.output[-3000:]
    after_day1 = snapshot(first.duckdb_path)
    # day two: today's complete exports, with a replayed chunk of activities and usage events
    day2 = work / "day2_raw"
    shutil.copytree(full_raw, day2)
    replay_rows(day2, "activities", 40)
    replay_rows(day2, "product_usage", 25)
    second = run_dbt(day2, warehouse, "build")
    assert second.returncode == 0, second.output[-3000:]
    return work, day2, warehouse, after_day1, snapshot(second.duckdb_path)


def test_day_two_adds_the_new_events(daily_runs) -> None:
    _, _, _, after_day1, after_day2 = daily_runs
    for table in COMPARED[:2]:
        assert len(after_day2[table]) > len(after_day1[table]), table


def test_replayed_event_ids_are_not_double_counted(daily_runs) -> None:
    _, _, warehouse, _, _ = daily_runs
    con = duckdb.connect(str(warehouse / "abm.duckdb"), read_only=True)
    try:
        for table, key in (("stg_ma__activities", "activity_id"), ("stg_product__usage_events", "event_id")):
            rows, keys = con.execute(f"select count(*), count(distinct {key}) from staging.{table}").fetchall()[0]
            assert rows == keys, table
        replayed = con.execute("select count(*) from staging.stg_raw__quarantine where source_table = 'activities' "
                               "and quarantine_rule = 'duplicate_key'").fetchall()[0][0]
        assert replayed >= 40
    finally:
        con.close()


def test_running_the_same_day_twice_changes_nothing(daily_runs) -> None:
    _, day2, warehouse, _, after_day2 = daily_runs
    again = run_dbt(day2, warehouse, "build", *COMPARED_AND_UPSTREAM, data_tests=False)
    assert again.returncode == 0, again.output[-3000:]
    assert snapshot(again.duckdb_path) == after_day2


def test_full_refresh_gives_the_incremental_result(daily_runs, tmp_path: Path) -> None:
    _, day2, warehouse, _, after_day2 = daily_runs
    shutil.copy(warehouse / "abm.duckdb", tmp_path / "abm.duckdb")
    full = run_dbt(day2, tmp_path, "build", "--full-refresh", *COMPARED_AND_UPSTREAM, data_tests=False)
    assert full.returncode == 0, full.output[-3000:]
    rebuilt = snapshot(full.duckdb_path)
    for table in COMPARED:
        assert rebuilt[table] == after_day2[table], table


def test_the_next_day_incremental_run_equals_a_full_refresh(daily_runs, tmp_path: Path) -> None:
    """as_of_date moves a day: yesterday's as_of rows and flags leave the evaluated funnel and phases,
    the new day and the recent period ends are evaluated, older period ends are kept — and every
    compared table equals a rebuild from scratch for the same day."""
    _, day2, warehouse, _, _ = daily_runs
    next_day = "as_of_date: '2026-11-02'"
    (tmp_path / "incremental").mkdir()
    shutil.copy(warehouse / "abm.duckdb", tmp_path / "incremental" / "abm.duckdb")
    incremental = run_dbt(day2, tmp_path / "incremental", "build", *COMPARED_AND_UPSTREAM, dbt_vars=next_day,
                          data_tests=False)
    assert incremental.returncode == 0, incremental.output[-3000:]
    full = run_dbt(day2, tmp_path / "full", "build", "--full-refresh", *COMPARED_AND_UPSTREAM, dbt_vars=next_day,
                   data_tests=False)
    assert full.returncode == 0, full.output[-3000:]
    after, rebuilt = snapshot(incremental.duckdb_path), snapshot(full.duckdb_path)
    for table in COMPARED:
        assert after[table] == rebuilt[table], table
    con = duckdb.connect(str(incremental.duckdb_path), read_only=True)
    try:
        spine = con.execute("select evaluated_on from intermediate.int_funnel_evaluation_dates").fetchall()
        kept = con.execute("select distinct evaluated_on from intermediate.int_account_funnel_evaluated").fetchall()
    finally:
        con.close()
    # exactly the spine's days: 2026-11-01, yesterday's as_of_date, stays as a week end, flags renewed
    assert sorted(kept) == sorted(spine) and len(spine) > 20


def test_a_changed_normalizer_normalizes_every_name_again(daily_runs, tmp_path: Path) -> None:
    """The stored names were normalized by another version of the normalizer (as after an upgrade):
    the daily run normalizes every name in the files again and removes the old version's names the
    files no longer carry — the result equals the run that never had them."""
    _, day2, warehouse, _, after_day2 = daily_runs
    shutil.copy(warehouse / "abm.duckdb", tmp_path / "abm.duckdb")
    con = duckdb.connect(str(tmp_path / "abm.duckdb"))
    try:
        con.execute("update staging.base_identity__company_names "
                    "set normalizer_version = 'older', company_name_normalized = 'stale'")
        con.execute("insert into staging.base_identity__company_names values ('株式会社もう無い', 'もう無い', 'older')")
    finally:
        con.close()
    # no data tests: every compared table, the stored names among them, must equal day two's own build
    rerun = run_dbt(day2, tmp_path, "build", *COMPARED_AND_UPSTREAM, data_tests=False)
    assert rerun.returncode == 0, rerun.output[-3000:]
    after = snapshot(rerun.duckdb_path)
    for table in COMPARED:
        assert after[table] == after_day2[table], table


def test_closed_months_stay_frozen_when_old_data_changes(daily_runs, tmp_path: Path) -> None:
    _, day2, warehouse, _, after_day2 = daily_runs
    shutil.copy(warehouse / "abm.duckdb", tmp_path / "abm.duckdb")
    changed = tmp_path / "raw"
    shutil.copytree(day2, changed)
    # every opportunity disappears from the CRM export: today's funnel changes, June's must not
    opportunities = pq.read_table(changed / "opportunities.parquet")
    pq.write_table(opportunities.slice(0, 0), changed / "opportunities.parquet")
    rerun = run_dbt(changed, tmp_path, "build", *COMPARED_AND_UPSTREAM, data_tests=False)
    assert rerun.returncode == 0, rerun.output[-3000:]
    for history, day_column in (("marts.fct_account_funnel_history", 1), ("marts.fct_department_phase_history", 2)):
        before = [row for row in after_day2[history] if str(row[day_column]) == "2026-06-30"]
        after = [row for row in table_rows(rerun.duckdb_path, history) if str(row[day_column]) == "2026-06-30"]
        assert before and after == before, history
    assert table_rows(rerun.duckdb_path, "marts.fct_account_funnel") != after_day2["marts.fct_account_funnel"]
