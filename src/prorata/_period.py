"""Billing periods, intervals, anchored billing cycles and day counting.

Every boundary is ``anchor + k * interval`` computed from the anchor, never
by chaining ``+ 1 month``, so an anchor on the 31st comes back on every month
that has a 31st and periods tile time with no gap or overlap. Wall-clock
arithmetic happens in the anchor's own time zone; every comparison and every
elapsed time is taken in UTC, because Python compares two aware datetimes that
share a ``tzinfo`` by their wall clocks, which is wrong across a DST change.

``dateutil`` stays inside this module: it is untyped and mutable and never
appears in a public signature.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Final, final

from dateutil.relativedelta import relativedelta

from prorata.errors import (
    ArgumentTypeError,
    DatetimeRangeError,
    InvalidIntervalError,
    InvalidPeriodError,
    NaiveDatetimeError,
    PeriodTooShortError,
    shown,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "ANNUAL",
    "MONTHLY",
    "BillingCycle",
    "BillingPeriod",
    "Interval",
    "IntervalUnit",
    "elapsed_months",
    "require_aware",
    "to_utc",
    "whole_months",
]

_SECOND: Final = timedelta(seconds=1)
_SECONDS_A_DAY: Final = 86_400
# The years a moment may fall in: a year of room on either side of
# datetime's range, so that any period or step near a moment still fits.
_FIRST_YEAR: Final = 2
_LAST_YEAR: Final = 9998
# The most days any span of datetime's range can hold.
_MOST_DAYS: Final = (date.max - date.min).days


def require_aware(name: str, value: object) -> datetime:
    """Return ``value`` if it is a time-zone-aware datetime.

    Raises:
        NaiveDatetimeError: ``value`` is naive or not a datetime at all.
        DatetimeRangeError: ``value`` or its UTC equivalent is outside the
            years 2 to 9998, so near ``datetime.min`` or ``datetime.max``
            that a period or an interval from it may not fit.
    """
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise NaiveDatetimeError(name, value)
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        raise DatetimeRangeError(name, value) from None
    if not (
        _FIRST_YEAR <= value.year <= _LAST_YEAR
        and _FIRST_YEAR <= utc.year <= _LAST_YEAR
    ):
        raise DatetimeRangeError(name, value)
    return value


def _step(interval: Interval, anchor: datetime, steps: int) -> datetime:
    """``anchor + steps * interval`` on the anchor's wall clock (cached).

    Cached by wall time, zone and fold, never by the datetime itself: two
    aware datetimes of one instant in different zones are equal and hash
    alike, yet step to different instants across a DST change.
    """
    return _wall_step(
        interval,
        anchor.replace(tzinfo=None, fold=0),
        anchor.tzinfo,
        anchor.fold,
        steps,
    )


@lru_cache(maxsize=65536)
def _wall_step(
    interval: Interval,
    wall: datetime,
    zone: tzinfo | None,
    fold: int,
    steps: int,
) -> datetime:
    anchor = wall.replace(tzinfo=zone, fold=fold)
    months = interval.months_per_step
    if months:
        moved: datetime = anchor + relativedelta(months=steps * months)
    else:
        moved = anchor + timedelta(days=steps * interval.days_per_step)
    # Adding drops the fold: keep the anchor's, so step 0 is the anchor
    # itself in a repeated or skipped hour, and every boundary reads the
    # anchor's wall time the same way.
    return moved.replace(fold=fold)


def to_utc(value: datetime) -> datetime:
    """Return the same instant in UTC, for comparing and subtracting."""
    return value.astimezone(UTC)


class IntervalUnit(StrEnum):
    """The calendar unit an :class:`Interval` counts."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


# Days in one unit, at least: a month has 28, a year 365.
_UNIT_DAYS: Final = {
    IntervalUnit.DAY: 1,
    IntervalUnit.WEEK: 7,
    IntervalUnit.MONTH: 28,
    IntervalUnit.YEAR: 365,
}


