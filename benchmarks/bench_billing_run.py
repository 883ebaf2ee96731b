"""A month-end billing run over N synthetic subscriptions, streamed.

Subscriptions are generated lazily (a mix of plans, plan changes, usage and
credit balances) and billed through ``prorata.bill_all``; nothing is kept
but running totals, so memory should not grow with N. Reports throughput,
peak traced memory, the ratio to the bare proration limit measured in the
same run, and how time grows from one N to the next.

Run: python benchmarks/bench_billing_run.py [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import random
import resource
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


def run(count: int, *, rss: bool) -> tuple[float, int, Money]:
    """Time a run, then trace another's memory (tracing slows it down).

    With ``rss``, report the process's peak resident memory instead: no
    second run, no tracing overhead, so 10^6 subscriptions fit in minutes.
    """
    began = time.perf_counter()
    due = billed(count)
    seconds = time.perf_counter() - began
    if rss:
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return seconds, peak_kib * 1024, due
    tracemalloc.start()
    billed(count)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak, due


def main() -> None:
    """Run each size and print throughput, memory and growth."""
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1_000, 10_000]
    )
    parser.add_argument(
        "--rss",
        action="store_true",
        help="report peak resident memory of the process, not traced memory",
    )
    args = parser.parse_args()
    previous: tuple[int, float] | None = None
    for count in args.sizes:
        seconds, peak, due = run(count, rss=args.rss)
        bare = bare_limit(count)
        line = (
            f"N={count:>9,}: {count / seconds:9,.0f} subscriptions/s, "
            f"peak {'RSS ' if args.rss else ''}{peak / 1e6:6.1f} MB, "
            f"due {due}, "
            f"ratio to the bare limit {bare / seconds:.4f}"
        )
        if previous is not None:
            growth = seconds / previous[1]
            line += f", time x{growth:.1f} for N x{count / previous[0]:.0f}"
        print(line)
        previous = (count, seconds)


if __name__ == "__main__":
    main()
