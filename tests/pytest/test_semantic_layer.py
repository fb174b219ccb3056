"""The semantic layer over the published file through the `bi` target: MetricFlow (`mf`) runs the saved
queries while a BI reader holds the file, and its trends equal the marts they are defined on."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT
from published_copy import write_published_copy

# xdist: a group runs on one worker, so its module and session builds are made once
pytestmark = [pytest.mark.dbt, pytest.mark.xdist_group("csv_build")]

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def published_copy(csv_build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, _, result = csv_build
    assert result.returncode == 0, result.output[-3000:]
    path = tmp_path_factory.mktemp("semantic") / "published.duckdb"
    write_published_copy(result.duckdb_path, path)
    return path


def bi_env(published: Path) -> dict[str, str]:
    # mf reads <project>/target/semantic_manifest.json, whatever DBT_TARGET_PATH says.
    env = {key: value for key, value in os.environ.items() if key != "DBT_TARGET_PATH"}
    return env | {"ABM_TARGET": "bi", "ABM_PUBLISH_PATH": str(published), "DBT_PROFILES_DIR": str(ROOT)}


@pytest.fixture(scope="module")
def reader_holds_file(published_copy: Path) -> Iterator[Path]:
    """A BI reader's open read-only connection for the whole module; then the semantic manifest."""
    reader = duckdb.connect(str(published_copy), read_only=True)
    reader.execute("select count(*) from marts.dim_accounts").fetchall()
    parse = subprocess.run([str(BIN / "dbt"), "parse", "--quiet"], cwd=ROOT, env=bi_env(published_copy),
                           capture_output=True, text=True, check=False)
    assert parse.returncode == 0, parse.stdout + parse.stderr
    yield published_copy
    reader.close()


def saved_query(published: Path, name: str, out: Path) -> list[dict[str, str]]:
    proc = subprocess.run([str(BIN / "mf"), "query", "--saved-query", name, "--csv", str(out)], cwd=ROOT,
                          env=bi_env(published), capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and out.exists(), proc.stdout + proc.stderr
    with out.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def rows(published: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(published), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_dbt_show_reads_the_published_file_through_the_bi_target(reader_holds_file: Path) -> None:
    proc = subprocess.run([str(BIN / "dbt"), "show", "--quiet", "--inline",
                           "select count(*) as accounts from {{ ref('dim_accounts') }}", "--output", "json"],
                          cwd=ROOT, env=bi_env(reader_holds_file), capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    expected = rows(reader_holds_file, "select count(*) from marts.dim_accounts")[0][0]
    assert f'"accounts": {expected}' in proc.stdout


def test_revenue_trend_has_a_row_per_month_equal_to_the_mart(reader_holds_file: Path, tmp_path: Path) -> None:
    result = saved_query(reader_holds_file, "revenue_trend", tmp_path / "revenue.csv")
    expected = {str(month): (mrr, new, churned, active) for month, mrr, new, churned, active in rows(
        reader_holds_file, """
        select month_start, sum(mrr_jpy), sum(new_mrr_jpy), sum(churned_mrr_jpy), count(*) filter (where is_active)
        from marts.fct_account_revenue_monthly group by month_start""")}
    assert len(result) == len(expected) > 12, "one row per month of revenue history"
    for row in result:
        month = row["metric_time__month"][:10]
        mrr, new, churned, active = expected[month]
        assert (int(row["mrr_jpy"]), int(row["new_mrr_jpy"]), int(row["churned_mrr_jpy"]),
                int(row["active_customers"])) == (mrr, new, churned, active), month
        assert int(row["arr_jpy"]) == 12 * mrr


def test_funnel_trend_takes_each_month_end_per_cohort(reader_holds_file: Path, tmp_path: Path) -> None:
    result = saved_query(reader_holds_file, "funnel_trend_by_cohort", tmp_path / "funnel.csv")
    expected = {(str(day)[:7], cohort): (accounts, covered, pipeline)
                for day, cohort, accounts, covered, pipeline in rows(reader_holds_file, """
        select evaluated_on, cohort, count(*), count(*) filter (where is_covered), count(*) filter (where has_pipeline)
        from marts.fct_account_funnel_history where is_month_end group by evaluated_on, cohort""")}
    assert len({row["metric_time__month"] for row in result}) > 3, "a trend, not one as_of_date row"
    assert len(result) == len(expected)
    for row in result:
        key = (row["metric_time__month"][:7], row["funnel_snapshot__cohort"])
        assert (int(row["accounts_at_period_end"]), int(row["covered_accounts_at_period_end"]),
                int(row["pipeline_accounts_at_period_end"])) == expected[key], key


def test_funnel_now_equals_the_funnel_mart(reader_holds_file: Path, tmp_path: Path) -> None:
    result = saved_query(reader_holds_file, "funnel_now_by_cohort", tmp_path / "now.csv")
    expected = {cohort: (accounts, covered, staircase_won) for cohort, accounts, covered, staircase_won in rows(
        reader_holds_file, """
        select cohort, count(*), count(*) filter (where is_covered), count(*) filter (where staircase_stage_order >= 5)
        from marts.fct_account_funnel group by cohort""")}
    assert {row["account__cohort"]: (int(row["accounts"]), int(row["covered_accounts"]),
                                     int(row["staircase_won_accounts"])) for row in result} == expected
