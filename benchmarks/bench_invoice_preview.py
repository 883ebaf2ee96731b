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

Also timed, to find the floor of this object design: a prototype that
builds the very same ``Invoice`` (checked equal to ``preview_invoice()``
for every subscription: the same ``Money``, lines, descriptions and
calculations) by straight-line code for this one scenario, with the
library's unchecked constructors and none of its generality; and the same
prototype writing empty descriptions, which shows what rendering the
strings eagerly costs. Neither is a second implementation: nothing in the
library calls them.

Run: python benchmarks/bench_invoice_preview.py [--subscriptions N]
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from bench_growth import best

from prorata import (
    BillingPolicy,
    Invoice,
    InvoiceLine,
    InvoiceLineKind,
    Money,
    Subscription,
    builtin_catalog,
    presets,
)
from prorata._money import summed, trusted_units
from prorata._pricing import as_written

if TYPE_CHECKING:
    from collections.abc import Callable

_T = TypeVar("_T")

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


def _floor(sub: Subscription, *, strings: bool = True) -> Invoice:
    """This scenario's next invoice, by straight-line code (see above)."""
    date = sub.cycle.boundary(sub.next_index)
    upcoming = sub.cycle.period(sub.next_index)
    plan, usd = sub.plan, Money.zero("USD")
    price = plan.price
    lines = [
        *sub.deferred,
        InvoiceLine._make(
            InvoiceLineKind.SUBSCRIPTION,
            f"Price for {plan.interval} of {plan.name}" if strings else "",
            price + usd,
            upcoming.start,
            upcoming.end,
            f"{as_written(price)} for {plan.interval}" if strings else "",
            plan,
            1,
            None,
            None,
            plan.taxes,
        ),
    ]
    (usage,) = sub.usage
    changes = sub.changes
    before = not changes or usage.at < changes[0].at
    held = sub.window_plan if before else changes[0].new
    start = sub.window_start if before else changes[0].at
    end = changes[0].at if changes and before else date
    terms = held.allowance("visits")
    assert terms is not None  # noqa: S101 - checked when generated
    over = usage.quantity - terms.included
    if over > 0:
        blocks = -(-over // terms.per)
        billed = trusted_units(blocks * terms.overage_price.minor_units, "USD")
        lines.append(
            InvoiceLine._make(
                InvoiceLineKind.OVERAGE,
                f"Overage on {held.name}: {usage.quantity:,} visits against "
                f"{terms.included:,} included"
                if strings
                else "",
                billed,
                start,
                end,
                f"{over:,} visits over: {blocks:,} started blocks of "
                f"{terms.per:,} x {terms.overage_price} = {billed}"
                if strings
                else "",
                held,
                1,
                None,
                None,
                held.taxes,
            )
        )
    total = summed([line.amount for line in lines], "USD")
    balance = sub.credit_balance + usd
    if total >= usd:
        applied = min(balance, total)
        due, after = total - applied, balance - applied
    else:
        applied, due, after = usd, usd, balance - total
    prepaid = sub.prepaid_balance + usd
    drawn = min(prepaid, due)
    return Invoice._make(
        date,
        date,
        tuple(lines),
        total,
        balance,
        applied,
        due - drawn,
        usd,
        after,
        usd,
        prepaid,
        drawn,
        prepaid - drawn,
        (),
    )


def _check(subs: list[Subscription], rows: list[Row]) -> None:
    """Refuse to time anything unless every figure equals the bare one."""
    for sub, row in zip(subs, rows, strict=True):
        invoice = sub.preview_invoice()
        if invoice.subtotal.amount != _bare_invoice(row):
            raise SystemExit(f"figures differ: {invoice!r} against {row}")
        if sub.bill()[1] != invoice:
            raise SystemExit(f"bill() differs from its preview: {invoice!r}")
        if _floor(sub) != invoice:
            raise SystemExit(f"the floor differs from {invoice!r}")
        if _floor(sub, strings=False).amount_due != invoice.amount_due:
            raise SystemExit(f"the floor without strings differs: {row}")


def _over(each: Callable[[_T], object], items: list[_T]) -> Callable[[], None]:
    """A round: ``each`` of the items, once."""

    def run() -> None:
        for item in items:
            each(item)

    return run


def _ways(
    subs: list[Subscription], rows: list[Row]
) -> dict[str, Callable[[], object]]:
    """Each way timed, by name: over all the subscriptions once."""
    return {
        "bare": _over(_bare_invoice, rows),
        "preview": _over(Subscription.preview_invoice, subs),
        "bill": _over(Subscription.bill, subs),
        "floor": _over(_floor, subs),
        "bare_floor": _over(partial(_floor, strings=False), subs),
    }


def main() -> None:
    """Check the figures equal, then time each way and print the ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscriptions", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    subs, rows = _subscriptions(args.subscriptions)
    _check(subs, rows)

    times = best(_ways(subs, rows), args.repeat)
    n = len(subs)
    print(f"subscriptions: {n}, best of {args.repeat} interleaved rounds")
    print(f"bare invoice:      {n / times['bare']:12,.0f} /s")
    labels = {
        "preview": "preview_invoice()",
        "bill": "bill()",
        "floor": "floor prototype",
        "bare_floor": "floor, no strings",
    }
    for name, label in labels.items():
        ratio = times["bare"] / times[name]
        print(
            f"{label:<18} {n / times[name]:12,.0f} /s: "
            f"ratio to the bare invoice: {ratio:.4f}"
        )


if __name__ == "__main__":
    main()
