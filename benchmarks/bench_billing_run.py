"""A month-end billing run over N synthetic subscriptions, streamed.

Subscriptions are generated lazily (a mix of plans, plan changes, usage and
credit balances) and billed through ``prorata.bill_all``; nothing is kept
but running totals, so memory should not grow with N. Each size runs in a
process of its own, so its peak memory is its own (no earlier size's
garbage or interpreter high-water mark): peak resident memory by default,
traced Python memory with ``--traced`` (a second, traced pass; tracing
slows it). Generating the subscriptions is timed on its own pass and taken
out of the billing throughput. Also reported: the ratio to the bare
proration limit measured in the same process, and how billing time grows
from one N to the next.

Run: python benchmarks/bench_billing_run.py [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from prorata import (
    BillingPolicy,
    Money,
    Subscription,
    bill_all,
    builtin_catalog,
    presets,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

START = datetime(2024, 6, 1, tzinfo=UTC)
POLICY = BillingPolicy(
    proration=presets.HOSTING_PAGE, charge_now_above=Money("100", "USD")
)
MONTHLY = ("starter", "pro", "business-1", "business-2")


def subscriptions(count: int, seed: int = 7) -> Iterator[Subscription]:
    """Yield ``count`` subscriptions with changes and usage, one at a time."""
    rng = random.Random(seed)
    catalog = builtin_catalog()
    for _ in range(count):
        sub, _ = Subscription.start(
            catalog[rng.choice(MONTHLY)], START, policy=POLICY
        )
        if rng.random() < 0.5:
            sub = sub.record_usage(
                "visits",
                rng.randrange(300_000),
                START + timedelta(days=rng.randrange(29)),
            )
        if rng.random() < 0.3:
            sub, _ = sub.change_plan(
                catalog[rng.choice(MONTHLY)],
                START + timedelta(days=rng.randrange(1, 30)),
            )
        yield sub


def bare_limit(count: int) -> float:
    """Seconds for ``count`` bare Decimal credit-and-charge computations."""
    cent = Decimal("0.01")
    total = Decimal(30 * 86_400)
    rng = random.Random(1)
    work = [
        (
            Decimal(rng.choice((35, 70, 115, 225))),
            Decimal(rng.randrange(86_400 * 30)),
        )
        for _ in range(count)
    ]
    began = time.perf_counter()
    for price, remaining in work:
        credit = (price * remaining / total).quantize(cent, ROUND_HALF_UP)
        charge = (price * remaining / total).quantize(cent, ROUND_HALF_UP)
        _ = charge - credit
    return time.perf_counter() - began


def billed(count: int) -> Money:
    """Bill ``count`` subscriptions, keeping only the total due."""
    due = Money.zero("USD")
    for _, invoice in bill_all(subscriptions(count)):
        due += invoice.amount_due
    return due


def generated(count: int) -> None:
    """Generate ``count`` subscriptions and drop them: the generation alone."""
    for _ in subscriptions(count):
        pass


def measure(count: int, *, traced: bool) -> dict[str, float | str]:
    """One size, in this process: generation, the run, peak memory, due."""
    began = time.perf_counter()
    generated(count)
    generation = time.perf_counter() - began
    began = time.perf_counter()
    due = billed(count)
    seconds = time.perf_counter() - began
    if traced:
        tracemalloc.start()
        billed(count)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {
        "generation": generation,
        "seconds": seconds,
        "billing": max(seconds - generation, 1e-9),
        "peak": peak,
        "due": str(due),
        "bare": bare_limit(count),
    }


def in_own_process(count: int, *, traced: bool) -> dict[str, float | str]:
    """:func:`measure` one size in a fresh interpreter."""
    command = [sys.executable, __file__, "--one", str(count)]
    if traced:
        command.append("--traced")
    done = subprocess.run(  # noqa: S603 - this script, by its own path
        command, capture_output=True, text=True, check=True
    )
    result: dict[str, float | str] = json.loads(done.stdout)
    return result


def main() -> None:
    """Run each size in its own process; print throughput, memory, growth."""
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1_000, 10_000]
    )
    parser.add_argument(
        "--traced",
        action="store_true",
        help="report traced Python memory, not peak resident memory",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, traced=args.traced)))
        return
    previous: tuple[int, float] | None = None
    for count in args.sizes:
        result = in_own_process(count, traced=args.traced)
        billing = float(result["billing"])
        line = (
            f"N={count:>9,}: {count / billing:9,.0f} subscriptions/s billed "
            f"(generation {float(result['generation']):.2f} s apart), peak "
            f"{'traced' if args.traced else 'RSS'} "
            f"{float(result['peak']) / 1e6:6.1f} MB, due {result['due']}, "
            f"ratio to the bare limit "
            f"{float(result['bare']) / float(result['seconds']):.4f}"
        )
        if previous is not None:
            growth = billing / previous[1]
            line += f", time x{growth:.1f} for N x{count / previous[0]:.0f}"
        print(line)
        previous = (count, billing)


if __name__ == "__main__":
    main()
