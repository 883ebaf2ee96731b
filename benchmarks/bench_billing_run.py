"""A month-end billing run over N synthetic subscriptions, streamed.

Subscriptions are generated lazily (a mix of plans, plan changes, usage and
credit balances) and billed through ``prorata.bill_all``; nothing is kept
but running totals, so memory should not grow with N. Each size runs in a
process of its own, so its peak memory is its own (no earlier size's
garbage or interpreter high-water mark): peak resident memory by default,
traced Python memory with ``--traced`` (a second, traced pass; tracing
slows it). Generating the subscriptions is timed in the same pass, around
each one the generator yields, and taken out of the billing throughput.
Also reported: the billing time of the run's second half over its first
(a cost per subscription that grew with the subscriptions already billed
would show here, within one process, whatever the machine does between
two runs), the ratio to the bare proration limit measured in
the same process, and how billing time grows from one N to the next.

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
from typing import TYPE_CHECKING, Any

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


def timed(
    source: Iterator[Subscription], spent: list[float]
) -> Iterator[Subscription]:
    """Yield ``source``'s subscriptions, adding the time each took to make
    to ``spent[0]``: the generation, timed in the same pass as the run."""
    clock = time.perf_counter
    while True:
        began = clock()
        try:
            sub = next(source)
        except StopIteration:
            return
        spent[0] += clock() - began
        yield sub


def billed(count: int, tenths: list[float]) -> tuple[Money, float]:
    """Bill ``count`` subscriptions, keeping only the total due.

    Returns the total and the seconds spent generating; ``tenths`` gets the
    billing seconds of each tenth of the run, in order.
    """
    due = Money.zero("USD")
    spent = [0.0]
    step = max(count // 10, 1)
    mark, generated = time.perf_counter(), 0.0
    run = bill_all(timed(subscriptions(count), spent))
    for done, (_, invoice) in enumerate(run, 1):
        due += invoice.amount_due
        if done % step == 0:
            now = time.perf_counter()
            tenths.append(now - mark - (spent[0] - generated))
            mark, generated = now, spent[0]
    return due, spent[0]


def measure(count: int, *, traced: bool) -> dict[str, object]:
    """One size, in this process: generation, the run, peak memory, due."""
    tenths: list[float] = []
    began = time.perf_counter()
    due, generation = billed(count, tenths)
    seconds = time.perf_counter() - began
    if traced:
        tracemalloc.start()
        billed(count, [])
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {
        "generation": generation,
        "seconds": seconds,
        "billing": max(seconds - generation, 1e-9),
        "tenths": tenths,
        "peak": peak,
        "due": str(due),
        "bare": bare_limit(count),
    }


def in_own_process(count: int, *, traced: bool) -> dict[str, Any]:
    """:func:`measure` one size in a fresh interpreter."""
    command = [sys.executable, __file__, "--one", str(count)]
    if traced:
        command.append("--traced")
    done = subprocess.run(  # noqa: S603 - this script, by its own path
        command, capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout)
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
        tenths = [float(t) for t in result["tenths"]]
        half = len(tenths) // 2
        drift = sum(tenths[half:]) / sum(tenths[:half]) if half else 1.0
        line = (
            f"N={count:>9,}: {count / billing:9,.0f} subscriptions/s billed "
            f"(generation {float(result['generation']):.2f} s apart; "
            f"second half / first {drift:.2f}), peak "
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
