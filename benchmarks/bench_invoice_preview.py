"""Next-invoice previews per second, against the bare limit in one run.

Each subscription has a plan change and usage in the current period, so a
preview prices the deferred proration lines, the renewal and the overage.
The baseline is the bare credit-and-charge Decimal computation of
bench_prorate.py, measured in the same process.

Run: python benchmarks/bench_invoice_preview.py [--subscriptions N]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from prorata import (
    BillingPolicy,
    Money,
    Subscription,
    builtin_catalog,
    presets,
)

START = datetime(2024, 6, 1, tzinfo=UTC)
PLANS = ("starter", "pro", "business-1", "business-2")


def main() -> None:
    """Preview every subscription's next invoice; print the rate and ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscriptions", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(3)
    catalog = builtin_catalog()
    policy = BillingPolicy(
        proration=presets.STRIPE_CLASSIC, charge_now_above=Money("100", "USD")
    )
    subs = []
    for _ in range(args.subscriptions):
        sub, _ = Subscription.start(
            catalog[rng.choice(PLANS)], START, policy=policy
        )
        sub = sub.record_usage(
            "visits", rng.randrange(200_000), START + timedelta(days=2)
        )
        sub, _ = sub.change_plan(
            catalog[rng.choice(PLANS)],
            START + timedelta(seconds=rng.randrange(1, 30 * 86_400)),
        )
        subs.append(sub)
    cent, total = Decimal("0.01"), Decimal(30 * 86_400)
    bare_work = [
        (
            Decimal(rng.choice((35, 70, 115, 225))),
            Decimal(rng.randrange(2_592_000)),
        )
        for _ in subs
    ]
    best_bare = best_preview = float("inf")
    for _ in range(args.repeat):
        began = time.perf_counter()
        for price, remaining in bare_work:
            credit = (price * remaining / total).quantize(cent, ROUND_HALF_UP)
            charge = (price * remaining / total).quantize(cent, ROUND_HALF_UP)
            _ = charge - credit
        best_bare = min(best_bare, time.perf_counter() - began)
        began = time.perf_counter()
        for sub in subs:
            sub.preview_invoice()
        best_preview = min(best_preview, time.perf_counter() - began)
    n = len(subs)
    print(f"subscriptions: {n}, best of {args.repeat}")
    print(f"bare Decimal limit:  {n / best_bare:12,.0f} /s")
    print(f"preview_invoice():   {n / best_preview:12,.0f} /s")
    print(f"ratio to the bare limit: {best_bare / best_preview:.4f}")


if __name__ == "__main__":
    main()
