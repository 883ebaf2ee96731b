"""Charges: the lines a subscription bills for its plan and add-ons.

A whole period billed in advance, the remaining time of a sign-up inside a
period, the time each plan and add-on was in force (billed in arrears), and
a change of an add-on's quantity: each priced through the one formula of
``_pricing``, an add-on at its price for the plan's interval.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prorata._add_on import Charge, Item, QuantityMode
from prorata._invoice_lines import (
    InvoiceLine,
    InvoiceLineKind,
    bill_lines,
    exact_or_none,
)
from prorata._money import Money, trusted_units
from prorata._plan import Plan
from prorata._policy import Treatment
from prorata._pricing import LineKind, ProrationLine, as_written
from prorata._pricing import price_time as _price_time
from prorata._rounding import amount
from prorata.errors import ArgumentTypeError, CurrencyMismatchError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime
    from fractions import Fraction

    from prorata._add_on import AddOn
    from prorata._period import BillingPeriod, Interval
    from prorata._policy import ProrationPolicy

__all__ = [
    "check_charge",
    "check_item",
    "one_time_lines",
    "price_all",
    "quantity_lines",
    "signup_lines",
    "used_time_lines",
]


def whole_periods(
    plan: Plan,
    items: Iterable[Item],
    period: BillingPeriod,
    policy: ProrationPolicy,
) -> list[InvoiceLine]:
    """The plan and its add-ons for a whole period, billed at its start."""
    lines = [_whole_period(plan, plan.price, 1, period, plan.interval, policy)]
    for item in items:
        price, factor = item.add_on.period_price(plan.interval, period)
        lines.append(
            _whole_period(
                item.add_on,
                price,
                item.quantity,
                period,
                plan.interval,
                policy,
                factor,
            )
        )
    return lines


def _whole_period(  # noqa: PLR0917 - what a line bills, in order
    product: Plan | AddOn,
    price: Money,
    quantity: int,
    period: BillingPeriod,
    length: Interval,
    policy: ProrationPolicy,
    factor: Fraction | None = None,
) -> InvoiceLine:
    """A whole period of ``quantity`` x ``product``, through the formula.

    Price x quantity (x the ``factor`` of a longer-interval price spread
    over the cycle) / 1, rounded by the policy's rounding mode, as a
    prorated line is.
    """
    numerator, denominator = price.integer_ratio()
    currency = price.currency
    top, bottom, rounded = amount(
        numerator,
        denominator,
        quantity if factor is None else quantity * factor,
        1,
        currency,
        policy.rounding,
    )
    return InvoiceLine._lazy(
        InvoiceLineKind.SUBSCRIPTION,
        trusted_units(rounded, currency),
        period.start,
        period.end,
        product,
        quantity,
        exact_or_none(top, bottom, rounded, currency),
        None,
        product.taxes,
        lambda: _whole_text(product, price, quantity, length, factor),
    )


def _whole_text(
    product: Plan | AddOn,
    price: Money,
    quantity: int,
    length: Interval,
    factor: Fraction | None,
) -> tuple[str, str]:
    """A whole period's description and calculation, when first read."""
    times = "" if quantity == 1 else f"{quantity} x "
    spread = "" if factor is None else f" x {factor}"
    return (
        f"Price for {length} of {times}{product.name}",
        f"{times}{as_written(price)}{spread} for {length}",
    )


def price_all(
    kind: LineKind,
    plan: Plan,
    items: Iterable[Item],
    start: datetime,
    end: datetime,
    *,
    period: BillingPeriod,
    policy: ProrationPolicy,
    plan_end: datetime | None = None,
) -> list[ProrationLine]:
    """Price the plan and the add-ons over ``[start, end)`` of ``period``.

    Each add-on at its price for the plan's interval; the plan up to
    ``plan_end`` instead, when given.
    """
    last = end if plan_end is None else plan_end
    priced = [
        _price_time(kind, plan, start, last, period=period, policy=policy)
    ]
    for item in items:
        price, factor = item.add_on.period_price(plan.interval, period)
        priced.append(
            _price_time(
                kind,
                item.add_on,
                start,
                end,
                period=period,
                policy=policy,
                quantity=item.quantity,
                price=price,
                factor=factor,
            )
        )
    return priced


def used_time_lines(
    segments: Iterable[tuple[Plan | Item, datetime, datetime]],
    interval: Interval,
    *,
    period: BillingPeriod,
    policy: ProrationPolicy,
) -> list[ProrationLine]:
    """Price each plan and add-on for its time in force: billing in arrears.

    ``segments`` are ``(plan or item, start, end)``; an add-on is priced at
    its price for the cycle's ``interval``.
    """
    lines: list[ProrationLine] = []
    for held, start, end in segments:
        if isinstance(held, Plan):
            line = _price_time(
                LineKind.USED_TIME,
                held,
                start,
                end,
                period=period,
                policy=policy,
            )
        else:
            price, factor = held.add_on.period_price(interval, period)
            line = _price_time(
                LineKind.USED_TIME,
                held.add_on,
                start,
                end,
                period=period,
                policy=policy,
                quantity=held.quantity,
                price=price,
                factor=factor,
            )
        lines.append(line)
    return lines


