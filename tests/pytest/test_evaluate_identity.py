"""The pairwise scoring used for identity resolution, on a hand-made example."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import evaluate_identity


def test_pairwise_precision_and_recall_per_kind(tmp_path: Path) -> None:
    # truth: a1, a2, a3 are company A; b1, b2 are company B
    truth = pa.table({
        "source_table": ["crm_accounts"] * 5,
        "source_system": ["sf"] * 5,
        "source_record_id": ["a1", "a2", "a3", "b1", "b2"],
        "company_id": ["A", "A", "A", "B", "B"],
        "variant_kinds": ["", "typo", "", "legal_form", ""],
    })
    pq.write_table(truth, tmp_path / "records.parquet")
    con = duckdb.connect()
    # prediction: {a1, a2}, {a3, b1, b2}
    con.execute("create table predictions as select * from (values "
                "('crm_accounts:sf:a1', 'X'), ('crm_accounts:sf:a2', 'X'), ('crm_accounts:sf:a3', 'Y'), "
                "('crm_accounts:sf:b1', 'Y'), ('crm_accounts:sf:b2', 'Y')) as p (record_key, predicted)")
    evaluate_identity.load_predictions(con, tmp_path, "predictions")
    scores = {s.kind: s for s in evaluate_identity.score(con, "test", "true")}
    overall = scores["overall"]
    # true pairs: a1a2 a1a3 a2a3 b1b2 = 4; predicted: a1a2 a3b1 a3b2 b1b2 = 4; correct: a1a2 b1b2 = 2
    assert (overall.true_pairs, overall.predicted_pairs, overall.correct_pairs) == (4, 4, 2)
    assert overall.precision == pytest.approx(0.5) and overall.recall == pytest.approx(0.5)
    # typo (a2): true pairs a1a2, a2a3 -> found a1a2; predicted pairs with a2: a1a2 (correct)
    assert (scores["typo"].true_pairs, scores["typo"].correct_pairs, scores["typo"].predicted_pairs) == (2, 1, 1)
    # legal_form (b1): true b1b2 found; predicted a3b1 (wrong) and b1b2
    assert scores["legal_form"].precision == pytest.approx(0.5) and scores["legal_form"].recall == 1.0


def test_contact_outcomes_group_contacts_by_their_evidence(tmp_path: Path) -> None:
    # company A: CRM record a1 (東京都) → account X; company B (大阪府) shares A's name → account Y
    truth = pa.table({
        "source_table": ["crm_accounts", "crm_accounts", "crm_accounts", "contacts", "contacts", "contacts", "contacts",
                         "contacts", "contacts", "contacts"],
        "source_system": ["sf", "sf", "sf", "mk", "mk", "mk", "mk", "mk", "mk", "mk"],
        "source_record_id": ["a1", "b1", "d1", "c1", "c2", "c3", "c4", "c5", "c6", "c7"],
        "company_id": ["A", "B", "D", "A", "A", "A", "A", "B", "D", "A"],
        "variant_kinds": [""] * 10,
    })
    pq.write_table(truth, tmp_path / "records.parquet")
    warehouse = tmp_path / "w.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema marts; create schema intermediate; create schema staging")
    con.execute("create table marts.bridge_account_sources as select * from (values "
                "('crm_accounts', 'sf', 'a1', 'X'), ('crm_accounts', 'sf', 'b1', 'Y'), ('contacts', 'mk', 'c1', 'X'), "
                "('contacts', 'mk', 'c2', 'Z'), ('contacts', 'mk', 'c3', null), ('contacts', 'mk', 'c4', 'X'), "
                "('contacts', 'mk', 'c5', 'X'), ('crm_accounts', 'sf', 'd1', 'W'), ('contacts', 'mk', 'c6', 'W'), "
                "('contacts', 'mk', 'c7', 'W')) "
                "as b (source_table, source_system, source_record_id, account_id)")
    con.execute("create table intermediate.int_company_records_prepared as select * from (values "
                "('crm_accounts:sf:a1', 'crm_accounts', 'ミラクス', '東京都'), "
                "('crm_accounts:sf:b1', 'crm_accounts', 'ミラクス', '大阪府'), "
                "('crm_accounts:sf:d1', 'crm_accounts', 'ソラト', '東京都')) "
                "as r (record_key, source_table, name_normalized, prefecture)")
    # c1: company domain; c2: only a name two companies share, left alone in an account of its own;
    # c3: nothing; c4: that name and an office in 東京都 (A's); c5, of B, gives its office in 大阪府 but
    # ended with A: a wrong attachment; c6 (of D) gives D's name, which D alone carries, and is with D;
    # c7 (of A) gives D's name too (a slip that spelled another company's name) and ended with D
    con.execute("create table staging.stg_crm__contacts as select * from (values "
                "('mk', 'c1', null, 'mirax.co.jp', 'ミラクス', null), ('mk', 'c2', null, null, 'ミラクス', null), "
                "('mk', 'c3', null, null, null, null), ('mk', 'c4', null, null, 'ミラクス', '東京都'), "
                "('mk', 'c5', null, null, 'ミラクス', '大阪府'), ('mk', 'c6', null, null, 'ソラト', null), "
                "('mk', 'c7', null, null, 'ソラト', null)) "
                "as c (source_system, source_contact_id, source_account_id, email_domain, company_name_normalized, "
                "office_prefecture)")
    con.close()
    rows = {evidence: counts for evidence, *counts in evaluate_identity.contact_outcomes(warehouse, tmp_path)}
    assert rows == {
        "company e-mail domain": [1, 1, 0, 0],
        "company name only, carried by several companies": [1, 0, 0, 1],
        "company name of several companies, one in the office prefecture": [2, 1, 1, 0],
        "nothing usable": [1, 0, 0, 0],
        "company name only, one company carries it": [1, 1, 0, 0],
        "company name only, another company alone carries it": [1, 0, 1, 0],
    }
    assert "| nothing usable | 1 | 0 | 0.000 | 0 | 0.000 | 0 | 0.000 |" in evaluate_identity.contact_outcomes_markdown(
        list(evaluate_identity.contact_outcomes(warehouse, tmp_path)))


def test_no_guess_ceiling_leaves_alone_only_contacts_whose_evidence_fits_several_companies(tmp_path: Path) -> None:
    # A (東京都) and B (大阪府) are both ミラクス; C is ソラト
    pq.write_table(pa.table({"company_id": ["A", "B", "C"], "prefecture": ["東京都", "大阪府", "東京都"]}),
                   tmp_path / "companies.parquet")
    keys = [("crm_accounts", "sf", "a1", "A"), ("crm_accounts", "sf", "b1", "B"), ("crm_accounts", "sf", "c1", "C"),
            ("contacts", "mk", "k1", "A"), ("contacts", "mk", "k2", "A"), ("contacts", "mk", "k3", "C"),
            ("contacts", "mk", "k4", "A"), ("contacts", "sf", "k5", "A"), ("contacts", "sf", "k6", "A")]
    pq.write_table(pa.table({"source_table": [k[0] for k in keys], "source_system": [k[1] for k in keys],
                             "source_record_id": [k[2] for k in keys], "company_id": [k[3] for k in keys],
                             "variant_kinds": [""] * len(keys)}), tmp_path / "records.parquet")
    warehouse = tmp_path / "w.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema marts; create schema intermediate; create schema staging")
    con.execute("create table marts.bridge_account_sources as select * from (values "
                + ", ".join(f"('{t}', '{s}', '{r}')" for t, s, r, _ in keys)
                + ") as b (source_table, source_system, source_record_id)")
    names = [("crm_accounts:sf:a1", "ミラクス"), ("crm_accounts:sf:b1", "ミラクス"), ("crm_accounts:sf:c1", "ソラト"),
             ("contacts:mk:k1", "ミラクス"), ("contacts:mk:k2", "ミラクス"), ("contacts:mk:k3", "ソラト"),
             ("contacts:mk:k4", "ミラクス"), ("contacts:sf:k6", "ミラクス")]
    con.execute("create table intermediate.int_company_records_numbered as select * from (values "
                + ", ".join(f"({n}, '{key}')" for n, (key, _) in enumerate(names)) + ") as r (record_number, record_key)")
    con.execute("create table intermediate.int_company_record_names as select * from (values "
                + ", ".join(f"({n}, '{name}')" for n, (_, name) in enumerate(names)) + ") as n (record_number, name)")
    # k1: only a name two companies carry; k2: that name with an office in 東京都 (only A there);
    # k3: a name one company carries; k4: the shared name and a free-mail address that k5, with a
    # CRM account link, also has — one person, so k4 is placed too; k6 links to an account the export
    # does not hold, which tells nothing
    con.execute("create table staging.stg_crm__contacts as select * from (values "
                "('mk', 'k1', null, null, null, 'ミラクス', null), ('mk', 'k2', null, null, null, 'ミラクス', '東京都'), "
                "('mk', 'k3', null, null, null, 'ソラト', null), ('mk', 'k4', null, 'Taro@gmail.com', null, 'ミラクス', null), "
                "('sf', 'k5', 'a1', 'taro@gmail.com', null, null, null), ('sf', 'k6', 'gone', null, null, 'ミラクス', null)) "
                "as c (source_system, source_contact_id, source_account_id, email, email_domain, "
                "company_name_normalized, office_prefecture)")
    con.close()
    ceiling = evaluate_identity.no_guess_ceiling(warehouse, tmp_path)
    # true pairs: A has a1 k1 k2 k4 k5 k6 (15), C has c1 k3 (1); without k1 and k6, A keeps 6
    assert (ceiling.true_pairs, ceiling.predicted_pairs, ceiling.correct_pairs) == (16, 7, 7)
    assert ceiling.precision == 1.0 and ceiling.recall == pytest.approx(7 / 16)
