"""scripts/validate_marts.py validates a mart larger than one pandas frame in batches, and still finds a
duplicate key whose copies lie far apart, a bad value in any batch and a wrong row count; given the last
validated build, it validates row by row only the parts of a mart that changed since, and still finds
what a change there breaks and a wrong row count anywhere."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

import validate_marts as vm

AS_OF = date(2026, 11, 1)


def write_marts(path: Path, rows: list[tuple[str, str, float]], accounts: int) -> Path:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        con.execute("create table marts.dim_accounts as select 'a' || range as account_id from range(?)", [accounts])
        con.execute("create table marts.fct_department (account_id varchar, department varchar, score double)")
        con.executemany("insert into marts.fct_department values (?, ?, ?)", rows)
    finally:
        con.close()
    return path


SUITE = vm.Suite("fct_department", "select account_id, department, score from marts.fct_department", lambda f: [
    *vm.key("account_id", "department"),
    vm.between("score", vm.SCORE),
    vm.gxe.ExpectTableRowCountToEqual(value=f.accounts),
])
CLEAN = [(f"a{n}", department, 50.0) for n in range(5) for department in ("sales", "it")]


def validate(path: Path, max_rows: int, suite: vm.Suite = SUITE, previous: Path | None = None) -> dict:
    result = vm.run_suites(path, AS_OF, None, max_rows=max_rows, suites=(suite,), previous=previous)["suites"][suite.mart]
    return {name: value for name, value in result.items() if name not in ("fingerprint", "seconds")}


def test_a_mart_validated_in_batches_passes_like_a_whole_one(tmp_path: Path) -> None:
    path = write_marts(tmp_path / "m.duckdb", CLEAN, accounts=10)
    whole, batched = validate(path, max_rows=100), validate(path, max_rows=3)
    assert whole == {"rows": 10, "success": True, "failed": [], "batches": 1}
    # four batches of the key's hash and one run of the row count over every row
    assert batched == {"rows": 10, "success": True, "failed": [], "batches": 5}


@pytest.mark.parametrize(("change", "accounts", "named"), [
    # the copy of a0/sales sits at the other end of the table from the original
    (lambda rows: [*rows, ("a0", "sales", 10.0)], 11, "expect_compound_columns_to_be_unique(['account_id', 'department'])"),
    (lambda rows: [*rows[:7], ("a3", "legal", 101.0), *rows[7:]], 11, "expect_column_values_to_be_between(score)"),
    (lambda rows: rows, 9, "expect_table_row_count_to_equal()"),
])
def test_what_a_batch_would_hide_is_still_found(tmp_path: Path, change, accounts: int, named: str) -> None:
    path = write_marts(tmp_path / "m.duckdb", change(CLEAN), accounts=accounts)
    for max_rows in (100, 3):
        result = validate(path, max_rows)
        assert not result["success"] and result["failed"] == [named], (max_rows, result)


def test_batches_split_by_the_columns_every_key_shares() -> None:
    both = [vm.gxe.ExpectCompoundColumnsToBeUnique(column_list=["person_id", "channel"]),
            vm.gxe.ExpectCompoundColumnsToBeUnique(column_list=["email", "channel"])]
    assert vm.batch_columns(both, ["person_id", "channel", "email"]) == ["channel"]
    assert vm.batch_columns([vm.gxe.ExpectColumnValuesToNotBeNull(column="x")], ["x", "y"]) == ["x"]
    with pytest.raises(ValueError, match="share no column"):
        vm.batch_columns([*vm.key("queue_rank"), *vm.key("account_id")], ["queue_rank", "account_id"])


HISTORY = vm.Suite("fct_history", "select account_id, evaluated_on, score "
                   "from marts.fct_history", lambda f: [*vm.key("account_id", "evaluated_on"), vm.between("score", vm.SCORE)],
                   scope_column="evaluated_on")
DAYS = [(f"a{n}", date(2026, 10, day), 50.0) for n in range(3) for day in (18, 25)]


def write_history(path: Path, rows: list[tuple[str, date | str, float]], day_type: str = "date") -> Path:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        con.execute("create table marts.dim_accounts as select 'a' || range as account_id from range(3)")
        con.execute(f"create table marts.fct_history (account_id varchar, evaluated_on {day_type}, score double)")
        con.executemany("insert into marts.fct_history values (?, ?, ?)", rows)
    finally:
        con.close()
    return path


def validate_history(path: Path, previous: Path | None) -> dict:
    result = vm.run_suites(path, AS_OF, None, suites=(HISTORY,), previous=previous)["suites"]["fct_history"]
    return {name: value for name, value in result.items() if name not in ("fingerprint", "seconds")}


def validated(path: Path, suite: vm.Suite) -> Path:
    """The file as the refresh leaves it after a passing gate: with the fingerprints of its suites."""
    report = vm.run_suites(path, AS_OF, None, suites=(suite,))
    assert report["success"], report
    vm.record_validated(path, report)
    return path


def test_a_history_is_validated_only_in_the_periods_that_changed_since_the_last_published_build(tmp_path: Path) -> None:
    previous = write_history(tmp_path / "previous.duckdb", DAYS)
    # no earlier build: every period
    assert validate_history(previous, None) == {"rows": 6, "success": True, "failed": [], "batches": 1}
    validated(previous, HISTORY)
    # the same rows: nothing to validate
    same = write_history(tmp_path / "same.duckdb", DAYS)
    assert validate_history(same, previous)["scope"] == "0 of 2 evaluated_on changed since the last validated build"
    assert validate_history(same, previous)["rows"] == 0
    # a new period end and a re-taken one with a duplicate key: both validated whole, the duplicate found
    rewritten = [row for row in DAYS if row[1].day == 18] + [("a0", date(2026, 10, 25), 50.0),
                                                              ("a0", date(2026, 10, 25), 60.0),
                                                              ("a1", date(2026, 10, 31), 50.0)]
    result = validate_history(write_history(tmp_path / "rewritten.duckdb", rewritten), previous)
    assert result["scope"] == "2 of 3 evaluated_on changed since the last validated build"
    assert result["rows"] == 3 and result["failed"] == ["expect_compound_columns_to_be_unique(['account_id', 'evaluated_on'])"]
    # one changed value in an old period makes that period validated, and its bad value found
    changed = [(account, day, 101.0 if (account, day.day) == ("a2", 18) else score) for account, day, score in DAYS]
    result = validate_history(write_history(tmp_path / "changed.duckdb", changed), previous)
    assert result["rows"] == 3 and result["failed"] == ["expect_column_values_to_be_between(score)"]


def test_a_scope_column_whose_type_changed_validates_every_row(tmp_path: Path) -> None:
    """Parts keep the column's type (a date is compared and filtered as a date): a build whose period
    ends were text cannot vouch for today's dated rows, whatever their text says."""
    previous = write_history(tmp_path / "previous.duckdb", [(a, d.isoformat(), s) for a, d, s in DAYS], "varchar")
    validated(previous, HISTORY)
    result = validate_history(write_history(tmp_path / "dated.duckdb", DAYS), previous)
    assert result["rows"] == 6 and result["success"]


