"""sqlfluff's command line with the garbage collector run less often.

sqlfluff builds a parse tree of many small objects per file and its dbt templater holds dbt's whole
manifest, so with CPython's default thresholds a full collection (every object, about a second each)
ran 43 times in one lint of the project and took about a third of its CPU. A higher first-generation
threshold makes the young collections rarer; the objects still get collected.

The threshold is set when this module is imported, not in main(): sqlfluff lints in worker processes
started with "spawn", and each worker imports the parent's main module, so the workers run with it too.

Usage: the arguments of `sqlfluff`, e.g. `python scripts/sqlfluff_lint.py lint --processes 2 models`.
"""

from __future__ import annotations

import gc

# (generation 0, 1, 2) thresholds; CPython's default is (700, 10, 10).
GC_THRESHOLDS: tuple[int, int, int] = (100_000, 50, 100)

gc.set_threshold(*GC_THRESHOLDS)


def main() -> None:
    """Run sqlfluff's own command line (it reads sys.argv and exits with its status)."""
    from sqlfluff.cli.commands import cli

    cli(prog_name="sqlfluff")


if __name__ == "__main__":
    main()
