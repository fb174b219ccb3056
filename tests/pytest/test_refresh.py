"""The scheduled refresh: publishes only a built and validated file, atomically; bad input, a failed
validation or a kill at any step leaves the published file untouched; the next run recovers alone."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import AS_OF, ROOT, generate
from refresh import CHANGED_SELECTOR, gate_repeated_tests

# xdist: a group runs on one worker, so its module and session builds are made once
pytestmark = [pytest.mark.dbt, pytest.mark.xdist_group("refresh")]

REFRESH = ROOT / "scripts" / "refresh.py"


def refresh_command(work: Path, raw: Path, *extra: str) -> list[str]:
    return [sys.executable, str(REFRESH), "--as-of", AS_OF, "--raw-dir", str(raw),
            "--publish-path", str(work / "published.duckdb"), "--build-dir", str(work / "build"),
            "--log-file", str(work / "refresh.jsonl"), "--docs-dir", str(work / "docs"), *extra]


# Tests of the orchestration (kills, readers during a publish) need a publish, not a new build of the
# same data: they rebuild what changed since the published build — nothing — and validate and publish
# the last good build (a full build each would add about 45 s per run to the suite and prove nothing more).
PUBLISH_ONLY = ("--selector", CHANGED_SELECTOR)


def run_refresh(work: Path, raw: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(refresh_command(work, raw, *extra), cwd=ROOT, capture_output=True, text=True, check=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def published_run_id(path: Path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        accounts = con.execute("select count(*) from marts.dim_accounts").fetchall()[0][0]
        assert accounts > 0
        return con.execute("select run_id from meta.refresh_run").fetchall()[0][0]
    finally:
        con.close()


def log_lines(work: Path) -> list[dict]:
    return [json.loads(line) for line in (work / "refresh.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory):
    """A raw folder and a first successful refresh of it."""
    work = tmp_path_factory.mktemp("refresh")
    raw = generate(work / "gen", accounts=300, seed=5)
    result = run_refresh(work, raw)
    assert result.returncode == 0, result.stderr[-3000:]
    return work, raw


# the marts with a column tagged pii (scripts/published_copy.py: publication)
PERSONAL_MARTS = {"dim_contacts", "fct_buying_committee", "rpt_activation_contacts", "rpt_sdr_queue"}


def test_refresh_publishes_a_validated_file_and_logs_json_lines(published) -> None:
    work, _ = published
    run_id = published_run_id(work / "published.duckdb")
    lines = log_lines(work)
    assert {line["run_id"] for line in lines} == {run_id}
    steps = [(line["step"], line["status"]) for line in lines]
    for name in ("freshness", "build", "validate", "publish"):
        assert (name, "ok") in steps
    assert steps[-1] == ("refresh", "published")
    build = next(line for line in lines if line["step"] == "build" and line["status"] == "ok")
    assert build["rows"]["fct_account_funnel"] == build["rows"]["dim_accounts"] > 0
    publish = next(line for line in lines if line["step"] == "publish" and line["status"] == "ok")
    assert set(publish["seconds_by_part"]) == {"stamp", "copies", "renames"}
    assert (work / "docs" / "index.html").exists()
    assert not list((work / "build").glob("run_*"))


def test_published_file_holds_only_the_marts_and_no_raw_personal_data(published) -> None:
    """BI users open the published file: no raw, staging or intermediate table, so no raw e-mail or
    name without a consent filter; the private state file keeps everything the next build needs."""
    work, _ = published
    con = duckdb.connect(str(work / "published.duckdb"), read_only=True)
    try:
        schemas = {row[0] for row in con.execute("select distinct schema_name from duckdb_tables()").fetchall()}
        contact_columns = con.execute(
            "select count(*) from information_schema.columns where table_schema = 'marts' "
            "and column_name in ('email', 'full_name')").fetchall()[0][0]
        marts = {row[0] for row in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()}
        not_null = con.execute("select count(*) from duckdb_constraints() where constraint_type = 'NOT NULL' "
                               "and table_name = 'dim_accounts'").fetchall()[0][0]
        validated = {row[0] for row in con.execute("select mart from meta.validated_suites").fetchall()}
    finally:
        con.close()
    assert schemas == {"marts", "meta"}
    # the personal-data marts are published in the file beside it, written anew every day
    assert contact_columns == 0 and not marts & PERSONAL_MARTS and {"dim_accounts", "fct_contact_consent"} <= marts
    people = duckdb.connect(str(work / "published_people.duckdb"), read_only=True)
    try:
        assert {row[0] for row in people.execute("select table_name from duckdb_tables() where schema_name = 'marts'")
                .fetchall()} == PERSONAL_MARTS
    finally:
        people.close()
    assert not_null > 0, "the copy lost the marts' NOT NULL constraints"
    import validate_marts  # noqa: PLC0415

    assert validated == {suite.mart for suite in validate_marts.SUITES}, "the suites the file passed are recorded"
    state = duckdb.connect(str(work / "build" / "state" / "abm.duckdb"), read_only=True)
    try:
        registry = state.execute("select count(*) from intermediate.int_account_ids_assigned").fetchall()[0][0]
    finally:
        state.close()
    assert registry > 0


def test_an_old_layout_published_file_seeds_the_state_once(tmp_path: Path) -> None:
    """Before the state file existed, the published file held the id registry: it seeds the state."""
    import refresh  # noqa: PLC0415

    old = tmp_path / "published.duckdb"
    con = duckdb.connect(str(old))
    con.execute("create schema intermediate")
    con.execute("create table intermediate.int_account_ids_assigned as select 'r' as record_key, 'a' as account_id")
    con.close()
    settings = refresh.Settings(raw_dir=tmp_path, publish_path=old, build_dir=tmp_path / "build", log_file=tmp_path / "l",
                                docs_dir=tmp_path / "d", as_of=date(2026, 11, 1), max_raw_age_hours=36, dbt=Path("dbt"))
    target = tmp_path / "run" / "abm.duckdb"
    target.parent.mkdir()
    assert refresh.stage_build_file(settings, target) == "published file (old layout)"
    assert target.exists()
    marts_only = tmp_path / "marts_only.duckdb"
    duckdb.connect(str(marts_only)).execute("create schema marts; create table marts.t as select 1 as x").close()
    settings = refresh.Settings(**{**settings.__dict__, "publish_path": marts_only})
    assert refresh.stage_build_file(settings, tmp_path / "run" / "other.duckdb") == "empty"


def break_empty(raw: Path) -> None:
    (raw / "activities.parquet").write_bytes(b"")


def break_truncated(raw: Path) -> None:
    data = (raw / "contacts.parquet").read_bytes()
    (raw / "contacts.parquet").write_bytes(data[: len(data) // 2])


def break_missing_column(raw: Path) -> None:
    table = pq.read_table(raw / "crm_accounts.parquet").drop(["account_name"])
    (raw / "crm_accounts.parquet").unlink()
    table.to_pandas().to_csv(raw / "crm_accounts.csv", index=False)


def break_date_format(raw: Path) -> None:
    table = pq.read_table(raw / "opportunities.parquet").to_pandas()
    table["created_at"] = "31.12.2025"
    (raw / "opportunities.parquet").unlink()
    table.to_csv(raw / "opportunities.csv", index=False)


@pytest.mark.parametrize(("breaker", "named"), [
    (break_empty, ["activities"]),
    (break_truncated, ["contacts"]),
    (break_missing_column, ["crm_accounts", "account_name"]),
    (break_date_format, ["opportunities", "created_at"]),
])
def test_bad_input_is_named_and_nothing_is_published(published, tmp_path: Path, breaker, named) -> None:
    work, raw = published
    before = digest(work / "published.duckdb")
    broken = tmp_path / "raw"
    shutil.copytree(raw, broken)
    breaker(broken)
    result = run_refresh(work, broken)
    assert result.returncode in (1, 2), result.stderr
    reason = result.stderr.strip().splitlines()[-1]
    assert reason.startswith("refresh failed:")
    for word in named:
        assert word in reason, reason
    assert digest(work / "published.duckdb") == before


def test_failed_validation_does_not_publish(published, monkeypatch: pytest.MonkeyPatch) -> None:
    """The gate itself: a suite that fails stops the run before the rename (exit 3)."""
    import refresh
    import validate_marts

    work, raw = published
    before = digest(work / "published.duckdb")
    failing = {"success": False, "suites": {"fct_account_funnel": {"success": False, "rows": 0, "seconds": 0.1,
                                                                   "failed": ["expect_table_row_count_to_equal()"],
                                                                   "fingerprint": "0"}}}
    monkeypatch.setattr(validate_marts, "run_suites", lambda *args, **kwargs: failing)
    # the gate is under test, not dbt: the build file starts as a copy of the last good build, so
    # skipping dbt leaves real marts to count and a build that "succeeded"
    monkeypatch.setattr(refresh, "run_dbt", lambda *args, **kwargs: "")
    settings = refresh.parse_settings(refresh_command(work, raw)[2:])
    log = refresh.JsonLog(settings.log_file, "validation_test")
    with pytest.raises(refresh.RefreshError) as error:
        refresh.refresh(settings, "validation_test", log)
    assert error.value.code == refresh.EXIT_VALIDATION
    assert "fct_account_funnel" in error.value.reason
    assert digest(work / "published.duckdb") == before


def start_paused_refresh(work: Path, raw: Path, point: str) -> subprocess.Popen:
    """A publish-only refresh that waits 120 s at `point`; returns once it is inside that step."""
    earlier = len(log_lines(work))  # only this run's lines count (an earlier run may have passed `point`)
    proc = subprocess.Popen(refresh_command(work, raw, *PUBLISH_ONLY), cwd=ROOT, env=os.environ | {"ABM_REFRESH_PAUSE": f"{point}:120"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if any(line["step"] == point and line["status"] == "started" for line in log_lines(work)[earlier:]):
            break
        time.sleep(0.5)
    assert proc.poll() is None, f"the refresh ended before reaching {point}"
    time.sleep(3)  # inside the step (dbt seed done / GX running / before the rename)
    return proc


def test_killed_refresh_leaves_the_published_file_and_the_next_run_recovers(published) -> None:
    """Killed (SIGKILL) inside the build, the validation and just before the rename, one after the other:
    each time the published file is byte-identical and still opens, and the next run removes the folder
    the killed one left; the run after the third kill publishes. One recovery run for the three kills
    (a full refresh each would add two builds to the suite and prove nothing more). The runs rebuild
    what changed since the published build (nothing): what is under test is the publish."""
    work, raw = published
    before = digest(work / "published.duckdb")
    cleanups_before = sum(1 for line in log_lines(work) if line["step"] == "cleanup" and line["status"] == "ok")
    for point in ("build", "validate", "publish"):
        proc = start_paused_refresh(work, raw, point)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert digest(work / "published.duckdb") == before, point
        published_run_id(work / "published.duckdb")  # still opens and holds its marts
        assert list((work / "build").glob("run_*")), f"the run killed at {point} should have left its build folder"
    recovered = run_refresh(work, raw, *PUBLISH_ONLY)
    assert recovered.returncode == 0, recovered.stderr[-3000:]
    build = [line for line in log_lines(work) if line["step"] == "build" and line["status"] == "ok"][-1]
    assert (build["selector"], build["nodes"]) == (CHANGED_SELECTOR, 0), "nothing changed since the publish"
    validate = [line for line in log_lines(work) if line["step"] == "validate" and line["status"] == "ok"][-1]
    # nor since the validated build: the marts with a scope column have no row to validate row by row
    assert validate["scoped"] and all(scope.startswith("0 of ") for scope in validate["scoped"].values()), validate["scoped"]
    cleanups = [line for line in log_lines(work) if line["step"] == "cleanup" and line["status"] == "ok"]
    # the runs after the first kill each found the folder of the run killed before them
    assert len(cleanups) == cleanups_before + 4
    assert all(line["removed"] for line in cleanups[-3:])
    assert digest(work / "published.duckdb") != before
    # from the file published before: the marts' file updated (nothing changed but the stamp and the
    # gate's record), the personal-data file written anew
    publish = [line for line in log_lines(work) if line["step"] == "publish" and line["status"] == "ok"]
    assert set(publish[0]["tables"]["published"]) == {"fresh file"}, publish[0]["tables"]
    assert publish[-1]["tables"]["published"]["kept"] >= 30, publish[-1]["tables"]
    assert "fresh file" not in publish[-1]["tables"]["published"] and publish[-1]["tables"]["people"] == {"fresh file": 7}


def test_a_second_refresh_while_one_runs_is_refused(published) -> None:
    work, raw = published
    proc = start_paused_refresh(work, raw, "build")
    try:
        second = run_refresh(work, raw)
        assert second.returncode == 5
        assert "another refresh" in second.stderr
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_eight_readers_during_a_publish_see_one_whole_file_and_no_error(published) -> None:
    import benchmark_refresh

    # the module's published file is the old one the readers start on; one more refresh replaces it
    work, raw = published
    report = benchmark_refresh.readers_during_refresh(raw, work, readers=8, as_of=date.fromisoformat(AS_OF),
                                                      pause=0.25, first_refresh=False, selector=PUBLISH_ONLY[1])
    assert report["refresh_exit_code"] == 0, report["refresh_reason"]
    assert report["errors"] == 0, report["error_examples"]
    assert report["mixed_results"] == 0
    assert report["files_seen"] == 2, report["queries_per_file"]


def test_a_partial_selection_for_another_day_is_refused(published) -> None:
    """A partial rebuild would leave the unselected marts at the last build's day under a new stamp."""
    work, raw = published
    before = digest(work / "published.duckdb")
    proc = run_refresh(work, raw, *PUBLISH_ONLY, "--as-of", "2026-10-01")
    assert proc.returncode == 2, proc.stderr
    assert "run the full refresh" in proc.stderr and "2026-10-01" in proc.stderr
    assert digest(work / "published.duckdb") == before


