"""Learned fit per account: logistic regression (scikit-learn) on accounts with closed deals.

Label: the account won at least one closed deal (won) or closed deals and won none (lost). Features:
JSIC industry (one-hot), log head count, log revenue, prefecture (one-hot, the 10 most common), and
whether each is known. L2-regularised (C = 1), fixed random seed (var learned_fit_random_seed);
AUC measured on a held-out quarter of the labelled accounts, and the rule-based fit score's AUC on the
same hold-out. The learned score is used only when it earns it: its AUC reaches var
learned_fit_min_auc and beats the rule-based score's; otherwise learned_fit_score is the rule-based
score and fit_model says why (choose_fit_model).
"""

import math

import numpy as np
import pandas as pd


def _features(accounts: pd.DataFrame, prefectures: list) -> pd.DataFrame:
    employees = pd.to_numeric(accounts["employee_count"], errors="coerce")
    revenue = pd.to_numeric(accounts["annual_revenue_jpy"], errors="coerce").astype(float)
    features = pd.DataFrame(index=accounts.index)
    features["log_employees"] = np.log10(employees.fillna(0).clip(lower=0) + 1)
    features["employees_known"] = employees.notna().astype(float)
    features["log_revenue"] = np.log10(revenue.fillna(0).clip(lower=0) + 1)
    features["revenue_known"] = revenue.notna().astype(float)
    industries = pd.get_dummies(accounts["industry_code"].fillna("?"), prefix="industry", dtype=float)
    prefecture = accounts["prefecture"].where(accounts["prefecture"].isin(prefectures), "other").fillna("other")
    return pd.concat([features, industries, pd.get_dummies(prefecture, prefix="pref", dtype=float)], axis=1)


LEARNED = "logistic_regression"
TOO_FEW_LABELS = "rule_based_too_few_labels"
BELOW_MIN_AUC = "rule_based_learned_auc_below_minimum"
NOT_BETTER = "rule_based_learned_not_better"


def choose_fit_model(labelled: int, classes: int, min_labelled: int, learned_auc: float | None,
                     rule_auc: float | None, min_auc: float) -> str:
    """Which fit the scores use: the learned one only with enough labels, an AUC of at least min_auc
    and an AUC above the rule-based score's on the same hold-out (a model no better than the rules
    adds risk, not information)."""
    if labelled < min_labelled or classes < 2:
        return TOO_FEW_LABELS
    if learned_auc is None or math.isnan(learned_auc) or learned_auc < min_auc:
        return BELOW_MIN_AUC
    if rule_auc is not None and not math.isnan(rule_auc) and learned_auc <= rule_auc:
        return NOT_BETTER
    return LEARNED


def _auc(y_true: pd.Series, score: np.ndarray) -> float | None:
    from sklearn.metrics import roc_auc_score

    if pd.Series(y_true).nunique() < 2:
        return None
    return round(float(roc_auc_score(y_true, score)), 4)


def _to_pandas(relation) -> pd.DataFrame:
    """A ref as pandas, whatever the adapter: DuckDB relation, Spark or Snowpark data frame."""
    if hasattr(relation, "df"):  # DuckDB
        return relation.df()
    if hasattr(relation, "toPandas"):  # Spark
        return relation.toPandas()
    return relation.to_pandas()


def model(dbt, session):
    dbt.config(materialized="table", packages=["scikit-learn", "pandas", "numpy"])
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    # in account order: the hold-out split must not depend on the order an engine returns rows in
    accounts = _to_pandas(dbt.ref("int_accounts_fit_scored")).sort_values("account_id").reset_index(drop=True)
    deals = _to_pandas(dbt.ref("int_opportunities_attributed_to_accounts"))
    min_labelled = int(dbt.config.get("learned_fit_min_labelled") or 60)
    seed = int(dbt.config.get("learned_fit_random_seed") or 42)
    min_auc = float(dbt.config.get("learned_fit_min_auc") or 0.6)

    closed = deals[deals["is_closed"].astype(bool) & deals["account_id"].notna()]
    labels = closed.groupby("account_id")["is_won"].max().astype(int)
    prefectures = accounts["prefecture"].value_counts().head(10).index.tolist()
    features = _features(accounts, prefectures)
    labelled = accounts["account_id"].isin(labels.index)
    y = accounts.loc[labelled, "account_id"].map(labels).astype(int)

    result = pd.DataFrame({"account_id": accounts["account_id"]})
    result["labelled_accounts"] = int(labelled.sum())
    learned_auc = rule_auc = None
    probability = None
    if labelled.sum() >= min_labelled and y.nunique() >= 2:
        x = features[labelled]
        x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=seed, stratify=y)
        scaler = StandardScaler().fit(x_train)
        classifier = LogisticRegression(C=1.0, max_iter=1000, random_state=seed)
        classifier.fit(scaler.transform(x_train), y_train)
        learned_auc = _auc(y_test, classifier.predict_proba(scaler.transform(x_test))[:, 1])
        rule_auc = _auc(y_test, accounts.loc[x_test.index, "fit_score"].astype(float).to_numpy())
        probability = classifier.predict_proba(scaler.transform(features))[:, 1]
    chosen = choose_fit_model(int(labelled.sum()), int(y.nunique()), min_labelled, learned_auc, rule_auc, min_auc)
    if chosen == LEARNED and probability is not None:
        result["learned_fit_score"] = np.round(100.0 * probability, 4)
    else:
        result["learned_fit_score"] = accounts["fit_score"].astype(float)
    result["fit_model"] = chosen
    result["model_auc"] = pd.Series([learned_auc] * len(result), index=result.index, dtype="Float64")
    result["rule_based_auc"] = pd.Series([rule_auc] * len(result), index=result.index, dtype="Float64")
    return result
