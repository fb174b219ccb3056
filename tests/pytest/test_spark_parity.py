"""The DuckDB–Spark mart comparison (scripts/spark_parity.py) must catch what differs and only that:
values, row counts, columns, floating point beyond the tolerance — not row order, nor a date that one
engine hands over as a midnight timestamp."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from spark_parity import compare, compare_frames  # noqa: E402


def frame(**columns: list) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_same_rows_in_another_order_are_identical() -> None:
    duckdb = frame(account_id=["a", "b", "c"], score=[1.5, 2.0, None], is_target=[True, False, True])
    spark = frame(account_id=["c", "a", "b"], score=[None, 1.5, 2.0], is_target=[True, True, False])
    assert compare_frames("m", duckdb, spark, 1e-9).identical


def test_a_changed_value_is_reported_with_its_column() -> None:
    duckdb = frame(account_id=["a", "b"], funnel_stage=["reached", "engaged"])
    spark = frame(account_id=["a", "b"], funnel_stage=["reached", "covered"])
    result = compare_frames("m", duckdb, spark, 1e-9)
    assert not result.identical
    assert "funnel_stage" in result.differences[0] and "covered" in result.differences[0]


def test_an_engine_row_hash_is_not_compared_but_must_be_there() -> None:
    duckdb = frame(account_id=["a", "b"], inputs_fingerprint=["112", "345"])
    spark = frame(account_id=["b", "a"], inputs_fingerprint=["-9", "7"])
    assert compare_frames("m", duckdb, spark, 1e-9).identical
    assert not compare_frames("m", duckdb, spark.drop(columns=["inputs_fingerprint"]), 1e-9).identical
    assert not compare_frames("m", duckdb, spark.assign(account_id=["b", "c"]), 1e-9).identical


def test_floating_point_within_the_tolerance_only() -> None:
    duckdb = frame(account_id=["a"], rate=[0.1 + 0.2])
    assert compare_frames("m", duckdb, frame(account_id=["a"], rate=[0.3]), 1e-9).identical
    assert not compare_frames("m", duckdb, frame(account_id=["a"], rate=[0.3001]), 1e-9).identical


def test_row_count_columns_and_missing_marts_differ() -> None:
    duckdb = frame(account_id=["a", "b"])
    assert "row count" in compare_frames("m", duckdb, frame(account_id=["a"]), 1e-9).differences[0]
    assert "columns" in compare_frames("m", duckdb, frame(id=["a", "b"]), 1e-9).differences[0]
    missing = compare({"m": duckdb}, {}, ["m"], 1e-9)
    assert missing[0].differences == ["missing on spark"]


def test_a_date_as_midnight_timestamp_equals_the_date_but_not_another_day() -> None:
    duckdb = frame(evaluated_on=[pd.Timestamp("2026-10-31")])
    assert compare_frames("m", duckdb, frame(evaluated_on=[datetime.date(2026, 10, 31)]), 1e-9).identical
    assert not compare_frames("m", duckdb, frame(evaluated_on=[datetime.date(2026, 10, 30)]), 1e-9).identical


def test_null_and_false_and_zero_are_not_confused() -> None:
    duckdb = frame(account_id=["a", "b"], flag=[None, False], amount=[0, None])
    spark = frame(account_id=["a", "b"], flag=[False, None], amount=[None, 0])
    result = compare_frames("m", duckdb, spark, 1e-9)
    assert not result.identical


def test_an_in_memory_catalog_build_is_read_from_the_mart_folders(tmp_path: Path) -> None:
    """Without a metastore the marts are read from <warehouse>/tables/<schema>.db/<table>/, the layout
    Spark writes: several part files and a _SUCCESS marker; a mart with no folder counts as missing."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from spark_parity import read_spark

    folder = tmp_path / "tables" / "marts.db" / "dim_accounts"
    folder.mkdir(parents=True)
    pq.write_table(pa.table({"account_id": ["a", "b"], "evaluated_on": [datetime.date(2026, 10, 31)] * 2}),
                   folder / "part-00000.snappy.parquet")
    pq.write_table(pa.table({"account_id": ["c"], "evaluated_on": [datetime.date(2026, 10, 30)]}),
                   folder / "part-00001.snappy.parquet")
    (folder / "_SUCCESS").write_bytes(b"")
    frames = read_spark(tmp_path, "marts", ["dim_accounts", "fct_account_funnel"], catalog="in-memory")
    assert list(frames) == ["dim_accounts"]
    days = [pd.Timestamp("2026-10-30"), pd.Timestamp("2026-10-31"), pd.Timestamp("2026-10-31")]
    duckdb = frame(account_id=["c", "b", "a"], evaluated_on=days)
    assert compare_frames("dim_accounts", duckdb, frames["dim_accounts"], 1e-9).identical
    missing = compare({"fct_account_funnel": duckdb}, frames, ["fct_account_funnel"], 1e-9)
    assert missing[0].differences == ["missing on spark"]