def test_published_file_opens_in_duckdb_1_4(published) -> None:
    """BI tools embed DuckDB 1.4 LTS: the published file (stamped and checkpointed by the refresh) must open."""
    work, _ = published
    compat = ROOT / ".venv-compat" / "bin" / "python"
    assert compat.exists(), "make compat creates .venv-compat (make test does)"
    proc = subprocess.run([str(compat), str(ROOT / "scripts" / "check_duckdb_compat.py"), str(work / "published.duckdb"),
                           "--require", "marts.fct_account_funnel"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_superset_driver_types_every_published_mart_column(published) -> None:
    """Superset 6.1's DuckDB stack (duckdb-engine 0.17, SQLAlchemy 1.4, DuckDB 1.4) reflects every mart
    column as a number, text, flag, date or timestamp, fetches no Decimal, and sees every description
    and the declared keys of the published files (the marts' and the personal-data file beside it)."""
    work, _ = published
    compat = ROOT / ".venv-compat" / "bin" / "python"
    reports = []
    for name, keys in (("published.duckdb", ["dim_accounts", "fct_account_funnel", "fct_account_scores",
                                             "fct_account_ltv", "fct_account_revenue_monthly"]),
                       ("published_people.duckdb", ["dim_contacts", "rpt_sdr_queue"])):
        proc = subprocess.run([str(compat), str(ROOT / "scripts" / "check_bi_types.py"), str(work / name),
                               *[arg for key in keys for arg in ("--require-key", key)]],
                              capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        reports.append(json.loads(proc.stdout))
    assert sum(report["tables"] for report in reports) >= 28 and sum(report["columns"] for report in reports) >= 440
    assert sum(report["tables_with_primary_key"] for report in reports) >= 32, \
        "every contract's primary key is declared in the published files"


def test_each_test_left_to_the_gate_has_its_twin_in_a_gate_suite(published) -> None:
    """A data test the scheduled build leaves out (tag repeated_by_gate) is a key test whose key a gate
    suite of the same mart checks, scoped by a column of that key — or the daily job would check less."""
    import great_expectations.expectations as gxe  # noqa: PLC0415
    import validate_marts  # noqa: PLC0415

    work, _ = published
    manifest_path = work / "build" / "state" / "target" / "manifest.json"
    nodes = json.loads(manifest_path.read_text(encoding="utf-8"))["nodes"]
    facts = validate_marts.Facts(accounts=1, as_of=date.fromisoformat(AS_OF))
    gate_keys = {(suite.mart, tuple(expectation.column_list)): suite.scope_column
                 for suite in validate_marts.SUITES for expectation in suite.expectations(facts)
                 if isinstance(expectation, gxe.ExpectCompoundColumnsToBeUnique)}
    left = gate_repeated_tests(manifest_path)
    assert len(left) >= 2
    for uid in left:
        test = nodes[uid]
        assert test["test_metadata"]["name"] == "unique_combination_of_columns", uid
        mart = nodes[test["attached_node"]]["name"]
        columns = tuple(test["test_metadata"]["kwargs"]["combination_of_columns"])
        assert (mart, columns) in gate_keys, f"{uid}: no gate suite checks {mart} {columns}"
        assert gate_keys[(mart, columns)] in columns, f"{uid}: the gate's suite of {mart} is not scoped by its key"


def test_artifacts_persist_and_the_next_day_parses_only_what_changed(published) -> None:
    """The scheduled job keeps dbt's artifacts (manifest, run_results, partial parse) and the manifest of
    the published build; the next day's as_of_date reaches dbt without forcing a full re-parse."""
    work, raw = published
    state = work / "build" / "state"
    next_day = (date.fromisoformat(AS_OF).toordinal() + 1)
    proc = subprocess.run(refresh_command(work, raw, "--as-of", date.fromordinal(next_day).isoformat()), cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for artifact in ("manifest.json", "run_results.json", "partial_parse.msgpack"):
        assert (state / "target" / artifact).exists(), artifact
    assert (state / "published" / "manifest.json").exists()
    results = json.loads((state / "target" / "run_results.json").read_text(encoding="utf-8"))
    assert not [r for r in results["results"] if r["unique_id"].startswith("unit_test.")], "daily runs skip unit tests"
    build = [line for line in log_lines(work) if line["step"] == "build" and line["status"] == "ok"][-1]
    # planned (scripts/build_changed.py): the same files and a new as_of_date run what reads the date
    # and what reads that, and skip the rest (identity resolution reads no date)
    ran = {result["unique_id"] for result in results["results"]}
    assert results["args"]["select"] and build["plan"]["why"] == {"changed": build["plan"]["stale"]}
    assert 0 < build["nodes"] == len(ran) < build["plan"]["of"]
    assert "model.abm_analytics.fct_account_funnel" in ran
    assert "model.abm_analytics.int_company_records_clustered" not in ran
    # the histories' key tests are left to the gate (refresh.REPEATED_BY_GATE); their other tests run
    # (recorded as run once the gate passed: the plan counts them as changed, not as never built)
    left_to_gate = set(gate_repeated_tests(state / "target" / "manifest.json"))
    assert left_to_gate and not left_to_gate & ran
    validated = [line for line in log_lines(work) if line["step"] == "validate" and line["status"] == "ok"][-1]
    assert validated["recorded_for_gate"] == len(left_to_gate)
    assert "model.abm_analytics.fct_department_phase_history" in ran
    assert [uid for uid in ran if uid.startswith("test.abm_analytics.not_null_fct_department_phase_history_")]
    # the run's first dbt command (seed) re-used yesterday's parse: the new as_of_date forced no full parse
    assert build["parse"] == {"seed": "partial", "build": "partial"}, build["parse"]
    first = next(line for line in log_lines(work) if line["step"] == "build" and line["status"] == "ok")
    assert first["parse"]["seed"].startswith("full"), "the first run has no stored parse"
    con = duckdb.connect(str(work / "published.duckdb"), read_only=True)
    try:
        as_of = con.execute("select max(as_of_date) from marts.fct_account_funnel").fetchall()[0][0]
    finally:
        con.close()
    assert as_of == date.fromordinal(next_day)
