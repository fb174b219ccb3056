#!/usr/bin/env python3
"""Splink (probabilistic linkage on DuckDB) on the same company records, scored the same way.

Reads the company records the project prepared (CRM accounts + firmographics, with the same
normalized names and identifiers) from a built warehouse, read-only; deduplicates them with Splink
(Fellegi-Sunter, trained unsupervised: u by random sampling, m by expectation maximisation),
clusters at a match probability, and scores the clusters against the ground truth with the
pairwise precision/recall of scripts/evaluate_identity.py. Runs in its own venv (`make bench-splink`):
Splink is a benchmark, not a dependency of the project.

    .venv-splink/bin/python scripts/benchmark_splink.py --duckdb /tmp/bench10k/abm.duckdb --truth-dir /tmp/bench10k/truth
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import duckdb
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.backends.duckdb import DuckDBAPI

sys.path.insert(0, str(Path(__file__).resolve().parent))

import evaluate_identity  # noqa: E402

COLUMNS = "record_key as unique_id, name_normalized, corporate_number, duns_number, domain, prefecture"


def company_records(warehouse: Path, memory_limit: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding the company records, copied from the warehouse (read-only)."""
    con = duckdb.connect(config={"memory_limit": memory_limit})
    con.execute(f"attach '{warehouse}' as warehouse (read_only)")
    con.execute(f"""
        create table records as
        select {COLUMNS}
        from warehouse.intermediate.int_company_records_prepared
        where source_table in ('crm_accounts', 'firmographics')
    """)
    con.execute("detach warehouse")
    return con


def settings(threshold: float) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("name_normalized", [0.95, 0.88]),
            cl.ExactMatch("corporate_number"),
            cl.ExactMatch("duns_number"),
            cl.ExactMatch("domain"),
            cl.ExactMatch("prefecture"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("corporate_number"),
            block_on("duns_number"),
            block_on("domain"),
            block_on("name_normalized"),
            # a name prefix within a prefecture catches typos; 4 characters keep blocks small at 1M
            block_on("substr(name_normalized, 1, 4)", "prefecture"),
        ],
        retain_intermediate_calculation_columns=False,
    )


def run_splink(con: duckdb.DuckDBPyConnection, threshold: float) -> str:
    """Train, predict and cluster; return the name of a table (record_key, predicted)."""
    db_api = DuckDBAPI(connection=con)
    records = db_api.register("records", dataset_display_name="company_records")
    linker = Linker(records, settings(threshold))
    linker.training.estimate_probability_two_random_records_match(
        [block_on("corporate_number"), block_on("domain")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=2_000_000, seed=1)
    # EM on tight blocks: a block on prefecture + a short name prefix needed over 20 GB at 1M records
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name_normalized"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("domain"))
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
    con.execute(f"create table splink_predictions as select unique_id as record_key, cluster_id as predicted "
                f"from {clusters.physical_name}")
    return "splink_predictions"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duckdb", type=Path, required=True, help="a built warehouse (opened read-only)")
    parser.add_argument("--truth-dir", type=Path, required=True)
    parser.add_argument("--threshold", type=float, default=0.9, help="match probability to link and cluster at")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--memory-limit", default="12GB", help="DuckDB memory limit for Splink's work")
    args = parser.parse_args(argv)
    con = company_records(args.duckdb, args.memory_limit)
    record_count = con.execute("select count(*) from records").fetchall()[0][0]
    started = time.monotonic()
    table = run_splink(con, args.threshold)
    elapsed = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    evaluate_identity.load_predictions(con, args.truth_dir, table)
    scores = evaluate_identity.score(con, "company records (Splink)", "true")
    print(evaluate_identity.as_markdown(scores))
    figures = {"splink_s": elapsed, "splink_peak_mb": peak_mb, "records": record_count}
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "scores": [
            {"kind": s.kind, "precision": s.precision, "recall": s.recall, "f1": s.f1} for s in scores]}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
