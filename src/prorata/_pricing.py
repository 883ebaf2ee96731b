"""The one pricing formula, and the priced lines it makes.

Every amount prorata bills is ``price x count / total``: a plan over a
stretch of its period (count and total in time units), a whole period
(count the quantity, total 1), overage (blocks, or units over a block
size). ``_money.amount`` writes it as one integer ratio and rounds it,
once, to the currency's minor unit. :func:`price_time` prices a
plan or an add-on over a stretch of time through them and returns the
:class:`ProrationLine` that explains it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar, Final, final

from prorata._add_on import AddOn
from prorata._display import capped, displayed
from prorata._measure import TimeUnit, unit_of, units_between
from prorata._money import EXACT, Money, round_exact, trusted_units
from prorata._plan import Plan
from prorata._policy import Basis, RoundingStage, Treatment
from prorata._rounding import SCALES, amount
from prorata._shells import unchecked

if TYPE_CHECKING:
    from collections.abc import Iterable

    from prorata._period import BillingPeriod
    from prorata._policy import ProrationPolicy

__all__ = [
    "LineKind",
    "Portion",
    "ProrationLine",
    "as_written",
    "held_units",
    "price_time",
    "sum_lines",
]


_SECONDS_A_DAY: Final = 86_400
_SCALES: Final = SCALES
_DAILY_RATE: Final = Basis.DAILY_RATE
_PRORATED: Final = Treatment.PRORATED
_FULL: Final = Treatment.FULL


def held_units(
    treatment: Treatment, units: int | Fraction, total: int | Fraction
) -> int | Fraction:
    """The units a treatment prices: those given, the whole period or none."""
    if treatment is _PRORATED:
        return units
    return total if treatment is _FULL else 0


@final
@dataclass(frozen=True, slots=True)
@displayed
class Portion:
    """A stretch of a period: ``units`` out of the period's ``total``.

    >>> Portion(20, 30, TimeUnit.DAY).fraction
    Fraction(2, 3)
    >>> str(Portion(1_728_000, 2_592_000, TimeUnit.SECOND))
    '20 days'
    """

    units: int | Fraction
    total: int | Fraction
    unit: TimeUnit

    _make: ClassVar[
        Callable[[int | Fraction, int | Fraction, TimeUnit], Portion]
    ]
    """The fields in order, unchecked: for :func:`price_time`'s hot path."""

    @property
    def fraction(self) -> Fraction:
        """The exact share of the period."""
        return Fraction(self.units) / self.total

    def __str__(self) -> str:
        """Return ``'20 days'``, ``'1 day'`` or ``'2 days, 3:04:05'``."""
        if self.unit is TimeUnit.MONTH:
            return _months(Fraction(self.units))
        seconds = int(self.units) * _SECONDS[self.unit]
        days, rest = divmod(seconds, _SECONDS_A_DAY)
        if rest:
            return str(timedelta(seconds=seconds))
        return f"{days} day{'' if days == 1 else 's'}"


def _months(value: Fraction) -> str:
    """``'1 month'``, ``'14/31 of a month'``, ``'2 months and 14/31'``."""
    whole, part = divmod(value, 1)
    plural = "" if whole == 1 else "s"
    if not part:
        return f"{whole} month{plural}"
    if not whole:
        return f"{part} of a month"
    return f"{whole} month{plural} and {part}"


_SECONDS: Final = {
    TimeUnit.SECOND: 1,
    TimeUnit.MINUTE: 60,
    TimeUnit.DAY: _SECONDS_A_DAY,
}


class LineKind(StrEnum):
    """What a :class:`ProrationLine` prices."""

    UNUSED_TIME = "unused-time"
    """The credit for the old plan's time after the change (negative)."""
    REMAINING_TIME = "remaining-time"
    """The charge for the new plan's time after the change."""
    USED_TIME = "used-time"
    """The value of a plan's time while it was in force; paid in advance,
    shown to explain the period, never billed again."""


