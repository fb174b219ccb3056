"""Shared fixtures: small generated raw data sets and a helper that runs dbt on a temporary file."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import generate_data  # noqa: E402
from abm_dbt.contract import EVENT_TIME_COLUMNS, RAW_TABLES  # noqa: E402

AS_OF = "2026-11-01"
# Every dbt run of the tests (and of the scripts they start) writes no debug log file: on 300 companies
# the file log cost about a tenth of a build (three alternating builds each way, 2026-12-07: 22.1-25.3 s
# without against 25.9-29.3 s with). Its output still reaches the test; to keep the file for a failing
# test, run pytest with DBT_LOG_LEVEL_FILE=debug.
os.environ.setdefault("DBT_LOG_LEVEL_FILE", "none")


def load_python_model(relative_path: str) -> ModuleType:
    """A dbt Python model's file as a module, so its functions can be tested without a dbt run."""
    path = ROOT / relative_path
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generate(out: Path, accounts: int = 300, seed: int = 7, fmt: str = "parquet") -> Path:
    """Generate a raw folder (and its truth folder beside it); return the raw folder."""
    generate_data.main(["--accounts", str(accounts), "--seed", str(seed), "--as-of", AS_OF,
                        "--out", str(out / "raw"), "--truth-dir", str(out / "truth"), "--format", fmt])
    return out / "raw"


def cut_events_before(src: Path, dst: Path, day: str) -> None:
    """Copy a raw folder, keeping only events before `day` (the state of yesterday's exports)."""
    shutil.copytree(src, dst)
    for table, column in EVENT_TIME_COLUMNS.items():
        data = pq.read_table(src / f"{table}.parquet")
        # exports write YYYY-MM-DD or YYYY/MM/DD; compare the day in one spelling
        when = pc.replace_substring(pc.utf8_slice_codeunits(data[column], 0, 10), "/", "-")
        keep = pc.fill_null(pc.less(when, day), True)
        pq.write_table(data.filter(keep), dst / f"{table}.parquet")


@pytest.fixture(scope="session")
def parquet_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("parquet"))


@pytest.fixture(scope="session")
def csv_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("csv"), fmt="csv")


@dataclass
class DbtResult:
    returncode: int
    output: str
    duckdb_path: Path


# dbt parses the whole project (12 s) whenever its profile differs from the stored parse's, and the
# profile holds the DuckDB path and the raw folder. run_dbt therefore runs dbt from the work folder with
# the same relative paths every time (`abm.duckdb`, `raw_link` -> the raw folder) and starts each new
# target folder from the first stored parse of this worker with the same vars: dbt re-parses what
# changed (vars, files), as it would for a user, and nothing else. Keyed by the vars string.
PARSE_CACHE: dict[str, Path] = {}


def run_dbt(raw_dir: Path, work_dir: Path, *args: str, dbt_vars: str = "", unit_tests: bool = False,
            data_tests: bool = True) -> DbtResult:
    """Run `dbt <args>` on the project against raw_dir, writing a DuckDB file in work_dir.
    dbt_vars: more vars in YAML flow form (`abm_source_mode: tables, …`). A `build` leaves out the unit
    tests unless asked: they read fixtures, not the data, and `make test`'s own build runs them once.
    data_tests=False leaves out the data tests too (about 40 % of a small build) where a test compares
    tables and the same build with its data tests already ran on the same data."""
    left_out = [kind for kind, wanted in (("resource_type:unit_test", unit_tests), ("resource_type:test", data_tests))
                if not wanted]
    if args and args[0] == "build" and left_out:
        args = (*args, "--exclude", *left_out)
    work_dir.mkdir(parents=True, exist_ok=True)
    link = work_dir / "raw_link"
    if link.is_symlink():
        link.unlink()
    link.symlink_to(raw_dir.resolve(), target_is_directory=True)
    target = work_dir / "target"
    stored_parse = target / "partial_parse.msgpack"
    if not stored_parse.exists() and dbt_vars in PARSE_CACHE:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PARSE_CACHE[dbt_vars], stored_parse)
    env = os.environ | {
        "ABM_RAW_DIR": link.name,
        "ABM_DUCKDB_PATH": "abm.duckdb",
        "DBT_PROFILES_DIR": str(ROOT),
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(work_dir / "logs"),
    }
    dbt = Path(sys.executable).parent / "dbt"
    proc = subprocess.run([str(dbt), *args, "--project-dir", str(ROOT),
                           "--vars", f"{{as_of_date: '{AS_OF}', {dbt_vars}}}"],
                          cwd=work_dir, env=env, capture_output=True, text=True, check=False)
    if dbt_vars not in PARSE_CACHE and stored_parse.exists():
        PARSE_CACHE[dbt_vars] = stored_parse.with_name("partial_parse.first.msgpack")
        shutil.copyfile(stored_parse, PARSE_CACHE[dbt_vars])
    return DbtResult(proc.returncode, proc.stdout + proc.stderr, work_dir / "abm.duckdb")


