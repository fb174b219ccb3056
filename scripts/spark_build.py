#!/usr/bin/env python3
"""Run the dbt project on Apache Spark: one Python process owns the Spark session, registers the
project's Python functions on it, lands the raw files in Spark tables and calls dbt in-process.

dbt-spark's `session` method reuses the active SparkSession (`getOrCreate`), so the functions
registered here (NFKC, company-name normalization, character similarity, Public Suffix List — the
same code the DuckDB plugin registers) are visible to every model dbt runs. The raw files go through
the same contract checks as on DuckDB (abm_dbt.raw_loader: the same errors naming table and column)
and land as text tables in the schema `raw`; dbt then reads them with var abm_source_mode: tables.

    python scripts/spark_build.py --raw-dir build/ci/raw --master spark://127.0.0.1:7077 \
        -- build --vars '{as_of_date: "2026-11-01"}'

Everything after `--` is passed to dbt (target `spark` is added).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pyspark.sql import SparkSession
from pyspark.sql.functions import pandas_udf
from pyspark.sql.pandas.types import from_arrow_schema

from abm_dbt.contract import RAW_TABLES
from abm_dbt.functions import SQL_FUNCTIONS, SqlFunction
from abm_dbt.raw_loader import load_as_arrow

log = logging.getLogger("spark_build")
RAW_SCHEMA = "raw"


CATALOGS = ("hive", "in-memory")


def session(master: str, warehouse: Path, catalog: str = "hive", conf: dict[str, str] | None = None) -> SparkSession:
    """The session dbt will reuse. Table files live under `warehouse/tables/<schema>.db/<table>`.

    catalog `hive` keeps table definitions in a Derby metastore under `warehouse` (they outlive the
    session, as on a real cluster's metastore); `in-memory` keeps them in the driver for this session
    only (no Derby: each table lookup and create is cheaper; the files stay and are read by path)."""
    if catalog not in CATALOGS:
        raise ValueError(f"catalog must be one of {CATALOGS}, got {catalog!r}")
    warehouse.mkdir(parents=True, exist_ok=True)
    # executors run the UDFs with this interpreter: the one that has the project's package
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    metastore = warehouse / "metastore_db"
    builder = (
        SparkSession.builder.master(master)
        .appName("abm_analytics")
        .config("spark.sql.warehouse.dir", str((warehouse / "tables").resolve()))
        .config("javax.jdo.option.ConnectionURL", f"jdbc:derby:;databaseName={metastore.resolve()};create=true")
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={warehouse.resolve()}")
        .config("spark.sql.shuffle.partitions", os.environ.get("ABM_SPARK_SHUFFLE_PARTITIONS", "4"))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.pyspark.python", sys.executable)
        .config("spark.executor.memory", os.environ.get("ABM_SPARK_EXECUTOR_MEMORY", "1g"))
        .config("spark.sql.catalogImplementation", catalog)
    )
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return (builder.enableHiveSupport() if catalog == "hive" else builder).getOrCreate()


def _as_arrow(values: pd.Series) -> pa.Array:
    return pa.array(values, type=pa.string(), from_pandas=True)


def pandas_udf_of(sql_function: SqlFunction):  # noqa: ANN201 (a pyspark UserDefinedFunction)
    """The Arrow function as a vectorized pandas UDF: each batch goes through it as Arrow arrays."""
    if sql_function.arguments == 1:
        def one(values: pd.Series) -> pd.Series:
            return sql_function.function(_as_arrow(values)).to_pandas()

        return pandas_udf(one, sql_function.returns)

    def two(left: pd.Series, right: pd.Series) -> pd.Series:
        return sql_function.function(_as_arrow(left), _as_arrow(right)).to_pandas()

    return pandas_udf(two, sql_function.returns)


def register_functions(spark: SparkSession) -> None:
    """The functions the DuckDB plugin registers (abm_dbt.functions), on the Spark session."""
    for sql_function in SQL_FUNCTIONS:
        spark.udf.register(sql_function.name, pandas_udf_of(sql_function))


def land_raw_tables(spark: SparkSession, raw_dir: Path) -> dict[str, int]:
    """Every table of the raw contract as a text table raw.<name>; returns rows per table."""
    spark.sql(f"create database if not exists {RAW_SCHEMA}")
    rows: dict[str, int] = {}
    for spec in RAW_TABLES:
        data = load_as_arrow(raw_dir, spec.name)
        frame = (spark.createDataFrame(data) if data.num_rows
                 else spark.createDataFrame([], from_arrow_schema(data.schema)))
        frame.write.mode("overwrite").format("parquet").saveAsTable(f"{RAW_SCHEMA}.{spec.name}")
        rows[spec.name] = data.num_rows
        log.info("raw.%s: %s rows", spec.name, data.num_rows)
    return rows


def spark_setting(text: str) -> tuple[str, str]:
    """KEY=VALUE from the command line, as a (key, value) pair."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key.strip(), value


def dbt_vars(passed: list[str]) -> list[str]:
    """Add abm_source_mode: tables to the --vars dbt was given (or set it)."""
    args = list(passed)
    if "--vars" in args:
        index = args.index("--vars") + 1
        import yaml  # dbt's own dependency

        merged = yaml.safe_load(args[index]) or {}
        merged.setdefault("abm_source_mode", "tables")
        args[index] = json.dumps(merged)
        return args
    return [*args, "--vars", json.dumps({"abm_source_mode": "tables"})]


class SessionPythonJob:
    """dbt-spark runs Python models only on Databricks clusters. This runner owns a Spark session, so a
    Python model's compiled code (the model plus dbt-spark's code that writes its result as a table)
    runs here, in the driver, against that session: the model's own work is in-process, its reads and
    the table write are Spark jobs on the cluster."""

    spark: SparkSession | None = None  # set by main(); dbt's worker threads have no active session

    def __init__(self, parsed_model: dict, credentials: object) -> None:
        self.name = parsed_model.get("alias") or parsed_model.get("name")

    def submit(self, compiled_code: str) -> None:
        if self.spark is None:
            raise RuntimeError(f"Python model {self.name}: no Spark session (run through scripts/spark_build.py)")
        exec(compile(compiled_code, f"<dbt python model {self.name}>", "exec"), {"spark": self.spark})


def enable_python_models() -> None:
    """Make `session` dbt-spark's default submission method for Python models."""
    from dbt.adapters.spark.impl import SparkAdapter

    helpers = dict(SparkAdapter.python_submission_helpers.fget(None))  # type: ignore[attr-defined]
    helpers["session"] = SessionPythonJob
    SparkAdapter.python_submission_helpers = property(lambda self: helpers)  # type: ignore[assignment]
    SparkAdapter.default_python_submission_method = property(lambda self: "session")  # type: ignore[assignment]


def with_excluded(args: list[str], names: list[str]) -> list[str]:
    """dbt arguments with `names` added to --exclude (to the one given, or a new one)."""
    if "--exclude" in args:
        at = args.index("--exclude") + 1
        return [*args[:at], *names, *args[at:]]
    return [*args, "--exclude", *names]


def run_dbt(args: list[str], tests_by_comparison: bool = False) -> bool:
    """dbt in-process on the session's cluster. tests_by_comparison: parse first, then leave out the
    built-in generic tests whose verdict the table comparison decides (spark_parity.builtin_tests_left_to_comparison)."""
    from dbt.cli.main import dbtRunner

    enable_python_models()
    args = [*dbt_vars(args), "--target", "spark"]
    if not tests_by_comparison:
        return bool(dbtRunner().invoke(args).success)
    from spark_parity import builtin_tests_left_to_comparison

    parsed = dbtRunner().invoke(["parse", "--vars", args[args.index("--vars") + 1], "--target", "spark"])
    if not parsed.success:
        return False
    target = Path(os.environ.get("DBT_TARGET_PATH", "target"))
    left = builtin_tests_left_to_comparison(json.loads((target / "manifest.json").read_text(encoding="utf-8")))
    log.info("%s built-in generic tests left to the table comparison (spark_parity.py)", len(left))
    return bool(dbtRunner(manifest=parsed.result).invoke(with_excluded(args, list(left.values()))).success)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw-dir", type=Path, default=Path(os.environ.get("ABM_RAW_DIR", "data/raw")))
    parser.add_argument("--master", default=os.environ.get("ABM_SPARK_MASTER", "local[2]"))
    parser.add_argument("--warehouse", type=Path, default=Path(os.environ.get("ABM_SPARK_WAREHOUSE",
                                                                             "build/spark/warehouse")))
    parser.add_argument("--catalog", choices=CATALOGS, default=os.environ.get("ABM_SPARK_CATALOG", "hive"),
                        help="where table definitions live (default hive: a Derby metastore in the warehouse)")
    parser.add_argument("--conf", action="append", default=[], type=spark_setting, metavar="KEY=VALUE",
                        help="one more Spark setting for the session (repeatable)")
    parser.add_argument("--skip-raw", action="store_true", help="the raw tables are already landed")
    parser.add_argument("--tests-by-comparison", action="store_true",
                        help="leave out the built-in generic tests on tables that spark_parity.py compares "
                             "(their verdict is the DuckDB side's, which must run them on the same data)")
    parser.add_argument("dbt_args", nargs="*", help="dbt command and arguments (after --)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    os.environ["ABM_SPARK_MASTER"] = args.master  # the profile's spark.master says the same
    spark = session(args.master, args.warehouse, args.catalog, dict(args.conf))
    register_functions(spark)
    SessionPythonJob.spark = spark
    if not args.skip_raw:
        land_raw_tables(spark, args.raw_dir)
    ok = run_dbt(args.dbt_args or ["build"], args.tests_by_comparison) if args.dbt_args != ["none"] else True
    spark.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
