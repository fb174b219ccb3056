"""The reference dashboard, for real: started as a server over the published files of a build (the
marts' file and the personal-data file beside it, as the refresh publishes them), pages fetched and
their figures compared with the build's marts — with filters, trends, drill-down to accounts and lift pairs, CSV
downloads — and screenshots taken in headless Chromium with Japanese names."""

from __future__ import annotations

import csv
import io
import re
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT

# xdist: a group runs on one worker, so its module and session builds are made once
pytestmark = [pytest.mark.dbt, pytest.mark.xdist_group("csv_build")]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--window-size=1280,1800")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
SCREENSHOTS = ROOT / "build" / "screenshots"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def metrics(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-metric="([^"]+)" data-value="([^"]*)"', page))


@pytest.fixture(scope="module")
def dashboard(csv_build, tmp_path_factory: pytest.TempPathFactory):
    from published_copy import publication, write_published_files

    work, _, result = csv_build
    assert result.returncode == 0, result.output[-3000:]
    published = tmp_path_factory.mktemp("dashboard") / "published.duckdb"
    write_published_files(result.duckdb_path, published, publication(work / "target" / "manifest.json"))
    port = free_port()
    server = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "dashboard.py"), "--duckdb",
                               str(published), "--port", str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if get(base + "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    yield base, result.duckdb_path
    server.terminate()
    server.wait(timeout=10)


def scalar(db: Path, sql: str, params: list | None = None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_overview_figures_match_the_marts(dashboard) -> None:
    base, db = dashboard
    status, page = get(base + "/")
    assert status == 200
    shown = metrics(page)
    for cohort, accounts, covered, pipeline, won, staircase_covered, staircase_pipeline in scalar(db, """
        select cohort, count(*), count(*) filter (where is_covered),
               count(*) filter (where has_pipeline), count(*) filter (where has_won),
               count(*) filter (where staircase_stage_order >= 1), count(*) filter (where staircase_stage_order >= 4)
        from marts.fct_account_funnel group by cohort"""):
        assert shown[f"funnel.{cohort}.accounts"] == str(accounts)
        assert shown[f"funnel.{cohort}.covered"] == str(covered)
        assert shown[f"funnel.{cohort}.pipeline"] == str(pipeline)
        assert shown[f"funnel.{cohort}.won"] == str(won)
        assert shown[f"funnel.{cohort}.staircase.covered"] == str(staircase_covered)
        assert shown[f"funnel.{cohort}.staircase.pipeline"] == str(staircase_pipeline)
    for tier, accounts in scalar(db, "select score_tier, count(*) from marts.fct_account_scores group by score_tier"):
        assert shown[f"tier.score.{tier}"] == str(accounts)
    lift = scalar(db, "select quarter_start, metric, target_value from marts.rpt_abm_lift where tier = 'all' "
                      "and target_value is not null order by quarter_start desc limit 1")
    quarter, name, value = lift[0]
    assert float(shown[f"lift.{quarter}.{name}.target"]) == pytest.approx(value)
    moves = scalar(db, """
        select from_phase, to_phase, departments from marts.rpt_department_phase_transitions
        where cohort = 'target' and from_phase <> to_phase
          and quarter_end = (select max(quarter_end) from marts.rpt_department_phase_transitions)""")
    assert moves, "no phase moves to compare"
    for from_phase, to_phase, departments in moves:
        assert shown[f"phase.{from_phase}.{to_phase}"] == str(departments)
    queue = scalar(db, "select queue_rank, account_id from marts.rpt_sdr_queue order by queue_rank limit 15")
    assert queue, "the queue is empty: nothing to compare"
    for rank, account_id in queue:
        assert shown[f"queue.{rank}.account_id"] == account_id


def test_account_360_shows_the_japanese_name_scores_and_committee(dashboard) -> None:
    base, db = dashboard
    account_id, name, score = next(row for row in scalar(db, """
        select queue.account_id, accounts.account_name, queue.account_score from marts.rpt_sdr_queue as queue
        inner join marts.dim_accounts as accounts using (account_id) order by queue.queue_rank""")
        if JAPANESE.search(row[1] or ""))
    status, page = get(f"{base}/account/{account_id}")
    assert status == 200
    shown = metrics(page)
    assert shown["account.name"] == name and name in page
    assert float(shown["account.account_score"]) == pytest.approx(float(score))
    for role, known in scalar(db, "select buying_role, known_contacts from marts.fct_buying_committee "
                                  "where account_id = ?", [account_id]):
        assert shown[f"committee.{role}.known"] == str(known)
    assert get(f"{base}/account/no-such-account")[0] == 404


def test_account_page_shows_potential_and_expected_revenue_as_the_marts_have_them(dashboard) -> None:
    base, db = dashboard
    account_id, potential, group_potential = scalar(db, """
        select ltv.account_id, ltv.expected_ltv_jpy, ltv.group_potential_jpy from marts.fct_account_ltv as ltv
        where ltv.account_id in (select account_id from marts.fct_account_expected_revenue)
        order by ltv.account_id limit 1""")[0]
    shown = metrics(get(f"{base}/account/{account_id}")[1])
    assert shown["account.expected_ltv_jpy"] == str(potential)
    assert shown["account.group_potential_jpy"] == str(group_potential)
    cells = scalar(db, "select department, product_line, expected_revenue_jpy from marts.fct_account_expected_revenue "
                       "where account_id = ?", [account_id])
    assert cells, "the account has no expected revenue: nothing to compare"
    for department, product_line, expected in cells:
        assert shown[f"expected_revenue.{department}.{product_line}"] == str(expected)


def test_account_page_shows_the_plan_its_milestones_and_the_actions_as_the_marts_have_them(dashboard) -> None:
    base, db = dashboard
    # the plan with the most milestones and an aimed campaign: every part of the section is on the page
    account_id, plan_id, status, goals_met, goals_at_risk = scalar(db, """
        select review.account_id, review.plan_id, review.plan_status, review.goals_met, review.goals_at_risk
        from marts.rpt_account_plan_review as review
        where review.account_id in (select account_id from marts.fct_campaign_account_outcomes
                                    where campaign_type <> 'email')
        order by review.milestones_due desc, review.plan_id limit 1""")[0]
    shown = metrics(get(f"{base}/account/{account_id}")[1])
    assert shown["plan.plan_id"] == plan_id and shown["plan.status"] == status
    assert shown["plan.goals_met"] == str(goals_met) and shown["plan.goals_at_risk"] == str(goals_at_risk)
    goals = scalar(db, "select goal_id, actual_value from marts.fct_account_plan_progress where plan_id = ?", [plan_id])
    milestones = scalar(db, "select goal_chain_id, milestone_date, actual_value from marts.fct_account_plan_milestones "
                            "where plan_id = ?", [plan_id])
    actions = scalar(db, "select campaign_id, campaign_touches from marts.fct_campaign_account_outcomes "
                         "where account_id = ? and campaign_type <> 'email'", [account_id])
    assert goals and milestones and actions, "the chosen account lacks a part of the section"
    for goal_id, actual in goals:
        assert shown[f"goal.{goal_id}"] == ("" if actual is None else str(actual))
    for chain, day, actual in milestones:
        assert shown[f"milestone.{chain}.{day}"] == ("" if actual is None else str(actual))
    for campaign_id, touches in actions:
        assert shown[f"action.{campaign_id}.touches"] == str(touches)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_screenshots_in_headless_chromium(dashboard, tmp_path: Path) -> None:
    assert CHROMIUM, "Chromium is needed for the dashboard test (.ci/run installs Debian's chromium)"
    fonts = subprocess.run(["fc-list", ":lang=ja"], capture_output=True, text=True, check=False).stdout
    assert fonts.strip(), "no Japanese font: install fonts-ipafont-gothic (.ci/run does)"
    base, db = dashboard
    account_id = scalar(db, "select account_id from marts.rpt_sdr_queue order by queue_rank limit 1")[0][0]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    quarter = scalar(db, "select max(quarter_start) from marts.rpt_abm_lift")[0][0]
    for name, url in (("overview", base + "/"), ("overview_target_tier1", base + "/?cohort=target&tier=1&months=6"),
                      ("accounts_covered", base + "/accounts?stage=covered&cohort=target"),
                      ("lift_pairs", f"{base}/lift/pairs?quarter={quarter}&tier=all"),
                      ("account", f"{base}/account/{account_id}")):
        target = SCREENSHOTS / f"dashboard_{name}.png"
        target.unlink(missing_ok=True)
        subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / name}",
                        f"--screenshot={target}", url], capture_output=True, timeout=120, check=False)
        assert target.exists(), f"Chromium wrote no screenshot of {url}"
        assert png_size(target) == (1280, 1800)
        assert target.stat().st_size > 20_000, "an (almost) empty page"


