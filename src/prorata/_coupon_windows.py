"""Coupon windows: when a coupon applied to a subscription is in force.

A coupon is in force over a window of time (:class:`CouponWindow`): from
when it is applied, for a number of billing periods counted on the cycle,
until a date, or forever; one for a number of months covers whole the
lines its months reach (``CouponWindow.placed``). A trial that ends
elsewhere, a moved anchor or a pause that keeps the paid time move the
windows counted in periods; the discount lines of the lines each window
covers are ``_discounting``'s.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from fractions import Fraction
from typing import TYPE_CHECKING, final

from dateutil.relativedelta import relativedelta

from prorata._discount import (
    Coupon,
    CouponMonths,
    CouponProducts,
    months_cover,
)
from prorata._period import to_utc
from prorata.errors import (
    ArgumentTypeError,
    CurrencyMismatchError,
    DiscountTermError,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import timedelta

    from prorata._period import BillingCycle
    from prorata._plan import Plan

__all__ = [
    "CouponWindow",
    "budgeted",
    "charged",
    "check_coupon",
    "check_redeemable",
    "recounted",
    "restarted",
    "shifted",
    "window_of",
]


@final
@dataclass(frozen=True, slots=True)
class CouponWindow:
    """A coupon as applied to a subscription: from ``start`` to ``end``.

    ``end`` is ``None`` for a coupon that lasts forever. ``spent``: how
    many of its periods an invoice before ``start`` used (a free trial's
    sign-up whose setup fee it discounted), counted off its periods.
    ``fees``: the end of the period whose setup fees took part of its
    fixed amount, and what they took: off the amount of every line of that
    period (a credit of its time, a change in it) as off its sign-up's.
    ``first``, for a coupon for months: the start of the first period from
    ``start`` on, that ``CouponMonths.PERIOD_BY_LAST_MONTH`` counts from.
    ``charges``: the same for the one-time charges of a period
    (``Coupon.one_time_charges``), off what it leaves the later ones.
    ``budget``: the same for the lines billed for a period (a whole
    period, a change's remaining time), under
    ``FixedCouponBudget.PERIOD``: off its amount for the period's later
    invoices.
    """

    coupon: Coupon
    start: datetime
    end: datetime | None
    spent: int = 0
    fees: tuple[datetime, Fraction] | None = None
    first: datetime | None = None
    charges: tuple[datetime, Fraction] | None = None
    budget: tuple[datetime, Fraction] | None = None

    def placed(
        self, billed: datetime, opened: datetime, rule: CouponMonths
    ) -> CouponWindow | None:
        """The window on a line: a coupon for months covers all or none.

        The line's time is ``billed`` then, in a period ``opened`` then;
        whether the months cover it is ``months_cover``'s, as ``rule``
        says. Any other coupon's window is itself.
        """
        first = self.first
        if self.coupon.months is None or first is None:
            return self
        if months_cover(
            self.coupon, self.start, (billed, opened, first), rule
        ):
            return replace(self, end=None)
        return None

    def fees_took(self, at: datetime) -> Fraction:
        """What setup fees took of its amount for a line from ``at``."""
        return _before(self.fees, at)

    def charges_took(self, at: datetime) -> Fraction:
        """What one-time charges took of its amount in ``at``'s period."""
        return _before(self.charges, at)

    def budget_took(self, at: datetime) -> Fraction:
        """What the period's invoices took of its amount for ``at``'s."""
        return _before(self.budget, at)

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


def _before(took: tuple[datetime, Fraction] | None, at: datetime) -> Fraction:
    """What ``took`` records as taken in a period ending after ``at``."""
    if took is None or to_utc(at) >= to_utc(took[0]):
        return Fraction(0)
    return took[1]


def charged(
    windows: Sequence[CouponWindow], took: Sequence[Fraction], end: datetime
) -> tuple[CouponWindow, ...]:
    """The windows once one-time charges ``took`` part of their amounts.

    Added to what the charges of the period ending at ``end`` took before.
    """
    return _recorded(windows, took, end, budget=False)


def budgeted(
    windows: Sequence[CouponWindow], took: Sequence[Fraction], end: datetime
) -> tuple[CouponWindow, ...]:
    """The windows once a period's lines ``took`` part of their amounts.

    Added to what the invoices of the period ending at ``end`` took
    before (``FixedCouponBudget.PERIOD``); a later period starts afresh.
    """
    return _recorded(windows, took, end, budget=True)


def _recorded(
    windows: Sequence[CouponWindow],
    took: Sequence[Fraction],
    end: datetime,
    *,
    budget: bool,
) -> tuple[CouponWindow, ...]:
    """The windows with ``took`` added to ``budget`` or ``charges``."""
    if not any(took):
        return tuple(windows)

    def more(window: CouponWindow, taken: Fraction) -> CouponWindow:
        had = window.budget if budget else window.charges
        if had is not None and to_utc(had[0]) == to_utc(end):
            taken += had[1]
        if budget:
            return replace(window, budget=(end, taken))
        return replace(window, charges=(end, taken))

    return tuple(
        more(w, taken) if taken else w
        for w, taken in zip(windows, took, strict=True)
    )


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
    coupon: Coupon,
    at: datetime,
    cycle: BillingCycle,
    spent: int = 0,
    *,
    opens: bool = False,
) -> CouponWindow:
    """The window of ``coupon`` applied at ``at`` on a ``cycle``.

    ``periods`` counts billing periods from the one ``at`` falls in, less
    the ``spent`` ones an invoice before used; all spent, it ends at once.
    ``months`` end their months after ``at``; their ``first`` period is
    the next one's, or the one from ``at`` if a period billed ``opens``
    there (a sign-up's).
    """
    if coupon.until is not None:
        return CouponWindow(coupon, at, coupon.until)
    if coupon.months is not None:
        end = at + relativedelta(months=coupon.months)
        opened = cycle.containing(at)
        first = at if opens or opened.start == at else opened.end
        return CouponWindow(coupon, at, end, first=first)
    if coupon.periods is None:
        return CouponWindow(coupon, at, None)
    left = coupon.periods - spent
    if left <= 0:
        return CouponWindow(coupon, at, at, spent)
    end = cycle.boundary(cycle.index_of(at) + left)
    return CouponWindow(coupon, at, end, spent)


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
        window_of(w.coupon, new, cycle, w.spent, opens=True)
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
        return replace(window, end=new.boundary(start + left))

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
        replace(w, start=moved(w.start), end=moved(w.end))
        if w.coupon.periods is not None and w.end is not None
        else w
        for w in windows
    )