@final
@dataclass(frozen=True, slots=True)
class Interval:
    """A billing interval: a positive count of days, weeks, months or years.

    Months and years are calendar months: an anchor on the 31st falls on the
    last day of shorter months and comes back to the 31st after them.

    Args:
        unit: The calendar unit.
        count: How many units, at least 1.

    Raises:
        InvalidIntervalError: A count that is not a positive ``int``, or an
            unknown unit.

    >>> Interval.months(1), Interval.days(30)
    (Interval(unit='month', count=1), Interval(unit='day', count=30))
    >>> str(Interval.years(1))
    '1 year'
    """

    unit: IntervalUnit
    count: int = 1

    def __post_init__(self) -> None:
        """Validate the unit and the count."""
        try:
            unit = IntervalUnit(self.unit)
        except ValueError:
            raise InvalidIntervalError(self.unit, "unknown unit") from None
        object.__setattr__(self, "unit", unit)
        if isinstance(self.count, bool) or not isinstance(self.count, int):
            raise InvalidIntervalError(self.count, "count must be an int")
        if self.count < 1:
            raise InvalidIntervalError(self.count, "count must be at least 1")
        days = self.count * _UNIT_DAYS[unit]
        if days > _MOST_DAYS:
            raise InvalidIntervalError(
                self.count, "it spans more than datetime's 9,999 years"
            )

    def __repr__(self) -> str:
        """Return an evaluable form with the unit as its string value."""
        return f"Interval(unit={self.unit.value!r}, count={self.count})"

    def __str__(self) -> str:
        """Return ``'1 month'``, ``'30 days'``."""
        plural = "" if self.count == 1 else "s"
        return f"{self.count} {self.unit.value}{plural}"

    @classmethod
    def days(cls, count: int) -> Interval:
        """Return an interval of ``count`` days."""
        return cls(IntervalUnit.DAY, count)

    @classmethod
    def weeks(cls, count: int) -> Interval:
        """Return an interval of ``count`` weeks."""
        return cls(IntervalUnit.WEEK, count)

    @classmethod
    def months(cls, count: int) -> Interval:
        """Return an interval of ``count`` calendar months."""
        return cls(IntervalUnit.MONTH, count)

    @classmethod
    def years(cls, count: int) -> Interval:
        """Return an interval of ``count`` calendar years."""
        return cls(IntervalUnit.YEAR, count)

    @property
    def months_per_step(self) -> int:
        """Calendar months in one interval; 0 for day and week intervals."""
        if self.unit is IntervalUnit.MONTH:
            return self.count
        if self.unit is IntervalUnit.YEAR:
            return 12 * self.count
        return 0

    @property
    def days_per_step(self) -> int:
        """Days in one interval; 0 for month and year intervals."""
        if self.months_per_step:
            return 0
        return self.count * (7 if self.unit is IntervalUnit.WEEK else 1)

    def after(self, anchor: datetime, steps: int = 1) -> datetime:
        """Return ``anchor + steps * self`` on the anchor's wall clock.

        Always computed from ``anchor`` in one step, so the anchor's day of
        month survives short months.

        >>> from datetime import UTC, datetime
        >>> Interval.months(1).after(datetime(2024, 1, 31, tzinfo=UTC), 2)
        datetime.datetime(2024, 3, 31, 0, 0, tzinfo=datetime.timezone.utc)

        Raises:
            NaiveDatetimeError: ``anchor`` is not an aware datetime.
            ArgumentTypeError: ``steps`` is not an ``int``.
            DatetimeRangeError: The result is outside datetime's range.
        """
        require_aware("anchor", anchor)
        if isinstance(steps, bool) or not isinstance(steps, int):
            raise ArgumentTypeError("steps", steps, "an int")
        if abs(steps) > _MOST_DAYS:  # before multiplying: no huge values
            raise _beyond(self, anchor, steps)
        try:
            return _step(self, anchor, steps)
        except (OverflowError, ValueError):
            raise _beyond(self, anchor, steps) from None


def _beyond(interval: Interval, anchor: datetime, steps: int) -> Exception:
    """The error for ``steps`` intervals after ``anchor`` out of range."""
    return DatetimeRangeError(f"{interval} x {shown(steps)} after", anchor)


