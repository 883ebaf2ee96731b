"""What the modules of published platform cases share.

``tests/test_platform_cases.py`` and ``tests/test_audit_cases.py`` write
each case as the platform prints it: amounts as printed or in minor units,
the invoice an outcome raised, a subscription and its sign-up invoice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prorata import Subscription

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from prorata import (
        BillingPolicy,
        CancelOutcome,
        ChangeOutcome,
        Coupon,
        Invoice,
        InvoiceLine,
        Item,
        Plan,
        QuantityOutcome,
    )


def amounts(lines: Iterable[InvoiceLine]) -> list[str]:
    """The lines' amounts as printed."""
    return [str(line.amount) for line in lines]


def cents(lines: Iterable[InvoiceLine]) -> list[int]:
    """The lines' amounts in minor units."""
    return [line.amount.minor_units for line in lines]


def invoiced(
    outcome: ChangeOutcome | QuantityOutcome | CancelOutcome,
) -> Invoice:
    """The invoice an outcome raised (it must have raised one)."""
    assert outcome.invoice is not None
    return outcome.invoice


def started(
    plan: Plan,
    at: datetime,
    policy: BillingPolicy,
    *,
    anchor: datetime | None = None,
    items: Iterable[Item] = (),
    coupons: Iterable[Coupon] = (),
) -> tuple[Subscription, Invoice]:
    """A subscription started, and the invoice the start raised."""
    sub, first = Subscription.start(
        plan,
        at,
        policy=policy,
        anchor=anchor,
        items=items,
        coupons=coupons,
    )
    assert first is not None
    return sub, first
