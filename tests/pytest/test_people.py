"""People across systems, measured on a real build: the generator writes one person as a lead, a
contact and a card, written differently; resolution finds them without merging two people."""

from __future__ import annotations

import pytest

import measure_people

# xdist: every user of the csv_build session fixture runs on one worker, which builds it once
pytestmark = pytest.mark.xdist_group("csv_build")


@pytest.mark.dbt
def test_people_are_resolved_across_systems_and_consent_is_per_person(csv_build) -> None:
    work, _, result = csv_build
    assert result.returncode == 0, result.output[-3000:]
    figures = measure_people.measure(result.duckdb_path, work / "truth")
    assert figures["people"] < figures["contact_records"]
    assert figures["people_in_several_systems"] > 0
    assert figures["records_joined_by_name"] > 0, "cards without an address should join their person by name"
    # a person is never two generated people, and nearly every person is found whole
    assert figures["pairwise_precision"] >= 0.99, figures
    assert figures["pairwise_recall"] >= 0.95, figures
    # some records say yes for a person who said no later: none of them reaches the activation list
    assert figures["email_opt_ins_overruled"] > 0
    assert 0 < figures["activation_rows_email"] <= figures["email_consented_people"]
