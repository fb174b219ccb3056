#!/usr/bin/env python3
"""Compare every table built on Spark with the same table built on DuckDB from the same raw data.

Every seed and every model stored as a table (staging, intermediate, marts), row by row: both sides
sorted on every column, then compared cell by cell — text, integers, dates, booleans exactly (but for
the columns each engine fills its own way: ENGINE_OWN_COLUMNS); floating-point and decimal columns
within an absolute tolerance (default 1e-9: the two engines may sum in a different order; DuckDB hands
decimals over as floats, Spark's Parquet as decimals). A table is identical when its columns, row count
and every compared cell agree.

Because every compared table is identical, a dbt built-in generic test (not_null, unique,
accepted_values, relationships) on a compared column gives on Spark the verdict it gives on DuckDB, where
the DuckDB side runs it on the same data: `builtin_tests_left_to_comparison` lists those tests, and
`spark_build.py --tests-by-comparison` leaves them out of the Spark build (the project's own tests, unit
tests, and tests on views or on engine-filled columns still run on Spark).

    python scripts/spark_parity.py --duckdb build/spark/abm.duckdb --warehouse build/spark/warehouse \
        --manifest build/spark/target/manifest.json --report build/spark/parity.json

Exit status 1 when any table differs or is missing on one side.
"""

from __future__ import annotations

import argparse
import datetime
import decimal
import json
import math
import os
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

MAX_EXAMPLES = 5
# columns each engine fills its own way, so they differ by design; both sides must have them, their
# values are not compared (and a test on one of them runs on Spark itself)
ENGINE_OWN_COLUMNS = frozenset({
    "inputs_fingerprint",  # the engine's own row hash (DuckDB hash, Spark xxhash64: macro inputs_fingerprint)
    "_source_file",  # lineage: the file on DuckDB, the landed raw table on Spark
    "_source_row_number",  # lineage: a row's place as read; Spark lands a file's rows in its own order
    "first_source_row_number",  # the same: the place of a key's first copy (duplicate-key quarantine)
    "_loaded_at", "quarantined_at", "scored_at", "first_assigned_at",  # when that engine's build ran
})
# dbt's own generic tests: their SQL is dbt's, the same query on either engine
BUILT_IN_TESTS = frozenset({"not_null", "unique", "accepted_values", "relationships"})
STORED = frozenset({"table", "incremental"})


@dataclass
class TableParity:
    name: str
    rows_duckdb: int = 0
    rows_spark: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differences


def compared_nodes(manifest: dict) -> dict[str, tuple[str, str]]:
    """unique_id → (schema, table) of every seed and every model stored as a table: what is compared."""
    return {uid: (node["schema"], node["alias"]) for uid, node in manifest["nodes"].items()
            if node["config"].get("enabled", True)
            and (node["resource_type"] == "seed"
                 or (node["resource_type"] == "model" and node["config"].get("materialized") in STORED))}


def tables_by_schema(manifest: dict) -> dict[str, list[str]]:
    """schema → sorted table names of the compared nodes."""
    found: dict[str, list[str]] = {}
    for schema, table in compared_nodes(manifest).values():
        found.setdefault(schema, []).append(table)
    return {schema: sorted(tables) for schema, tables in sorted(found.items())}


def builtin_tests_left_to_comparison(manifest: dict) -> dict[str, str]:
    """unique_id → name of the built-in generic tests whose verdict the comparison decides: every node
    the test reads is a compared table, and no column it names or filters on is one the engines fill
    their own way."""
    compared = compared_nodes(manifest)
    left = {}
    for uid, node in manifest["nodes"].items():
        metadata = node.get("test_metadata") or {}
        if node["resource_type"] != "test" or metadata.get("name") not in BUILT_IN_TESTS:
            continue
        kwargs = metadata.get("kwargs") or {}
        named = {str(kwargs.get("column_name") or ""), str(kwargs.get("field") or "")}
        where = str((node.get("config") or {}).get("where") or "")
        reads = node["depends_on"]["nodes"]
        if (reads and all(parent in compared for parent in reads) and not named & ENGINE_OWN_COLUMNS
                and not any(column in where for column in ENGINE_OWN_COLUMNS)):
            left[uid] = node["name"]
    return dict(sorted(left.items()))


