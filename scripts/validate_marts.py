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

Given the last validated build (--previous; the refresh passes its state file), a mart whose suite has a
scope column (a column every key contains: a history's period end, an account, a person) and the same
fingerprint as then (meta.validated_suites, written by record_validated when a build passes) is
validated row by row only in the parts whose validated columns changed since; its table-level
expectations still see every row.

    python scripts/validate_marts.py warehouse/abm.duckdb --as-of 2026-11-01 --docs-dir warehouse/data_docs
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import duckdb  # noqa: E402
import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
from great_expectations.expectations.row_conditions import Column  # noqa: E402
from changed_parts import (PREVIOUS, changed_parts, quote, record_fingerprints, recorded_fingerprints,  # noqa: E402
                           scoped_query)

# rows of one pandas frame: a batch of a few columns stays well under a gigabyte in GX
MAX_ROWS = 2_000_000
RATE = {"min_value": 0, "max_value": 1}
SCORE = {"min_value": 0, "max_value": 100}
CONSENT_STATUSES = ["consented", "opted_out", "unreadable_answer", "no_answer"]
# rows with a current consent (a GX condition object: string conditions are deprecated since GX 1.9)
CURRENT_CONSENT = Column("has_consent") == True  # noqa: E712


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
    # a column every key of the suite contains, whose values split the rows into parts (a history's
    # period end, an account): given the last validated build, only the parts whose rows changed since
    # are validated row by row (run_suites, previous). Only for a suite whose row-level expectations
    # hold for an unchanged row as the as_of_date moves forward.
    scope_column: str | None = None


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
    ], scope_column="account_id"),
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
          ], scope_column="account_id"),
    Suite("fct_account_department_phase", "select account_id, department, current_phase_order "
          "from marts.fct_account_department_phase", lambda f: [
              *key("account_id", "department"),
              gxe.ExpectColumnValuesToBeBetween(column="current_phase_order", min_value=0, max_value=4),
          ], scope_column="account_id"),
    # the histories keep evaluated_on a date: their scope column, compared and filtered as stored
    Suite("fct_department_phase_history", "select account_id, department, evaluated_on, "
          "phase_order from marts.fct_department_phase_history", lambda f: [
              *key("account_id", "department", "evaluated_on"),
              gxe.ExpectColumnValuesToBeBetween(column="phase_order", min_value=0, max_value=4),
          ], scope_column="evaluated_on"),
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
          ], scope_column="person_id"),
    Suite("fct_contact_consent", "select person_id, channel, has_consent, consent_status, "
          "coalesce(last_opt_out_at < decided_at, true) as no_later_opt_out "
          "from marts.fct_contact_consent", lambda f: [
              *key("person_id", "channel"),
              gxe.ExpectColumnValuesToBeInSet(column="consent_status", value_set=CONSENT_STATUSES),
              # a current consent is never older than the person's last opt-out
              gxe.ExpectColumnValuesToBeInSet(column="no_later_opt_out", value_set=[True],
                                              row_condition=CURRENT_CONSENT),
          ], scope_column="person_id"),
    Suite("bridge_account_sources", "select source_table, source_system, source_record_id, account_id, match_score "
          "from marts.bridge_account_sources", lambda f: [
              *key("source_table", "source_system", "source_record_id"),
              gxe.ExpectColumnValuesToBeInSet(column="source_table", value_set=["crm_accounts", "contacts", "firmographics"]),
              between("match_score", RATE),
          ], scope_column="source_record_id"),
    Suite("rpt_identity_review_pairs", "select record_key_from, record_key_to, name_similarity "
          "from marts.rpt_identity_review_pairs", lambda f: [
              *key("record_key_from", "record_key_to"), between("name_similarity", RATE),
          ]),
    Suite("fct_account_revenue_monthly", "select account_id, cast(month_start as varchar) as month_start, mrr_jpy, "
          "month_start <= date '{as_of}' as not_after_as_of from marts.fct_account_revenue_monthly",
          lambda f: [
              *key("account_id", "month_start"),
              gxe.ExpectColumnValuesToBeInSet(column="not_after_as_of", value_set=[True]),
          ], scope_column="account_id"),
    Suite("rpt_revenue_kpis_monthly", "select cast(month_start as varchar) as month_start, logo_churn_rate, "
          "gross_profit_churn_rate from marts.rpt_revenue_kpis_monthly", lambda f: [
              *key("month_start"), between("logo_churn_rate", RATE),
          ]),
    Suite("fct_account_whitespace", "select account_id, department, product_line, departments_covered "
          "from marts.fct_account_whitespace", lambda f: [
              *key("account_id", "department", "product_line"),
              gxe.ExpectColumnValuesToBeBetween(column="departments_covered", min_value=0),
          ], scope_column="account_id"),
    Suite("fct_account_funnel_history", "select account_id, evaluated_on, coverage_rate, "
          "reach_rate, evaluated_on <= date '{as_of}' as not_after_as_of "
          "from marts.fct_account_funnel_history", lambda f: [
              *key("account_id", "evaluated_on"), between("coverage_rate", RATE), between("reach_rate", RATE),
              # holds for a period end that did not change: as_of_date only moves forward
              gxe.ExpectColumnValuesToBeInSet(column="not_after_as_of", value_set=[True]),
          ], scope_column="evaluated_on"),
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


