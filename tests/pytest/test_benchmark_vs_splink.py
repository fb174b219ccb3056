"""The back-to-back comparison with Splink: the company-only copy of the raw files and the report."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import benchmark_vs_splink


def test_the_company_only_copy_keeps_every_file_but_empties_contacts(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    pq.write_table(pa.table({"email": ["a@x.jp", "b@y.jp"], "company_name": ["X", "Y"]}), raw / "contacts.parquet")
    pq.write_table(pa.table({"source_account_id": ["1"]}), raw / "crm_accounts.parquet")
    benchmark_vs_splink.company_only_copy(raw, tmp_path / "co")
    contacts = pq.read_table(tmp_path / "co" / "contacts.parquet")
    assert contacts.num_rows == 0 and contacts.schema.names == ["email", "company_name"]
    assert pq.read_table(tmp_path / "co" / "crm_accounts.parquet").num_rows == 1
    # a second run over the same folder replaces what the first wrote
    benchmark_vs_splink.company_only_copy(raw, tmp_path / "co")
    assert sorted(p.name for p in (tmp_path / "co").iterdir()) == ["contacts.parquet", "crm_accounts.parquet"]


def test_the_report_gives_the_ratio_of_linking_times() -> None:
    ours = {"figures": {"linking_and_clustering_s": 10.0, "identity_s": 60.0, "identity_peak_mb": 5000},
            "scores": [{"scope": "all records", "kind": "overall", "precision": 0.5, "recall": 0.5, "f1": 0.5},
                       {"scope": "company records", "kind": "overall", "precision": 0.998, "recall": 0.994,
                        "f1": 0.996}]}
    splink = {"figures": {"splink_s": 40.0, "splink_peak_mb": 5800, "records": 1980426},
              "scores": [{"kind": "overall", "precision": 1.0, "recall": 0.917, "f1": 0.957}]}
    report = benchmark_vs_splink.as_markdown([(ours, splink)], "2026-12-02 18:00")
    assert "**4.00×**" in report
    assert "| this project | 0.9980 | 0.9940 | 0.9960 | 10.0 s |" in report
    assert "1,980,426 company records." in report


def test_rounds_report_each_ratio_and_their_median() -> None:
    def round_of(ours_s: float, splink_s: float) -> tuple[dict, dict]:
        return ({"figures": {"linking_and_clustering_s": ours_s, "identity_s": 60.0, "identity_peak_mb": 5000},
                 "scores": [{"scope": "company records", "kind": "overall", "precision": 1, "recall": 1, "f1": 1}]},
                {"figures": {"splink_s": splink_s, "splink_peak_mb": 5800, "records": 10},
                 "scores": [{"kind": "overall", "precision": 1.0, "recall": 0.9, "f1": 0.95}]})
    report = benchmark_vs_splink.as_markdown([round_of(10, 30), round_of(10, 15), round_of(20, 50)], "x")
    assert "3 rounds" in report
    assert "| 2 | 10.0 s | 15.0 s | 1.50× |" in report
    # ratios 3.0, 1.5, 2.5: the median, not the ratio of the summed times (95 / 40)
    assert "median of the rounds: **2.50×**" in report


def test_a_benchmark_without_an_overall_score_is_an_error() -> None:
    with pytest.raises(SystemExit, match="overall"):
        benchmark_vs_splink.overall([{"scope": "company records", "kind": "typo"}])


def test_main_runs_both_linkers_each_round_and_writes_the_report(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    pq.write_table(pa.table({"email": ["a@x.jp"]}), raw / "contacts.parquet")
    work = tmp_path / "work"
    calls: list[list[str]] = []

    def fake_run(command: list[str], **_: object) -> None:
        # each linker writes its JSON where the real scripts do
        calls.append(command)
        if command[1].endswith("benchmark_identity.py"):
            (work / "benchmark.json").write_text(json.dumps({
                "figures": {"linking_and_clustering_s": 10.0 + len(calls), "identity_s": 30.0, "identity_peak_mb": 1},
                "scores": [{"scope": "company records", "kind": "overall", "precision": 1, "recall": 1, "f1": 1}]}))
        else:
            (work / "splink.json").write_text(json.dumps({
                "figures": {"splink_s": 40.0, "splink_peak_mb": 1, "records": 5},
                "scores": [{"kind": "overall", "precision": 1, "recall": 0.9, "f1": 0.95}]}))

    monkeypatch.setattr(benchmark_vs_splink.subprocess, "run", fake_run)
    assert benchmark_vs_splink.main(["--raw-dir", str(raw), "--truth-dir", str(tmp_path), "--work", str(work),
                                     "--rounds", "2"]) == 0
    # staging is built in the first round only
    assert ["--reuse-staging" in c for c in calls if c[1].endswith("benchmark_identity.py")] == [False, True]
    report = (work / "vs_splink.md").read_text()
    assert "2 rounds" in report and "| 2 | 13.0 s | 40.0 s | 3.08× |" in report
