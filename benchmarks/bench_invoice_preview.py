"""Next invoices per second, against a bare-Decimal invoice in one run.

Each subscription starts on 1 June on one of four plans of the built-in
catalog, records visits on 3 June and changes plan at a random second of
June (Stripe's seconds basis; a net over $100 is invoiced at once, a
smaller one waits for the next invoice). The next invoice, on 1 July,
bills the deferred credit and charge, July's renewal and June's overage
(visits beyond the allowance of the plan in force on 3 June, per started
block of 1,000).

The baseline ("bare invoice") computes the same invoice with plain
``Decimal`` arithmetic and no objects: the credit and the charge quantized
to cents, the threshold, the renewal, the plan in force at the usage and
its overage. Its totals are checked equal to the library's, subscription
by subscription, before anything is timed. Then, interleaved in rounds
(the best of each kept): the bare invoice, ``preview_invoice()`` and
``bill()`` (the real step: the invoice and the next state).

Run: python benchmarks/bench_invoice_preview.py [--subscriptions N]
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from bench_growth import best

from prorata import (
    BillingPolicy,
    Money,
    Subscription,
    builtin_catalog,
    presets,
)

START = datetime(2024, 6, 1, tzinfo=UTC)
USAGE_AT = 2 * 86_400  # seconds into June
JUNE = 30 * 86_400
PLANS = ("starter", "pro", "business-1", "business-2")
CENT = Decimal("0.01")
THRESHOLD = Decimal(100)

# One bare row: old price, new price, seconds of the change, visits, and
# each plan's (included, overage price, block) for the usage's plan.
Row = tuple[
    Decimal,
    Decimal,
    int,
    int,
    tuple[int, Decimal, int],
    tuple[int, Decimal, int],
]


def _subscriptions(count: int) -> tuple[list[Subscription], list[Row]]:
    """The subscriptions, and the same inputs as plain values."""
    rng = random.Random(3)
    catalog = builtin_catalog()
    policy = BillingPolicy(
        proration=presets.STRIPE_CLASSIC, charge_now_above=Money("100", "USD")
    )
    subs, rows = [], []
    for _ in range(count):
        old, new = catalog[rng.choice(PLANS)], catalog[rng.choice(PLANS)]
        visits = rng.randrange(200_000)
        second = rng.randrange(1, JUNE)
        sub, _ = Subscription.start(old, START, policy=policy)
        sub = sub.record_usage(
            "visits", visits, START + timedelta(seconds=USAGE_AT)
        )
        sub, _ = sub.change_plan(new, START + timedelta(seconds=second))
        subs.append(sub)
        terms = []
        for plan in (old, new):
            allowance = plan.allowance("visits")
            if allowance is None:
                raise SystemExit(f"{plan.id} has no visits allowance")
            terms.append(
                (
                    allowance.included,
                    allowance.overage_price.amount,
                    allowance.per,
                )
            )
        rows.append(
            (
                old.price.amount,
                new.price.amount,
                second,
                visits,
                terms[0],
                terms[1],
            )
        )
    return subs, rows


def _bare_invoice(row: Row) -> Decimal:
    """The next invoice's subtotal, in plain Decimal arithmetic."""
    old, new, second, visits, old_terms, new_terms = row
    left = Decimal(JUNE - second)
    credit = (old * left / JUNE).quantize(CENT, ROUND_HALF_UP)
    charge = (new * left / JUNE).quantize(CENT, ROUND_HALF_UP)
    net = charge - credit
    deferred = net if net <= THRESHOLD else Decimal(0)
    included, price, per = new_terms if second <= USAGE_AT else old_terms
    over = visits - included
    overage = -(-over // per) * price if over > 0 else Decimal(0)
    return deferred + new + overage


def _check(subs: list[Subscription], rows: list[Row]) -> None:
    """Refuse to time anything unless every figure equals the bare one."""
    for sub, row in zip(subs, rows, strict=True):
        invoice = sub.preview_invoice()
        if invoice.subtotal.amount != _bare_invoice(row):
            raise SystemExit(f"figures differ: {invoice!r} against {row}")
        if sub.bill()[1] != invoice:
            raise SystemExit(f"bill() differs from its preview: {invoice!r}")


def main() -> None:
    """Check the figures equal, then time each way and print the ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscriptions", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    subs, rows = _subscriptions(args.subscriptions)
    _check(subs, rows)

    def bare() -> None:
        for row in rows:
            _bare_invoice(row)

    def preview() -> None:
        for sub in subs:
            sub.preview_invoice()

    def bill() -> None:
        for sub in subs:
            sub.bill()

    times = best({"bare": bare, "preview": preview, "bill": bill}, args.repeat)
    n = len(subs)
    print(f"subscriptions: {n}, best of {args.repeat} interleaved rounds")
    print(f"bare invoice:      {n / times['bare']:12,.0f} /s")
    for name in ("preview", "bill"):
        ratio = times["bare"] / times[name]
        label = f"{name}_invoice()" if name == "preview" else "bill()"
        print(
            f"{label:<18} {n / times[name]:12,.0f} /s: "
            f"ratio to the bare invoice: {ratio:.4f}"
        )


if __name__ == "__main__":
    main()