# the same mart, validated per account where it changed
BY_ACCOUNT = vm.Suite(SUITE.mart, SUITE.query, SUITE.expectations, scope_column="account_id")


def test_a_mart_is_validated_row_by_row_only_for_the_accounts_whose_validated_columns_changed(tmp_path: Path) -> None:
    previous = validated(write_marts(tmp_path / "previous.duckdb", CLEAN, accounts=10), BY_ACCOUNT)
    same = write_marts(tmp_path / "same.duckdb", CLEAN, accounts=10)
    # nothing changed: no row validated row by row; the row count still checked over every row
    assert validate(same, 100, BY_ACCOUNT, previous) == {
        "rows": 0, "success": True, "failed": [], "batches": 2,
        "scope": "0 of 5 account_id changed since the last validated build"}
    # a column the suite does not read changed for every row: still nothing to validate
    con = duckdb.connect(str(same))
    con.execute("alter table marts.fct_department add column touched_at timestamp default current_timestamp")
    con.close()
    assert validate(same, 100, BY_ACCOUNT, previous)["rows"] == 0
    # a1 gets a duplicate department and a3 a bad score: those two accounts validated, both found
    broken = [row for row in CLEAN if row[0] != "a3"] + [("a1", "it", 50.0), ("a3", "sales", 50.0), ("a3", "it", 101.0)]
    result = validate(write_marts(tmp_path / "broken.duckdb", broken, accounts=11), 100, BY_ACCOUNT, previous)
    assert result["scope"] == "2 of 5 account_id changed since the last validated build" and result["rows"] == 5
    assert result["failed"] == ["expect_column_values_to_be_between(score)",
                                "expect_compound_columns_to_be_unique(['account_id', 'department'])"]
    # the row count is checked over every row, not over the changed accounts only
    result = validate(write_marts(tmp_path / "count.duckdb", CLEAN, accounts=9), 100, BY_ACCOUNT, previous)
    assert result["rows"] == 0 and result["failed"] == ["expect_table_row_count_to_equal()"]


def test_a_changed_suite_validates_every_row_again(tmp_path: Path) -> None:
    previous = validated(write_marts(tmp_path / "previous.duckdb", CLEAN, accounts=10), BY_ACCOUNT)
    stricter = vm.Suite(SUITE.mart, SUITE.query, lambda f: [*SUITE.expectations(f), vm.between("score", {"min_value": 60})],
                        scope_column="account_id")
    result = validate(write_marts(tmp_path / "same.duckdb", CLEAN, accounts=10), 100, stricter, previous)
    assert "scope" not in result and result["rows"] == 10
    assert result["failed"] == ["expect_column_values_to_be_between(score)"]


CONSENT_SUITE = next(suite for suite in vm.SUITES if suite.mart == "fct_contact_consent")


@pytest.mark.parametrize(("opted_out_at", "has_consent", "passes"), [
    ("2026-10-01", True, True),    # the consent was given after the last opt-out
    ("2026-10-20", True, False),   # a current consent older than the last opt-out
    ("2026-10-20", False, True),   # no current consent: the condition leaves the row out
])
def test_a_current_consent_older_than_the_last_opt_out_fails_the_consent_suite(
        tmp_path: Path, opted_out_at: str, has_consent: bool, passes: bool) -> None:
    path = write_marts(tmp_path / "m.duckdb", CLEAN, accounts=10)
    con = duckdb.connect(str(path))
    try:
        con.execute("create table marts.fct_contact_consent as select * from (values "
                     "('p1', 'email', true, 'consented', timestamp '2026-09-01', timestamp '2026-10-10'), "
                     "('p2', 'email', ?, ?, cast(? as timestamp), timestamp '2026-10-10')) "
                     "as t (person_id, channel, has_consent, consent_status, last_opt_out_at, decided_at)",
                     [has_consent, "consented" if has_consent else "opted_out", opted_out_at])
    finally:
        con.close()
    result = validate(path, max_rows=100, suite=CONSENT_SUITE)
    assert result["success"] is passes, result
    if not passes:
        assert result["failed"] == ["expect_column_values_to_be_in_set(no_later_opt_out)"], result
