"""Shared fixtures: small generated raw data sets and a helper that runs dbt on a temporary file."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import generate_data  # noqa: E402

AS_OF = "2026-11-01"


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


def run_dbt(raw_dir: Path, work_dir: Path, *args: str, dbt_vars: str = "", unit_tests: bool = False) -> DbtResult:
    """Run `dbt <args>` on the project against raw_dir, writing a DuckDB file in work_dir.
    dbt_vars: more vars in YAML flow form (`abm_source_mode: tables, …`). A `build` leaves out the unit
    tests unless asked: they read fixtures, not the data, and `make test`'s own build runs them once."""
    if args and args[0] == "build" and not unit_tests:
        args = (*args, "--exclude", "resource_type:unit_test")
    db = work_dir / "abm.duckdb"
    env = os.environ | {
        "ABM_RAW_DIR": str(raw_dir),
        "ABM_DUCKDB_PATH": str(db),
        "DBT_PROFILES_DIR": str(ROOT),
        "DBT_TARGET_PATH": str(work_dir / "target"),
        "DBT_LOG_PATH": str(work_dir / "logs"),
    }
    dbt = Path(sys.executable).parent / "dbt"
    proc = subprocess.run([str(dbt), *args, "--vars", f"{{as_of_date: '{AS_OF}', {dbt_vars}}}"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    return DbtResult(proc.returncode, proc.stdout + proc.stderr, db)


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
