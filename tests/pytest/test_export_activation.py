"""The activation export delivers the marts as they are and never a person without current consent."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import export_activation

# xdist: every user of the csv_build session fixture runs on one worker, which builds it once
pytestmark = pytest.mark.xdist_group("csv_build")

YES = {"true", "t", "1", "yes", "y", "はい", "可"}


def current_consent(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], bool]:
    """Consent per (person_id, channel) decided again in Python from the staged records: the latest
    non-empty answer wins, a tie goes to the answer that is not yes."""
    answers: dict[tuple[str, str], list[tuple[datetime, bool]]] = defaultdict(list)
    rows = con.sql(
        "select bridge.person_id, contacts.consent_email_text, contacts.consent_ads_text, "
        "coalesce(contacts.updated_at, contacts.created_at) "
        "from marts.bridge_contact_sources as bridge join staging.stg_crm__contacts as contacts "
        "on bridge.contact_key = contacts.source_system || ':' || contacts.source_contact_id"
    ).fetchall()
    for person_id, email_text, ads_text, answered_at in rows:
        for channel, text in (("email", email_text), ("ads", ads_text)):
            if text is not None and answered_at is not None:
                answers[(person_id, channel)].append((answered_at, text.strip().lower() in YES))
    return {key: max(values, key=lambda value: (value[0], not value[1]))[1] for key, values in answers.items()}


@pytest.mark.dbt
def test_exported_people_all_consented_and_record_level_opt_ins_are_not_enough(csv_build, tmp_path: Path) -> None:
    _, _, result = csv_build
    assert result.returncode == 0, result.output[-3000:]
    out = tmp_path / "exports"
    assert export_activation.main(["--duckdb", str(result.duckdb_path), "--out", str(out), "--format", "csv"]) == 0
    exported = pacsv.read_csv(out / "activation_contacts.csv").to_pylist()
    assert exported, "no person exported at all: the test would prove nothing"
    con = duckdb.connect(str(result.duckdb_path), read_only=True)
    try:
        consent = current_consent(con)
        # people with an opt-in on some record but a later opt-out: checked record by record they leak
        leaking = con.sql(
            "select count(distinct bridge.person_id) from marts.bridge_contact_sources as bridge "
            "join staging.stg_crm__contacts as contacts "
            "on bridge.contact_key = contacts.source_system || ':' || contacts.source_contact_id "
            "join marts.fct_contact_consent as consent on consent.person_id = bridge.person_id "
            "and consent.channel = 'email' where contacts.consent_email_answer and not consent.has_consent"
        ).fetchall()[0][0]
    finally:
        con.close()
    assert leaking > 0, "no person with conflicting answers: the test would prove nothing"
    for row in exported:
        assert consent.get((row["person_id"], row["channel"])), row
    emails = [(row["channel"], row["email"]) for row in exported]
    assert len(emails) == len(set(emails)), "an address is delivered twice on one channel"
    for row in pacsv.read_csv(out / "sdr_queue.csv").to_pylist():
        if row["suggested_person_id"]:
            assert consent.get((row["suggested_person_id"], "email")), row


def make_marts(path: Path, has_consent: bool, opted_out_later: bool = False, duplicate: bool = False) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        con.execute("create table marts.fct_account_scores as select 'acc_1' as account_id, 80.0 as account_score")
        con.execute("create table marts.rpt_sdr_queue as select 1 as queue_rank, 'acc_1' as account_id, "
                    "cast(null as varchar) as suggested_person_id")
        con.execute("create table marts.rpt_activation_contacts as select 'per_1' as person_id, 'email' as channel, "
                    "'山田 太郎' as full_name, 'taro@example.co.jp' as email, true as has_consent")
        if duplicate:
            con.execute("insert into marts.rpt_activation_contacts values "
                        "('per_2', 'email', '山田 太郎', 'Taro@example.co.jp', true)")
        opt_out = "timestamp '2026-03-01'" if opted_out_later else "cast(null as timestamp)"
        con.execute(f"create table marts.fct_contact_consent as select person_id, 'email' as channel, "
                    f"? as has_consent, case when ? then 'consented' else 'opted_out' end as consent_status, "
                    f"timestamp '2026-01-01' as decided_at, {opt_out} as last_opt_out_at "
                    f"from (values ('per_1'), ('per_2')) as people(person_id)", [has_consent, has_consent])
    finally:
        con.close()


def test_export_writes_parquet_with_japanese_names(tmp_path: Path) -> None:
    db = tmp_path / "abm.duckdb"
    make_marts(db, has_consent=True)
    counts = export_activation.export(db, tmp_path / "out", "parquet")
    assert counts == {"account_scores": 1, "sdr_queue": 1, "activation_contacts": 1}
    assert pq.read_table(tmp_path / "out" / "activation_contacts.parquet").to_pylist()[0]["full_name"] == "山田 太郎"
    assert not list((tmp_path / "out").glob(".*.tmp"))


@pytest.mark.parametrize(("settings", "reason"), [
    ({"has_consent": False}, "without the person's current consent"),
    ({"has_consent": True, "opted_out_later": True}, "opted out after the opt-in"),
    ({"has_consent": True, "duplicate": True}, "delivered twice"),
])
def test_export_refuses_and_writes_nothing(tmp_path: Path, capsys, settings: dict[str, bool], reason: str) -> None:
    db = tmp_path / "abm.duckdb"
    make_marts(db, **settings)
    out = tmp_path / "out"
    assert export_activation.main(["--duckdb", str(db), "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert "rpt_activation_contacts" in error and reason in error
    assert not out.exists() or not any(out.iterdir())


def test_missing_database_is_a_clear_error(tmp_path: Path, capsys) -> None:
    assert export_activation.main(["--duckdb", str(tmp_path / "nope.duckdb")]) == 2
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.parametrize("has_consent", [True, False])
def test_export_reads_the_published_files_the_personal_marts_from_the_file_beside(tmp_path: Path, has_consent: bool) -> None:
    """The refresh publishes the SDR queue and the activation contacts in the personal-data file beside
    the marts' file (scripts/published_copy.py): the export reads both, and checks consent across them."""
    from published_copy import people_path, write_published_copy

    build = tmp_path / "abm.duckdb"
    make_marts(build, has_consent=has_consent)
    personal = {("marts", "rpt_sdr_queue"), ("marts", "rpt_activation_contacts")}
    published = tmp_path / "published.duckdb"
    write_published_copy(build, published, chosen=lambda table: table not in personal)
    write_published_copy(build, people_path(published), chosen=lambda table: table in personal)
    out = tmp_path / "out"
    code = export_activation.main(["--duckdb", str(published), "--out", str(out), "--format", "parquet"])
    assert code == (0 if has_consent else 1)
    if has_consent:
        assert pq.read_table(out / "activation_contacts.parquet").to_pylist()[0]["email"] == "taro@example.co.jp"
        assert pq.read_table(out / "sdr_queue.parquet").num_rows == 1
