#!/usr/bin/env python3
"""Reference dashboard over the published DuckDB file: account funnel with drill-down to its accounts,
funnel and MRR trends, target vs control lift with the pairs behind it, phase moves, tiers, demand
waterfall, SDR queue, one account's 360° view, and CSV downloads — filtered by target tier, cohort,
owner, industry and trend period.

Server-rendered: Jinja2 templates with autoescape, charts as SVG drawn on the server by leather (already
installed with dbt: pure Python, no JavaScript, nothing fetched from the network, so the page works
offline and a screenshot shows the chart). Each request opens one read-only connection (the SDR queue
and the buying committee from the personal-data file beside the published one, attached read-only),
runs its queries and closes it, so the dashboard never holds the files a refresh publishes over. Figures carry
data-metric attributes, so a test can compare what is shown with the marts.

    python scripts/dashboard.py --duckdb warehouse/abm_published.duckdb --port 8501
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs, unquote, urlencode
from wsgiref.simple_server import WSGIServer, make_server

import duckdb
import pyarrow.csv as pacsv
import leather
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from published_copy import attach_people, personal

TEMPLATES = Path(__file__).resolve().parent / "dashboard_templates"
# stage, the mart's flag, label (Japanese with the English term)
STAGES = (("covered", "is_covered", "カバー (covered)"), ("reached", "is_reached", "接触 (reached)"),
          ("engaged", "is_engaged", "エンゲージ (engaged)"), ("pipeline", "has_pipeline", "パイプライン (pipeline)"),
          ("won", "has_won", "受注 (won)"))
COHORTS = {"target": "ターゲット (target)", "control": "対照群 (control)", "other": "その他 (other)"}
PERIODS = (3, 6, 12, 24)
LIFT_METRICS = {"sql_rate": ("SQL化率 (SQL rate)", "pct"), "pipeline_amount_per_account": ("1社あたりパイプライン", "yen"),
                "win_rate": ("受注率 (win rate)", "pct"), "acv_jpy": ("平均受注額 (ACV)", "yen")}
DIRECTIONS = {"forward": "前進", "back": "後退", "stayed": "維持"}
SEGMENTS = {"target": "ターゲット", "non_target": "ターゲット以外"}
ACCOUNT_COLUMNS = (("account_name", "アカウント", "text"), ("industry", "業種", "text"), ("prefecture", "都道府県", "text"),
                   ("cohort", "コホート", "text"), ("target_tier", "ティア", "int"), ("owner", "オーナー", "text"),
                   ("funnel_stage", "ファネル段階", "text"), ("staircase_stage", "階段", "text"),
                   ("account_score", "スコア", "num"), ("pipeline_amount_jpy", "パイプライン", "yen"),
                   ("won_amount_jpy", "受注額", "yen"), ("is_customer", "顧客", "flag"))
PAGE_ROWS = 200  # an HTML list shows this many (read with LIMIT); the CSV has them all

leather.theme.title_font_family = leather.theme.legend_font_family = leather.theme.tick_font_family = \
    leather.theme.axis_title_font_family = "IPAPGothic, IPAGothic, Noto Sans CJK JP, sans-serif"
leather.theme.background_color = "#ffffff"


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the view to; every value validated, an unknown one ignored."""
    tier: int | None = None
    cohort: str | None = None
    owner: str | None = None
    industry: str | None = None
    months: int = 12

    @classmethod
    def parse(cls, params: dict[str, list[str]]) -> Filters:
        def one(name: str) -> str | None:
            value = (params.get(name) or [""])[0].strip()
            return value or None
        tier, months = one("tier"), one("months")
        return cls(tier=int(tier) if tier in ("1", "2", "3") else None,
                   cohort=one("cohort") if one("cohort") in COHORTS else None,
                   owner=one("owner"), industry=one("industry"),
                   months=int(months) if months and months.isdigit() and int(months) in PERIODS else 12)

    def where(self, funnel: str = "f", accounts: str = "a") -> tuple[str, list[Any]]:
        """SQL conditions on a funnel-shaped table (target_tier, cohort, owner) and on the table holding
        industry (dim_accounts, or the same table where it carries industry too)."""
        conditions, params = ["true"], []
        for column, value, alias in (("target_tier", self.tier, funnel), ("cohort", self.cohort, funnel),
                                     ("owner", self.owner, funnel), ("industry", self.industry, accounts)):
            if value is not None:
                conditions.append(f"{alias}.{column} = ?")
                params.append(value)
        return " and ".join(conditions), params

    def query(self, **extra: Any) -> str:
        values = {"tier": self.tier, "cohort": self.cohort, "owner": self.owner, "industry": self.industry,
                  "months": self.months if self.months != 12 else None, **extra}
        encoded = urlencode({key: value for key, value in values.items() if value is not None})
        return f"?{encoded}" if encoded else ""

    def chips(self) -> list[str]:
        return [text for text, value in (
            (f"ティア{self.tier}", self.tier), (COHORTS.get(self.cohort or "", ""), self.cohort),
            (f"オーナー: {self.owner}", self.owner), (f"業種: {self.industry}", self.industry)) if value]