def get_bytes(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def test_filters_narrow_every_figure_to_the_chosen_accounts(dashboard) -> None:
    base, db = dashboard
    owner = scalar(db, "select owner from marts.fct_account_funnel where cohort = 'target' and target_tier = 1 "
                       "group by owner order by count(*) desc limit 1")[0][0]
    status, page = get(f"{base}/?cohort=target&tier=1&owner={urllib.parse.quote(owner)}")
    assert status == 200
    shown = metrics(page)
    accounts, covered, won = scalar(db, """
        select count(*), count(*) filter (where is_covered), count(*) filter (where has_won)
        from marts.fct_account_funnel where cohort = 'target' and target_tier = 1 and owner = ?""", [owner])[0]
    assert shown["funnel.target.accounts"] == str(accounts) and accounts > 0
    assert shown["funnel.target.covered"] == str(covered)
    assert shown["funnel.target.won"] == str(won)
    assert "funnel.control.accounts" not in shown and "funnel.other.accounts" not in shown
    assert shown["accounts.filtered"] == str(accounts)
    assert shown["as_of_date"] == "2026-11-01"
    # the trend narrows too: each month end counts the accounts with that cohort, tier and owner then
    trend = scalar(db, """
        select evaluated_on, count(*) filter (where is_covered) from marts.fct_account_funnel_history
        where is_month_end and cohort = 'target' and target_tier = 1 and owner = ?
          and evaluated_on in (select distinct evaluated_on from marts.fct_account_funnel_history
                               where is_month_end order by evaluated_on desc limit 12)
        group by evaluated_on""", [owner])
    assert trend, "no month end with such accounts to compare"
    for day, covered in trend:
        assert shown[f"trend.{day}.covered"] == str(covered)


def test_trends_come_from_the_history_marts_and_are_drawn(dashboard) -> None:
    base, db = dashboard
    status, page = get(base + "/?months=6")
    assert status == 200
    shown = metrics(page)
    expected = scalar(db, """
        select evaluated_on, count(*) filter (where is_covered), count(*) filter (where has_pipeline)
        from marts.fct_account_funnel_history
        where evaluated_on in (select distinct evaluated_on from marts.fct_account_funnel_history
                               where is_month_end order by evaluated_on desc limit 6)
        group by evaluated_on""")
    assert len(expected) == 6
    for day, covered, pipeline in expected:
        assert shown[f"trend.{day}.covered"] == str(covered)
        assert shown[f"trend.{day}.pipeline"] == str(pipeline)
    for month, mrr in scalar(db, """
            select month_start, sum(mrr_jpy) from marts.fct_account_revenue_monthly
            where month_start in (select distinct month_start from marts.fct_account_revenue_monthly
                                  order by month_start desc limit 6) group by month_start"""):
        assert shown[f"revenue.{month}.mrr_jpy"] == str(mrr)
    assert page.count("<svg") >= 2, "the funnel and MRR trend charts"
    assert page.count("<path") >= 5


def test_a_funnel_stage_drills_down_to_its_accounts_and_downloads_as_csv(dashboard) -> None:
    base, db = dashboard
    _, page = get(base + "/")
    link = re.search(r'<a href="([^"]+)" data-metric="funnel.target.covered" data-value="(\d+)"', page)
    assert link, "the covered count of the targets links to its accounts"
    status, listing = get(base + link.group(1).replace("&amp;", "&"))
    assert status == 200
    expected = {row[0] for row in scalar(db, "select account_id from marts.fct_account_funnel "
                                             "where cohort = 'target' and is_covered")}
    assert metrics(listing)["accounts.count"] == link.group(2) == str(len(expected))
    assert set(re.findall(r'data-account-id="([^"]+)"', listing)) == expected
    csv_link = metrics(listing)["accounts.csv"].replace("&amp;", "&")
    status, headers, body = get_bytes(base + csv_link)
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert "attachment" in headers["Content-Disposition"]
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Japanese Excel opens it"
    table = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert {row["account_id"] for row in table} == expected
    assert any(JAPANESE.search(row["account_name"]) for row in table)


def test_a_lift_cell_drills_down_to_the_pairs_it_compares(dashboard) -> None:
    base, db = dashboard
    _, page = get(base + "/")
    quarter, pairs = scalar(db, "select quarter_start, pairs from marts.rpt_abm_lift where tier = 'all' "
                                "and metric = 'sql_rate' order by quarter_start desc limit 1")[0]
    link = re.search(rf'<a href="([^"]+)" data-metric="lift.{quarter}.sql_rate.pairs" data-value="{pairs}"', page)
    assert link, "the pair count of the latest quarter links to its pairs"
    status, listing = get(base + link.group(1).replace("&amp;", "&"))
    assert status == 200
    assert metrics(listing)["pairs.count"] == str(pairs) and pairs > 0
    targets = set(re.findall(r'data-target="([^"]+)"', listing))
    assert targets == {row[0] for row in scalar(db, """
        select target_account_id from marts.fct_abm_lift_pairs
        where match_status = 'matched' and first_counted_quarter <= ?""", [quarter])}


def test_pages_escape_what_users_type_and_reject_unknown_drill_downs(dashboard) -> None:
    base, _ = dashboard
    status, page = get(base + "/?owner=" + urllib.parse.quote('<script>alert("x")</script>'))
    assert status == 200
    assert '<script>alert("x")</script>' not in page and "&lt;script&gt;" in page
    assert get(base + "/accounts?stage=nonsense")[0] == 400
    assert get(base + "/lift/pairs?quarter=someday")[0] == 400


def test_one_connection_per_page(csv_build, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page opens the file once, read-only, and closes it before answering."""
    import dashboard as module
    from wsgiref.util import setup_testing_defaults

    _, _, result = csv_build
    opened: list[duckdb.DuckDBPyConnection] = []
    real_connect = duckdb.connect

    def counting_connect(*args, **kwargs):
        assert kwargs.get("read_only") is True
        opened.append(real_connect(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(module.duckdb, "connect", counting_connect)
    app = module.application(result.duckdb_path)
    account_id = scalar(result.duckdb_path, "select account_id from marts.rpt_sdr_queue order by queue_rank limit 1")[0][0]
    for path, query in (("/", "cohort=target"), ("/accounts", "stage=won"), (f"/account/{account_id}", "")):
        opened.clear()
        environ: dict = {}
        setup_testing_defaults(environ)
        environ.update(PATH_INFO=path, QUERY_STRING=query)
        statuses: list[str] = []
        b"".join(app(environ, lambda status, headers: statuses.append(status)))
        assert statuses == ["200 OK"], path
        assert len(opened) == 1, f"{path} opened the file {len(opened)} times"
        with pytest.raises(duckdb.ConnectionException):
            opened[0].execute("select 1")


def test_the_page_benchmark_times_every_page(csv_build) -> None:
    import benchmark_dashboard

    _, _, result = csv_build
    rows = benchmark_dashboard.measure(result.duckdb_path, repeat=2)
    assert [row["page"] for row in rows] == [name for name, _, _ in benchmark_dashboard.pages(result.duckdb_path)]
    assert all(0 < row["p50_ms"] <= row["p95_ms"] <= row["max_ms"] for row in rows)
