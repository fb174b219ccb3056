#!/usr/bin/env python3
"""Great Expectations gate for the marts: one suite per mart, run on a DuckDB file, HTML data docs.

GX 1.x's SQL data source fails on DuckDB through duckdb-engine ("resolve_metric_bundle IndexError"), so
each mart is read read-only from DuckDB into pandas and validated with GX's pandas data source. Suites
check keys, ranges and allowed values, reconcile row counts with dim_accounts and check that the marts
are for the expected as_of_date (freshness).

A mart of more than --max-rows rows (default MAX_ROWS) is validated in batches that each fit in memory:
rows are split by a hash of the columns every uniqueness expectation of the suite shares, so all copies
of a key land in the same batch and a duplicate is still found; table-level expectations (row counts)
run once on a one-column frame of every row. Read whole, the 1M-company warehouse's histories (tens of
millions of rows) took the process past 24 GB and the kernel killed it (measured 2026-12-06).

    python scripts/validate_marts.py warehouse/abm.duckdb --as-of 2026-11-01 --docs-dir warehouse/data_docs
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import duckdb  # noqa: E402
import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402

# rows of one pandas frame: a batch of a few columns stays well under a gigabyte in GX
MAX_ROWS = 2_000_000
# the catalogue name of the last published build when run_suites compares with it
PREVIOUS = "abm_validated_build"
RATE = {"min_value": 0, "max_value": 1}
SCORE = {"min_value": 0, "max_value": 100}
CONSENT_STATUSES = ["consented", "opted_out", "unreadable_answer", "no_answer"]


@dataclass(frozen=True)
class Facts:
    """Figures the suites compare against, read from the file and the run."""

    accounts: int
    as_of: date
    sdr_queue_size: int = 200


@dataclass
class Suite:
    mart: str
    query: str
    expectations: Callable[[Facts], list[Any]]
    columns: list[str] = field(default_factory=list)
    # a history's period column (part of its key): given the last published build, only the periods
    # whose rows changed since are validated (run_suites, previous)
    period_column: str | None = None


def between(column: str, bounds: dict[str, int]) -> Any:
    return gxe.ExpectColumnValuesToBeBetween(column=column, **bounds)


def key(*columns: str) -> list[Any]:
    if len(columns) == 1:
        return [gxe.ExpectColumnValuesToNotBeNull(column=columns[0]), gxe.ExpectColumnValuesToBeUnique(column=columns[0])]
    return [gxe.ExpectCompoundColumnsToBeUnique(column_list=list(columns))]


def fresh(column: str, facts: Facts) -> Any:
    """The mart is for the expected as_of_date. Dates are compared as ISO text: GX stores suites as
    JSON, where a date value set would come back as a string."""
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=[facts.as_of.isoformat()])


SUITES: tuple[Suite, ...] = (
    Suite("dim_accounts", "select account_id, is_customer, is_target from marts.dim_accounts", lambda f: [
        *key("account_id"),
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
        gxe.ExpectColumnValuesToBeInSet(column="is_customer", value_set=[True, False]),
    ]),
    Suite("fct_account_funnel", "select * replace (cast(as_of_date as varchar) as as_of_date) from marts.fct_account_funnel", lambda f: [
        *key("account_id"),
        gxe.ExpectTableRowCountToEqual(value=f.accounts),
        between("coverage_rate", RATE), between("reach_rate", RATE), between("win_rate", RATE),
        gxe.ExpectColumnValuesToBeInSet(column="cohort", value_set=["target", "control", "other"]),
        gxe.ExpectColumnValuesToBeInSet(column="funnel_stage",
                                        value_set=["none", "covered", "reached", "engaged", "pipeline", "won"]),
        fresh("as_of_date", f),
    ]),
    Suite("fct_account_scores", "select * replace (cast(scored_at as varchar) as scored_at) from marts.fct_account_scores", lambda f: [
        *key("account_id"),
        gxe.ExpectTableRowCountToEqual(value=f.accounts),
        between("fit_score", SCORE), between("intent_score", SCORE),
        between("engagement_score", SCORE), between("account_score", SCORE),
        gxe.ExpectColumnValuesToBeInSet(column="score_tier", value_set=[1, 2, 3]),
        fresh("scored_at", f),
    ]),
    Suite("fct_account_ltv", "select account_id, ltv_jpy, abm_eligible, cast(as_of_date as varchar) as as_of_date "
          "from marts.fct_account_ltv", lambda f: [
        *key("account_id"),
        gxe.ExpectTableRowCountToEqual(value=f.accounts),
        fresh("as_of_date", f),
    ]),
    Suite("fct_buying_committee", "select account_id, buying_role, relationship_strength from marts.fct_buying_committee",
          lambda f: [
              *key("account_id", "buying_role"),
              gxe.ExpectColumnValuesToBeInSet(column="relationship_strength",
                                              value_set=["strong", "warm", "cold", "not_reached", "unknown"]),
          ]),
    Suite("fct_account_department_phase", "select account_id, department, current_phase_order "
          "from marts.fct_account_department_phase", lambda f: [
              *key("account_id", "department"),
              gxe.ExpectColumnValuesToBeBetween(column="current_phase_order", min_value=0, max_value=4),
          ]),
    Suite("fct_department_phase_history", "select account_id, department, cast(evaluated_on as varchar) as evaluated_on, "
          "phase_order from marts.fct_department_phase_history", lambda f: [
              *key("account_id", "department", "evaluated_on"),
              gxe.ExpectColumnValuesToBeBetween(column="phase_order", min_value=0, max_value=4),
          ], period_column="evaluated_on"),
    Suite("rpt_department_phase_transitions", "select cast(quarter_end as varchar) as quarter_end, cohort, from_phase, "
          "to_phase, direction, departments from marts.rpt_department_phase_transitions", lambda f: [
              *key("quarter_end", "cohort", "from_phase", "to_phase"),
              gxe.ExpectColumnValuesToBeInSet(column="direction", value_set=["forward", "back", "stayed"]),
              gxe.ExpectColumnValuesToBeBetween(column="departments", min_value=1),
          ]),
    Suite("rpt_account_funnel", "select * from marts.rpt_account_funnel", lambda f: [
        *key("period_type", "period_end", "target_tier", "industry", "cohort", "owner"),
        *[between(f"staircase_{step}_conversion", RATE) for step in ("coverage", "reach", "engagement",
                                                                      "pipeline", "win")],
    ]),
    Suite("rpt_account_funnel_current", "select * from marts.rpt_account_funnel_current", lambda f: [
        *key("target_tier", "score_tier", "industry", "cohort", "owner"),
        gxe.ExpectColumnValuesToBeInSet(column="cohort", value_set=["target", "control", "other"]),
        between("accounts", {"min_value": 1}),
    ]),
    Suite("rpt_revenue_monthly_segments", "select cast(month_start as varchar) as month_start, target_tier, cohort, "
          "owner, industry, mrr_jpy, active_accounts from marts.rpt_revenue_monthly_segments", lambda f: [
        *key("month_start", "target_tier", "cohort", "owner", "industry"),
        between("mrr_jpy", {"min_value": 0}),
        between("active_accounts", {"min_value": 0}),
    ]),
    Suite("rpt_abm_lift", "select * from marts.rpt_abm_lift", lambda f: [
        *key("quarter_start", "tier", "metric"),
        gxe.ExpectColumnValuesToBeInSet(column="metric",
                                        value_set=["sql_rate", "pipeline_amount_per_account", "win_rate", "acv_jpy"]),
        gxe.ExpectColumnValuesToBeInSet(column="estimator",
                                        value_set=["paired_difference_in_differences", "difference_in_differences"]),
        gxe.ExpectColumnValuesToNotBeNull(column="pairs"),
    ]),
    Suite("fct_abm_lift_pairs", "select target_account_id, control_account_id, match_status, fit_gap_points "
          "from marts.fct_abm_lift_pairs", lambda f: [
        *key("target_account_id"),
        gxe.ExpectColumnValuesToBeInSet(column="match_status", value_set=["matched", "outside_caliper", "no_candidate"]),
        between("fit_gap_points", SCORE),
    ]),
    Suite("rpt_demand_waterfall", "select * from marts.rpt_demand_waterfall", lambda f: [
        *key("mql_month", "account_segment"),
        between("sal_rate", RATE), between("pipeline_registration_rate", RATE),
    ]),
    Suite("rpt_sdr_queue", "select queue_rank, account_id from marts.rpt_sdr_queue", lambda f: [
        *key("queue_rank"), *key("account_id"),
        gxe.ExpectTableRowCountToBeBetween(min_value=0, max_value=f.sdr_queue_size),
    ]),
    Suite("rpt_activation_contacts", "select person_id, channel, email, has_consent "
          "from marts.rpt_activation_contacts", lambda f: [
              *key("person_id", "channel"),
              # one row per address and channel: a person written three ways is delivered once
              gxe.ExpectCompoundColumnsToBeUnique(column_list=["email", "channel"]),
              gxe.ExpectColumnValuesToNotBeNull(column="email"),
              gxe.ExpectColumnValuesToBeInSet(column="has_consent", value_set=[True]),
          ]),
    Suite("dim_contacts", "select person_id, buying_role, source_records, email_consent_status, ads_consent_status "
          "from marts.dim_contacts", lambda f: [
              *key("person_id"),
              gxe.ExpectColumnValuesToBeBetween(column="source_records", min_value=1),
              *[gxe.ExpectColumnValuesToBeInSet(column=column, value_set=CONSENT_STATUSES)
                for column in ("email_consent_status", "ads_consent_status")],
          ]),
    Suite("fct_contact_consent", "select person_id, channel, has_consent, consent_status, "
          "coalesce(last_opt_out_at < decided_at, true) as no_later_opt_out "
          "from marts.fct_contact_consent", lambda f: [
              *key("person_id", "channel"),
              gxe.ExpectColumnValuesToBeInSet(column="consent_status", value_set=CONSENT_STATUSES),
              # a current consent is never older than the person's last opt-out
              gxe.ExpectColumnValuesToBeInSet(column="no_later_opt_out", value_set=[True],
                                              row_condition="has_consent==True", condition_parser="pandas"),
          ]),
    Suite("bridge_account_sources", "select source_table, source_system, source_record_id, account_id, match_score "
          "from marts.bridge_account_sources", lambda f: [
              *key("source_table", "source_system", "source_record_id"),
              gxe.ExpectColumnValuesToBeInSet(column="source_table", value_set=["crm_accounts", "contacts", "firmographics"]),
              between("match_score", RATE),
          ]),
    Suite("rpt_identity_review_pairs", "select record_key_from, record_key_to, name_similarity "
          "from marts.rpt_identity_review_pairs", lambda f: [
              *key("record_key_from", "record_key_to"), between("name_similarity", RATE),
          ]),
    Suite("fct_account_revenue_monthly", "select account_id, cast(month_start as varchar) as month_start, mrr_jpy, "
          "date_diff('day', date '{as_of}', month_start) as days_after_as_of from marts.fct_account_revenue_monthly",
          lambda f: [
              *key("account_id", "month_start"),
              gxe.ExpectColumnValuesToBeBetween(column="days_after_as_of", max_value=0),
          ]),
    Suite("rpt_revenue_kpis_monthly", "select cast(month_start as varchar) as month_start, logo_churn_rate, "
          "gross_profit_churn_rate from marts.rpt_revenue_kpis_monthly", lambda f: [
              *key("month_start"), between("logo_churn_rate", RATE),
          ]),
    Suite("fct_account_whitespace", "select account_id, department, product_line, departments_covered "
          "from marts.fct_account_whitespace", lambda f: [
              *key("account_id", "department", "product_line"),
              gxe.ExpectColumnValuesToBeBetween(column="departments_covered", min_value=0),
          ]),
    Suite("fct_account_funnel_history", "select account_id, cast(evaluated_on as varchar) as evaluated_on, coverage_rate, "
          "reach_rate, date_diff('day', date '{as_of}', evaluated_on) as days_after_as_of "
          "from marts.fct_account_funnel_history", lambda f: [
              *key("account_id", "evaluated_on"), between("coverage_rate", RATE), between("reach_rate", RATE),
              # holds for a period end that did not change: as_of_date only moves forward
              gxe.ExpectColumnValuesToBeBetween(column="days_after_as_of", max_value=0),
          ], period_column="evaluated_on"),
    Suite("fct_account_plan_progress", "select goal_id, status, progress_rate from marts.fct_account_plan_progress",
          lambda f: [
              *key("goal_id"),
              gxe.ExpectColumnValuesToBeInSet(column="status",
                                              value_set=["met", "on_track", "at_risk", "overdue", "open",
                                                         "unknown_metric", "unknown_account", "due_before_plan_start"]),
              gxe.ExpectColumnValuesToBeBetween(column="progress_rate", min_value=0),
          ]),
    Suite("rpt_account_plan_review", "select plan_id, plan_status, goals, goals_met + goals_on_track + goals_at_risk "
          "+ goals_overdue as goals_by_status from marts.rpt_account_plan_review", lambda f: [
              *key("plan_id"),
              gxe.ExpectColumnValuesToBeInSet(column="plan_status",
                                              value_set=["on_track", "at_risk", "no_open_goals", "no_goals", "unknown_account"]),
              gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="goals", column_B="goals_by_status", or_equal=True),
          ]),
    Suite("rpt_campaign_kpis", "select campaign_id, action_category, aimed_reach_rate, target_account_attendees, attendees "
          "from marts.rpt_campaign_kpis", lambda f: [
              *key("campaign_id"),
              gxe.ExpectColumnValuesToBeInSet(column="action_category",
                                              value_set=["create", "expand", "deepen", "other", "unknown"]),
              between("aimed_reach_rate", RATE),
              gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="attendees", column_B="target_account_attendees",
                                                          or_equal=True),
          ]),
    Suite("rpt_target_candidates", "select account_id, recommendation, appetite_score, target_customer_share "
          "from marts.rpt_target_candidates", lambda f: [
              *key("account_id"),
              gxe.ExpectColumnValuesToBeInSet(column="recommendation", value_set=["add", "drop", "keep", "watch"]),
              between("appetite_score", SCORE), between("target_customer_share", RATE),
          ]),
    Suite("rpt_sales_sla", "select cast(mql_month as varchar) as mql_month, owner, target_tier, within_sla_rate "
          "from marts.rpt_sales_sla", lambda f: [
              *key("mql_month", "owner", "target_tier"), between("within_sla_rate", RATE),
          ]),
    Suite("rpt_buying_committee_reach", "select cohort, target_tier, buying_role, role_coverage_rate, first_contact_rate, "
          "reached_of_known_rate, sum(accounts) over (partition by buying_role) as accounts_in_role "
          "from marts.rpt_buying_committee_reach", lambda f: [
              *key("cohort", "target_tier", "buying_role"),
              *[between(column, RATE) for column in ("role_coverage_rate", "first_contact_rate", "reached_of_known_rate")],
              # every role counts every account of dim_accounts once
              gxe.ExpectColumnValuesToBeBetween(column="accounts_in_role", min_value=f.accounts, max_value=f.accounts),
          ]),
    Suite("rpt_pipeline_stage_conversion", "select stage, conversion_rate from marts.rpt_pipeline_stage_conversion",
          lambda f: [*key("stage"), between("conversion_rate", RATE)]),
)


def read_facts(con: duckdb.DuckDBPyConnection, as_of: date) -> Facts:
    accounts = con.execute("select count(*) from marts.dim_accounts").fetchall()[0][0]
    return Facts(accounts=int(accounts), as_of=as_of)


def unique_keys(expectations: list[Any]) -> list[list[str]]:
    """The column sets the suite's uniqueness expectations check."""
    keys = []
    for expectation in expectations:
        if isinstance(expectation, gxe.ExpectColumnValuesToBeUnique):
            keys.append([expectation.column])
        elif isinstance(expectation, gxe.ExpectCompoundColumnsToBeUnique):
            keys.append(list(expectation.column_list))
    return keys


