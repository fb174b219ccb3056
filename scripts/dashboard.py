#!/usr/bin/env python3
"""Reference dashboard over the published DuckDB file: account funnel, target vs control lift, tier mix,
demand waterfall, SDR queue and one account's 360° view.

Standard library only (wsgiref + server-rendered HTML and CSS bars): every request opens the file
read-only, runs its queries and closes it, so the dashboard never holds the file a refresh publishes
over, and after a publish the next page shows the new file. Figures carry data-metric attributes, so
a test can compare what is shown with the marts.

    python scripts/dashboard.py --duckdb warehouse/abm_published.duckdb --port 8501
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any, Callable, Iterable
from urllib.parse import unquote
from wsgiref.simple_server import WSGIServer, make_server

import duckdb

STAGES = ("covered", "reached", "engaged", "pipeline", "won")
LIFT_LABELS = {"sql_rate": "SQL rate", "pipeline_amount_per_account": "Pipeline / account (JPY)",
               "win_rate": "Win rate", "acv_jpy": "ACV (JPY)"}
STYLE = """
body{font-family:"IPAGothic","IPAPGothic","Noto Sans CJK JP",sans-serif;margin:24px;color:#1f2933;max-width:1200px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #d9e2ec;padding-bottom:4px}
table{border-collapse:collapse;font-size:13px}td,th{padding:4px 8px;border-bottom:1px solid #eef2f7;text-align:left}
th{background:#f5f7fa}.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{background:#3e7bfa;height:14px;display:inline-block;vertical-align:middle}
.bar.control{background:#9aa5b1}.muted{color:#7b8794;font-size:12px}.grid{display:flex;gap:32px;flex-wrap:wrap}
"""


def query(path: Path, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """Open read-only, run one query, close: nothing stays open between requests."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        cursor = con.execute(sql, params or [])
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def fmt(value: Any, kind: str = "int") -> str:
    if value is None:
        return "–"
    if kind == "pct":
        return f"{100 * float(value):.1f} %"
    if kind == "yen":
        return f"¥{float(value):,.0f}"
    if kind == "num":
        return f"{float(value):,.2f}"
    return f"{int(value):,}"


def metric(name: str, value: Any, kind: str = "int") -> str:
    raw = "" if value is None else str(value)
    return f'<span data-metric="{esc(name)}" data-value="{esc(raw)}">{esc(fmt(value, kind))}</span>'


def table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f"<style>{STYLE}</style></head><body>{body}</body></html>")


FLAGS = {"covered": "is_covered", "reached": "is_reached", "engaged": "is_engaged",
         "pipeline": "has_pipeline", "won": "has_won"}


def funnel_section(db: Path) -> str:
    """Per cohort: accounts meeting each stage's definition, and the strict staircase with its step
    conversions (the stages are not nested, so only the staircase converts)."""
    columns = [f"count(*) filter (where {FLAGS[s]}) as {s}" for s in STAGES]
    columns += [f"count(*) filter (where staircase_stage_order >= {i + 1}) as staircase_{s}" for i, s in enumerate(STAGES)]
    rows = query(db, f"""
        select cohort, count(*) as accounts, {", ".join(columns)}
        from marts.fct_account_funnel group by cohort order by cohort
    """)
    blocks = []
    for row in rows:
        cohort = row["cohort"]
        lines, previous = [], row["accounts"]
        lines.append(["accounts", metric(f"funnel.{cohort}.accounts", row["accounts"]), "", "", ""])
        for stage in STAGES:
            step = row[f"staircase_{stage}"]
            rate = step / previous if previous else None
            width = int(300 * step / row["accounts"]) if row["accounts"] else 0
            css = "bar control" if cohort == "control" else "bar"
            lines.append([stage, metric(f"funnel.{cohort}.{stage}", row[stage]),
                          metric(f"funnel.{cohort}.staircase.{stage}", step),
                          f'<span class="{css}" style="width:{width}px"></span>',
                          metric(f"funnel.{cohort}.staircase.{stage}.conversion", rate, "pct")])
            previous = step
        blocks.append(f"<div><h3>{esc(cohort)}</h3>"
                      f"{table(['stage', 'meet the stage', 'staircase', '', 'step conversion'], lines)}</div>")
    return ("<h2>Account funnel (as of as_of_date)</h2>"
            '<p class="muted">"meet the stage": accounts meeting that stage\'s own definition (stages are not nested); '
            '"staircase": accounts at that step with every earlier step met (seed 001), with its step conversion.</p>'
            f'<div class="grid">{"".join(blocks)}</div>')


def lift_section(db: Path) -> str:
    rows = query(db, """
        select * from marts.rpt_abm_lift
        where tier = 'all' and quarter_start in (select distinct quarter_start from marts.rpt_abm_lift
                                                  order by quarter_start desc limit 2)
        order by quarter_start desc, metric
    """)
    lines = []
    for row in rows:
        key = f"lift.{row['quarter_start']}.{row['metric']}"
        kind = "pct" if row["metric"].endswith("rate") else "yen"
        quarter = esc(row["quarter_start"]) + ("" if row["is_quarter_complete"] else " (partial)")
        lines.append([quarter, esc(LIFT_LABELS.get(row["metric"], row["metric"])), esc(row["pairs"]),
                      metric(f"{key}.target_pre", row["target_pre_value"], kind),
                      metric(f"{key}.target", row["target_value"], kind),
                      metric(f"{key}.control_pre", row["control_pre_value"], kind),
                      metric(f"{key}.control", row["control_value"], kind),
                      metric(f"{key}.difference", row["difference"], kind),
                      f"{esc(fmt(row['ci_lower'], kind))} … {esc(fmt(row['ci_upper'], kind))}",
                      "yes" if row["is_significant"] else "no"])
    return ("<h2>ABM effect: targets after listing vs matched controls (difference in differences, all tiers)</h2>"
            + table(["quarter", "metric", "pairs", "target before", "target now", "control before", "control now",
                     "effect", "95 % interval", "significant"], lines)
            + '<p class="muted">Effect = (target now − before) − (control now − before); a pair counts from the first full '
              "quarter after the target's listing, removed targets included. Controls: never listed, same industry, size "
              "band and pre-listing pipeline, similar fit (rpt_abm_lift, int_accounts_control_matched).</p>")


def tier_section(db: Path) -> str:
    score_tiers = query(db, "select score_tier as tier, count(*) as accounts from marts.fct_account_scores "
                            "group by score_tier order by score_tier")
    list_tiers = query(db, "select target_tier as tier, count(*) as accounts from marts.dim_accounts "
                           "where is_target group by target_tier order by target_tier")
    waterfall = query(db, "select account_segment, sum(mqls) as mqls, sum(sals) as sals, "
                          "sum(pipeline_registered) as pipeline from marts.rpt_demand_waterfall "
                          "group by account_segment order by account_segment")
    score_rows = [[f"score tier {esc(r['tier'])}", metric(f"tier.score.{r['tier']}", r["accounts"])] for r in score_tiers]
    list_rows = [[f"target tier {esc(r['tier'])}", metric(f"tier.target.{r['tier']}", r["accounts"])] for r in list_tiers]
    water_rows = [[esc(r["account_segment"]), metric(f"waterfall.{r['account_segment']}.mqls", r["mqls"]),
                   metric(f"waterfall.{r['account_segment']}.sal_rate", r["sals"] / r["mqls"] if r["mqls"] else None, "pct"),
                   metric(f"waterfall.{r['account_segment']}.pipeline_rate",
                          r["pipeline"] / r["sals"] if r["sals"] else None, "pct")] for r in waterfall]
    return ('<div class="grid"><div><h2>Score tiers (from account_score)</h2>' + table(["score tier", "accounts"], score_rows)
            + '</div><div><h2>Target list (target tiers the team set)</h2>' + table(["target tier", "accounts"], list_rows)
            + '</div><div><h2>Demand waterfall</h2>'
            + table(["segment", "MQL", "SAL rate", "pipeline registration"], water_rows) + "</div></div>")


def phase_section(db: Path) -> str:
    """Target departments by phase move in the latest quarter (rpt_department_phase_transitions)."""
    rows = query(db, """
        select quarter_end, is_quarter_complete, from_phase, to_phase, direction, departments
        from marts.rpt_department_phase_transitions
        where cohort = 'target' and from_phase <> to_phase
          and quarter_end = (select max(quarter_end) from marts.rpt_department_phase_transitions)
        order by departments desc, from_phase, to_phase
    """)
    lines = [[esc(r["from_phase"]), esc(r["to_phase"]), esc(r["direction"]),
              metric(f"phase.{r['from_phase']}.{r['to_phase']}", r["departments"])] for r in rows]
    when = (esc(rows[0]["quarter_end"]) + ("" if rows[0]["is_quarter_complete"] else " (quarter to date)")) if rows else "–"
    return (f"<h2>Target departments that changed phase — {when}</h2>"
            + table(["from", "to", "direction", "departments"], lines)
            + '<p class="muted">Phase on each day by the state rules of seed department_phases; departments fall back '
              "when what kept them in a phase ends (rpt_department_phase_transitions).</p>")


def queue_section(db: Path, limit: int = 15) -> str:
    rows = query(db, "select queue_rank, account_id, account_name, owner, account_score, reason, next_role_to_reach "
                     "from marts.rpt_sdr_queue order by queue_rank limit ?", [limit])
    lines = [[metric(f"queue.{r['queue_rank']}.rank", r["queue_rank"]),
              f'<a href="/account/{esc(r["account_id"])}" data-metric="queue.{r["queue_rank"]}.account_id" '
              f'data-value="{esc(r["account_id"])}">{esc(r["account_name"])}</a>',
              esc(r["owner"]), metric(f"queue.{r['queue_rank']}.score", r["account_score"], "num"),
              esc(r["reason"]), esc(r["next_role_to_reach"])] for r in rows]
    return "<h2>SDR queue</h2>" + table(["#", "account", "owner", "score", "why", "next role"], lines)


def overview(db: Path) -> str:
    stamp = query(db, "select run_id, as_of_date from meta.refresh_run") if has_stamp(db) else []
    header = (f'<h1>ABM dashboard</h1><p class="muted">as of {esc(stamp[0]["as_of_date"])} · run {esc(stamp[0]["run_id"])}</p>'
              if stamp else "<h1>ABM dashboard</h1>")
    return page("ABM dashboard", header + funnel_section(db) + lift_section(db) + phase_section(db) + tier_section(db)
                + queue_section(db))


def has_stamp(db: Path) -> bool:
    return bool(query(db, "select 1 from duckdb_tables() where schema_name = 'meta' and table_name = 'refresh_run'"))


def account_page(db: Path, account_id: str) -> str | None:
    account = query(db, "select * from marts.dim_accounts where account_id = ?", [account_id])
    if not account:
        return None
    a = account[0]
    scores = query(db, "select * from marts.fct_account_scores where account_id = ?", [account_id])
    ltv = query(db, "select * from marts.fct_account_ltv where account_id = ?", [account_id])
    committee = query(db, "select * from marts.fct_buying_committee where account_id = ? order by reach_priority",
                      [account_id])
    phases = query(db, "select * from marts.fct_account_department_phase where account_id = ? "
                       "order by current_phase_order desc, department", [account_id])
    s = scores[0] if scores else {}
    body = [f'<p><a href="/">← dashboard</a></p><h1 data-metric="account.name" data-value="{esc(a["account_name"])}">'
            f'{esc(a["account_name"])}</h1>',
            f'<p class="muted">{esc(a["industry"])} · {esc(a["prefecture"])} · 法人番号 {esc(a["corporate_number"])} · '
            f'{"customer" if a["is_customer"] else "prospect"}{" · target tier " + esc(a["target_tier"]) if a["is_target"] else ""}</p>',
            "<h2>Scores</h2>",
            table(["fit", "intent", "engagement", "account score", "score tier", "stage"],
                  [[metric("account.fit_score", s.get("fit_score"), "num"), metric("account.intent_score", s.get("intent_score"), "num"),
                    metric("account.engagement_score", s.get("engagement_score"), "num"),
                    metric("account.account_score", s.get("account_score"), "num"),
                    esc(s.get("score_tier")), esc(s.get("buying_stage"))]]),
            f'<p>Top factors: {esc(s.get("top_factors"))}</p>',
            "<h2>LTV</h2>",
            table(["LTV", "expected LTV", "ABM eligible"],
                  [[metric("account.ltv_jpy", ltv[0]["ltv_jpy"] if ltv else None, "yen"),
                    metric("account.expected_ltv_jpy", ltv[0]["expected_ltv_jpy"] if ltv else None, "yen"),
                    esc(ltv[0]["abm_eligible"] if ltv else None)]]),
            "<h2>Buying committee</h2>",
            table(["role", "known", "reached", "strength", "key contact", "title", "last touch"],
                  [[esc(r["role_label_ja"] or r["buying_role"]), metric(f"committee.{r['buying_role']}.known", r["known_contacts"]),
                    esc(r["reached_contacts"]), esc(r["relationship_strength"]), esc(r["key_contact_name"]),
                    esc(r["key_contact_title"]), esc(r["last_touch_at"])] for r in committee]),
            "<h2>4-phase progress by department</h2>",
            table(["department", "phase", "since", "contacts", "managers", "meetings (recent)", "open pipeline", "won"],
                  [[esc(r["department"]), esc(r["current_phase_label_ja"]), esc(r["phase_entered_on"]),
                    esc(r["known_contacts"]), esc(r["manager_contacts"]), esc(r["recent_meetings"]),
                    esc(fmt(r["open_pipeline_amount_jpy"], "yen")), esc(fmt(r["won_amount_jpy"], "yen"))]
                   for r in phases])]
    return page(a["account_name"] or account_id, "".join(body))


def application(db: Path) -> Callable[..., Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = unquote(environ.get("PATH_INFO", "/"))
        status, content_type, body = "200 OK", "text/html; charset=utf-8", ""
        try:
            if path == "/":
                body = overview(db)
            elif path.startswith("/account/"):
                found = account_page(db, path.removeprefix("/account/"))
                status, body = ("200 OK", found) if found else ("404 Not Found", page("not found", "<h1>No such account</h1>"))
            elif path == "/healthz":
                content_type = "application/json"
                stamp = query(db, "select run_id from meta.refresh_run") if has_stamp(db) else []
                body = json.dumps({"ok": True, "run_id": stamp[0]["run_id"] if stamp else None})
            else:
                status, body = "404 Not Found", page("not found", "<h1>Not found</h1>")
        except duckdb.Error as error:
            status, body = "503 Service Unavailable", page("unavailable", f"<h1>Data unavailable</h1><p>{esc(error)}</p>")
        data = body.encode("utf-8")
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(data)))])
        return [data]
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
