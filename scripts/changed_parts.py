"""Which parts of a mart changed since the last validated build: the Great Expectations gate
(scripts/validate_marts.py) and the personal-data check (scripts/check_pii.py) read again only those.

A part is the set of rows sharing a value of one column (a history's period end, an account, a person).
A part changed when its row count or the order-free hash of the columns checked differs from the same
query's rows in the last validated build — attached as PREVIOUS — or did not exist there.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# the catalogue name under which the last validated build is attached
PREVIOUS = "abm_validated_build"


def quote(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def recorded_fingerprints(con: duckdb.DuckDBPyConnection, table: str, name_column: str) -> dict[str, str]:
    """name → fingerprint of what the last validated build (attached as PREVIOUS) passed, from its
    meta.<table> (meta.validated_suites, meta.pii_checked); empty when it has no such record."""
    found = con.execute("select count(*) from duckdb_tables() where database_name = ? and schema_name = 'meta' "
                        "and table_name = ?", [PREVIOUS, table]).fetchall()[0][0]
    if not found:
        return {}
    return dict(con.execute(f"select {quote(name_column)}, fingerprint from {PREVIOUS}.meta.{quote(table)}").fetchall())


def record_fingerprints(build_path: Path, table: str, name_column: str, fingerprints: dict[str, str],
                        descriptions: tuple[str, str, str]) -> None:
    """Store in a build that passed what it passed, as meta.<table> (name_column, fingerprint), with the
    descriptions (table, name column, fingerprint) BI tools show: when this build is the last
    validated one, the next run reads again only what changed since."""
    con = duckdb.connect(str(build_path))
    try:
        con.execute("create schema if not exists meta")
        target = f"meta.{quote(table)}"
        con.execute(f"create or replace table {target} ({quote(name_column)} varchar primary key, fingerprint varchar not null)")
        con.executemany(f"insert into {target} values (?, ?)", sorted(fingerprints.items()))
        table_text, name_text, fingerprint_text = (text.replace("'", "''") for text in descriptions)
        con.execute(f"comment on table {target} is '{table_text}'")
        con.execute(f"comment on column {target}.{quote(name_column)} is '{name_text}'")
        con.execute(f"comment on column {target}.fingerprint is '{fingerprint_text}'")
    finally:
        con.close()


def changed_parts(con: duckdb.DuckDBPyConnection, query: str, column: str) -> tuple[int, int] | None:
    """The parts (values of `column`) of a query's rows that differ from the same query's rows in the
    last validated build (attached as PREVIOUS) — a new part, or one whose row count or order-free hash
    of the query's columns changed — stored in the temporary table scope_parts. (changed, total) parts;
    None when the query cannot run there (a new mart or column) or its parts do not compare (a column
    whose type changed): check it all. The parts keep the column's type: a date compared as text would
    be cast on every row of the table, and the scoped query (scoped_query) could not skip the row groups
    of other period ends by their min / max."""
    names = [row[0] for row in con.execute(f"select * from ({query}) as q limit 0").description]
    per_part = (f"select q.{quote(column)} as part, count(*) as row_count, "
                f"sum(hash({', '.join('q.' + quote(name) for name in names)})) as row_hash from ({query}) as q group by 1")
    current = con.execute("select current_database()").fetchall()[0][0]
    try:
        # the same query text in the other catalogue: USE makes its unqualified marts.<table> resolve there
        con.execute(f"use {PREVIOUS}")
        con.execute(f"create or replace temporary table parts_before as {per_part}")
    except duckdb.Error:
        return None
    finally:
        con.execute(f"use {quote(current)}")
    # every part of the table once, flagged: the count of parts comes from the same scan
    try:
        con.execute(
            "create or replace temporary table scope_parts as "
            f"select now.part, was.part is null as changed from ({per_part}) as now left join parts_before as was "
            "on was.part = now.part and was.row_count = now.row_count and was.row_hash = now.row_hash")
    except duckdb.Error:
        return None
    changed, total = con.execute("select count(*) filter (where changed), count(*) from scope_parts").fetchall()[0]
    return int(changed), int(total)


def scoped_query(query: str, column: str) -> str:
    """The query's rows in the parts changed_parts flagged (its temporary table scope_parts)."""
    return (f"select q.* from ({query}) as q semi join (select part from scope_parts where changed) as p "
            f"on q.{quote(column)} = p.part")