def batch_columns(expectations: list[Any], columns: list[str]) -> list[str]:
    """Columns to split a suite's rows by: those every uniqueness expectation shares (all copies of a key
    then fall in one batch); any column when the suite checks no key."""
    keys = unique_keys(expectations)
    if not keys:
        return columns[:1]
    shared = [column for column in keys[0] if all(column in key for key in keys[1:])]
    if not shared:
        raise ValueError(f"keys {keys} share no column: the suite cannot be validated in batches")
    return shared


def is_table_level(expectation: Any) -> bool:
    return type(expectation).__name__.startswith("ExpectTable")


def quote(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def quote_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def validation_runs(con: duckdb.DuckDBPyConnection, mart: str, query: str, expectations: list[Any],
                    max_rows: int) -> tuple[int, list[tuple[str, list[Any], list[str]]]]:
    """The suite's rows, and its runs: (suite name, expectations, one query per batch). One run over the
    whole mart when it fits in max_rows."""
    rows = int(con.execute(f"select count(*) from ({query}) as q").fetchall()[0][0])
    batches = -(-rows // max_rows)
    if batches <= 1:
        return rows, [(mart, expectations, [query])]
    table_level = [expectation for expectation in expectations if is_table_level(expectation)]
    row_level = [expectation for expectation in expectations if not is_table_level(expectation)]
    columns = [column[0] for column in con.execute(f"select * from ({query}) as q limit 0").description]
    split = ", ".join(quote(column) for column in batch_columns(row_level, columns))
    runs = [(mart, row_level, [f"select * from ({query}) as q where hash({split}) % {batches} = {batch}"
                               for batch in range(batches)])]
    if table_level:
        runs.append((f"{mart}__table", table_level, [f"select true as row_present from ({query}) as q"]))
    return rows, runs


def changed_periods(con: duckdb.DuckDBPyConnection, mart: str, period: str) -> tuple[list[str], int] | None:
    """The periods of a history whose rows differ from the last published build's (attached as PREVIOUS):
    a new period, or one whose row count or order-free row hash changed. None when there is nothing to
    compare with (no such table there, other columns): validate it all."""
    def columns(catalog: str) -> list[str]:
        return [row[0] for row in con.execute(
            "select column_name from duckdb_columns() where database_name = ? and schema_name = 'marts' "
            "and table_name = ? order by column_index", [catalog, mart]).fetchall()]

    now = columns(con.execute("select current_database()").fetchall()[0][0])
    if not now or columns(PREVIOUS) != now:
        return None
    row_hash = f"sum(hash({', '.join(quote(column) for column in now)}))"
    per_period = "select {p} as period, count(*) as row_count, {h} as row_hash from {t} group by {p}"
    current = per_period.format(p=quote(period), h=row_hash, t=f"marts.{quote(mart)}")
    before = per_period.format(p=quote(period), h=row_hash, t=f"{PREVIOUS}.marts.{quote(mart)}")
    # every period of the table once, flagged: the count of periods comes from the same scan
    periods = con.execute(
        f"select cast(now.period as varchar), was.period is null from ({current}) as now left join ({before}) as was "
        "on was.period = now.period and was.row_count = now.row_count and was.row_hash = now.row_hash "
        "order by 1").fetchall()
    return [period for period, changed in periods if changed], len(periods)


def run_suites(duckdb_path: Path, as_of: date, docs_dir: Path | None, max_rows: int = MAX_ROWS,
               suites: tuple[Suite, ...] = SUITES, previous: Path | None = None) -> dict[str, Any]:
    """Validate every mart; return {'success': bool, 'suites': {mart: {...}}}. Data docs go to docs_dir.

    previous: the last published build (the refresh's state file), validated when it was published. A
    history (Suite.period_column) is then validated only in the periods whose rows changed since: its
    key includes the period, so a duplicate lies within one period, and a period whose rows are those
    of the validated build passed then (expectations that hold for a period as the day moves on)."""
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    con = duckdb.connect(str(duckdb_path), read_only=True)
    project = Path(tempfile.mkdtemp(prefix="abm_gx_"))
    try:
        compare = previous is not None and previous.exists()
        if compare:
            con.execute(f"attach ? as {PREVIOUS} (read_only)", [str(previous)])
        facts = read_facts(con, as_of)
        context = gx.get_context(mode="file", project_root_dir=str(project))
        context.variables.progress_bars = {"globally": False}
        source = context.data_sources.add_pandas("marts")
        report: dict[str, Any] = {"success": True, "accounts": facts.accounts, "as_of": as_of.isoformat(), "suites": {}}
        for suite_spec in suites:
            query = suite_spec.query.replace("{as_of}", as_of.isoformat())
            scope = None
            if compare and suite_spec.period_column:
                periods = changed_periods(con, suite_spec.mart, suite_spec.period_column)
                if periods is not None:
                    changed, total = periods
                    scope = f"{len(changed)} of {total} {suite_spec.period_column} changed since the last published build"
                    listed = ", ".join(quote_text(period) for period in changed) or "null"
                    query = f"select * from ({query}) as q where cast(q.{quote(suite_spec.period_column)} as varchar) in ({listed})"
            rows, runs = validation_runs(con, suite_spec.mart, query, suite_spec.expectations(facts), max_rows)
            success, failed, batches = True, [], 0
            for name, expectations, queries in runs:
                batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
                suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
                definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
                for batch_query in queries:
                    result = definition.run(batch_parameters={"dataframe": con.execute(batch_query).df()})
                    failed += [f"{r.expectation_config.type}({r.expectation_config.kwargs.get('column') or r.expectation_config.kwargs.get('column_list') or ''})"
                               for r in result.results if not r.success]
                    success = success and bool(result.success)
                    batches += 1
            report["suites"][suite_spec.mart] = {"rows": rows, "success": success, "failed": sorted(set(failed)),
                                                 "batches": batches} | ({"scope": scope} if scope else {})
            report["success"] = report["success"] and success
        if docs_dir is not None:
            context.build_data_docs()
            site = project / "gx" / "uncommitted" / "data_docs" / "local_site"
            shutil.rmtree(docs_dir, ignore_errors=True)
            shutil.copytree(site, docs_dir)
        return report
    finally:
        con.close()
        shutil.rmtree(project, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("duckdb", type=Path)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date.today())
    parser.add_argument("--docs-dir", type=Path, default=None)
    parser.add_argument("--max-rows", type=int, default=MAX_ROWS, help="rows validated in one pandas frame")
    parser.add_argument("--previous", type=Path, default=None,
                        help="the last published (validated) build: histories are validated only where they changed")
    args = parser.parse_args(argv)
    report = run_suites(args.duckdb, args.as_of, args.docs_dir, args.max_rows, previous=args.previous)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if report["success"] else 1


if __name__ == "__main__":
    sys.exit(main())
