"""The regex wrappers write patterns as SQL string literals that reach the regex engine unchanged:
DuckDB keeps a backslash in '…', Spark (and Databricks, Snowflake, BigQuery) read it as an escape, so
the default implementation doubles it. Without that, Spark turned '\\s' into 's' (salesforce →
alesforce) and '\\.' into '.' (ozero.co.jp → ozero.co.j) with every data test still passing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import jinja2
import pytest

ROOT = Path(__file__).resolve().parents[2]
# patterns the project passes (macros/staging/cleaning.sql, macros/identity/identifiers.sql)
PATTERNS = ["^[\\s　]+|[\\s　]+$", "^www[0-9]*\\.|\\.$", "^[0-9]+(\\.[0-9]+){3}$", "[^\\p{IsHan}]", "it's"]


def macros() -> jinja2.runtime.Module:
    """macros/regex.sql as plain Jinja: its default__ and duckdb__ bodies use no dbt context."""
    source = (ROOT / "macros" / "regex.sql").read_text(encoding="utf-8")
    return jinja2.Environment().from_string(source).module


def read_backslash_escaped_literal(literal: str) -> str:
    """What an engine that reads backslash escapes in '…' (Spark's unescapeSQLString) makes of a
    literal: \\\\ → \\, \\' → ', \\n → newline, \\t → tab, \\<other> → <other>."""
    assert literal.startswith("'") and literal.endswith("'"), literal
    body, out, i = literal[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            following = body[i + 1]
            out.append({"n": "\n", "t": "\t", "0": "\0"}.get(following, following))
            i += 2
            continue
        assert char != "'", f"unescaped quote in {literal}"
        out.append(char)
        i += 1
    return "".join(out)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_default_literal_reaches_a_backslash_escaping_engine_as_written(pattern: str) -> None:
    literal = str(macros().escaped_string_literal(pattern)).strip()
    assert read_backslash_escaped_literal(literal) == pattern
    # what the project wrote before: the pattern pasted between quotes loses its backslashes
    if "\\" in pattern and "'" not in pattern:
        assert read_backslash_escaped_literal(f"'{pattern}'") != pattern


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_duckdb_literal_reaches_duckdb_as_written(pattern: str) -> None:
    literal = str(macros().standard_string_literal(pattern)).strip()
    assert duckdb.sql(f"select {literal}").fetchall()[0][0] == pattern


def test_the_wrappers_behave_the_same_on_duckdb() -> None:
    module = macros()
    trim = str(module.duckdb__regex_replace_all("' \tsales force　'", PATTERNS[0], "")).strip()
    host = str(module.duckdb__regex_replace_all("'www.ozero.co.jp'", PATTERNS[1], "")).strip()
    is_ip = str(module.duckdb__regex_matches("'10.0.0.1'", PATTERNS[2])).strip()
    assert duckdb.sql(f"select {trim}, {host}, {is_ip}").fetchall()[0] == ("sales force", "ozero.co.jp", True)
    default = str(module.default__regex_replace_all("host", PATTERNS[1], "")).strip()
    assert default == "regexp_replace(host, '^www[0-9]*\\\\.|\\\\.$', '')"
