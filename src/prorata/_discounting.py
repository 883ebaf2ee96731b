"""Coupons on invoices: the discount line of each line a coupon covers.

A coupon is applied over a window of time (:class:`CouponWindow`); each
line billed for a product's time gets a discount line for the part of its
time inside the window (measured in seconds). A percentage is that share of
the line; a fixed amount is per period, in proportion to the share of the
period the line bills, and never more than the line. A credit's discount
line reverses the discount its time was billed with (``DiscountCredit``):
each line is discounted as it is billed (``Billed``), a credit as its time
was. A fixed amount comes off each product in full or is split across the
products in force in proportion to what they cost (``DiscountSplit``);
percentages compounded are of what the coupons before left of the time
each covers (``PercentStacking``). Every amount goes through
``_rounding.amount``, rounded once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from fractions import Fraction
from itertools import pairwise
from typing import TYPE_CHECKING, Final, TypeAlias, final

from prorata._add_on import Item
from prorata._discount import (
    Coupon,
    CouponProducts,
    DiscountCredit,
    DiscountSplit,
    PercentStacking,
)
from prorata._discount_split import full_cost, split_share
from prorata._invoice_lines import InvoiceLine, InvoiceLineKind
from prorata._money import Money, round_exact, summed, trusted_units
from prorata._period import BillingCycle, to_utc
from prorata._plan import Plan
from prorata._rounding import SCALES, amount
from prorata.errors import (
    ArgumentTypeError,
    CurrencyMismatchError,
    DiscountTermError,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import timedelta

    from prorata._rounding import RoundingMode

__all__ = [
    "Billed",
    "BilledWith",
    "CouponWindow",
    "check_coupon",
    "check_redeemable",
    "credited",
    "discount_lines",
    "period_billed",
    "recounted",
    "restarted",
    "shifted",
    "window_of",
]


_DISCOUNTED: Final = frozenset(
    {
        InvoiceLineKind.SUBSCRIPTION,
        InvoiceLineKind.REMAINING_TIME,
        InvoiceLineKind.UNUSED_TIME,
    }
)


@final
@dataclass(frozen=True, slots=True)
class CouponWindow:
    """A coupon as applied to a subscription: from ``start`` to ``end``.

    ``end`` is ``None`` for a coupon that lasts forever.
    """

    coupon: Coupon
    start: datetime
    end: datetime | None

    def overlap(self, start: datetime, end: datetime) -> Fraction:
        """The share of ``[start, end)`` inside the window, by seconds."""
        first, last = to_utc(start), to_utc(end)
        lo = max(first, to_utc(self.start))
        hi = last if self.end is None else min(last, to_utc(self.end))
        if last <= first:  # a moment: covered or not, before the end
            ends = self.end
            inside = lo == first and (ends is None or first < to_utc(ends))
            return Fraction(1 if inside else 0)
        if hi <= lo:
            return Fraction(0)
        span = (last - first).total_seconds()
        return Fraction((hi - lo).total_seconds()) / Fraction(span)


@final
@dataclass(frozen=True, slots=True)
class Billed:
    """What a line's time is billed with, for its discounts.

    ``cycle`` prices its product's period; ``plan`` and ``items`` are the
    products in force for it, that a split fixed coupon is weighed across;
    ``since`` is when its time was billed, the coupons applied after it not
    reversed by a credit. A line billed now is billed with what is in force
    from its start; a credit with what was in force when the time it
    returns was billed.
    """

    cycle: BillingCycle
    plan: Plan
    items: tuple[Item, ...]
    since: datetime


#: What each line is billed with (``Billed``), as the account says.
BilledWith: TypeAlias = Callable[[InvoiceLine], Billed]


def check_coupon(coupon: object, currency: str) -> Coupon:
    """Return ``coupon`` checked for a subscription in ``currency``.

    Raises:
        ArgumentTypeError: ``coupon`` is not a :class:`~prorata.Coupon`.
        CurrencyMismatchError: A fixed amount in another currency.
    """
    if not isinstance(coupon, Coupon):
        raise ArgumentTypeError("coupon", coupon, "a Coupon")
    off = coupon.discount.amount
    if off is not None and off.currency != currency:
        raise CurrencyMismatchError(currency, off.currency, "discount in")
    return coupon


def check_redeemable(
    coupon: Coupon, plan: Plan, rule: CouponProducts, at: datetime
) -> Coupon:
    """Return ``coupon`` if it may be applied while ``plan`` is in force.

    Under ``CouponProducts.REDEMPTION`` a coupon with products may be
    applied only while the plan is one of them; under ``LINES`` any.

    Raises:
        DiscountTermError: The plan is not one of its products.
    """
    if rule is CouponProducts.REDEMPTION and not coupon.covers(plan.id):
        products = ", ".join(map(repr, coupon.products))
        raise DiscountTermError(
            f"coupon {str(coupon)!r} is for {products} and the policy has "
            "coupon_products='redemption', so it may only be applied while "
            f"one of them is the plan; the plan at {at.isoformat()} is "
            f"{plan.id!r}: change to one of them first, or give the coupon "
            "no products"
        )
    return coupon


def window_of(
    coupon: Coupon, at: datetime, cycle: BillingCycle
) -> CouponWindow:
    """The window of ``coupon`` applied at ``at`` on a ``cycle``.

    ``periods`` counts billing periods from the one ``at`` falls in.
    """
    if coupon.until is not None:
        return CouponWindow(coupon, at, coupon.until)
    if coupon.periods is None:
        return CouponWindow(coupon, at, None)
    first = cycle.index_of(at)
    return CouponWindow(coupon, at, cycle.boundary(first + coupon.periods))


def restarted(
    windows: Sequence[CouponWindow],
    old: datetime,
    new: datetime,
    cycle: BillingCycle,
) -> tuple[CouponWindow, ...]:
    """The windows from ``old``, from ``new``: their periods counted anew.

    A trial that ends elsewhere moves the first period, and the coupons
    given at sign-up with it: each starts at the first period billed, one
    for a number of periods counting them on ``cycle``, one until a date or
    forever keeping its end.
    """
    return tuple(
        window_of(w.coupon, new, cycle)
        if to_utc(w.start) == to_utc(old)
        else w
        for w in windows
    )


def recounted(
    windows: Sequence[CouponWindow],
    boundary: datetime,
    old: BillingCycle,
    new: BillingCycle,
) -> tuple[CouponWindow, ...]:
    """The windows counted in periods past ``boundary``, counted on ``new``.

    A moved anchor changes the periods from ``boundary`` on: a coupon for a
    number of periods keeps the number it had left there, the stub to the
    new anchor's next date counting as one. A coupon until a date keeps it.
    """
    cut = to_utc(boundary)
    first, start = old.index_of(boundary), new.index_of(boundary)

    def moved(window: CouponWindow) -> CouponWindow:
        end = window.end
        if window.coupon.periods is None or end is None or to_utc(end) <= cut:
            return window
        left = old.index_of(end) - first
        return CouponWindow(
            window.coupon, window.start, new.boundary(start + left)
        )

    return tuple(moved(window) for window in windows)


def shifted(
    windows: Sequence[CouponWindow], after: datetime, shift: timedelta
) -> tuple[CouponWindow, ...]:
    """The windows counted in periods, moved by ``shift`` from ``after``.

    A pause that keeps the paid time moves the billing dates; a coupon for
    a number of periods moves with them, one until a date does not.
    """
    start = to_utc(after)

    def moved(moment: datetime) -> datetime:
        return moment + shift if to_utc(moment) >= start else moment

    return tuple(
        CouponWindow(w.coupon, moved(w.start), moved(w.end))
        if w.coupon.periods is not None and w.end is not None
        else w
        for w in windows
    )


def discount_lines(
    lines: Sequence[InvoiceLine],
    windows: Sequence[CouponWindow],
    billed: BilledWith,
    rule: DiscountCredit,
    mode: RoundingMode,
    *,
    split: DiscountSplit = DiscountSplit.PER_PRODUCT,
    stacking: PercentStacking = PercentStacking.FULL_LINE,
    products: CouponProducts = CouponProducts.LINES,
) -> list[InvoiceLine]:
    """``lines``, each followed by the discount lines of the coupons on it.

    Each line is discounted as ``billed`` says it is billed. A credit
    reverses only the coupons in force when its time was billed: applied
    at or before its ``since``. The discounts on one line never come to
    more than the line. A fixed amount comes off each product in full, or
    is split across the products the line is billed with, as ``split``
    says (``DiscountSplit``). A percentage is of the whole line, or
    of what the coupons before it left of the line's time inside its
    window (``PercentStacking.COMPOUND``). A coupon's products limit the
    lines it discounts, or, under ``CouponProducts.REDEMPTION``, only where
    it was applied: it then discounts every product's lines.
    """
    if products is CouponProducts.REDEMPTION:
        windows = [
            CouponWindow(replace(w.coupon, products=()), w.start, w.end)
            for w in windows
        ]
    out: list[InvoiceLine] = []
    compound = stacking is PercentStacking.COMPOUND
    for line in lines:
        out.append(line)
        product = line.product
        if product is None or line.kind not in _DISCOUNTED:
            continue
        terms = billed(line)
        rest = _Rest(line, windows) if compound else None
        left = abs(line.precise)
        units = abs(line.amount.minor_units)
        for window in windows:
            if not window.coupon.covers(product.id) or (
                line.kind is _UNUSED
                and to_utc(window.start) > to_utc(terms.since)
            ):
                continue
            share = window.overlap(line.start, line.end)
            if not share or not left:
                continue
            discount = _discount(
                line,
                window,
                share,
                (terms, rule, mode, split),
                (rest, left, units),
            )
            if discount is not None:
                out.append(discount)
                left -= abs(discount.precise)
                units -= abs(discount.amount.minor_units)
                if rest is not None:
                    rest.take(
                        window,
                        abs(discount.precise),
                        by_time=window.coupon.discount.percent is None,
                    )
    return out


_UNUSED: Final = InvoiceLineKind.UNUSED_TIME
_REMAINING: Final = InvoiceLineKind.REMAINING_TIME

#: How one line is discounted: what it is billed with, the credit rule,
#: the rounding, and how a fixed amount is split.
_Terms: TypeAlias = tuple[
    Billed, DiscountCredit, "RoundingMode", DiscountSplit
]


@final
class _Rest:
    """What the coupons so far left of a line, stretch by stretch of time.

    The line's time is cut at each window's start and end inside it; each
    stretch holds its share of the line (by seconds) less what the coupons
    took from it: a percentage in proportion to what each stretch inside
    its window has left, a fixed amount by time, as it is prorated.
    """

    __slots__ = ("_left", "_stretches", "_time")

    def __init__(
        self, line: InvoiceLine, windows: Sequence[CouponWindow]
    ) -> None:
        """Cut ``line``'s time at the ``windows``' edges inside it."""
        first, last = to_utc(line.start), to_utc(line.end)
        whole = abs(line.precise)
        if last <= first:  # a moment: one stretch, covered or not
            self._stretches = [(first, last)]
            self._time = [Fraction(1)]
        else:
            edges = {first, last}
            for window in windows:
                for edge in (window.start, window.end):
                    if edge is not None and first < to_utc(edge) < last:
                        edges.add(to_utc(edge))
            self._stretches = list(pairwise(sorted(edges)))
            span = Fraction((last - first).total_seconds())
            self._time = [
                Fraction((hi - lo).total_seconds()) / span
                for lo, hi in self._stretches
            ]
        self._left = [whole * part for part in self._time]

    def _inside(self, window: CouponWindow) -> list[int]:
        """The stretches inside ``window``."""
        return [
            index
            for index, (lo, hi) in enumerate(self._stretches)
            if window.overlap(lo, hi)
        ]

    def of(self, window: CouponWindow) -> Fraction:
        """What is left of the line's time inside ``window``."""
        return sum(
            (max(self._left[i], Fraction(0)) for i in self._inside(window)),
            Fraction(0),
        )

    def take(
        self, window: CouponWindow, taken: Fraction, *, by_time: bool
    ) -> None:
        """Take ``taken`` off the stretches inside ``window``."""
        inside = self._inside(window)
        weights = [
            self._time[i] if by_time else max(self._left[i], Fraction(0))
            for i in inside
        ]
        total = sum(weights, Fraction(0))
        if not total:
            return
        for index, weight in zip(inside, weights, strict=True):
            self._left[index] -= taken * weight / total


