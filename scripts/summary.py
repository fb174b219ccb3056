#!/usr/bin/env python3
"""Print where the warehouse file is and a short summary of what the last build produced.

Opens the DuckDB file read-only, so it can run while a BI tool has the file open.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

# (label, SQL) — each headline mart adds its line here as it lands.
HEADLINES: tuple[tuple[str, str], ...] = (
    ("accounts (companies)", "select count(*) from marts.dim_accounts"),
    ("accounts by source", "select string_agg(source_count, ', ' order by account_source) from ("
     "select account_source, account_source || '=' || count(*) as source_count "
     "from marts.dim_accounts group by account_source)"),
    ("customers", "select count(*) from marts.dim_accounts where is_customer"),
    ("CRM records merged into", "select sum(crm_account_records) || ' CRM records -> ' "
     "|| count(*) filter (where crm_account_records > 0) || ' companies' from marts.dim_accounts"),
    ("contacts attached", "select round(100.0 * count(account_id) / count(*), 1) || ' %' "
     "from marts.bridge_account_sources where source_table = 'contacts'"),
    ("pairs for steward review", "select count(*) from marts.rpt_identity_review_pairs"),
    ("target accounts", "select count(*) from marts.dim_accounts where is_target"),
    ("qualified accounts", "select count(*) from marts.fct_account_scores where is_qualified"),
    ("accounts by score tier", "select string_agg(tier_count, ', ' order by score_tier) from ("
     "select score_tier, 'tier ' || score_tier || ': ' || count(*) as tier_count "
     "from marts.fct_account_scores group by score_tier)"),
    ("ABM-eligible (LTV)", "select count(*) from marts.fct_account_ltv where abm_eligible"),
    ("MRR, latest month", "select 'JPY ' || format('{:,}', mrr_jpy) || ' (' || month_start || ')' from marts.rpt_revenue_kpis_monthly "
     "order by month_start desc limit 1"),
    ("target list tiers", "select string_agg(tier_count, ', ' order by target_tier) from ("
     "select target_tier, 'tier ' || target_tier || ': ' || count(*) as tier_count "
     "from marts.dim_accounts where is_target group by target_tier)"),
    ("account funnel (deepest stage)", "select string_agg(stage_count, ', ' order by funnel_stage_order) from ("
     "select funnel_stage_order, funnel_stage || '=' || count(*) as stage_count "
     "from marts.fct_account_funnel group by funnel_stage_order, funnel_stage)"),
    ("SAL rate target / non-target", "select string_agg(account_segment || ' ' || round(100.0 * sum_sal / sum_mql, 1) || ' %', ', ') "
     "from (select account_segment, sum(sals) as sum_sal, sum(mqls) as sum_mql from marts.rpt_demand_waterfall "
     "group by account_segment)"),
    ("SDR queue", "select count(*) || ' accounts' from marts.rpt_sdr_queue"),
    ("staged contacts", "select count(*) from staging.stg_crm__contacts"),
    ("quarantined raw rows", "select count(*) from staging.stg_raw__quarantine"),
    ("quarantine by rule", "select string_agg(rule_count, ', ' order by quarantine_rule) from ("
     "select quarantine_rule, quarantine_rule || '=' || count(*) as rule_count "
     "from staging.stg_raw__quarantine group by quarantine_rule)"),
)


def summarize(path: Path) -> list[tuple[str, str]]:
    """Return (label, value) pairs; a missing table reads as 'not built'."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        lines = []
        for label, sql in HEADLINES:
            try:
                value = con.sql(sql).fetchall()[0][0]
            except duckdb.CatalogException:
                value = "not built"
            lines.append((label, f"{value:,}" if isinstance(value, int) else str(value)))
        return lines
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duckdb", type=Path, default=Path("warehouse/abm.duckdb"))
    args = parser.parse_args(argv)
    if not args.duckdb.exists():
        print(f"no warehouse file at {args.duckdb}: run `make run` first", file=sys.stderr)
        return 1
    print(f"\nWarehouse (DuckDB, opened read-only here): {args.duckdb.resolve()}")
    for label, value in summarize(args.duckdb):
        print(f"  {label:<26} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
