"""A fixed coupon's share of each line, split across products.

The coupon's amount is split across the products it covers that a line is
billed with (the plan and the add-on items in force for it), by what each
costs for the period: in proportion, in whole minor units by largest
remainders (``DiscountSplit.PROPORTIONAL``, Polar's ``DiscountFixed.
allocate_discount_amounts``), or filling them in order
(``DiscountSplit.IN_ORDER``, Recurly's). A line of some of an add-on's
units takes the difference they make to the add-on's share, as Polar
prorates a seat change. A percentage coupon rounded once on the lines
billed together is split back across them the same way
(``PercentRounding.PER_INVOICE``, :func:`round_once`).
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import TYPE_CHECKING

from prorata._add_on import AddOn
from prorata._discount import DiscountSplit
from prorata._exact import allocate_units
from prorata._money import trusted_units
from prorata._rounding import SCALES, RoundingMode, amount

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from prorata._add_on import Item
    from prorata._coupon_windows import CouponWindow
    from prorata._discount import Coupon
    from prorata._invoice_lines import InvoiceLine
    from prorata._period import BillingCycle
    from prorata._plan import Plan

__all__ = ["covered_cost", "full_cost", "round_once", "split_share"]


def _rounded_once(
    lines: Sequence[InvoiceLine], mode: RoundingMode
) -> list[InvoiceLine]:
    """One coupon's percentage ``lines``, rounded once on their sum.

    The sum of their exact amounts is rounded by ``mode``; each line takes
    its exact amount's whole minor units, and the units left of the sum go
    one each to the largest remainders (the earlier line on a tie), so no
    line is a unit or more off its exact amount.
    """
    total = sum((line.precise for line in lines), Fraction(0))
    currency = lines[0].amount.currency
    rounded = amount(total.numerator, total.denominator, 1, 1, currency, mode)
    whole = trusted_units(rounded[2], currency)
    sign = -1 if total < 0 else 1
    exact = [abs(line.precise) * SCALES[currency] for line in lines]
    parts = [int(part) for part in exact]  # floor: parts are >= 0
    order = sorted(range(len(exact)), key=lambda i: (parts[i] - exact[i], i))
    for index in order[: abs(rounded[2]) - sum(parts)]:
        parts[index] += 1
    parts = [sign * part for part in parts]
    out = []
    for line, units in zip(lines, parts, strict=True):
        money = trusted_units(units, currency)
        out.append(
            replace(
                line,
                amount=money,
                exact=None if money.exact == line.precise else line.precise,
                calculation=f"{line.calculation}; its share of {whole}, the "
                "coupon's sum on the invoice rounded once",
            )
        )
    return out


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


def round_once(
    found: dict[int, list[InvoiceLine]],
    owners: dict[int, list[int]],
    windows: Sequence[CouponWindow],
    mode: RoundingMode,
) -> None:
    """Round each percentage coupon's lines in ``found`` once, in place.

    ``owners`` gives the window of each line; a credit's reversals are
    rounded apart from the charges' discounts.
    """
    groups: dict[tuple[int, bool], list[tuple[int, int]]] = {}
    for index, numbers in owners.items():
        for at, number in enumerate(numbers):
            if windows[number].coupon.discount.percent is not None:
                back = found[index][at].precise > 0  # a credit's reversal
                groups.setdefault((number, back), []).append((index, at))
    for members in groups.values():
        lines = [found[index][at] for index, at in members]
        for (index, at), line in zip(
            members, _rounded_once(lines, mode), strict=True
        ):
            found[index][at] = line
    for index, lines in found.items():  # a share rounded to nothing
        found[index] = [line for line in lines if line.amount.minor_units]