def _discount(
    line: InvoiceLine,
    window: CouponWindow,
    share: Fraction,
    terms: _Terms,
    base: tuple[_Rest | None, Fraction, int],
) -> InvoiceLine | None:
    """The discount line of one coupon on one line, or ``None`` if $0.

    ``share`` is the part of the line's time inside the window. ``base``:
    what the coupons before this one left of the line, stretch by stretch,
    for a compounded percentage to be of (``None``: of the whole line), and
    the most this one may take, exactly and in minor units.
    """
    rest, most, most_units = base
    currency = line.amount.currency
    coupon = window.coupon
    if rest is not None and coupon.discount.percent is not None:
        exact, how = _compounded(line, coupon, rest.of(window), share, terms)
    else:
        exact, how = _off(line, coupon, terms)
        exact *= share
        if share != 1:
            how += f", for {float(share):.2%} of its time"
    if abs(exact) > most:  # the coupons before took the rest of the line
        exact = most if exact > 0 else -most
        how += ", limited to what is left of the line"
    top, bottom, rounded = amount(
        exact.numerator, exact.denominator, 1, 1, currency, terms[2]
    )
    rounded = max(min(rounded, most_units), -most_units)
    if rounded == 0:
        return None
    start = max(line.start, window.start, key=to_utc)
    end = (
        line.end
        if window.end is None
        else min(line.end, window.end, key=to_utc)
    )
    return InvoiceLine(
        kind=InvoiceLineKind.DISCOUNT,
        description=f"{coupon.name} on {line.description}",
        amount=trusted_units(rounded, currency),
        start=start,
        end=max(start, end, key=to_utc),
        calculation=how,
        product=line.product,
        quantity=line.quantity,
        exact=None if top * SCALES[currency] == rounded * bottom else exact,
        taxes=line.taxes,
    )