def not_passed_on_duckdb(left: Mapping[str, str], duckdb_results: dict) -> list[str]:
    """The tests left to the comparison that did not pass on the DuckDB side (its run_results.json):
    their verdict is that side's, so each must have run there, on the same data, and passed."""
    passed = {result["unique_id"] for result in duckdb_results["results"] if result["status"] == "pass"}
    return sorted(name for uid, name in left.items() if uid not in passed)


def _canonical(value: object) -> object:
    """One comparable form per value: missing → None, timestamps and dates → ISO text, numpy → Python."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, datetime.datetime):  # pd.Timestamp too
        # DuckDB's dates arrive in pandas as midnight timestamps, Spark's as dates: the contracts
        # already hold both engines to the same column types, so a midnight is compared as its day
        if value.tzinfo is None and value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, decimal.Decimal):  # DuckDB's decimals reach pandas as floats
        return float(value)
    return value


def _sorted_rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    rows = [tuple(_canonical(value) for value in row) for row in frame[columns].itertuples(index=False)]
    # nulls first; a column's values share a type (numbers of both engines compare with each other)
    return sorted(rows, key=lambda row: tuple((value is not None, 0 if value is None else value) for value in row))


def _cells_equal(left: object, right: object, tolerance: float) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return bool(left) == bool(right) and type(left) is type(right)
    if isinstance(left, float) or isinstance(right, float):
        return isinstance(left, (int, float)) and isinstance(right, (int, float)) and abs(left - right) <= tolerance
    return left == right


def compare_frames(name: str, duckdb_frame: pd.DataFrame, spark_frame: pd.DataFrame,
                   tolerance: float) -> TableParity:
    result = TableParity(name, len(duckdb_frame), len(spark_frame))
    left_columns = [column.lower() for column in duckdb_frame.columns]
    right_columns = [column.lower() for column in spark_frame.columns]
    if left_columns != right_columns:
        result.differences.append(f"columns differ: duckdb {left_columns} / spark {right_columns}")
        return result
    duckdb_frame = duckdb_frame.set_axis(left_columns, axis=1)
    spark_frame = spark_frame.set_axis(right_columns, axis=1)
    left_columns = [column for column in left_columns if column not in ENGINE_OWN_COLUMNS]
    duckdb_frame, spark_frame = duckdb_frame[left_columns], spark_frame[left_columns]
    if len(duckdb_frame) != len(spark_frame):
        result.differences.append(f"row count differs: duckdb {len(duckdb_frame)} / spark {len(spark_frame)}")
        return result
    left_rows = _sorted_rows(duckdb_frame, left_columns)
    right_rows = _sorted_rows(spark_frame, left_columns)
    for left, right in zip(left_rows, right_rows):
        unequal = [column for column, a, b in zip(left_columns, left, right) if not _cells_equal(a, b, tolerance)]
        if unequal:
            result.differences.append(
                "row differs in " + ", ".join(unequal) + ": duckdb "
                + repr({c: left[left_columns.index(c)] for c in unequal})
                + " / spark " + repr({c: right[left_columns.index(c)] for c in unequal}))
            if len(result.differences) >= MAX_EXAMPLES:
                break
    return result


def read_duckdb(path: Path, tables: Mapping[str, list[str]]) -> dict[str, pd.DataFrame]:
    """schema.table → rows, for each listed table the DuckDB file holds."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        present = {f"{schema}.{table}" for schema, table in con.execute(
            "select table_schema, table_name from information_schema.tables").fetchall()}
        return {name: con.execute(f'select * from "{schema}"."{table}"').df()
                for schema, names in tables.items() for table in names
                if (name := f"{schema}.{table}") in present}
    finally:
        con.close()


