"""How the cost of one operation grows with the history already recorded.

Three ratios, each of two timings taken in the same process in interleaved
rounds (best of the rounds), so the machine's speed cancels out:

- ``change_plan``: the cost of the 200th change of a period over that of
  the 20th (the target is at most 2x);
- ``bill()``: a period with 200 changes and 200 usage records, over the
  sum of one with the 200 changes alone and one with the 200 records alone
  (at most 2x: the two must not multiply);
- ``prorate_timeline``: the cost per change with 1,000 changes over that
  with 100 (at most 1.5x).

Run: python benchmarks/bench_growth.py [--scale 1.0] [--rounds 5]
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from prorata import (
    BillingPeriod,
    Plan,
    PlanChange,
    Subscription,
    builtin_catalog,
    prorate_timeline,
)

if TYPE_CHECKING:
    from collections.abc import Callable

START = datetime(2024, 6, 1, tzinfo=UTC)
CATALOG = builtin_catalog()
PRO, BUSINESS = CATALOG["pro"], CATALOG["business-1"]
JUNE = BillingPeriod.of_days(START, 30)


def moment(index: int, count: int) -> datetime:
    """The ``index``-th of ``count`` moments spread over the first period."""
    return START + timedelta(seconds=(index + 1) * (29 * 86_400) // count)


def with_changes(count: int, *, spread: int) -> Subscription:
    """A subscription with ``count`` changes, alternating two plans."""
    sub, _ = Subscription.start(PRO, START)
    for index in range(count):
        new = BUSINESS if index % 2 == 0 else PRO
        sub, _ = sub.change_plan(new, moment(index, spread))
    return sub


def with_usage(sub: Subscription, count: int) -> Subscription:
    """``sub`` with ``count`` usage records spread over the period."""
    for index in range(count):
        sub = sub.record_usage("visits", 1_000, moment(index, count))
    return sub


def best(
    calls: dict[str, Callable[[], object]], rounds: int
) -> dict[str, float]:
    """Best time of each call over interleaved rounds."""
    times = dict.fromkeys(calls, float("inf"))
    for _ in range(rounds):
        for name, call in calls.items():
            began = time.perf_counter()
            call()
            times[name] = min(times[name], time.perf_counter() - began)
    return times


def repeat(call: Callable[[], object], times: int) -> Callable[[], object]:
    """``call`` made ``times`` times in a row."""

    def run() -> None:
        for _ in range(times):
            call()

    return run


def main() -> None:
    """Print the three growth ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    few, many = max(2, int(20 * args.scale)), max(4, int(200 * args.scale))
    spread = many + 1
    early = with_changes(few - 1, spread=spread)
    late = with_changes(many - 1, spread=spread)
    nth = BUSINESS if (few - 1) % 2 == 0 else PRO
    mth = BUSINESS if (many - 1) % 2 == 0 else PRO
    times = best(
        {
            "early": repeat(
                lambda: early.change_plan(nth, moment(many, spread)), 20
            ),
            "late": repeat(
                lambda: late.change_plan(mth, moment(many, spread)), 20
            ),
        },
        args.rounds,
    )
    print(
        f"change_plan, change {many} / change {few}: "
        f"{times['late'] / times['early']:.2f}x"
    )

    changes = with_changes(many, spread=spread)
    usage = with_usage(Subscription.start(PRO, START)[0], many)
    both = with_usage(changes, many)
    times = best(
        {
            "changes": changes.bill,
            "usage": usage.bill,
            "both": both.bill,
        },
        args.rounds,
    )
    apart = times["changes"] + times["usage"]
    print(
        f"bill(), {many} changes and {many} records / the two apart: "
        f"{times['both'] / apart:.2f}x"
    )

    def chain(count: int) -> list[PlanChange]:
        plans: list[Plan] = [PRO, BUSINESS]
        return [
            PlanChange(plans[i % 2], plans[(i + 1) % 2], at=moment(i, count))
            for i in range(count)
        ]

    short, long = (
        chain(max(2, int(100 * args.scale))),
        chain(max(4, int(1_000 * args.scale))),
    )
    times = best(
        {
            "short": lambda: prorate_timeline(PRO, short, JUNE),
            "long": lambda: prorate_timeline(PRO, long, JUNE),
        },
        args.rounds,
    )
    per_short, per_long = (
        times["short"] / len(short),
        times["long"] / len(long),
    )
    print(
        f"prorate_timeline per change, {len(long)} / {len(short)}: "
        f"{per_long / per_short:.2f}x"
    )


if __name__ == "__main__":
    main()
