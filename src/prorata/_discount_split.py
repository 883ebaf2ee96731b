"""A fixed coupon's share of each line, split across products.

The coupon's amount is split across the products it covers that a line is
billed with (the plan and the add-on items in force for it), by what each
costs for the period: in proportion, in whole minor units by largest
remainders (``DiscountSplit.PROPORTIONAL``, Polar's ``DiscountFixed.
allocate_discount_amounts``), or filling them in order
(``DiscountSplit.IN_ORDER``, Recurly's). A line of some of an add-on's
units takes the difference they make to the add-on's share, as Polar
prorates a seat change.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from prorata._add_on import AddOn
from prorata._discount import DiscountSplit
from prorata._exact import allocate_units
from prorata._rounding import SCALES

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from prorata._add_on import Item
    from prorata._discount import Coupon
    from prorata._invoice_lines import InvoiceLine
    from prorata._period import BillingCycle
    from prorata._plan import Plan

__all__ = ["covered_cost", "full_cost", "split_share"]


def full_cost(
    line: InvoiceLine, quantity: int, cycle: BillingCycle
) -> Fraction:
    """What ``quantity`` of the line's product costs for its whole period.

    A plan's price, or an add-on's for the period of the line's start on
    ``cycle``.
    """
    product = line.product
    assert product is not None  # noqa: S101 - the caller checked
    if not isinstance(product, AddOn):
        return product.price.exact * quantity
    return _add_on_full(product, quantity, line.start, cycle)


def covered_cost(
    coupon: Coupon,
    held: tuple[Plan, Sequence[Item]],
    at: datetime,
    cycle: BillingCycle,
) -> Fraction:
    """What the products ``coupon`` covers in ``held`` cost for a period.

    The plan's price and each add-on item's for the period of ``at`` on
    ``cycle``: the subscription's charges a fixed amount reaches first.
    """
    plan, items = held
    cost = plan.price.exact if coupon.covers(plan.id) else Fraction(0)
    for item in items:
        if coupon.covers(item.add_on.id):
            cost += _add_on_full(item.add_on, item.quantity, at, cycle)
    return cost


def _add_on_full(
    add_on: AddOn, quantity: int, at: datetime, cycle: BillingCycle
) -> Fraction:
    """What ``quantity`` of ``add_on`` costs for the period of ``at``."""
    period = cycle.period(cycle.index_of(at))
    price, factor = add_on.period_price(cycle.interval, period)
    return price.exact * (1 if factor is None else factor) * quantity


def split_share(
    line: InvoiceLine,
    coupon: Coupon,
    cycle: BillingCycle,
    held: tuple[Plan, Sequence[Item]],
    rule: DiscountSplit = DiscountSplit.PROPORTIONAL,
    *,
    taken: Fraction = Fraction(0),
) -> Fraction:
    """The line's share of a fixed coupon, per period.

    The coupon's amount (less what setup fees ``taken`` of it on this
    invoice) split by ``rule`` across the products it covers in
    ``held`` (the plan and the add-on items the line is billed with), by
    what each costs for the period on ``cycle``: in proportion, whole minor
    units by largest remainders (``allocate_units``), or in order, each
    taking what it costs as far as the amount goes; each product's whole
    cost when the amount covers them all. A plan's line is weighed as the
    plan it bills. An add-on's line is the difference its units make to
    the add-on's share: at the quantity in force, less at that quantity
    without the line's units (Polar's share difference for a seat change);
    a line of every unit in force takes the add-on's whole share.
    """
    product = line.product
    assert product is not None  # noqa: S101 - the caller checked
    off = coupon.discount.amount
    assert off is not None  # noqa: S101 - the caller checked
    budget = max(off.exact - taken, Fraction(0))

    def share(cost: Fraction) -> Fraction:
        weights, mine = _weights(line, coupon, cycle, held, cost)
        total = sum(weights, Fraction(0))
        if not cost or budget >= total:
            return cost
        if rule is DiscountSplit.IN_ORDER:
            before = sum(weights[:mine], Fraction(0))
            return min(cost, max(budget - before, Fraction(0)))
        scale = SCALES[off.currency]
        whole = budget * scale
        if whole.denominator != 1:  # finer than a minor unit: split exactly
            return budget * cost / total
        return Fraction(allocate_units(whole.numerator, weights)[mine], scale)

    if not isinstance(product, AddOn):
        return share(full_cost(line, line.quantity, cycle))
    count = next(
        (item.quantity for item in held[1] if item.add_on.id == product.id),
        0,
    )
    total = max(count, line.quantity)
    whole = share(full_cost(line, total, cycle))
    if total == line.quantity:
        return whole
    rest = full_cost(line, total - line.quantity, cycle)
    return max(whole - share(rest), Fraction(0))


def _weights(
    line: InvoiceLine,
    coupon: Coupon,
    cycle: BillingCycle,
    held: tuple[Plan, Sequence[Item]],
    cost: Fraction,
) -> tuple[list[Fraction], int]:
    """What each product the coupon covers in ``held`` costs; the line's.

    In their order, the plan first; the line's own product in its place,
    costing ``cost``, or last when it is an add-on not yet in force.
    """
    plan, items = held
    product = line.product
    slot = product.id if isinstance(product, AddOn) else None
    weights: list[Fraction] = []
    mine: int | None = None
    if slot is None:
        mine = 0
        weights.append(cost)
    elif coupon.covers(plan.id):
        weights.append(plan.price.exact)
    for item in items:
        if item.add_on.id == slot:
            mine = len(weights)
            weights.append(cost)
        elif coupon.covers(item.add_on.id):
            weights.append(
                _add_on_full(item.add_on, item.quantity, line.start, cycle)
            )
    if mine is None:  # an add-on not in force: the change adds it
        mine = len(weights)
        weights.append(cost)
    return weights, mine