def validation_runs(con: duckdb.DuckDBPyConnection, mart: str, query: str, expectations: list[Any],
                    max_rows: int, scoped: str | None = None) -> tuple[int, list[tuple[str, list[Any], list[str]]]]:
    """The rows validated row by row, and the runs: (suite name, expectations, one query per batch). One
    run over the whole mart when it fits in max_rows and no scope (`scoped`, the rows that changed) is
    given; else the row-level expectations run on the scoped rows in batches of max_rows, and the
    table-level ones (row counts) once on a one-column frame of every row of the mart."""
    checked = scoped or query
    rows = int(con.execute(f"select count(*) from ({checked}) as q").fetchall()[0][0])
    batches = max(1, -(-rows // max_rows))
    if batches == 1 and scoped is None:
        return rows, [(mart, expectations, [query])]
    table_level = [expectation for expectation in expectations if is_table_level(expectation)]
    row_level = [expectation for expectation in expectations if not is_table_level(expectation)]
    queries = [checked]
    if batches > 1:
        columns = [column[0] for column in con.execute(f"select * from ({query}) as q limit 0").description]
        split = ", ".join(quote(column) for column in batch_columns(row_level, columns))
        queries = [f"select * from ({checked}) as q where hash({split}) % {batches} = {batch}" for batch in range(batches)]
    runs = [(mart, row_level, queries)]
    if table_level:
        runs.append((f"{mart}__table", table_level, [f"select true as row_present from ({query}) as q"]))
    return rows, runs


def fingerprint(suite: Suite, expectations: list[Any]) -> str:
    """What a suite checks row by row: its query (as written, before the as_of_date is filled in) and
    its row-level expectations. Rows validated under the same fingerprint need not be validated again."""
    checks = [expectation.configuration.to_json_dict() for expectation in expectations if not is_table_level(expectation)]
    text = json.dumps([suite.query, suite.scope_column, checks], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def record_validated(build_path: Path, report: dict[str, Any]) -> None:
    """Store the fingerprint of every suite the build passed in it (meta.validated_suites): when this
    build is the last validated one, the next run validates row by row only what changed since."""
    passed = {mart: suite["fingerprint"] for mart, suite in report["suites"].items() if suite["success"]}
    record_fingerprints(build_path, "validated_suites", "mart", passed, (
        "The Great Expectations suites this file passed before it was published (scripts/validate_marts.py), "
        "one row per mart.",
        "The mart the suite checks.",
        "Hash of the suite's query and row-level expectations: rows validated under the same fingerprint "
        "are not validated again."))


def run_suites(duckdb_path: Path, as_of: date, docs_dir: Path | None, max_rows: int = MAX_ROWS,
               suites: tuple[Suite, ...] = SUITES, previous: Path | None = None) -> dict[str, Any]:
    """Validate every mart; return {'success': bool, 'suites': {mart: {...}}}. Data docs go to docs_dir.

    previous: the last published build (the refresh's state file), validated when it was published,
    with the fingerprints of the suites it passed (record_validated). A suite with a scope column whose
    fingerprint is unchanged is then validated row by row only in the parts whose rows changed since:
    every key includes the scope column, so a duplicate lies within one part, and a part whose rows are
    those of the validated build passed the same checks then. Table-level expectations see every row."""
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    con = duckdb.connect(str(duckdb_path), read_only=True)
    project = Path(tempfile.mkdtemp(prefix="abm_gx_"))
    try:
        validated: dict[str, str] = {}
        if previous is not None and previous.exists():
            con.execute(f"attach ? as {PREVIOUS} (read_only)", [str(previous)])
            validated = recorded_fingerprints(con, "validated_suites", "mart")
        facts = read_facts(con, as_of)
        context = gx.get_context(mode="file", project_root_dir=str(project))
        context.variables.progress_bars = {"globally": False}
        source = context.data_sources.add_pandas("marts")
        report: dict[str, Any] = {"success": True, "accounts": facts.accounts, "as_of": as_of.isoformat(), "suites": {}}
        for suite_spec in suites:
            started = time.monotonic()
            query = suite_spec.query.replace("{as_of}", as_of.isoformat())
            expectations = suite_spec.expectations(facts)
            checks = fingerprint(suite_spec, expectations)
            scope, scoped = None, None
            if suite_spec.scope_column and validated.get(suite_spec.mart) == checks:
                parts = changed_parts(con, query, suite_spec.scope_column)
                if parts is not None:
                    scope = f"{parts[0]} of {parts[1]} {suite_spec.scope_column} changed since the last validated build"
                    scoped = scoped_query(query, suite_spec.scope_column)
            rows, runs = validation_runs(con, suite_spec.mart, query, expectations, max_rows, scoped)
            success, failed, batches = True, [], 0
            for name, run_expectations, queries in runs:
                batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
                suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=run_expectations))
                definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
                for batch_query in queries:
                    result = definition.run(batch_parameters={"dataframe": con.execute(batch_query).df()})
                    failed += [f"{r.expectation_config.type}({r.expectation_config.kwargs.get('column') or r.expectation_config.kwargs.get('column_list') or ''})"
                               for r in result.results if not r.success]
                    success = success and bool(result.success)
                    batches += 1
            report["suites"][suite_spec.mart] = {"rows": rows, "success": success, "failed": sorted(set(failed)),
                                                 "batches": batches, "fingerprint": checks,
                                                 "seconds": round(time.monotonic() - started, 1)} | ({"scope": scope} if scope else {})
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
                        help="the last validated build: marts with a scope column are validated row by row only where they changed")
    args = parser.parse_args(argv)
    report = run_suites(args.duckdb, args.as_of, args.docs_dir, args.max_rows, previous=args.previous)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if report["success"] else 1


if __name__ == "__main__":
    sys.exit(main())