@pytest.fixture(scope="session")
def csv_build(tmp_path_factory: pytest.TempPathFactory):
    """CSV inputs, three optional tables absent, contacts exported as Shift_JIS (cp932)."""
    work = tmp_path_factory.mktemp("csv_build")
    raw = generate(work, accounts=400, seed=11, fmt="csv")
    for optional in ("intent_signals", "product_usage", "campaign_accounts"):
        (raw / f"{optional}.csv").unlink()
    contacts = raw / "contacts.csv"
    contacts.write_bytes(contacts.read_text(encoding="utf-8").encode("cp932"))
    result = run_dbt(raw, work, "build")
    return work, raw, result


CONSUMER = ROOT / "integration_tests"
# rows of the consumer's own raw table, beside the landed ones
CONSUMER_ROWS = 1_000


def land_as_warehouse_tables(raw_dir: Path, db: Path) -> dict[str, int]:
    """What a Fivetran-style loader leaves: typed tables (CSV types detected) in schema `landing`,
    stamped with _fivetran_synced; plus a table of the consumer's own in schema `raw`."""
    con = duckdb.connect(str(db))
    counts = {}
    try:
        con.execute("create schema landing")
        for table in RAW_TABLES:
            path = raw_dir / f"{table.name}.csv"
            con.execute(f"create table landing.{table.name} as select *, now()::timestamp as _fivetran_synced "
                        f"from read_csv('{path}', header = true)")
            counts[table.name] = con.sql(f"select count(*) from landing.{table.name}").fetchall()[0][0]
        con.execute("create schema raw")
        con.execute(f"create table raw.web_events as select range as event_id from range({CONSUMER_ROWS})")
    finally:
        con.close()
    return counts


def consumer_dbt(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """dbt in the consumer project (integration_tests/) with its own profile and paths: nothing of the
    package's environment may leak in."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("ABM_", "DBT_"))} | {"CONSUMER_DUCKDB_PATH": str(db), "DBT_PROFILES_DIR": str(CONSUMER)}
    dbt = Path(sys.executable).parent / "dbt"
    return subprocess.run([str(dbt), *args], cwd=CONSUMER, env=env, capture_output=True, text=True, check=False)


@dataclass(frozen=True)
class ConsumerBuild:
    db: Path
    raw: Path
    landed: dict[str, int]
    build: subprocess.CompletedProcess[str]


@pytest.fixture(scope="session")
def consumer_build(tmp_path_factory: pytest.TempPathFactory) -> ConsumerBuild:
    """The project installed as a dbt package in the consumer project and built in tables mode (raw tables
    already in the warehouse, CSV types detected): test_package_install checks the consumer, and
    test_source_modes compares its marts with the files mode's. Both modules carry the xdist group
    tables_mode, so it is built once."""
    work = tmp_path_factory.mktemp("consumer")
    raw = generate(work, accounts=300, seed=5, fmt="csv")
    db = work / "consumer.duckdb"
    landed = land_as_warehouse_tables(raw, db)
    con = duckdb.connect(str(db))
    try:
        # the consumer already has a `marts` schema of its own, with a table named like one of the package's
        con.execute("create schema marts")
        con.execute("create table marts.dim_accounts as select range as account_key from range(5)")
    finally:
        con.close()
    deps = consumer_dbt(db, "deps")
    assert deps.returncode == 0, deps.stdout + deps.stderr
    build = consumer_dbt(db, "build", "--vars", f"{{as_of_date: '{AS_OF}'}}")
    return ConsumerBuild(db, raw, landed, build)


# xdist hands the groups out in the order of collection (pyproject: --no-loadscope-reorder; by default
# it orders them by their number of tests, which handed the costliest group, build_changed with six
# tests, out fifth). The groups whose builds cost most go first. Worker-seconds of each group in make
# test from a clean clone, 2026-12-07 13:04 (pytest --durations): build_changed 385, refresh 329,
# incremental 243, identity_stability 115, package_install 101, source_modes 94, csv_build 82; the rest
# follow. package_install and source_modes share one build since (tables_mode: the consumer's build
# stands for the tables mode, source_modes adds a files-mode build of four marts).
HEAVIEST_GROUPS_FIRST = ("build_changed", "refresh", "incremental", "tables_mode", "identity_stability",
                         "csv_build")


def xdist_group_of(item: pytest.Item) -> str | None:
    marker = item.get_closest_marker("xdist_group")
    if marker is None:
        return None
    return marker.args[0] if marker.args else marker.kwargs.get("name")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Heaviest groups first; within a group, and among the other tests, the file order stays."""
    rank = {group: place for place, group in enumerate(HEAVIEST_GROUPS_FIRST)}
    items.sort(key=lambda item: rank.get(xdist_group_of(item), len(rank)))