_ONE_DAY: Final = Interval.days(1)
_ONE_DAY_DELTA: Final = timedelta(days=1)
MONTHLY: Final = Interval.months(1)
"""One calendar month."""
ANNUAL: Final = Interval.years(1)
"""One calendar year."""


@final
@dataclass(frozen=True, slots=True)
class BillingPeriod:
    """A billing period ``[start, end)`` between two aware datetimes.

    Args:
        start: The first instant of the period (inclusive).
        end: The instant the next period starts (exclusive).

    Attributes:
        utc_start: ``start`` in UTC, computed once.
        utc_end: ``end`` in UTC, computed once.

    Raises:
        NaiveDatetimeError: ``start`` or ``end`` has no time zone.
        InvalidPeriodError: ``end`` is not after ``start``.

    >>> from datetime import UTC, datetime
    >>> june = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
    >>> june.end
    datetime.datetime(2024, 7, 1, 0, 0, tzinfo=datetime.timezone.utc)
    >>> june.days, june.seconds
    (30, 2592000)
    """

    start: datetime
    end: datetime
    # Compared too: two periods of equal wall times in one zone are equal
    # datetimes whatever their folds, yet different instants.
    utc_start: datetime = field(init=False, repr=False)
    utc_end: datetime = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Validate both bounds."""
        start = require_aware("period start", self.start)
        end = require_aware("period end", self.end)
        utc_start, utc_end = to_utc(start), to_utc(end)
        if utc_end <= utc_start:
            raise InvalidPeriodError(start, end)
        object.__setattr__(self, "utc_start", utc_start)
        object.__setattr__(self, "utc_end", utc_end)

    @classmethod
    def of_days(cls, start: datetime, days: int) -> BillingPeriod:
        """Return the period of ``days`` calendar days from ``start``.

        This is how to say "a 30 day month" as the worked examples do. Days
        are wall-clock days in ``start``'s time zone, so a day across a
        daylight-saving change lasts 23 or 25 hours.

        Raises:
            NaiveDatetimeError: ``start`` has no time zone.
            InvalidIntervalError: ``days`` is not a positive ``int``.
        """
        require_aware("period start", start)
        return cls(start, Interval.days(days).after(start))

    @classmethod
    def containing(
        cls, at: datetime, *, anchor: datetime, interval: Interval
    ) -> BillingPeriod:
        """Return the anchored period that contains ``at``.

        Shorthand for ``BillingCycle(anchor, interval).containing(at)``.

        >>> from datetime import UTC, datetime
        >>> p = BillingPeriod.containing(
        ...     datetime(2024, 2, 10, tzinfo=UTC),
        ...     anchor=datetime(2024, 1, 31, tzinfo=UTC),
        ...     interval=Interval.months(1),
        ... )
        >>> p.start.date(), p.end.date()
        (datetime.date(2024, 1, 31), datetime.date(2024, 2, 29))
        """
        return BillingCycle(anchor, interval).containing(at)

    def contains(self, at: datetime) -> bool:
        """Return whether ``start <= at < end``.

        Raises:
            NaiveDatetimeError: ``at`` has no time zone.
        """
        moment = to_utc(require_aware("moment", at))
        return self.utc_start <= moment < self.utc_end

    @property
    def duration(self) -> timedelta:
        """The elapsed time from start to end, taken in UTC."""
        return self.utc_end - self.utc_start

    @property
    def seconds(self) -> int:
        """Whole seconds in the period."""
        return elapsed_seconds(self, self.end)

    @property
    def days(self) -> int:
        """Whole wall-clock days in the period, in the start's time zone."""
        return elapsed_days(self, self.end)


