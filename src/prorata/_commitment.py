"""Minimum commitments: what a period's charges fall short of a minimum.

A plan's ``minimum`` is prorated for the time it was in force in the
period, through the one formula (``_pricing.price_time``, the minimum as
the price), and summed over the plans in force; what the period's charges
fall short of it is billed as one true-up line at the period's end (Lago's
minimum commitment: the commitment prorated by the days covered, less the
fees of the period, never below zero).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prorata._invoice_lines import InvoiceLine, InvoiceLineKind
from prorata._money import Money
from prorata._pricing import LineKind, price_time

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from prorata._period import BillingPeriod
    from prorata._plan import Plan
    from prorata._policy import ProrationPolicy

__all__ = ["true_up"]


def true_up(
    held: Sequence[tuple[Plan, datetime, datetime]],
    spent: Money,
    *,
    period: BillingPeriod,
    policy: ProrationPolicy,
) -> InvoiceLine | None:
    """The true-up line of ``held``'s minimums against ``spent``, if any.

    ``held`` are the plans in force over the period's billed time, each
    with its stretch; ``spent`` what the period's charges came to.
    """
    committed = [
        (plan, start, end) for plan, start, end in held if plan.minimum
    ]
    if not committed:
        return None
    due = Money.zero(spent.currency)
    parts = []
    for plan, start, end in committed:
        assert plan.minimum is not None  # noqa: S101 - filtered above
        line = price_time(
            LineKind.USED_TIME,
            plan,
            start,
            end,
            period=period,
            policy=policy,
            price=plan.minimum,
        )
        due += line.amount
        parts.append(f"{plan.name}: {line.calculation}")
    short = due - spent
    if short <= Money.zero(spent.currency):
        return None
    plan = committed[-1][0]
    return InvoiceLine(
        kind=InvoiceLineKind.COMMITMENT,
        description=f"Minimum commitment true-up of {plan.name}",
        amount=short,
        start=committed[0][1],
        end=committed[-1][2],
        calculation=(
            f"{due} committed for the period ({'; '.join(parts)}) less the "
            f"{spent} billed = {short}"
        ),
        product=plan,
        taxes=plan.taxes,
    )