def fmt(value: Any, kind: str = "int") -> str:
    """Numbers as a Japanese BI user reads them: thousands separators, yen sign, percent."""
    if value is None:
        return "–"
    if kind == "pct":
        return f"{100 * float(value):.1f} %"
    if kind == "yen":
        return f"{'−' if float(value) < 0 else ''}¥{abs(float(value)):,.0f}"
    if kind == "num":
        return f"{float(value):,.1f}"
    if kind == "int":
        return f"{int(value):,}"
    return str(value)


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters["fmt"] = fmt
    return env


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def man_yen(value: float, index: int, count: int) -> str:
    """Axis ticks of yen charts in 万円 (10,000 yen), as Japanese reports write them."""
    return f"{value / 10_000:,.0f}万"


def line_chart(title: str, series: list[tuple[str, list[tuple[date, float]]]], width: int = 560,
               height: int = 260, y_ticks: Callable[[float, int, int], str] | None = None) -> Markup:
    """An SVG line chart drawn on the server; an empty series is left out."""
    drawn = [(name, points) for name, points in series if len(points) > 1]
    if not drawn:
        return Markup('<p class="muted">推移を描くデータがありません (no history yet)</p>')
    chart = leather.Chart(title)
    if y_ticks:
        chart.add_y_axis(tick_formatter=y_ticks)
    for name, points in drawn:
        chart.add_line(points, name=name)
    return Markup(chart.to_svg(width=width, height=height))


def as_of(con: duckdb.DuckDBPyConnection) -> tuple[str, str | None]:
    """The published as_of_date and refresh run (a file built without `make refresh` has no stamp)."""
    try:
        stamp = rows(con, "select as_of_date, run_id from meta.refresh_run")[0]
        return str(stamp["as_of_date"]), stamp["run_id"]
    except duckdb.CatalogException:  # no meta.refresh_run: built, not published
        return str(rows(con, "select max(as_of_date) as day from marts.fct_account_funnel")[0]["day"]), None


