"""Which fit the scores use (the dbt Python model int_accounts_fit_learned), tested as a function."""

from __future__ import annotations

import pytest

from conftest import load_python_model

MODEL = "models/intermediate/scoring/int_accounts_fit_learned.py"


@pytest.mark.parametrize(("labelled", "classes", "learned", "rule", "expected"), [
    (40, 2, 0.9, 0.5, "rule_based_too_few_labels"),
    (200, 1, None, None, "rule_based_too_few_labels"),
    (200, 2, 0.45, 0.55, "rule_based_learned_auc_below_minimum"),  # worse than chance
    (200, 2, 0.59, 0.40, "rule_based_learned_auc_below_minimum"),
    (200, 2, 0.64, 0.66, "rule_based_learned_not_better"),
    (200, 2, 0.64, 0.64, "rule_based_learned_not_better"),  # a tie keeps the simpler, explainable rules
    (200, 2, 0.70, 0.62, "logistic_regression"),
    (200, 2, 0.70, None, "logistic_regression"),
])
def test_the_learned_fit_is_used_only_when_it_earns_it(labelled: int, classes: int, learned: float | None,
                                                        rule: float | None, expected: str) -> None:
    choose = load_python_model(MODEL).choose_fit_model
    assert choose(labelled, classes, 60, learned, rule, 0.6) == expected