def _compounded(
    line: InvoiceLine,
    coupon: Coupon,
    net: Fraction,
    share: Fraction,
    terms: _Terms,
) -> tuple[Fraction, str]:
    """A compounded percentage's exact discount on a line, and how.

    Of ``net``, what the coupons before it left of the line's time inside
    the window (``share`` of it).
    """
    percent = coupon.discount.percent
    assert percent is not None  # noqa: S101 - the caller checked
    left = round_exact(net, line.amount.currency, terms[2])
    how = f"{percent.normalize():f}% of {left}, what is left of " + (
        "it" if share == 1 else f"the {float(share):.2%} of its time covered"
    )
    whole = net if line.precise >= 0 else -net
    return -whole * Fraction(percent) / 100, how


def _off(
    line: InvoiceLine, coupon: Coupon, terms: _Terms
) -> tuple[Fraction, str]:
    """A coupon's exact discount on all of a line's time, and how.

    A percentage of the line; a fixed amount, or the line's product's
    share of it, for the share of the period the line bills.
    """
    billed, rule, mode, split = terms
    currency = line.amount.currency
    off = coupon.discount
    if off.percent is not None:
        how = f"{off.percent.normalize():f}% of {line.amount}"
        return -line.precise * Fraction(off.percent) / 100, how
    assert off.amount is not None  # noqa: S101 - a Discount has one
    full = full_cost(line, line.quantity, billed.cycle)
    if split is DiscountSplit.PER_PRODUCT:
        part = off.amount.exact
        how = f"{off.amount} a period, for the share of it billed"
    else:
        held = (billed.plan, billed.items)
        part = split_share(line, coupon, billed.cycle, held, split)
        how = (
            f"{off.amount} a period split by what the products cost"
            + (", in order" if split is DiscountSplit.IN_ORDER else "")
            + f", {round_exact(part, currency, mode)} of it on this one, "
            "for the share of it billed"
        )
    return _fixed(line.kind, line.precise, full, part, rule), how