def choices(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    # from the funnel's segments (a few thousand rows), not a scan of a row per account
    return {"cohorts": list(COHORTS.items()), "periods": PERIODS,
            "owners": [r["owner"] for r in rows(con, "select distinct owner from marts.rpt_account_funnel_current "
                                                      "where owner <> '(none)' order by owner")],
            "industries": [r["industry"] for r in rows(con, "select distinct industry from marts.rpt_account_funnel_current "
                                                            "where industry <> '(unknown)' order by industry")]}


def funnel_blocks(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[dict[str, Any]]:
    """Per cohort: accounts meeting each stage's own definition, the strict staircase and its conversions."""
    # summed from the funnel's segments (rpt_account_funnel_current, the same counts as the funnel)
    where, params = filters.where(funnel="s", accounts="s")
    counts = [f"sum(s.{stage}_accounts) as {stage}" for stage, _, _ in STAGES]
    counts += [f"sum(s.staircase_{stage}_accounts) as staircase_{stage}" for stage, _, _ in STAGES]
    found = {r["cohort"]: r for r in rows(con, f"""
        select s.cohort, sum(s.accounts) as accounts, {", ".join(counts)}
        from marts.rpt_account_funnel_current as s
        where {where} group by s.cohort""", params)}
    blocks = []
    for cohort in (c for c in COHORTS if c in found):
        row, previous, steps = found[cohort], found[cohort]["accounts"], []
        for stage, _, label in STAGES:
            step = row[f"staircase_{stage}"]
            steps.append({"stage": stage, "label": label, "meets": row[stage], "staircase": step,
                          "conversion": step / previous if previous else None,
                          "width": int(260 * step / row["accounts"]) if row["accounts"] else 0,
                          "meets_link": "/accounts" + replace(filters, cohort=cohort).query(stage=stage),
                          "staircase_link": "/accounts" + replace(filters, cohort=cohort).query(stage=f"staircase_{stage}")})
            previous = step
        blocks.append({"cohort": cohort, "cohort_label": COHORTS[cohort], "accounts": row["accounts"], "steps": steps,
                       "links": {"accounts": "/accounts" + replace(filters, cohort=cohort).query()}})
    return blocks


def funnel_trend(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[dict[str, Any]]:
    """Accounts meeting each stage at the last `months` month ends (cohort, tier, owner as of each month
    end), summed over the segments of rpt_account_funnel — the same counts as fct_account_funnel_history
    (test assert_funnel_marts_reconcile), read from a table of segments instead of one row per account."""
    # the segments carry industry themselves: both aliases are the report's
    where, params = filters.where(funnel="r", accounts="r")
    counts = ", ".join(f"sum({stage}_accounts) as {stage}" for stage, _, _ in STAGES)
    return rows(con, f"""
        with month_ends as (
            select distinct period_end from marts.rpt_account_funnel where period_type = 'month'
            order by period_end desc limit ?
        )
        select r.period_end as evaluated_on, sum(r.accounts) as accounts, {counts}
        from marts.rpt_account_funnel as r
        inner join month_ends on r.period_end = month_ends.period_end
        where r.period_type = 'month' and {where}
        group by r.period_end order by r.period_end""", [filters.months, *params])


def revenue_trend(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[dict[str, Any]]:
    """MRR, net new MRR and paying customers per month for the filtered accounts (today's cohort and tier),
    from the monthly revenue by segment (rpt_revenue_monthly_segments), not a row per account and month."""
    where, params = filters.where(funnel="r", accounts="r")
    return rows(con, f"""
        with months as (
            select distinct month_start from marts.rpt_revenue_monthly_segments order by month_start desc limit ?
        )
        select r.month_start, sum(r.mrr_jpy) as mrr_jpy, sum(r.net_new_mrr_jpy) as net_new_mrr_jpy,
               sum(r.active_accounts) as active_customers
        from marts.rpt_revenue_monthly_segments as r
        inner join months on r.month_start = months.month_start
        where {where} group by r.month_start order by r.month_start""", [filters.months, *params])


def lift_rows(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[dict[str, Any]]:
    tier = str(filters.tier) if filters.tier else "all"
    found = rows(con, "select * from marts.rpt_abm_lift where tier = ? order by quarter_start desc, metric", [tier])
    for row in found:
        row["label"], row["kind"] = LIFT_METRICS.get(row["metric"], (row["metric"], "num"))
        row["key"] = f"lift.{row['quarter_start']}.{row['metric']}"
        row["pairs_link"] = "/lift/pairs?" + urlencode({"quarter": str(row["quarter_start"]), "tier": tier})
    return found


def phase_moves(con: duckdb.DuckDBPyConnection) -> tuple[str, list[dict[str, Any]]]:
    # the report carries the Japanese phase names: no pass over millions of department phases for them
    found = rows(con, """
        select t.quarter_end, t.is_quarter_complete, t.from_phase, t.to_phase, t.direction, t.departments,
               t.from_phase_label_ja as from_label, t.to_phase_label_ja as to_label
        from marts.rpt_department_phase_transitions as t
        where t.cohort = 'target' and t.from_phase <> t.to_phase
          and t.quarter_end = (select max(quarter_end) from marts.rpt_department_phase_transitions)
        order by t.departments desc, t.from_phase, t.to_phase""")
    for row in found:
        row["direction_label"] = DIRECTIONS.get(row["direction"], row["direction"])
    quarter = (f"{found[0]['quarter_end']}" + ("" if found[0]["is_quarter_complete"] else " (四半期途中)")) if found else "–"
    return quarter, found


def tier_rows(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[dict[str, Any]]:
    """Accounts per score tier and per target tier, summed from the funnel's segments."""
    where, params = filters.where(funnel="s", accounts="s")
    counts = ", ".join(f"sum(case when s.score_tier = {tier} then s.accounts else 0 end) as score_{tier}, "
                       f"sum(case when s.target_tier = {tier} then s.accounts else 0 end) as target_{tier}"
                       for tier in (1, 2, 3))
    found = rows(con, f"""
        select {counts}
        from marts.rpt_account_funnel_current as s
        where {where}""", params)[0]
    return [{"tier": tier, "score_accounts": found[f"score_{tier}"] or 0, "target_accounts": found[f"target_{tier}"] or 0}
            for tier in (1, 2, 3)]


def waterfall_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    found = rows(con, """
        select account_segment, sum(mqls) as mqls, sum(sals) as sals, sum(pipeline_registered) as pipeline
        from marts.rpt_demand_waterfall group by account_segment order by account_segment desc""")
    for row in found:
        row["segment_label"] = SEGMENTS.get(row["account_segment"], row["account_segment"])
        row["sal_rate"] = row["sals"] / row["mqls"] if row["mqls"] else None
        row["pipeline_rate"] = row["pipeline"] / row["sals"] if row["sals"] else None
    return found


def queue_rows(con: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 15) -> list[dict[str, Any]]:
    # the queue is a few hundred rows: the funnel (which carries industry too) is joined only to filter
    where, params = filters.where(funnel="f", accounts="f")
    narrowed = any(value is not None for value in (filters.tier, filters.cohort, filters.owner, filters.industry))
    join = "inner join marts.fct_account_funnel as f on q.account_id = f.account_id" if narrowed else ""
    return rows(con, f"""
        select q.queue_rank, q.account_id, q.account_name, q.owner, q.account_score, q.reason, q.next_role_to_reach
        from {personal(con, 'rpt_sdr_queue')} as q
        {join}
        where {where} order by q.queue_rank limit ?""", [*params, limit])


def overview(con: duckdb.DuckDBPyConnection, env: Environment, filters: Filters) -> str:
    day, run_id = as_of(con)
    funnel = funnel_blocks(con, filters)
    trend = funnel_trend(con, filters)
    revenue = revenue_trend(con, filters)
    quarter, phases = phase_moves(con)
    funnel_chart = line_chart("各段階のアカウント数 (月末)", [
        (label.split(" ")[0], [(r["evaluated_on"], r[stage]) for r in trend]) for stage, _, label in STAGES])
    revenue_chart = line_chart("MRR と純増 (円)", [
        ("MRR", [(r["month_start"], r["mrr_jpy"]) for r in revenue]),
        ("純増", [(r["month_start"], r["net_new_mrr_jpy"]) for r in revenue])], y_ticks=man_yen)
    return env.get_template("overview.html").render(
        as_of_date=day, run_id=run_id, filters=filters, choices=choices(con), chips=filters.chips(),
        accounts_filtered=sum(block["accounts"] for block in funnel), funnel=funnel,
        stage_labels=[(stage, label) for stage, _, label in STAGES], funnel_trend=trend, funnel_chart=funnel_chart,
        revenue_trend=revenue, revenue_chart=revenue_chart, lift=lift_rows(con, filters),
        lift_tier_label=f"ティア{filters.tier}" if filters.tier else "全ティア", phase_quarter=quarter, phases=phases,
        tiers=tier_rows(con, filters), waterfall=waterfall_rows(con), queue=queue_rows(con, filters))


STAGE_FILTERS = {"accounts": "true", **{stage: f"f.{flag}" for stage, flag, _ in STAGES},
                 **{f"staircase_{stage}": f"f.staircase_stage_order >= {i + 1}" for i, (stage, _, _) in enumerate(STAGES)}}


def account_list_query(filters: Filters, stage: str) -> tuple[str, str, list[Any]]:
    """(select, from-and-where, params) of a stage's accounts, best score first. The funnel carries the
    names, industry and score the list shows: one table, no joins."""
    where, params = filters.where(funnel="f", accounts="f")
    condition = f"from marts.fct_account_funnel as f where {where} and {STAGE_FILTERS[stage]}"
    select = f"""
        select f.account_id, f.account_name, f.industry, f.prefecture, f.cohort, f.target_tier, f.owner,
               f.funnel_stage, f.staircase_stage, f.account_score, f.pipeline_amount_jpy, f.won_amount_jpy,
               f.is_customer
        {condition}
        order by f.account_score desc nulls last, f.account_id"""
    return select, condition, params


def account_list(con: duckdb.DuckDBPyConnection, filters: Filters, stage: str,
                 limit: int | None = None) -> tuple[list[dict[str, Any]], int]:
    """The accounts of a stage and how many there are: the first `limit` of them (all when None)."""
    select, condition, params = account_list_query(filters, stage)
    found = rows(con, select + (" limit ?" if limit is not None else ""), [*params, *([limit] if limit is not None else [])])
    if limit is None or len(found) < limit:
        return found, len(found)
    # a count apart: a window count over the sorted rows costs twice the page
    return found, rows(con, f"select count(*) as total {condition}", params)[0]["total"]


def account_list_csv(con: duckdb.DuckDBPyConnection, filters: Filters, stage: str) -> bytes:
    """Every account of a stage as CSV, written by Arrow's C++ writer from the query's Arrow result: a
    Python row per account (12k for the covered targets at 1M companies) cost 100 ms, this 30."""
    select, _, params = account_list_query(filters, stage)
    table = con.sql(select, params=params).to_arrow_table()
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(eol="\r\n"))
    # UTF-8 with a byte-order mark, so Excel in Japanese opens it without mojibake
    return "\ufeff".encode("utf-8") + buffer.getvalue()


def accounts_page(con: duckdb.DuckDBPyConnection, env: Environment, filters: Filters, stage: str) -> str:
    found, total = account_list(con, filters, stage, limit=PAGE_ROWS)
    label = dict([(s, lab) for s, _, lab in STAGES] + [(f"staircase_{s}", f"階段: {lab}") for s, _, lab in STAGES])
    heading = f"アカウント一覧 — {label.get(stage, 'すべて')}"
    return env.get_template("accounts.html").render(
        heading=heading, as_of_date=as_of(con)[0], rows=found, total=total, filters=filters,
        choices=choices(con), chips=filters.chips(), columns=ACCOUNT_COLUMNS, stage_param={"stage": stage},
        csv_link="/accounts.csv" + filters.query(stage=stage), back_query=filters.query())


def lift_pair_list(con: duckdb.DuckDBPyConnection, quarter: date, tier: str,
                   limit: int | None = None) -> tuple[list[dict[str, Any]], int]:
    """The pairs rpt_abm_lift counts in `quarter` (matched, counted from the first full quarter after listing):
    the first `limit` by listing day (all when None) and how many there are."""
    # the pairs carry both names and the industry: no lookup in a million accounts
    found = rows(con, f"""
        select p.target_account_id, p.target_account_name as target_name, p.control_account_id,
               p.control_account_name as control_name, p.target_tier, p.listed_on, p.target_industry as industry,
               p.size_band, p.target_fit_score, p.control_fit_score, p.fit_gap_points, p.is_removed,
               count(*) over () as total_rows
        from marts.fct_abm_lift_pairs as p
        where p.match_status = 'matched' and p.first_counted_quarter <= ? and (? = 'all' or cast(p.target_tier as varchar) = ?)
        order by p.listed_on, p.target_account_id
        {"limit ?" if limit is not None else ""}""", [quarter, tier, tier, *([limit] if limit is not None else [])])
    total = found[0]["total_rows"] if found else 0
    for row in found:
        del row["total_rows"]
    return found, total


def csv_bytes(found: list[dict[str, Any]], columns: list[str]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel in Japanese opens it without mojibake."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([["" if row[column] is None else row[column] for column in columns] for row in found])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def account_page(con: duckdb.DuckDBPyConnection, env: Environment, account_id: str) -> str | None:
    account = rows(con, "select * from marts.dim_accounts where account_id = ?", [account_id])
    if not account:
        return None
    history = rows(con, "select evaluated_on, funnel_stage_order, staircase_stage_order from "
                        "marts.fct_account_funnel_history where account_id = ? order by evaluated_on", [account_id])
    chart = line_chart("ファネル段階 (0 なし … 5 受注)", [
        ("段階", [(r["evaluated_on"], r["funnel_stage_order"]) for r in history]),
        ("階段", [(r["evaluated_on"], r["staircase_stage_order"]) for r in history])], height=220)
    scores = rows(con, "select * from marts.fct_account_scores where account_id = ?", [account_id])
    ltv = rows(con, "select * from marts.fct_account_ltv where account_id = ?", [account_id])
    return env.get_template("account.html").render(
        account=account[0], as_of_date=as_of(con)[0], scores=scores[0] if scores else {}, ltv=ltv[0] if ltv else {},
        history_chart=chart,
        committee=rows(con, f"select * from {personal(con, 'fct_buying_committee')} where account_id = ? "
                            "order by reach_priority",
                       [account_id]),
        phases=rows(con, "select * from marts.fct_account_department_phase where account_id = ? "
                         "order by current_phase_order desc, department", [account_id]),
        expected_revenue=rows(con, "select * from marts.fct_account_expected_revenue where account_id = ? "
                                   "order by expected_revenue_jpy desc, department, product_line", [account_id]),
        **plan_and_actions(con, account_id))


def plan_and_actions(con: duckdb.DuckDBPyConnection, account_id: str) -> dict[str, Any]:
    """The account plan (latest started), its goals and monthly milestones, and the campaigns at the account."""
    plans = rows(con, "select * from marts.rpt_account_plan_review where account_id = ? "
                      "order by plan_start desc, plan_id limit 1", [account_id])
    plan = plans[0] if plans else None
    goals = rows(con, "select * from marts.fct_account_plan_progress where plan_id = ? "
                      "order by due_date, department, metric", [plan["plan_id"]]) if plan else []
    milestones = rows(con, "select * from marts.fct_account_plan_milestones where plan_id = ? "
                           "order by milestone_date, department, metric", [plan["plan_id"]]) if plan else []
    actions = rows(con, "select * from marts.fct_campaign_account_outcomes where account_id = ? and campaign_type <> 'email' "
                        "order by coalesce(first_touch_at, cast(aimed_on as timestamp)) desc nulls last, campaign_id",
                   [account_id])
    return {"plan": plan, "goals": goals, "milestones": milestones, "actions": actions}


@dataclass
class Response:
    status: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    filename: str | None = None


def html(text: str, status: str = "200 OK") -> Response:
    return Response(status, text.encode("utf-8"))


def message(env: Environment, status: str, heading: str, text: str) -> Response:
    return html(env.get_template("message.html").render(heading=heading, message=text), status)


def route(con: duckdb.DuckDBPyConnection, env: Environment, path: str, params: dict[str, list[str]]) -> Response:
    filters = Filters.parse(params)
    stage = (params.get("stage") or ["accounts"])[0]
    if path == "/":
        return html(overview(con, env, filters))
    if path in ("/accounts", "/accounts.csv"):
        if stage not in STAGE_FILTERS:
            return message(env, "400 Bad Request", "不明な段階", f"stage は {', '.join(STAGE_FILTERS)} のいずれかです。")
        if path.endswith(".csv"):
            return Response("200 OK", account_list_csv(con, filters, stage), "text/csv; charset=utf-8",
                            f"accounts_{stage}.csv")
        return html(accounts_page(con, env, filters, stage))
    if path in ("/lift/pairs", "/lift/pairs.csv"):
        tier = (params.get("tier") or ["all"])[0]
        try:
            quarter = date.fromisoformat((params.get("quarter") or [""])[0])
        except ValueError:
            return message(env, "400 Bad Request", "四半期の指定が不正です", "quarter=YYYY-MM-DD (四半期の初日) を指定してください。")
        if tier not in ("all", "1", "2", "3"):
            return message(env, "400 Bad Request", "ティアの指定が不正です", "tier は all, 1, 2, 3 のいずれかです。")
        if path.endswith(".csv"):
            found, _ = lift_pair_list(con, quarter, tier)
            return Response("200 OK", csv_bytes(found, list(found[0]) if found else ["target_account_id"]),
                            "text/csv; charset=utf-8", f"lift_pairs_{quarter}_{tier}.csv")
        found, total = lift_pair_list(con, quarter, tier, limit=PAGE_ROWS)
        return html(env.get_template("lift_pairs.html").render(
            quarter=quarter, tier_label="全ティア" if tier == "all" else f"ティア{tier}", rows=found,
            total=total,
            csv_link="/lift/pairs.csv?" + urlencode({"quarter": str(quarter), "tier": tier})))
    if path.startswith("/account/"):
        found_page = account_page(con, env, path.removeprefix("/account/"))
        if found_page is None:
            return message(env, "404 Not Found", "アカウントが見つかりません", "No such account.")
        return html(found_page)
    if path == "/healthz":
        return Response("200 OK", json.dumps({"ok": True, "run_id": as_of(con)[1]}).encode(), "application/json")
    return message(env, "404 Not Found", "ページが見つかりません", "Not found.")


def application(db: Path) -> Callable[..., Iterable[bytes]]:
    env = environment()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = unquote(environ.get("PATH_INFO", "/"))
        params = parse_qs(environ.get("QUERY_STRING", ""))
        try:
            # one read-only connection per page, closed before the response goes out
            con = duckdb.connect(str(db), read_only=True)
            try:
                attach_people(con, db)
                response = route(con, env, path, params)
            finally:
                con.close()
        except duckdb.Error as error:
            response = message(env, "503 Service Unavailable", "データを読めません (data unavailable)", str(error))
        headers = [("Content-Type", response.content_type), ("Content-Length", str(len(response.body)))]
        if response.filename:
            headers.append(("Content-Disposition", f'attachment; filename="{response.filename}"'))
        start_response(response.status, headers)
        return [response.body]
    return app


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", type=Path, default=Path("warehouse/abm_published.duckdb"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8501)
    args = parser.parse_args(argv)
    if not args.duckdb.exists():
        print(f"error: {args.duckdb} does not exist (run make refresh first)", file=sys.stderr)
        return 2
    with make_server(args.host, args.port, application(args.duckdb), server_class=ThreadingServer) as server:
        print(f"dashboard on http://{args.host}:{args.port} reading {args.duckdb}", flush=True)
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
