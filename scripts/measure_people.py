#!/usr/bin/env python3
"""Person-level figures for the README, measured on a built DuckDB file (and the generator's truth).

People vs contact records, records per person, how records were resolved, consent conflicts and what
a record-by-record consent check would have leaked; with a truth folder, pairwise precision and recall
of person resolution against the generator's person_key.

    python scripts/measure_people.py build/ci/abm.duckdb --truth-dir build/ci/truth
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import duckdb

RECORD_LEVEL = """
    select {select} from marts.bridge_contact_sources as bridge
    join staging.stg_crm__contacts as contacts
        on bridge.contact_key = contacts.source_system || ':' || contacts.source_contact_id
    join marts.fct_contact_consent as consent on consent.person_id = bridge.person_id and consent.channel = 'email'
    join marts.dim_accounts as accounts on accounts.account_id = bridge.account_id
    join marts.fct_account_scores as scores on scores.account_id = bridge.account_id
    where contacts.consent_email_answer and contacts.email is not null and (accounts.is_target or scores.is_qualified)
"""

FIGURES: dict[str, str] = {
    "contact_records": "select count(*) from marts.bridge_contact_sources",
    "people": "select count(*) from marts.dim_contacts",
    "people_with_several_records": "select count(*) from marts.dim_contacts where source_records > 1",
    "people_in_several_systems": "select count(*) from marts.dim_contacts where source_systems > 1",
    "records_joined_by_name": "select count(*) from marts.bridge_contact_sources where resolution_rule = 'name_at_account'",
    "records_left_alone": "select count(*) from marts.bridge_contact_sources "
                          "where resolution_rule in ('ambiguous_name', 'conflicting_department', 'record_only')",
    "email_people_with_conflicting_answers": "select count(*) from marts.fct_contact_consent "
                                             "where channel = 'email' and has_conflicting_answers",
    "ads_people_with_conflicting_answers": "select count(*) from marts.fct_contact_consent "
                                           "where channel = 'ads' and has_conflicting_answers",
    "email_consented_people": "select count(*) from marts.fct_contact_consent where channel = 'email' and has_consent",
    # people a record-by-record check would have activated: some record says yes, the person says no
    "email_opt_ins_overruled": """
        select count(distinct bridge.person_id) from marts.bridge_contact_sources as bridge
        join staging.stg_crm__contacts as contacts
            on bridge.contact_key = contacts.source_system || ':' || contacts.source_contact_id
        join marts.fct_contact_consent as consent on consent.person_id = bridge.person_id and consent.channel = 'email'
        where contacts.consent_email_answer and not consent.has_consent
    """,
    # what the old record-by-record e-mail list held: every record with an opt-in at a target or
    # qualified account, and how many of its addresses belong to people who have opted out since
    "record_level_email_rows": RECORD_LEVEL.format(select="count(*)"),
    "record_level_email_addresses": RECORD_LEVEL.format(select="count(distinct contacts.email)"),
    "record_level_email_addresses_opted_out": RECORD_LEVEL.format(select="count(distinct contacts.email)")
    + " and not consent.has_consent",
    "activation_rows_email": "select count(*) from marts.rpt_activation_contacts where channel = 'email'",
    "activation_rows_ads": "select count(*) from marts.rpt_activation_contacts where channel = 'ads'",
    "committee_people": "select coalesce(sum(known_contacts), 0) from marts.fct_buying_committee",
    "engaged_people": "select coalesce(sum(engaged_people), 0) from marts.fct_account_funnel",
}

PAIRS = """
with truth as (
    select source_system || ':' || source_record_id as contact_key, person_key
    from read_parquet(?) where source_table = 'contacts'
),
joined as (
    select bridge.contact_key, bridge.person_id, truth.person_key
    from marts.bridge_contact_sources as bridge join truth on truth.contact_key = bridge.contact_key
),
pairs as (
    select a.person_id = b.person_id as predicted, a.person_key = b.person_key as actual
    from joined as a join joined as b
        on a.contact_key < b.contact_key and (a.person_id = b.person_id or a.person_key = b.person_key)
)
select count(*) filter (where predicted and actual), count(*) filter (where predicted), count(*) filter (where actual)
from pairs
"""


def measure(duckdb_path: Path, truth_dir: Path | None) -> dict[str, Any]:
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        figures: dict[str, Any] = {name: int(con.execute(query).fetchall()[0][0]) for name, query in FIGURES.items()}
        figures["records_per_person"] = round(figures["contact_records"] / max(figures["people"], 1), 3)
        truth = truth_dir / "records.parquet" if truth_dir else None
        if truth is not None and truth.exists():
            both, predicted, actual = con.execute(PAIRS, [str(truth)]).fetchall()[0]
            figures["pairwise_precision"] = round(both / predicted, 4) if predicted else None
            figures["pairwise_recall"] = round(both / actual, 4) if actual else None
        return figures
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("duckdb", type=Path)
    parser.add_argument("--truth-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.duckdb, args.truth_dir), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
