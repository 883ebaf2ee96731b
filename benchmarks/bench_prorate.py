"""Throughput of prorate() against the bare limit, in one process and run.

The bare limit is the credit and charge of one change computed with plain
Decimal arithmetic and no objects: price x remaining seconds / period seconds,
quantized to cents, twice. prorate() does that plus validation, exact
fractions, the used-time line and a result object, so the ratio says what
the library's guarantees cost.

Two floors: the bare computation in a call that returns a ``Money``, and a
prototype of ``prorate`` for the seconds basis and half-up rounding per
line that makes the same checks and returns the very same ``Proration``
(checked equal, credit, charge and net, on every change) with the formula
and the measure of time inlined: the least this result object costs.
Nothing in the library calls the prototype (one formula per amount).

Run: python benchmarks/bench_prorate.py [--changes N] [--repeat R]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from prorata import (
    DEFAULT_POLICY,
    ArgumentTypeError,
    BillingPeriod,
    Money,
    OutsidePeriodError,
    Plan,
    PlanChange,
    Proration,
    prorate,
)
from prorata._money import trusted_units

if TYPE_CHECKING:
    from collections.abc import Callable

CENT = Decimal("0.01")


def _changes(count: int) -> list[tuple[Plan, Plan, datetime]]:
    rng = random.Random(2024)
    plans = [
        Plan(id=f"p{i}", price=Money(str(price), "USD"), rank=i)
        for i, price in enumerate((35, 70, 115, 225, 675))
    ]
    start = datetime(2024, 6, 1, tzinfo=UTC)
    return [
        (
            rng.choice(plans),
            rng.choice(plans),
            start + timedelta(seconds=rng.randrange(30 * 86_400)),
        )
        for _ in range(count)
    ]


def _best(
    runs: dict[str, Callable[[], object]], repeat: int
) -> dict[str, float]:
    """Best time of each run over ``repeat`` rounds, the runs interleaved.

    Each round times every run once, so a burst of load on a shared machine
    slows all of them alike instead of one side of a ratio.
    """
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            began = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - began)
    return best


def _library(
    plan_changes: list[PlanChange], period: BillingPeriod
) -> dict[str, Callable[[], None]]:
    """prorate() over the changes, reading more of each result each time."""

    def net_only() -> None:
        for change in plan_changes:
            _ = prorate(change, period).net

    def amounts() -> None:
        for change in plan_changes:
            result = prorate(change, period)
            _ = result.credit, result.charge, result.net

    def lines() -> None:
        for change in plan_changes:
            result = prorate(change, period)
            _ = result.lines, result.used, result.period_cost

    return {
        "prorate, net read": net_only,
        "prorate, credit, charge, net read": amounts,
        "prorate, every line built": lines,
    }


def _prototype(change: PlanChange, period: BillingPeriod) -> Proration:
    """``prorate(change, period)`` inlined for its default policy."""
    if not isinstance(change, PlanChange):
        raise ArgumentTypeError("change", change, "a PlanChange")
    if not isinstance(period, BillingPeriod):
        raise ArgumentTypeError("period", period, "a BillingPeriod")
    at = change.utc_at
    if not period.utc_start <= at < period.utc_end:
        raise OutsidePeriodError(
            "change moment", change.at, period.start, period.end
        )
    total, span = period.seconds, period.utc_end - at
    left = span.days * 86_400 + span.seconds
    amounts = []
    for price in (change.old.price, change.new.price):
        top, bottom = price.integer_ratio()
        cents, rest = divmod(top * left * 100, bottom * total)
        amounts.append(cents + (2 * rest >= bottom * total))
    credited, charged = amounts
    return Proration._make(
        change,
        period,
        DEFAULT_POLICY,
        trusted_units(charged - credited, "USD"),
        (credited, charged, "USD"),
        None,
    )


def _floors(
    plan_changes: list[PlanChange],
    period: BillingPeriod,
    bare_inputs: list[tuple[Decimal, Decimal, Decimal]],
) -> dict[str, Callable[[], None]]:
    """The two floors, the prototype checked equal to prorate() first."""
    for change in plan_changes:
        ours, real = _prototype(change, period), prorate(change, period)
        if ours != real or (ours.credit, ours.charge) != (
            real.credit,
            real.charge,
        ):
            raise SystemExit(f"the prototype differs on {change!r}")
    total = Decimal(period.seconds)

    def quote(old: Decimal, new: Decimal, remaining: Decimal) -> Money:
        credit = (old * remaining / total).quantize(CENT, ROUND_HALF_UP)
        charge = (new * remaining / total).quantize(CENT, ROUND_HALF_UP)
        return Money(charge - credit, "USD")

    def floor() -> None:
        for old, new, remaining in bare_inputs:
            _ = quote(old, new, remaining)

    def prototype() -> None:
        for change in plan_changes:
            result = _prototype(change, period)
            _ = result.credit, result.charge, result.net

    return {"floor": floor, "prototype": prototype}


def main() -> None:
    """Time every way over the same changes and print the ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    changes = _changes(args.changes)
    period = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
    total = Decimal(period.seconds)
    bare_inputs = [
        (
            old.price.amount,
            new.price.amount,
            Decimal((period.end - at) // timedelta(seconds=1)),
        )
        for old, new, at in changes
    ]
    plan_changes = [PlanChange(old, new, at=at) for old, new, at in changes]

    def bare() -> None:
        for old, new, remaining in bare_inputs:
            credit = (old * remaining / total).quantize(CENT, ROUND_HALF_UP)
            charge = (new * remaining / total).quantize(CENT, ROUND_HALF_UP)
            _ = charge - credit

    n = len(changes)
    library = _library(plan_changes, period)
    peer = _peer(changes, period)
    runs: dict[str, Callable[[], object]] = {
        "bare": bare,
        **_floors(plan_changes, period, bare_inputs),
        **library,
    }
    if peer is not None:
        runs["peer"] = peer
    best = _best(runs, args.repeat)
    bare_s, peer_s = best["bare"], best.get("peer")
    timed = {name: best[name] for name in library}
    print(f"changes: {n}, best of {args.repeat} interleaved rounds")
    print(f"{'bare Decimal limit':36}{n / bare_s:10,.0f} changes/s")
    print(
        f"{'bare, in a call returning a Money':36}"
        f"{n / best['floor']:10,.0f} changes/s: "
        f"{bare_s / best['floor']:.3f} of the bare limit"
    )
    print(
        f"{'prototype, credit, charge, net read':36}"
        f"{n / best['prototype']:10,.0f} changes/s: "
        f"{bare_s / best['prototype']:.3f} of the bare limit"
    )
    if peer_s is not None:
        print(
            f"{'larzsubscription (net only)':36}{n / peer_s:10,.0f} changes/s"
        )
    for name, seconds in timed.items():
        against_peer = (
            "" if peer_s is None else f", {peer_s / seconds:.2f}x peer"
        )
        print(
            f"{name:36}{n / seconds:10,.0f} changes/s: "
            f"{bare_s / seconds:.3f} of the bare limit{against_peer}"
        )
    if peer_s is None:
        print("larzsubscription: not installed (pip install -e '.[bench]')")


def _peer(
    changes: list[tuple[Plan, Plan, datetime]], period: BillingPeriod
) -> Callable[[], None] | None:
    """The same changes through larzsubscription's change_plan, if present.

    It keeps naive datetimes, mutates its subscription and returns only a
    net rounded once; one subscription is reused, its plan reset before
    each change, so its construction is not counted against it.
    """
    try:
        import larzsubscription  # type: ignore[import-untyped,import-not-found,unused-ignore]  # noqa: PLC0415
    except ImportError:
        return None
    peers = {
        plan.id: larzsubscription.Plan(plan.id, str(plan.price.amount))
        for old, new, _ in changes
        for plan in (old, new)
    }
    start = period.start.replace(tzinfo=None)
    sub = larzsubscription.Subscription(next(iter(peers.values())), start)
    work = [
        (peers[old.id], peers[new.id], at.replace(tzinfo=None))
        for old, new, at in changes
    ]

    def run() -> None:
        for old, new, at in work:
            sub.plan = old
            sub.invoices.clear()
            sub.change_plan(new, now=at)

    return run


if __name__ == "__main__":
    main()
