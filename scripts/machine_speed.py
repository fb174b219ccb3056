#!/usr/bin/env python3
"""How fast this machine runs one fixed piece of single-threaded Python right now.

Benchmarks on a shared VM are only comparable when the VM ran at the same speed: on 2026-12-07 the
same 10-million-step loop took 0.39 s at one moment and 6.32 s twenty minutes earlier. Timing it
beside a benchmark (before and after) says which figures may be compared.

    python scripts/machine_speed.py            # {"seconds": 0.41, "steps": 10000000, "rounds": 3}
"""

from __future__ import annotations

import argparse
import json
import sys
import time

STEPS = 10_000_000


def one_round(steps: int = STEPS) -> float:
    """Seconds for `steps` additions in a plain Python loop (one core, no I/O, no allocation growth)."""
    started = time.perf_counter()
    total = 0
    for step in range(steps):
        total += step
    elapsed = time.perf_counter() - started
    if total != steps * (steps - 1) // 2:  # the loop ran whole (a cut-short reading would look fast)
        raise RuntimeError("the reference loop summed wrongly")
    return elapsed


def reference_seconds(rounds: int = 3, steps: int = STEPS) -> float:
    """The fastest of `rounds` rounds: the machine's speed, not a momentary hiccup within one reading."""
    if rounds < 1:
        raise ValueError("rounds must be at least 1")
    return min(one_round(steps) for _ in range(rounds))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--label", default="", help="printed with the reading (e.g. start, end)")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.steps < 1:
        parser.error("--rounds and --steps must be at least 1")
    reading = {"seconds": round(reference_seconds(args.rounds, args.steps), 3), "steps": args.steps,
               "rounds": args.rounds}
    if args.label:
        reading = {"label": args.label, **reading}
    print(json.dumps(reading))
    return 0


if __name__ == "__main__":
    sys.exit(main())
