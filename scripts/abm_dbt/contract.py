"""The raw-data contract: which tables the project reads and which columns each must have.

One definition used by the dbt loader plugin (to check files), the data generator (to write
them) and the tests (to check that `models/staging/_sources.yml` documents the same columns).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RawTable:
    """One raw input table: its name, whether it must exist, and its columns. A column listed in
    `optional_columns` too may be absent from a file (older exports): it then reads as null."""

    name: str
    required: bool
    columns: tuple[str, ...]
    optional_columns: tuple[str, ...] = ()


RAW_TABLES: tuple[RawTable, ...] = (
    RawTable(
        "crm_accounts",
        True,
        (
            "source_system", "source_account_id", "account_name", "website", "corporate_number",
            "duns_number", "parent_source_account_id", "industry", "employee_count",
            "annual_revenue_jpy", "country", "prefecture", "created_at", "updated_at", "is_deleted",
        ),
    ),
    RawTable(
        "contacts",
        True,
        (
            "source_system", "source_contact_id", "source_account_id", "company_name", "email",
            "full_name", "department", "job_title", "consent_email", "consent_ads", "created_at",
            "updated_at", "is_deleted", "address",
        ),
        # the office address on the card / form / CRM contact: exports before it was added lack it
        optional_columns=("address",),
    ),
    RawTable(
        "lead_status_history",
        False,
        ("source_system", "source_contact_id", "status", "changed_at"),
    ),
    RawTable(
        "activities",
        False,
        ("activity_id", "source_system", "source_contact_id", "email", "activity_type",
         "occurred_at", "campaign_id"),
    ),
    RawTable("intent_signals", False, ("domain", "topic", "signal_date", "score")),
    RawTable("product_usage", False, ("event_id", "user_email", "event_name", "occurred_at")),
    RawTable(
        "opportunities",
        False,
        (
            "source_system", "opportunity_id", "source_account_id", "department", "product_line",
            "stage", "amount_jpy", "created_at", "closed_at", "is_closed", "is_won",
            "primary_contact_id",
        ),
    ),
    RawTable("opportunity_stage_history", False, ("opportunity_id", "stage", "changed_at")),
    RawTable(
        "contracts",
        False,
        ("source_system", "contract_id", "source_account_id", "department", "product_line",
         "start_date", "end_date", "monthly_revenue_jpy", "monthly_cost_jpy"),
    ),
    RawTable(
        "target_accounts",
        False,
        ("source_system", "source_account_id", "tier", "owner", "added_on", "removed_on"),
    ),
    RawTable(
        "firmographics",
        False,
        (
            "corporate_number", "duns_number", "company_name", "company_name_en", "domain",
            "industry_code", "employee_count", "annual_revenue_jpy", "parent_corporate_number",
            "prefecture",
        ),
    ),
    RawTable(
        "account_plans",
        False,
        ("source_system", "plan_id", "source_account_id", "owner", "plan_start", "ambition",
         "revenue_target_jpy", "horizon_months"),
    ),
    RawTable(
        "account_plan_goals",
        False,
        ("source_system", "source_account_id", "department", "metric", "target_value", "due_date",
         "plan_id"),
        # goals exported before plans existed have no plan: they count from the start of the data
        optional_columns=("plan_id",),
    ),
    RawTable(
        "campaigns",
        False,
        ("source_system", "campaign_id", "campaign_name", "campaign_type", "start_date", "end_date",
         "owner"),
    ),
    RawTable(
        "campaign_accounts",
        False,
        ("source_system", "campaign_id", "source_account_id", "added_on"),
    ),
)

# The event tables (staged incrementally, models/staging/stg_*) and the column that dates each row:
# a delivery "up to day D" holds the rows of these tables dated before D (benchmarks, tests).
EVENT_TIME_COLUMNS: dict[str, str] = {
    "activities": "occurred_at",
    "lead_status_history": "changed_at",
    "opportunity_stage_history": "changed_at",
    "product_usage": "occurred_at",
    "intent_signals": "signal_date",
}

# Columns the loader adds to every raw table, so staging can prove no row was lost (and, for
# `dbt source freshness`, when the file was written).
LINEAGE_COLUMNS: tuple[str, ...] = ("_source_row_number", "_source_file", "_loaded_at")

BY_NAME: dict[str, RawTable] = {table.name: table for table in RAW_TABLES}


def raw_table(name: str) -> RawTable:
    """Return the contract of one raw table, or fail naming the unknown table."""
    try:
        return BY_NAME[name]
    except KeyError as exc:
        known = ", ".join(sorted(BY_NAME))
        raise KeyError(f"unknown raw table '{name}'; the contract knows: {known}") from exc