@final
@dataclass(frozen=True, slots=True)
class BillingCycle:
    """The periods of an anchor and an interval: ``anchor + k * interval``.

    Args:
        anchor: The billing-cycle anchor, an aware datetime; its wall clock,
            day of month and time zone fix every boundary.
        interval: The length of one period.

    Raises:
        NaiveDatetimeError: ``anchor`` has no time zone.
        ArgumentTypeError: ``interval`` is not an :class:`Interval`.

    >>> from datetime import UTC, datetime
    >>> cycle = BillingCycle(datetime(2024, 1, 31, tzinfo=UTC), MONTHLY)
    >>> [cycle.period(k).start.date().isoformat() for k in range(4)]
    ['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30']
    """

    anchor: datetime
    interval: Interval

    def __post_init__(self) -> None:
        """Validate the anchor and the interval."""
        require_aware("anchor", self.anchor)
        if not isinstance(self.interval, Interval):
            raise ArgumentTypeError("interval", self.interval, "an Interval")

    def boundary(self, index: int) -> datetime:
        """Return the start of period ``index`` (0 starts at the anchor)."""
        return self.interval.after(self.anchor, index)

    def period(self, index: int) -> BillingPeriod:
        """Return period ``index``; negative indexes lie before the anchor.

        Cached, like the boundaries, by the anchor's wall time, zone and
        fold (never by the anchor itself: equal instants in two zones give
        different periods), so a subscription reading its period again
        builds and checks it once.
        """
        anchor = self.anchor
        return _cycle_period(
            self.interval,
            anchor.replace(tzinfo=None, fold=0),
            anchor.tzinfo,
            anchor.fold,
            index,
        )

    def index_of(self, at: datetime) -> int:
        """Return the index of the period that contains ``at``.

        Raises:
            NaiveDatetimeError: ``at`` has no time zone.
        """
        moment = to_utc(require_aware("moment", at))
        months = self.interval.months_per_step
        if months:
            local = moment.astimezone(self.anchor.tzinfo)
            gone = (local.year - self.anchor.year) * 12 + (
                local.month - self.anchor.month
            )
            index = gone // months
        else:
            step = timedelta(days=self.interval.days_per_step)
            index = (moment - to_utc(self.anchor)) // step
        while to_utc(self.boundary(index)) > moment:
            index -= 1
        while to_utc(self.boundary(index + 1)) <= moment:
            index += 1
        return index

    def containing(self, at: datetime) -> BillingPeriod:
        """Return the period that contains ``at``.

        Raises:
            NaiveDatetimeError: ``at`` has no time zone.
        """
        return self.period(self.index_of(at))

    def periods(self, start_index: int = 0) -> Iterator[BillingPeriod]:
        """Yield the periods from ``start_index`` on, without end."""
        index = start_index
        while True:
            yield self.period(index)
            index += 1


@lru_cache(maxsize=65536)
def _cycle_period(
    interval: Interval,
    wall: datetime,
    zone: tzinfo | None,
    fold: int,
    index: int,
) -> BillingPeriod:
    """Period ``index`` of the cycle anchored at ``wall`` in ``zone``."""
    anchor = wall.replace(tzinfo=zone, fold=fold)
    return BillingPeriod(
        interval.after(anchor, index), interval.after(anchor, index + 1)
    )


# -- day counting ------------------------------------------------------------
# Each function returns a position: whole units from the period's start to a
# moment. Amounts are proportional to differences of positions, so segments of
# one period always add up to its total.


def elapsed_seconds(period: BillingPeriod, at: datetime) -> int:
    """Return whole seconds from the period's start to ``at`` (floored)."""
    return whole_seconds(at.astimezone(UTC) - period.utc_start)


def whole_seconds(span: timedelta) -> int:
    """Return the whole seconds of ``span``, floored.

    A timedelta's days and seconds are its floor in seconds (its
    microseconds are never negative): no division needed.
    """
    return span.days * _SECONDS_A_DAY + span.seconds


