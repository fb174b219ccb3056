#!/usr/bin/env python3
"""Compare every mart built on Spark with the same mart built on DuckDB from the same raw data.

Row by row: both sides sorted on every column, then compared cell by cell — text, integers, dates,
booleans exactly (but for a row hash each engine computes with its own function, inputs_fingerprint); floating-point columns within an absolute tolerance (default 1e-9: the two engines
may sum in a different order). A mart is identical when its columns, row count and every cell agree.

    python scripts/spark_parity.py --duckdb build/spark/abm.duckdb --warehouse build/spark/warehouse \
        --manifest build/spark/target/manifest.json --report build/spark/parity.json

Exit status 1 when any mart differs or is missing on one side.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

MAX_EXAMPLES = 5
# columns whose value is the engine's own row hash (DuckDB hash, Spark xxhash64: macro inputs_fingerprint),
# so they differ by design; both sides must have them, their values are not compared
ENGINE_HASH_COLUMNS = frozenset({"inputs_fingerprint"})


@dataclass
class MartParity:
    name: str
    rows_duckdb: int = 0
    rows_spark: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differences


def mart_names(manifest: Path, schema: str) -> list[str]:
    """The models dbt built into the marts schema (table name = alias), from the Spark run's manifest."""
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
    return sorted(node["alias"] for node in nodes
                  if node["resource_type"] == "model" and node["schema"] == schema
                  and node["config"].get("enabled", True))


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
                   tolerance: float) -> MartParity:
    result = MartParity(name, len(duckdb_frame), len(spark_frame))
    left_columns = [column.lower() for column in duckdb_frame.columns]
    right_columns = [column.lower() for column in spark_frame.columns]
    if left_columns != right_columns:
        result.differences.append(f"columns differ: duckdb {left_columns} / spark {right_columns}")
        return result
    duckdb_frame = duckdb_frame.set_axis(left_columns, axis=1)
    spark_frame = spark_frame.set_axis(right_columns, axis=1)
    left_columns = [column for column in left_columns if column not in ENGINE_HASH_COLUMNS]
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


def read_duckdb(path: Path, schema: str, names: list[str]) -> dict[str, pd.DataFrame]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        present = {row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = ?", [schema]).fetchall()}
        return {name: con.execute(f'select * from "{schema}"."{name}"').df() for name in names if name in present}
    finally:
        con.close()


def read_spark(warehouse: Path, schema: str, names: list[str], catalog: str = "hive") -> dict[str, pd.DataFrame]:
    """The marts as Spark wrote them: through the metastore (catalog hive, in a Spark session), or,
    when the build kept its table definitions in memory, from each table's Parquet folder under the
    warehouse (read by pyarrow: no second JVM to start)."""
    if catalog == "in-memory":
        import pyarrow.parquet as pq

        folder = warehouse / "tables" / f"{schema}.db"
        return {name: pq.read_table(folder / name).to_pandas() for name in names if (folder / name).is_dir()}
    sys.path.insert(0, str(Path(__file__).parent))
    from spark_build import session

    spark = session("local[1]", warehouse, catalog)
    try:
        present = {row.tableName for row in spark.sql(f"show tables in {schema}").collect()}
        return {name: spark.table(f"{schema}.{name}").toPandas() for name in names if name in present}
    finally:
        spark.stop()


def compare(duckdb_frames: dict[str, pd.DataFrame], spark_frames: dict[str, pd.DataFrame], names: list[str],
            tolerance: float) -> list[MartParity]:
    results = []
    for name in names:
        if name not in duckdb_frames or name not in spark_frames:
            missing = "duckdb" if name not in duckdb_frames else "spark"
            results.append(MartParity(name, differences=[f"missing on {missing}"]))
            continue
        results.append(compare_frames(name, duckdb_frames[name], spark_frames[name], tolerance))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duckdb", type=Path, required=True)
    parser.add_argument("--warehouse", type=Path, required=True, help="the Spark warehouse of spark_build.py")
    parser.add_argument("--manifest", type=Path, required=True)
    parser.add_argument("--schema", default="marts")
    parser.add_argument("--tolerance", type=float, default=1e-9)
    parser.add_argument("--report", type=Path)
    parser.add_argument("--catalog", choices=("hive", "in-memory"),
                        default=os.environ.get("ABM_SPARK_CATALOG", "hive"),
                        help="the catalog spark_build.py ran with (in-memory: marts read from their folders)")
    args = parser.parse_args(argv)
    names = mart_names(args.manifest, args.schema)
    spark_frames = read_spark(args.warehouse, args.schema, names, args.catalog)
    results = compare(read_duckdb(args.duckdb, args.schema, names), spark_frames, names, args.tolerance)
    identical = sum(result.identical for result in results)
    for result in results:
        status = "identical" if result.identical else "DIFFERS"
        print(f"{result.name:40} {result.rows_duckdb:>7} {result.rows_spark:>7}  {status}")
        for difference in result.differences:
            print(f"    {difference}")
    print(f"{identical} of {len(results)} marts identical (tolerance {args.tolerance:g} on floating point)")
    if args.report:
        args.report.write_text(json.dumps({"identical": identical, "marts": len(results), "tolerance": args.tolerance,
                                           "results": [asdict(r) | {"identical": r.identical} for r in results]},
                                          indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return 0 if identical == len(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
