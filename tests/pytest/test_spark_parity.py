"""The DuckDB–Spark table comparison (scripts/spark_parity.py) must catch what differs and only that:
values, row counts, columns, floating point beyond the tolerance — not row order, nor a date that one
engine hands over as a midnight timestamp, nor a decimal handed over as a float. It decides the verdict
of the built-in tests Spark leaves out, so it lists only tests on compared tables and columns."""

from __future__ import annotations

import datetime
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from spark_parity import (  # noqa: E402
    builtin_tests_left_to_comparison, compare, compare_frames, compared_nodes, not_passed_on_duckdb)


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
    frames = read_spark(tmp_path, {"marts": ["dim_accounts", "fct_account_funnel"]}, catalog="in-memory")
    assert list(frames) == ["marts.dim_accounts"]
    days = [pd.Timestamp("2026-10-30"), pd.Timestamp("2026-10-31"), pd.Timestamp("2026-10-31")]
    duckdb = frame(account_id=["c", "b", "a"], evaluated_on=days)
    assert compare_frames("marts.dim_accounts", duckdb, frames["marts.dim_accounts"], 1e-9).identical
    missing = compare({"marts.fct_account_funnel": duckdb}, frames, ["marts.fct_account_funnel"], 1e-9)
    assert missing[0].differences == ["missing on spark"]


def test_a_spark_decimal_equals_duckdb_s_float_of_the_same_value_only() -> None:
    """DuckDB hands a DECIMAL column to pandas as floats, Spark's Parquet as Python decimals."""
    duckdb = frame(account_id=["a", "b"], amount_jpy=[7450000.0, 0.0])
    same = frame(account_id=["b", "a"], amount_jpy=[Decimal("0.00"), Decimal("7450000.00")])
    assert compare_frames("m", duckdb, same, 1e-9).identical
    other = frame(account_id=["b", "a"], amount_jpy=[Decimal("0.00"), Decimal("7450001.00")])
    assert not compare_frames("m", duckdb, other, 1e-9).identical


def test_lineage_and_run_time_columns_are_not_compared_but_must_be_there() -> None:
    duckdb = frame(account_id=["a"], _source_file=["contacts.parquet"], _source_row_number=[1],
                   first_assigned_at=[pd.Timestamp("2026-12-07 09:00:50")])
    spark = frame(account_id=["a"], _source_file=["raw.contacts"], _source_row_number=[546],
                  first_assigned_at=[pd.Timestamp("2026-12-07 09:01:31")])
    assert compare_frames("m", duckdb, spark, 1e-9).identical
    assert not compare_frames("m", duckdb, spark.drop(columns=["_source_file"]), 1e-9).identical


def node(uid: str, resource_type: str, materialized: str = "table", **extra: object) -> tuple[str, dict]:
    return uid, {"resource_type": resource_type, "schema": "marts", "alias": uid.split(".")[-1],
                 "name": uid.split(".")[-1], "config": {"materialized": materialized}, **extra}


def generic(name: str, test: str, reads: list[str], **kwargs: object) -> tuple[str, dict]:
    return node(f"test.p.{name}", "test", "test", test_metadata={"name": test, "kwargs": kwargs},
                depends_on={"nodes": reads})


def test_only_built_in_tests_on_compared_tables_and_columns_are_left_to_the_comparison() -> None:
    manifest = {"nodes": dict([
        node("model.p.dim_accounts", "model"), node("model.p.fct_funnel", "model", "incremental"),
        node("model.p.stg_view", "model", "view"), node("seed.p.roles", "seed", "seed"),
        generic("unique_dim", "unique", ["model.p.dim_accounts"], column_name="account_id"),
        generic("nn_funnel", "not_null", ["model.p.fct_funnel"], column_name="stage"),
        generic("values_seed", "accepted_values", ["seed.p.roles"], column_name="role"),
        generic("rel_funnel", "relationships", ["model.p.fct_funnel", "model.p.dim_accounts"],
                column_name="account_id", field="account_id"),
        # stay on Spark: a view is not compared; neither is a column each engine fills itself; a
        # filter on one; the project's own generic tests; singular tests (no metadata)
        generic("nn_view", "not_null", ["model.p.stg_view"], column_name="id"),
        generic("rel_view", "relationships", ["model.p.fct_funnel", "model.p.stg_view"], column_name="id",
                field="id"),
        generic("nn_loaded", "not_null", ["model.p.dim_accounts"], column_name="_loaded_at"),
        generic("unique_row", "unique", ["model.p.dim_accounts"], column_name="_source_row_number"),
        node("test.p.nn_where", "test", "test", test_metadata={"name": "not_null", "kwargs": {"column_name": "x"}},
             depends_on={"nodes": ["model.p.dim_accounts"]}, config={"where": "scored_at is not null"}),
        generic("between", "value_between", ["model.p.dim_accounts"], column_name="score"),
        node("test.p.assert_rows", "test", "test", depends_on={"nodes": ["model.p.dim_accounts"]}),
    ])}
    left = builtin_tests_left_to_comparison(manifest)
    assert sorted(left.values()) == ["nn_funnel", "rel_funnel", "unique_dim", "values_seed"]
    assert set(compared_nodes(manifest)) == {"model.p.dim_accounts", "model.p.fct_funnel", "seed.p.roles"}


def test_a_test_left_to_the_comparison_must_have_passed_on_the_duckdb_side() -> None:
    """Its verdict is the DuckDB side's: not run there (excluded, skipped after a failed parent) or
    failed there is reported by name."""
    left = {"test.p.unique_dim": "unique_dim", "test.p.nn_funnel": "nn_funnel", "test.p.values_seed": "values_seed"}
    results = {"results": [{"unique_id": "test.p.unique_dim", "status": "pass"},
                           {"unique_id": "test.p.nn_funnel", "status": "fail"},
                           {"unique_id": "model.p.dim_accounts", "status": "success"}]}
    assert not_passed_on_duckdb(left, results) == ["nn_funnel", "values_seed"]
    results["results"] += [{"unique_id": "test.p.nn_funnel", "status": "pass"},
                           {"unique_id": "test.p.values_seed", "status": "pass"}]
    results["results"] = [r for r in results["results"] if r["status"] != "fail"]
    assert not_passed_on_duckdb(left, results) == []