def _whole_days(period: BillingPeriod, at: datetime, *, up: bool) -> int:
    """Return how many billing days of the period have begun by ``at``.

    Day ``k`` begins at ``start + k days`` on the start's wall clock, in its
    zone, compared as instants: so a period anchored at 14:30 has days from
    14:30 to 14:30, and a moment in a repeated DST hour never counts as
    earlier than it is. With ``up``, a day that has begun counts whole.
    """
    start, moment = period.start, to_utc(at)
    if type(start.tzinfo) is timezone:
        # A fixed offset (UTC among them): every day lasts 86,400 seconds,
        # so day k begins exactly k days after the start. A timedelta's
        # days are its floor in days, its seconds and microseconds >= 0.
        span = moment - period.utc_start
        begun = span.seconds or span.microseconds
        return span.days + 1 if up and begun else span.days
    index = (moment - period.utc_start) // _ONE_DAY_DELTA
    while to_utc(_step(_ONE_DAY, start, index)) > moment:
        index -= 1
    while to_utc(_step(_ONE_DAY, start, index + 1)) <= moment:
        index += 1
    if up and to_utc(_step(_ONE_DAY, start, index)) != moment:
        index += 1
    return index


def _day_date(period: BillingPeriod, at: datetime, *, up: bool) -> date:
    """Return the calendar date of the billing day ``at`` falls on.

    With ``up``, the next day's date, unless ``at`` starts a day.
    """
    days = _whole_days(period, at, up=up)
    return period.start.date() + timedelta(days=days)


def elapsed_days(
    period: BillingPeriod, at: datetime, *, up: bool = False
) -> int:
    """Return whole billing days from the period's start to ``at``.

    A day that has begun but not ended is not counted (so the day of a
    change goes to the plan in force at its end), unless ``up``: then it
    counts whole (the day goes to the plan in force at its start).
    """
    return _whole_days(period, at, up=up)


def _is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).month != day.month


@lru_cache(maxsize=65536)
def _month_boundary(first: date, months: int, anchor_day: int) -> date:
    """Return the date ``months`` after ``first`` on ``anchor_day``.

    A month shorter than ``anchor_day`` gives its last day instead.
    """
    year, month = divmod(first.month - 1 + months, 12)
    year += first.year
    month += 1
    return date(year, month, min(anchor_day, monthrange(year, month)[1]))


@lru_cache(maxsize=4096)
def _anchor_day(
    period: BillingPeriod,
    start_zone: tzinfo | None,  # noqa: ARG001 - part of the cache key
    end_zone: tzinfo | None,  # noqa: ARG001 - part of the cache key
) -> tuple[date, int]:
    """Return the period's first date and the day of the month it cuts at.

    Cached by the period's zones too: two periods of the same instants in
    two zones are equal and hash alike, yet start on different dates.
    """
    first = period.start.date()
    anchor_day = first.day
    if _is_month_end(first):  # perhaps a clamped anchor: Feb 29 for a 31st
        last = _day_date(period, period.end, up=False)
        anchor_day = max(first.day, last.day)
    return first, anchor_day


def _months_and_day(
    period: BillingPeriod, at: datetime, *, up: bool
) -> tuple[int, date, date, date]:
    """Cut the period into months at its anchor day; place ``at`` in one.

    Returns the whole months before ``at``'s billing day, the boundaries of
    the month it falls in, and that day. The anchor day is the start's day,
    or, when the period starts on a month's last day, perhaps a later one
    read off its end (a period from Feb 29 to Mar 31 has the anchor day 31).
    """
    first, anchor_day = _anchor_day(
        period, period.start.tzinfo, period.end.tzinfo
    )
    day = _day_date(period, at, up=up)
    months = (day.year - first.year) * 12 + day.month - first.month
    boundary = _month_boundary(first, months, anchor_day)
    if boundary > day:
        months -= 1
        boundary = _month_boundary(first, months, anchor_day)
    following = _month_boundary(first, months + 1, anchor_day)
    return months, boundary, following, day


def _date_30_360(day: date, month_days: int) -> int:
    """Return a calendar date's 30/360 number.

    ``month_days`` per month since year 0 plus the day of the month, not
    capped, so two dates' numbers differ by their 30/360 days.
    """
    return month_days * (12 * day.year + day.month) + day.day


