"""The daily-refresh benchmark's preparation: day one's files and the day it calls day two."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import benchmark_daily_refresh as bench


def write_raw(raw: Path) -> None:
    raw.mkdir()
    pq.write_table(pa.table({"activity_id": ["a1", "a2", "a3", "a4"],
                             "occurred_at": ["2026-10-31 09:00:00", "2026/11/01 10:00", "not a date",
                                             "2027-12-06 00:00:00"]}), raw / "activities.parquet")
    pq.write_table(pa.table({"domain": ["x.jp", "y.jp"], "signal_date": ["2026-10-31", "2026-11-01"]}),
                   raw / "intent_signals.parquet")
    pq.write_table(pa.table({"source_account_id": ["1"]}), raw / "crm_accounts.parquet")


def test_day_two_is_the_newest_day_every_event_table_has(tmp_path: Path) -> None:
    write_raw(tmp_path / "raw")
    # activities' impossible 2027 row is not in the intent signals: it does not make day two
    assert bench.newest_event_day(tmp_path / "raw") == date(2026, 11, 1)


def test_day_one_leaves_out_day_two_events_only(tmp_path: Path) -> None:
    write_raw(tmp_path / "raw")
    held_back = bench.write_day_one(tmp_path / "raw", tmp_path / "one", date(2026, 11, 1))
    assert held_back == {"activities": 1, "intent_signals": 1}
    # unparseable and future rows stay (staging quarantines them on both days)
    assert pq.read_table(tmp_path / "one" / "activities.parquet").column("activity_id").to_pylist() == ["a1", "a3", "a4"]
    assert (tmp_path / "one" / "crm_accounts.parquet").is_symlink()
    # a second run over the same folder replaces what the first wrote
    assert bench.write_day_one(tmp_path / "raw", tmp_path / "one", date(2026, 11, 1)) == held_back


def test_node_times_are_summed_per_model_folder_and_node_kind(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"nodes": {
        "model.p.a": {"resource_type": "model", "original_file_path": "models/staging/a.sql"},
        "model.p.b": {"resource_type": "model", "original_file_path": "models/staging/b.sql"},
        "test.p.t": {"resource_type": "test", "original_file_path": "models/staging/_models.yml"}}}))
    (tmp_path / "run_results.json").write_text(json.dumps({"results": [
        {"unique_id": "model.p.a", "execution_time": 1.0}, {"unique_id": "model.p.b", "execution_time": 2.5},
        {"unique_id": "test.p.t", "execution_time": 4.0}, {"unique_id": "operation.p.hook", "execution_time": 0.5}]}))
    assert bench.node_seconds(tmp_path) == {"test": 4.0, "models/staging": 3.5, "operation": 0.5}


def test_the_scheduled_refresh_steps_come_from_its_log(tmp_path: Path) -> None:
    """--scheduled reads each finished step's seconds and the build's plan from scripts/refresh.py's JSON
    log; a failed or unfinished step is not reported as a time."""
    lines = [
        {"step": "refresh", "status": "started"},
        {"step": "stage", "status": "started"}, {"step": "stage", "status": "ok", "seconds": 17.8, "from": "state"},
        {"step": "build", "status": "ok", "seconds": 201.5, "nodes": 437,
         "plan": {"stale": 437, "of": 738, "why": {"changed": 437}, "appending": 6}},
        {"step": "validate", "status": "failed", "seconds": 3.0, "reason": "validation: x"},
        {"step": "refresh", "status": "published", "seconds": 260.0},
    ]
    (tmp_path / "log.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    steps, plan = bench.refresh_steps(tmp_path / "log.jsonl")
    assert steps == {"stage": 17.8, "build": 201.5, "refresh": 260.0}
    assert plan == {"stale": 437, "of": 738, "why": {"changed": 437}, "appending": 6, "nodes_run": 437}
    day = {"seconds": 260.0, "steps": steps, "plan": plan}
    table = bench.scheduled_table({"floor_seconds": 20.0, "day_one": day | {"seconds": 520.0}, "day_two": day})
    assert "| stage: copy the state file to a private build file | 17.8 s | 17.8 s |" in table
    assert "| validate: Great Expectations suites and the PII check | 0.0 s | 0.0 s |" in table
    assert "520.0 s (26.0 × the 20.0 s scan) | 260.0 s (50% of day one) |" in table


def test_machine_speed_readings_are_kept_and_printed_under_the_table(monkeypatch) -> None:
    """Readings of the reference loop go into the results beside the figures and under the table; results
    written before there were readings still print."""
    readings = iter([0.41, 0.52])
    monkeypatch.setattr(bench, "reference_seconds", lambda: next(readings))
    figures: dict = {}
    bench.note_machine_speed(figures, "before_floor")
    bench.note_machine_speed(figures, "end")
    assert figures == {"machine_speed_seconds": {"before_floor": 0.41, "end": 0.52}}
    assert bench.speed_lines(figures)[-1] == ("Machine speed (scripts/machine_speed.py, lower is faster): "
                                              "before floor 0.41 s, end 0.52 s.")
    assert bench.speed_lines({}) == []


def test_day_two_alone_starts_from_what_day_one_left(tmp_path: Path) -> None:
    (tmp_path / "scheduled" / "state").mkdir(parents=True)
    (tmp_path / "scheduled" / "state" / "abm.duckdb").write_text("day one")
    (tmp_path / "published.duckdb").write_text("published on day one")
    (tmp_path / "published_people.duckdb").write_text("people on day one")
    # the refresh's link to the raw folder stays a link (not a copy of the raw files)
    (tmp_path / "raw-day-one").mkdir()
    (tmp_path / "scheduled" / "state" / "raw").symlink_to(tmp_path / "raw-day-one", target_is_directory=True)
    bench.keep_day_one(tmp_path)
    assert (tmp_path / "scheduled-day-one" / "scheduled" / "state" / "raw").is_symlink()
    # day two writes over both and leaves a file of its own
    (tmp_path / "scheduled" / "state" / "abm.duckdb").write_text("day two")
    (tmp_path / "scheduled" / "run_current").mkdir()
    (tmp_path / "published.duckdb").write_text("published on day two")
    (tmp_path / "published_people.duckdb").write_text("people on day two")
    bench.restore_day_one(tmp_path)
    assert (tmp_path / "scheduled" / "state" / "abm.duckdb").read_text() == "day one"
    assert not (tmp_path / "scheduled" / "run_current").exists()
    assert (tmp_path / "scheduled" / "state" / "raw").is_symlink()
    assert (tmp_path / "published.duckdb").read_text() == "published on day one"
    assert (tmp_path / "published_people.duckdb").read_text() == "people on day one"
