"""SQL that means one thing on every engine. dbt.type_float() is `float`: 4 bytes (REAL) on DuckDB and
Spark, so a share or an amount cast to it keeps about seven digits (on DuckDB a share of names came out
0.0634648353 where Spark's double division gave 0.0634648370, and yen amounts over 16.7 million are
rounded). The project casts to its own type_double() (macros/bi_types.sql) instead."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOUR_BYTE_FLOAT = re.compile(r"dbt\.type_float\(\)|\bas\s+(float|real|float4)\b", re.IGNORECASE)


def sql_files() -> list[Path]:
    return sorted([*(ROOT / "models").rglob("*.sql"), *(ROOT / "macros").rglob("*.sql"),
                   *(ROOT / "snapshots").rglob("*.sql"), *(ROOT / "tests" / "dbt").rglob("*.sql")])


def four_byte_floats(text: str) -> list[str]:
    """The 4-byte float casts in SQL text, Jinja comments left out."""
    without_comments = re.sub(r"\{#.*?#\}", "", text, flags=re.DOTALL)
    return [match.group(0) for match in FOUR_BYTE_FLOAT.finditer(without_comments)]


def test_the_check_finds_a_four_byte_float() -> None:
    assert four_byte_floats("cast(x as {{ dbt.type_float() }})") == ["dbt.type_float()"]
    assert four_byte_floats("cast(x as FLOAT) / n") == ["as FLOAT"]
    assert four_byte_floats("cast(x as {{ type_double() }}) -- as floats go") == []
    assert four_byte_floats("{#- dbt.type_float() is 4 bytes -#} select 1") == []


def test_no_model_or_macro_casts_to_a_four_byte_float() -> None:
    found = {str(path.relative_to(ROOT)): hits for path in sql_files()
             if (hits := four_byte_floats(path.read_text(encoding="utf-8")))}
    assert not found, found