_LABELS: Final = {
    LineKind.UNUSED_TIME: "Unused time on",
    LineKind.REMAINING_TIME: "Remaining time on",
    LineKind.USED_TIME: "Used time on",
}
_UNUSED_TIME: Final = LineKind.UNUSED_TIME


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class ProrationLine:
    """One priced stretch of a plan: amount = price x units / total.

    Args:
        kind: Credit, charge or used time (:class:`LineKind`).
        plan: The plan priced.
        start: The first instant priced.
        end: The instant pricing stops (exclusive).
        portion: The units of time priced out of the period's units.
        rate: Under the daily-rate basis, the rounded price of one day;
            ``None`` otherwise.
        exact: The signed exact amount before the policy's rounding.
        amount: The signed amount rounded to the currency's minor unit;
            negative for a credit.
        quantity: How many units of the plan or add-on are priced.
        price: The price of one unit for the whole period, when it is not
            the plan's own (an add-on priced for the plan's interval, or
            what was billed under the paid credit basis).
        factor: The share of ``price`` one period bills, for an add-on's
            longer-interval price spread over the cycle (its
            ``cadence_factor``); ``None`` for all of it.
        stated: The share of the period priced, as the policy's
            ``share_places`` states it (Paddle's rate); ``None`` when the
            exact share ``portion`` prices.

    The credit line of Business 1 -> Business 2 ten days into a 30-day month:

    >>> from datetime import UTC, datetime, timedelta
    >>> from prorata import (Basis, BillingPeriod, PlanChange, ProrationPolicy,
    ...                      builtin_catalog, prorate)
    >>> plans = builtin_catalog()
    >>> b1, b2 = plans["business-1"], plans["business-2"]
    >>> june = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
    >>> p = prorate(PlanChange(b1, b2, at=june.start + timedelta(days=10)),
    ...             june, ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH))
    >>> print(p.unused)
    Unused time on Business 1 (20 days) = -$76.67
    >>> p.unused.calculation
    '$115 / 30 * 20 = $76.67'
    """

    kind: LineKind
    plan: Plan | AddOn
    start: datetime
    end: datetime
    portion: Portion
    rate: Money | None
    exact: Fraction
    amount: Money
    quantity: int = 1
    price: Money | None = None
    factor: Fraction | None = None
    stated: Fraction | None = None

    _make: ClassVar[
        Callable[
            [
                LineKind,
                Plan | AddOn,
                datetime,
                datetime,
                Portion,
                Money | None,
                Fraction,
                Money,
                int,
                Money | None,
                Fraction | None,
                Fraction | None,
            ],
            ProrationLine,
        ]
    ]
    """The fields in order, unchecked: for :func:`price_time`'s hot path."""

    @property
    def unit_price(self) -> Money:
        """The price of one unit for the whole period, as used here."""
        return self.plan.price if self.price is None else self.price

    @property
    def description(self) -> str:
        """``'Unused time on Business 1 (20 days)'``, ``'... 3 x Site'``."""
        times = "" if self.quantity == 1 else f"{self.quantity} x "
        label = _LABELS[self.kind]
        return f"{label} {times}{self.plan.name} ({self.portion})"

    @property
    def calculation(self) -> str:
        """How the amount comes about, as the hosting page writes it.

        ``'$115 / 30 * 20 = $76.67'``, or with a daily rate
        ``'$35 / 30 = $1.17 a day; $1.17 * 29 = $33.93'``.
        """
        units, total = self.portion.units, self.portion.total
        result = abs(self.amount)
        price = as_written(self.unit_price)
        if self.factor is not None:
            price = f"{price} x {self.factor}"
        times = "" if self.quantity == 1 else f"{self.quantity} x "
        if self.stated is not None:
            return (
                f"{times}{price} x {_decimal(self.stated)} "
                f"({units} / {total} to the stated places) = {result}"
            )
        if self.rate is None:
            return f"{times}{price} / {total} * {units} = {result}"
        return (
            f"{price} / {total} = {self.rate} a day; "
            f"{times}{self.rate} * {units} = {result}"
        )

    def __str__(self) -> str:
        """``'Unused time on Business 1 (20 days) = -$76.67'``."""
        return f"{self.description} = {self.amount}"

    def __repr__(self) -> str:
        """One readable line: ``<ProrationLine unused-time ... = -$76.67>``."""
        return capped(f"<ProrationLine {self.kind.value}: {self}>")


