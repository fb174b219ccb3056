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
