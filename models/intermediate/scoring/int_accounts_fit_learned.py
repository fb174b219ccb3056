"""Learned fit per account: logistic regression (scikit-learn) on accounts with closed deals.

Label: the account won at least one closed deal (won) or closed deals and won none (lost). Features:
JSIC industry (one-hot), log head count, log revenue, prefecture (one-hot, the 10 most common), and
whether each is known. L2-regularised (C = 1), fixed random seed (var learned_fit_random_seed);
AUC measured on a held-out quarter of the labelled accounts. With fewer labelled accounts than var
learned_fit_min_labelled, or a single class, the rule-based fit score is used instead and the row
says so (fit_model = 'rule_based_fallback').
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


def model(dbt, session):
    dbt.config(materialized="table", packages=["scikit-learn", "pandas", "numpy"])
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    accounts = dbt.ref("int_accounts_fit_scored").df()
    deals = dbt.ref("int_opportunities_attributed_to_accounts").df()
    min_labelled = int(dbt.config.get("learned_fit_min_labelled") or 60)
    seed = int(dbt.config.get("learned_fit_random_seed") or 42)

    closed = deals[deals["is_closed"].astype(bool) & deals["account_id"].notna()]
    labels = closed.groupby("account_id")["is_won"].max().astype(int)
    prefectures = accounts["prefecture"].value_counts().head(10).index.tolist()
    features = _features(accounts, prefectures)
    labelled = accounts["account_id"].isin(labels.index)
    y = accounts.loc[labelled, "account_id"].map(labels).astype(int)

    result = pd.DataFrame({"account_id": accounts["account_id"]})
    result["labelled_accounts"] = int(labelled.sum())
    if labelled.sum() < min_labelled or y.nunique() < 2:
        result["learned_fit_score"] = accounts["fit_score"].astype(float)
        result["fit_model"] = "rule_based_fallback"
        result["model_auc"] = pd.Series([None] * len(result), index=result.index, dtype="Float64")
        return result

    x = features[labelled]
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=seed, stratify=y)
    scaler = StandardScaler().fit(x_train)
    classifier = LogisticRegression(C=1.0, max_iter=1000, random_state=seed)
    classifier.fit(scaler.transform(x_train), y_train)
    auc = float(roc_auc_score(y_test, classifier.predict_proba(scaler.transform(x_test))[:, 1]))
    probability = classifier.predict_proba(scaler.transform(features))[:, 1]
    result["learned_fit_score"] = np.round(100.0 * probability, 4)
    result["fit_model"] = "logistic_regression"
    result["model_auc"] = None if math.isnan(auc) else round(auc, 4)
    return result
