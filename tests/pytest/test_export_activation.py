"""The activation export delivers the marts as they are and never a contact without consent."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import export_activation


@pytest.mark.dbt
def test_exported_contacts_all_consented_and_unconsented_ones_exist(csv_build, tmp_path: Path) -> None:
    _, _, result = csv_build
    assert result.returncode == 0, result.output[-3000:]
    out = tmp_path / "exports"
    assert export_activation.main(["--duckdb", str(result.duckdb_path), "--out", str(out), "--format", "csv"]) == 0
    exported = pacsv.read_csv(out / "activation_contacts.csv").to_pylist()
    assert exported, "no contact exported at all: the test would prove nothing"
    con = duckdb.connect(str(result.duckdb_path), read_only=True)
    try:
        consent = {
            f"{system}:{contact_id}": (email_ok, ads_ok)
            for system, contact_id, email_ok, ads_ok in con.sql(
                "select source_system, source_contact_id, consent_email, consent_ads from staging.stg_crm__contacts"
            ).fetchall()
        }
        # contacts of the same accounts that lack consent exist, and none of them was exported
        accounts = {row["account_id"] for row in exported}
        unconsented = con.execute(
            "select count(*) from intermediate.int_contacts_roles_assigned "
            "where not consent_email and account_id in (select unnest(?))", [sorted(accounts)]
        ).fetchall()[0][0]
    finally:
        con.close()
    assert unconsented > 0
    for row in exported:
        email_ok, ads_ok = consent[row["contact_key"]]
        assert email_ok if row["channel"] == "email" else ads_ok, row
    queue = pacsv.read_csv(out / "sdr_queue.csv").to_pylist()
    for row in queue:
        if row["suggested_contact_key"]:
            assert consent[row["suggested_contact_key"]][0], row


def make_marts(path: Path, consent_email: bool) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        con.execute("create table marts.fct_account_scores as select 'acc_1' as account_id, 80.0 as account_score")
        con.execute("create table marts.rpt_sdr_queue as select 1 as queue_rank, 'acc_1' as account_id, "
                    "cast(null as varchar) as suggested_contact_key")
        con.execute("create table marts.rpt_activation_contacts as select 'sf:1' as contact_key, 'email' as channel, "
                    "'山田 太郎' as full_name, ? as consent_email, false as consent_ads", [consent_email])
    finally:
        con.close()


def test_export_writes_parquet_with_japanese_names(tmp_path: Path) -> None:
    db = tmp_path / "abm.duckdb"
    make_marts(db, consent_email=True)
    counts = export_activation.export(db, tmp_path / "out", "parquet")
    assert counts == {"account_scores": 1, "sdr_queue": 1, "activation_contacts": 1}
    assert pq.read_table(tmp_path / "out" / "activation_contacts.parquet").to_pylist()[0]["full_name"] == "山田 太郎"
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_export_refuses_a_contact_without_consent_and_writes_nothing(tmp_path: Path, capsys) -> None:
    db = tmp_path / "abm.duckdb"
    make_marts(db, consent_email=False)
    out = tmp_path / "out"
    assert export_activation.main(["--duckdb", str(db), "--out", str(out)]) == 1
    assert "rpt_activation_contacts" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_missing_database_is_a_clear_error(tmp_path: Path, capsys) -> None:
    assert export_activation.main(["--duckdb", str(tmp_path / "nope.duckdb")]) == 2
    assert "does not exist" in capsys.readouterr().err