def _fixed(
    kind: InvoiceLineKind,
    billed: Fraction,
    full: Fraction,
    off: Fraction,
    rule: DiscountCredit,
) -> Fraction:
    """A fixed amount off a period, on a line billing part of one.

    ``PRORATED``: a debit gets the amount in proportion to the share of the
    period it bills, and a credit reverses that share. ``USED_FIRST``: the
    amount covers a period's time used as far as it goes, and a credit
    reverses only what the time used leaves of it; the remaining time a
    change charges gets its share, as under ``PRORATED``. Never more than
    the line.
    """
    if not full:
        return Fraction(0)
    most = min(off, full)
    part = min(abs(billed) / full, Fraction(1))
    if rule is DiscountCredit.PRORATED or kind is _REMAINING:
        return -most * part if billed >= 0 else most * part
    if billed >= 0:
        return -min(most, billed)
    used = full * (1 - part)
    return max(most - used, Fraction(0))


def period_billed(lines: Sequence[InvoiceLine], currency: str) -> Money:
    """What ``lines`` bill for the period they open: with its discounts.

    The ``SUBSCRIPTION`` lines (a whole period) and ``REMAINING_TIME``
    lines (a first period that runs to a billing day), and the discount
    lines that follow them: what a period opened was paid in advance.
    """
    return _with_discounts(lines, _OPENING, Money.zero(currency))


def credited(lines: Sequence[InvoiceLine], zero: Money) -> Money:
    """What ``lines`` credit for unused time, net of discounts reversed."""
    return _with_discounts(lines, (InvoiceLineKind.UNUSED_TIME,), zero)


_OPENING: Final = (
    InvoiceLineKind.SUBSCRIPTION,
    InvoiceLineKind.REMAINING_TIME,
)


def _with_discounts(
    lines: Sequence[InvoiceLine],
    kinds: tuple[InvoiceLineKind, ...],
    zero: Money,
) -> Money:
    """The lines of ``kinds`` and the discount lines that follow them.

    Summed from ``zero`` (its currency's zero) in one pass over integers.
    """
    counting = False
    amounts = []
    for line in lines:
        kind = line.kind
        if kind is not _DISCOUNT:
            counting = kind in kinds
        if counting:
            amounts.append(line.amount)
    return summed(amounts, zero.currency) if amounts else zero


_DISCOUNT: Final = InvoiceLineKind.DISCOUNT