def signup_lines(
    plan: Plan,
    items: Sequence[Item],
    at: datetime,
    *,
    period: BillingPeriod,
    policy: ProrationPolicy,
    frame: BillingPeriod | None = None,
    until: datetime | None = None,
    plan_until: datetime | None = None,
) -> list[InvoiceLine]:
    """What a sign-up at ``at`` bills in advance for the first period.

    The whole period from its start; from a moment after it (a billing-cycle
    anchor elsewhere), the remaining time of the plan and its add-ons, over
    the period or over ``frame`` (an interval from ``at``, by the policy's
    ``stub_period``). With ``until`` (a known end inside the period), only
    the time up to it, priced the same way; with ``plan_until`` (a known
    change, before any end), the plan's time only up to it.
    """
    whole = at == period.start and until is None
    if whole and plan_until is None:
        return whole_periods(plan, items, period, policy)
    remaining = price_all(
        LineKind.REMAINING_TIME,
        plan,
        () if whole else items,
        at,
        period.end if until is None else until,
        period=period if frame is None else frame,
        policy=policy,
        plan_end=plan_until,
    )
    if whole:  # only the plan is cut: its add-ons bill the whole period
        whole_items = whole_periods(plan, items, period, policy)[1:]
        return [*bill_lines(remaining, policy), *whole_items]
    return bill_lines(remaining, policy)


def quantity_lines(
    held: Item,
    new: Item,
    at: datetime,
    interval: Interval,
    *,
    period: BillingPeriod,
    policy: ProrationPolicy,
    peak: int = 0,
    mode: QuantityMode | None = None,
) -> list[ProrationLine]:
    """The lines of a change of an add-on's quantity at ``at``.

    By ``mode`` (the add-on's own :class:`~prorata.QuantityMode` unless
    given): prorated, ``held``'s unused time credited and ``new``'s
    remaining time charged under the policy's treatments (a quantity of
    zero has no line); full, the units added billed for the whole period;
    high-water mark, only the units above ``peak`` (the most paid for in
    the period) charged; full above the peak, those units for the whole
    period; delta, one line for the difference over the remaining time.
    """
    price, factor = new.add_on.period_price(interval, period)
    if mode is None:
        mode = new.add_on.quantity_mode
    if mode is QuantityMode.PRORATED:
        steps = [
            (LineKind.UNUSED_TIME, held.quantity, policy.credit),
            (LineKind.REMAINING_TIME, new.quantity, policy.charge),
        ]
    else:
        added = new.quantity - (peak if mode in _PEAK else held.quantity)
        kind, treatment = LineKind.REMAINING_TIME, policy.charge
        if mode in _WHOLE:
            treatment = Treatment.FULL
        elif added < 0 and mode is QuantityMode.DELTA:
            kind, added, treatment = (
                LineKind.UNUSED_TIME,
                -added,
                policy.credit,
            )
        steps = [(kind, max(added, 0), treatment)]
    return [
        _price_time(
            kind,
            new.add_on,
            at,
            period.end,
            period=period,
            policy=policy,
            quantity=count,
            price=price,
            treatment=treatment,
            factor=factor,
        )
        for kind, count, treatment in steps
        if count
    ]


_PEAK = (QuantityMode.HIGH_WATER_MARK, QuantityMode.FULL_ABOVE_PEAK)
_WHOLE = (QuantityMode.FULL, QuantityMode.FULL_ABOVE_PEAK)


def check_item(item: object, currency: str, interval: Interval) -> None:
    """Refuse an add-on item that cannot be billed with a plan.

    Raises:
        ArgumentTypeError: ``item`` is not an :class:`~prorata.Item`.
        CurrencyMismatchError: The add-on is priced in another currency.
        InvalidPlanError: The add-on has no price for ``interval``.
    """
    if not isinstance(item, Item):
        raise ArgumentTypeError("item", item, "an Item")
    if item.add_on.currency != currency:
        raise CurrencyMismatchError(
            currency, item.add_on.currency, "bill add-ons in"
        )
    item.add_on.period_price(interval, None)


def check_charge(charge: object, currency: str) -> Charge:
    """Return ``charge`` checked as a one-time charge in ``currency``.

    Raises:
        ArgumentTypeError: ``charge`` is not a :class:`~prorata.Charge`.
        CurrencyMismatchError: It is priced in another currency.
    """
    if not isinstance(charge, Charge):
        raise ArgumentTypeError("charge", charge, "a Charge")
    if charge.currency != currency:
        raise CurrencyMismatchError(
            currency, charge.currency, "bill charges in"
        )
    return charge


def one_time_lines(
    charges: Iterable[Charge], at: datetime, *, back: bool = False
) -> list[InvoiceLine]:
    """One line per one-time charge at ``at``; its credit, with ``back``."""
    lines = []
    for charge in charges:
        price = -charge.price if back else charge.price
        lines.append(
            InvoiceLine(
                kind=InvoiceLineKind.ONE_TIME,
                description=(
                    f"{charge.name}, credited back" if back else charge.name
                ),
                amount=Money.zero(charge.currency) + price,  # padded
                start=at,
                end=at,
                calculation=(
                    f"{charge.price} once, credited back on cancellation"
                    if back
                    else f"{charge.price} once"
                ),
                product=charge,
                taxes=charge.taxes,
            )
        )
    return lines
