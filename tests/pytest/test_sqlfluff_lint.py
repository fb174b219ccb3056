"""sqlfluff through scripts/sqlfluff_lint.py: the same verdicts, fewer garbage-collector passes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "sqlfluff_lint.py"


def lint(tmp_path: Path, sql: str) -> subprocess.CompletedProcess[str]:
    """Lint one file with the raw templater, in a folder with no project configuration."""
    (tmp_path / "model.sql").write_text(sql, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(SCRIPT), "lint", "--dialect", "duckdb", "--templater", "raw",
         "--processes", "2", "model.sql"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )


def test_a_violation_fails_the_lint_and_is_named(tmp_path: Path) -> None:
    result = lint(tmp_path, "select a  FROM t\n")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "CP01" in result.stdout and "LT01" in result.stdout


def test_a_clean_file_passes(tmp_path: Path) -> None:
    result = lint(tmp_path, "select a from t\n")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_lint_workers_get_the_thresholds_too() -> None:
    # sqlfluff's workers are spawned: they import the parent's main module as __mp_main__, so the
    # thresholds must be set on import, not only when run as __main__.
    probe = (
        "import gc, runpy; "
        f"namespace = runpy.run_path({str(SCRIPT)!r}, run_name='__mp_main__'); "
        "assert gc.get_threshold() == namespace['GC_THRESHOLDS'] != (700, 10, 10), gc.get_threshold()"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)
