"""The machine-speed reading printed beside benchmarks and make test (scripts/machine_speed.py)."""

from __future__ import annotations

import json

import pytest

import machine_speed


def test_a_reading_is_the_fastest_of_its_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    readings = iter([0.9, 0.4, 0.7])
    monkeypatch.setattr(machine_speed, "one_round", lambda steps: next(readings))
    assert machine_speed.reference_seconds(rounds=3, steps=10) == 0.4


def test_one_round_times_the_loop() -> None:
    small, large = machine_speed.one_round(10_000), machine_speed.one_round(2_000_000)
    assert 0 < small < large


def test_zero_rounds_is_refused() -> None:
    with pytest.raises(ValueError, match="rounds"):
        machine_speed.reference_seconds(rounds=0)
    with pytest.raises(SystemExit):
        machine_speed.main(["--rounds", "0"])


def test_the_cli_prints_one_json_reading(capsys: pytest.CaptureFixture[str]) -> None:
    assert machine_speed.main(["--rounds", "1", "--steps", "1000", "--label", "start"]) == 0
    reading = json.loads(capsys.readouterr().out)
    assert reading["label"] == "start" and reading["steps"] == 1000 and reading["rounds"] == 1
    assert reading["seconds"] >= 0