def read_spark(warehouse: Path, tables: Mapping[str, list[str]], catalog: str = "hive") -> dict[str, pd.DataFrame]:
    """schema.table → rows as Spark wrote them: through the metastore (catalog hive, in a Spark session),
    or, when the build kept its table definitions in memory, from each table's Parquet folder under the
    warehouse (read by pyarrow: no second JVM to start)."""
    if catalog == "in-memory":
        import pyarrow.parquet as pq

        return {f"{schema}.{table}": pq.read_table(folder).to_pandas()
                for schema, names in tables.items() for table in names
                if (folder := warehouse / "tables" / f"{schema}.db" / table).is_dir()}
    sys.path.insert(0, str(Path(__file__).parent))
    from spark_build import session

    spark = session("local[1]", warehouse, catalog)
    try:
        frames = {}
        for schema, names in tables.items():
            present = {row.tableName for row in spark.sql(f"show tables in {schema}").collect()}
            frames |= {f"{schema}.{table}": spark.table(f"{schema}.{table}").toPandas()
                       for table in names if table in present}
        return frames
    finally:
        spark.stop()


def compare(duckdb_frames: dict[str, pd.DataFrame], spark_frames: dict[str, pd.DataFrame], names: list[str],
            tolerance: float) -> list[TableParity]:
    results = []
    for name in names:
        if name not in duckdb_frames or name not in spark_frames:
            missing = "duckdb" if name not in duckdb_frames else "spark"
            results.append(TableParity(name, differences=[f"missing on {missing}"]))
            continue
        results.append(compare_frames(name, duckdb_frames[name], spark_frames[name], tolerance))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duckdb", type=Path, required=True)
    parser.add_argument("--warehouse", type=Path, required=True, help="the Spark warehouse of spark_build.py")
    parser.add_argument("--manifest", type=Path, required=True, help="the Spark build's manifest.json")
    parser.add_argument("--tolerance", type=float, default=1e-9)
    parser.add_argument("--duckdb-results", type=Path,
                        help="the DuckDB side's run_results.json: every test the Spark build left to the "
                             "comparison (spark_build.py --tests-by-comparison) must have passed there")
    parser.add_argument("--report", type=Path)
    parser.add_argument("--catalog", choices=("hive", "in-memory"),
                        default=os.environ.get("ABM_SPARK_CATALOG", "hive"),
                        help="the catalog spark_build.py ran with (in-memory: tables read from their folders)")
    args = parser.parse_args(argv)
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    tables = tables_by_schema(manifest)
    unverified: list[str] = []
    if args.duckdb_results:
        left = builtin_tests_left_to_comparison(manifest)
        unverified = not_passed_on_duckdb(left, json.loads(args.duckdb_results.read_text(encoding="utf-8")))
        for name in unverified:
            print(f"left to the comparison, but did not pass on the DuckDB side: {name}")
        print(f"{len(left) - len(unverified)} of {len(left)} built-in tests left to the comparison passed on the DuckDB side")
    names = [f"{schema}.{table}" for schema, listed in tables.items() for table in listed]
    spark_frames = read_spark(args.warehouse, tables, args.catalog)
    results = compare(read_duckdb(args.duckdb, tables), spark_frames, names, args.tolerance)
    identical = sum(result.identical for result in results)
    marts = [result for result in results if result.name.startswith("marts.")]
    marts_identical = sum(result.identical for result in marts)
    for result in results:
        status = "identical" if result.identical else "DIFFERS"
        print(f"{result.name:56} {result.rows_duckdb:>7} {result.rows_spark:>7}  {status}")
        for difference in result.differences:
            print(f"    {difference}")
    print(f"{identical} of {len(results)} tables identical, of which {marts_identical} of "
          f"{len(marts)} marts (tolerance {args.tolerance:g} on floating point and decimals)")
    if args.report:
        args.report.write_text(json.dumps({"identical": identical, "tables": len(results),
                                           "marts_identical": marts_identical, "marts": len(marts),
                                           "tolerance": args.tolerance,
                                           "results": [asdict(r) | {"identical": r.identical} for r in results]},
                                          indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return 0 if identical == len(results) and not unverified else 1


if __name__ == "__main__":
    raise SystemExit(main())
