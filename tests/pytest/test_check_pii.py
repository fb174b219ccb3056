"""Personal data in the marts only where tagged: an untagged column holding e-mail addresses or phone
numbers fails; a tagged one, ids and hashes do not."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

import check_pii


def make_file(path: Path) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        con.execute("""
            create table marts.dim_people as select * from (values
                ('per_0312345678abcdef', 'taro@example.co.jp', '03-1234-5678', 'note: 090 later', 'a1b2'),
                ('per_9f86d081884c7d65', 'HANAKO@GMAIL.COM', '+81 90 1234 5678', '0312345678', '0312345678abcd')
            ) as t(person_id, email, phone, memo, account_id)
        """)
        con.execute("create schema staging")
        con.execute("create table staging.raw_copy as select 'x@y.jp' as email")
    finally:
        con.close()


def make_manifest(path: Path, tagged: list[str]) -> Path:
    manifest = {"nodes": {"model.p.dim_people": {
        "resource_type": "model", "schema": "marts", "name": "dim_people", "alias": "dim_people",
        "columns": {name: {"name": name, "tags": ["pii"] if name in tagged else []}
                    for name in ("person_id", "email", "phone", "memo", "account_id")},
    }}}
    path.write_text(json.dumps(manifest), encoding="utf-8")
    return path


def test_untagged_email_and_phone_columns_are_named(tmp_path: Path) -> None:
    db = tmp_path / "abm.duckdb"
    make_file(db)
    tagged = check_pii.tagged_columns(make_manifest(tmp_path / "manifest.json", tagged=["email"]))
    assert tagged == {("dim_people", "email")}
    found = check_pii.untagged_personal_data(db, tagged)
    assert found == ["marts.dim_people.phone: phone number (2 rows)", "marts.dim_people.memo: phone number (1 rows)"]


def test_tagged_columns_pass_and_other_schemas_are_not_the_marts(tmp_path: Path) -> None:
    db = tmp_path / "abm.duckdb"
    make_file(db)
    manifest = make_manifest(tmp_path / "manifest.json", tagged=["email", "phone", "memo"])
    assert check_pii.main([str(db), "--manifest", str(manifest)]) == 0
    assert check_pii.main([str(db), "--manifest", str(make_manifest(tmp_path / "m2.json", tagged=[]))]) == 1


def notes_file(path: Path, rows: list[tuple[str, str]]) -> Path:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        con.execute("create table marts.fct_notes (account_id varchar, memo varchar)")
        con.executemany("insert into marts.fct_notes values (?, ?)", rows)
    finally:
        con.close()
    return path


def checked(path: Path, tagged: set[tuple[str, str]]) -> Path:
    """The file as the refresh leaves it after a passing check: with what was checked in each mart."""
    result = check_pii.scan(path, tagged)
    assert result.found == []
    check_pii.record_checked(path, result)
    return path


def test_a_mart_checked_before_is_read_again_only_where_it_changed(tmp_path: Path) -> None:
    rows = [("a1", "hello"), ("a2", "see you")]
    previous = checked(notes_file(tmp_path / "previous.duckdb", rows), set())
    same = check_pii.scan(notes_file(tmp_path / "same.duckdb", rows), set(), previous=previous)
    assert (same.found, same.scoped) == ([], {"fct_notes": "0 of 2 account_id changed since the last checked build"})
    grown = check_pii.scan(notes_file(tmp_path / "grown.duckdb", [*rows, ("a3", "call 03-1234-5678")]), set(),
                           previous=previous)
    assert grown.scoped == {"fct_notes": "1 of 3 account_id changed since the last checked build"}
    assert grown.found == ["marts.fct_notes.memo: phone number (1 rows)"]


def test_a_column_checked_for_the_first_time_is_read_whole(tmp_path: Path) -> None:
    rows = [("a1", "hello"), ("a2", "call 03-1234-5678")]
    # checked while memo was tagged pii: its phone number was allowed then
    previous = checked(notes_file(tmp_path / "previous.duckdb", rows), {("fct_notes", "memo")})
    untagged = check_pii.scan(notes_file(tmp_path / "same.duckdb", rows), set(), previous=previous)
    assert (untagged.found, untagged.scoped) == (["marts.fct_notes.memo: phone number (1 rows)"], {})


def test_rows_unchanged_since_the_checked_build_are_not_read_again(tmp_path: Path) -> None:
    """What the scope saves: a2's row is as it was when checked, so it is not read (to show it, the
    earlier file is recorded as checked though a2 holds a number, which a real check would have refused)."""
    rows = [("a1", "hello"), ("a2", "call 03-1234-5678")]
    previous = notes_file(tmp_path / "previous.duckdb", rows)
    check_pii.record_checked(previous, check_pii.Scan(fingerprints=check_pii.scan(previous, set()).fingerprints))
    result = check_pii.scan(notes_file(tmp_path / "now.duckdb", [*rows, ("a3", "see you")]), set(), previous=previous)
    assert (result.found, result.scoped) == ([], {"fct_notes": "1 of 3 account_id changed since the last checked build"})