@lru_cache(maxsize=4096)
def _frame_30_360(
    period: BillingPeriod,
    start_zone: tzinfo | None,  # noqa: ARG001 - part of the cache key
    end_zone: tzinfo | None,  # noqa: ARG001 - part of the cache key
    month_days: int,
) -> tuple[date, int, int]:
    """Return the period's first date, its 30/360 days and its end's number.

    A period of whole months has ``month_days`` a month; any other, the
    30/360 days from its first date to its end's. Cached by the period's
    zones too, as :func:`_anchor_day` is.
    """
    first = period.start.date()
    last = _day_date(period, period.end, up=False)
    for day in (first, last):
        _check_30_360(period, day, month_days)
    end = _date_30_360(last, month_days)
    months = whole_months(period)
    if months is None:
        return first, end - _date_30_360(first, month_days), end
    return first, months * month_days, end


def _check_30_360(period: BillingPeriod, day: date, month_days: int) -> None:
    """Refuse a day that ``month_days``-day months count out of order."""
    if day.day > month_days + 1:
        raise PeriodTooShortError(
            period.start,
            period.end,
            "days",
            why=f"has a moment on {day.isoformat()}, which {month_days}-day "
            "months count after the first of the next month",
            advice="use 30 or 31 days a month, or moments on other days",
        )


def elapsed_days_30_360(
    period: BillingPeriod,
    at: datetime,
    *,
    up: bool = False,
    month_days: int = 30,
) -> int:
    """Return 30/360 days from the period's start to ``at``, by calendar day.

    The days from one date to another are ``month_days`` for each month
    boundary crossed plus the difference of their days of the month: the
    count of Zuora's "Strict 30/360" and of Kill Bill's ``fixed.days``
    (``InvoiceDateUtils.daysBetweenWithFixedDaysInMonth``: actual days
    within a month, less the start month's last day minus ``month_days``
    across one). With 30 days a month the 31st counts nothing and the last
    day of February the rest of the 30.

    The time left, from ``at`` to the period's end, is counted so, as the
    platforms count a credit or a charge; the position is the period's
    days less that, and a period of whole months has ``month_days`` a
    month. Where a short month cuts the anchor day (a cycle anchored on the
    31st), the calendar count from the start differs from that: its first
    day takes up the difference (Jan 31 counts 3 days of the month to Feb
    29; Feb 29 nothing of the month to Mar 31). ``at`` falls on a billing
    day as in :func:`elapsed_days`; a day begun counts whole with ``up``.

    Raises:
        PeriodTooShortError: ``month_days`` is under 30 and ``at``, or the
            period's start or end, falls on a day past ``month_days + 1``,
            which the count would place after the next month's first day.
    """
    first, total, end = _frame_30_360(
        period, period.start.tzinfo, period.end.tzinfo, month_days
    )
    day = _day_date(period, at, up=up)
    _check_30_360(period, day, month_days)
    if day <= first:
        return 0
    return min(total, max(0, total - end + _date_30_360(day, month_days)))


def whole_months(period: BillingPeriod) -> int | None:
    """Return the calendar months the period spans, or None if not whole.

    Months are cut at the period's anchor day, as for ``months_first``: a
    period from Jan 31 to Feb 29 is one month.
    """
    months, boundary, _, day = _months_and_day(period, period.end, up=False)
    return months if day == boundary else None


def elapsed_months(
    period: BillingPeriod,
    at: datetime,
    *,
    up: bool = False,
    month_days: int | None = None,
) -> Fraction:
    """Return whole months plus a fraction from the period's start to ``at``.

    Months are cut at the period's anchor day. What is left of the period
    from ``at`` is measured as Zuora measures a stub: whole months to the
    end, plus the days from ``at`` to the next boundary over that month's
    actual days, or over ``month_days`` (capped at one month) when given;
    the position is the period's months less that.
    """
    months, boundary, following, day = _months_and_day(period, at, up=up)
    if day == boundary:
        return Fraction(months)
    length = (following - boundary).days if month_days is None else month_days
    stub = min(Fraction((following - day).days, length), Fraction(1))
    return months + 1 - stub