def _decimal(value: Fraction) -> str:
    """A fraction of a power of ten as its decimal: ``0.99993``, ``0.5``.

    Exact: the denominator divides a power of ten of at most 12 digits.
    """
    quotient = EXACT.divide(
        Decimal(value.numerator), Decimal(value.denominator)
    )
    return f"{quotient.normalize(EXACT):f}"


def as_written(price: Money) -> str:
    """Show a whole price as a help page writes it: ``$115``, not $115.00."""
    text = str(price)
    places = price.exponent
    if places and price.integer_ratio()[1] == 1:  # a whole amount
        return text.replace(f".{'0' * places}", "", 1)
    return text


def price_time(
    kind: LineKind,
    plan: Plan | AddOn,
    start: datetime,
    end: datetime,
    *,
    period: BillingPeriod,
    policy: ProrationPolicy,
    quantity: int = 1,
    price: Money | None = None,
    treatment: Treatment = Treatment.PRORATED,
    factor: Fraction | None = None,
) -> ProrationLine:
    """Price ``plan`` over ``[start, end)`` of ``period``: the one formula.

    ``quantity`` units at ``price`` (the plan's own price unless given) for
    the whole period, times the units the treatment prices over the
    period's units, through :func:`amount`. Under ``Basis.DAILY_RATE`` the
    price of one day is rounded first and multiplied by the days, through
    :func:`amount` too. A ``factor`` scales the price for one period (an
    add-on's longer-interval price spread over the cycle). Internal to
    prorata (not exported): proration,
    invoices and subscriptions price time through it.

    Raises:
        PeriodTooShortError: The period counts no unit of the basis.
    """
    units, total = units_between(policy, period, start, end)
    units = held_units(treatment, units, total)
    unit_price = plan.price if price is None else price
    currency, mode = unit_price.currency, policy.rounding
    numerator, denominator = unit_price.integer_ratio()
    rate: Money | None = None
    over: int | Fraction = total
    share: int | Fraction = 1 if factor is None else factor
    if policy.basis is _DAILY_RATE:
        day = amount(numerator, denominator, share, total, currency, mode)[2]
        rate = trusted_units(day, currency)
        numerator, denominator, over, share = day, _SCALES[currency], 1, 1
    count = quantity * units
    stated: Fraction | None = None
    if policy.share_places is not None:
        # The share stated to so many places, half up, prices in its place.
        places = 10**policy.share_places
        half_up = (2 * Fraction(units) * places + total) // (2 * total)
        stated = Fraction(half_up, places)
        count, over = quantity * half_up, places
    if share != 1:
        count *= share
    top, bottom, rounded = amount(
        numerator,
        denominator,
        count,
        over,
        currency,
        mode,
    )
    # Rounding applies to the magnitude: a FLOOR credit is a smaller credit.
    if kind is _UNUSED_TIME:
        top, rounded = -top, -rounded
    return ProrationLine._make(
        kind,
        plan,
        start,
        end,
        Portion._make(units, total, unit_of(policy)),
        rate,
        Fraction(top, bottom),
        trusted_units(rounded, currency),
        quantity,
        price,
        factor,
        stated,
    )


def sum_lines(
    lines: Iterable[ProrationLine], policy: ProrationPolicy
) -> Money:
    """Add lines under the policy's rounding stage.

    Per line: the sum of the rounded amounts. Net: the exact sum, rounded
    once.
    """
    lines = tuple(lines)
    currency = lines[0].amount.currency
    if policy.rounding_stage is RoundingStage.LINE:
        return sum((line.amount for line in lines), Money.zero(currency))
    exact = sum((line.exact for line in lines), Fraction(0))
    return round_exact(exact, currency, policy.rounding)


def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(item.name for item in fields(cls))


Portion._make = unchecked(Portion, _field_names(Portion))
ProrationLine._make = unchecked(ProrationLine, _field_names(ProrationLine))
