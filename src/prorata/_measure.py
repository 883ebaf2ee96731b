"""Measuring time: the units of a period under each basis and day count.

Each function here returns a *position*: whole units (or, with
``months_first``, months and a fraction) from a period's start to a moment.
A priced stretch's units are the difference of two positions and its share
is units over the period's total, so the segments of one period always add
up to its total. Seconds are floored; days begin at the period's start on
its own wall clock; 30/360 counts by calendar date.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from typing import Final

from prorata._period import BillingPeriod, days_begun
from prorata._policy import Basis, ChangeDay, DayCount, ProrationPolicy
from prorata.errors import PeriodTooShortError

__all__ = [
    "TimeUnit",
    "total_units",
    "unit_of",
    "units_between",
]

_SECONDS_A_DAY: Final = 86_400
_SECONDS_BASIS: Final = Basis.SECONDS
_MINUTES_BASIS: Final = Basis.MINUTES


class TimeUnit(StrEnum):
    """The unit a :class:`Portion` counts."""

    SECOND = "second"
    MINUTE = "minute"
    DAY = "day"
    MONTH = "month"


def position(
    policy: ProrationPolicy,
    period: BillingPeriod,
    at: datetime,
    *,
    as_end: bool,
) -> int | Fraction:
    """Return the units of time from the period's start to ``at``.

    ``as_end`` says whether ``at`` ends the stretch being priced (the old
    plan's used time) or starts it (the unused and remaining time): under
    the day bases the policy's ``change_day`` decides, for a moment in the
    middle of a day, whether that day is counted before or after it.
    Whole units, except when ``months_first`` counts months and a fraction.
    """
    if policy.months_first:
        count = policy.effective_day_count
        fixed = None if count is DayCount.ACTUAL else policy.month_days
        up = _up(policy, as_end)
        return elapsed_months(
            period,
            at,
            up=up,
            month_days=fixed,
            by_date=count is DayCount.THIRTY_360,
        )
    return whole_position(policy, period, at, as_end=as_end)


def _up(policy: ProrationPolicy, as_end: bool) -> bool:  # noqa: FBT001
    owner = policy.change_day
    return owner is ChangeDay.OLD_PLAN or (owner is ChangeDay.BOTH and as_end)


def whole_position(
    policy: ProrationPolicy,
    period: BillingPeriod,
    at: datetime,
    *,
    as_end: bool,
) -> int:
    """:func:`position` for the day bases: whole days.

    The time bases (seconds, minutes) are measured by
    :func:`units_between` alone, in UTC instants.
    """
    if policy.effective_day_count is DayCount.THIRTY_360:
        return elapsed_days_30_360(
            period, at, up=_up(policy, as_end), month_days=policy.month_days
        )
    return elapsed_days(period, at, up=_up(policy, as_end))


def total_units(
    policy: ProrationPolicy, period: BillingPeriod
) -> int | Fraction:
    """Return the period's units: the denominator of every share of it."""
    return bounds(policy, period)[0]


def units_between(
    policy: ProrationPolicy,
    period: BillingPeriod,
    start: datetime,
    end: datetime,
) -> tuple[int | Fraction, int | Fraction]:
    """The units of ``[start, end)`` and the period's total, by the basis.

    The difference of the two moments' positions: ``start`` placed as the
    new side of a change is, ``end`` as the old plan's used time ends (the
    policy's ``change_day``). Every priced stretch is measured here.

    Raises:
        PeriodTooShortError: The period counts no unit of the basis.
    """
    basis = policy.basis
    if basis is _SECONDS_BASIS or basis is _MINUTES_BASIS:
        # Time bases, the default first: whole seconds from the start in
        # UTC, floored (a timedelta's days and seconds are its floor in
        # seconds); or whole clock minutes, both moments cut to their
        # minute, as Paddle counts them.
        origin = period.utc_start
        if basis is _SECONDS_BASIS:
            per, whole = 1, period.seconds
        else:
            origin -= timedelta(
                seconds=origin.second, microseconds=origin.microsecond
            )
            span = period.utc_end - origin
            per = 60
            whole = (span.days * _SECONDS_A_DAY + span.seconds) // per
        if whole <= 0:
            raise too_short(policy, period)
        # origin is in UTC: an aware moment of another zone subtracts by
        # its UTC offset (fold included), one in UTC as it stands.
        late = whole
        if end is not period.end:
            span = end - origin
            late = (span.days * _SECONDS_A_DAY + span.seconds) // per
        span = start - origin
        return late - (span.days * _SECONDS_A_DAY + span.seconds) // per, whole
    total, last = bounds(policy, period)
    # The period's end is the usual end of a stretch: its position is known.
    ends = (
        last
        if end is period.end
        else position(policy, period, end, as_end=True)
    )
    return ends - position(policy, period, start, as_end=False), total


def bounds(
    policy: ProrationPolicy, period: BillingPeriod
) -> tuple[int | Fraction, int | Fraction]:
    """Return the period's units and the position of its end.

    The two differ only under the fixed-month day count, whose total is
    ``month_days`` a month whatever the days of its months.

    Raises:
        PeriodTooShortError: The period counts no unit of the basis, or is
            no whole number of months under the fixed-month day count.
    """
    if policy.basis is _SECONDS_BASIS or policy.basis is _MINUTES_BASIS:
        whole = units_between(policy, period, period.start, period.end)[1]
        return whole, whole
    return _bounds_in(policy, period, period.start.tzinfo, period.end.tzinfo)


# The bounds are cached by the period's zones as well as the period: two
# periods of the same instants in two zones are equal and hash alike, yet
# count different days when one of the zones changes its clocks.


@lru_cache(maxsize=4096)
def _bounds_in(
    policy: ProrationPolicy,
    period: BillingPeriod,
    start_zone: tzinfo | None,  # noqa: ARG001 - part of the cache key
    end_zone: tzinfo | None,  # noqa: ARG001 - part of the cache key
) -> tuple[int | Fraction, int | Fraction]:
    end = position(policy, period, period.end, as_end=True)
    total = end
    if (
        policy.counts_days
        and policy.day_count is DayCount.FIXED_MONTH
        and not policy.months_first  # months are the unit then
    ):
        months = whole_months(period)
        if months is None:
            raise PeriodTooShortError(
                period.start,
                period.end,
                policy.basis,
                why="is no whole number of months, which the fixed-month day "
                f"count needs (each month counts {policy.month_days} days)",
                advice="use a whole-month period, or the 'actual' or "
                "'30/360' day count",
            )
        total = months * policy.month_days
    if total <= 0:
        raise too_short(policy, period)
    return total, end


def too_short(
    policy: ProrationPolicy, period: BillingPeriod
) -> PeriodTooShortError:
    """The error for a period that counts no time under the policy."""
    if not policy.months_first:
        return PeriodTooShortError(period.start, period.end, policy.basis)
    return PeriodTooShortError(
        period.start,
        period.end,
        policy.basis,
        why=f"counts no time under the {policy.basis} basis with whole "
        "months first (measured over fixed-length months, one day of a "
        "longer month counts nothing)",
        advice="use the seconds basis, months_first=False or a longer period",
    )


def unit_of(policy: ProrationPolicy) -> TimeUnit:
    if policy.months_first:
        return TimeUnit.MONTH
    if policy.basis is Basis.SECONDS:
        return TimeUnit.SECOND
    if policy.basis is Basis.MINUTES:
        return TimeUnit.MINUTE
    return TimeUnit.DAY


# -- day counting ----------------------------------------------------------


def _day_date(period: BillingPeriod, at: datetime, *, up: bool) -> date:
    """Return the calendar date of the billing day ``at`` falls on.

    With ``up``, the next day's date, unless ``at`` starts a day.
    """
    days = days_begun(period, at, up=up)
    return period.start.date() + timedelta(days=days)


def elapsed_days(
    period: BillingPeriod, at: datetime, *, up: bool = False
) -> int:
    """Return whole billing days from the period's start to ``at``.

    A day that has begun but not ended is not counted (so the day of a
    change goes to the plan in force at its end), unless ``up``: then it
    counts whole (the day goes to the plan in force at its start).
    """
    return days_begun(period, at, up=up)


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
    by_date: bool = False,
) -> Fraction:
    """Return whole months plus a fraction from the period's start to ``at``.

    Months are cut at the period's anchor day. What is left of the period
    from ``at`` is measured as Zuora measures a stub: whole months to the
    end, plus the days from ``at`` to the next boundary over that month's
    actual days, or over ``month_days`` (capped at one month) when given;
    the position is the period's months less that. With ``by_date``
    (strict 30/360) those days are counted 30/360 by calendar date, so 16
    to 31 January is 15 days: the 31st is the 30th.
    """
    months, boundary, following, day = _months_and_day(period, at, up=up)
    if day == boundary:
        return Fraction(months)
    if month_days is None:
        length, left = (following - boundary).days, (following - day).days
    else:
        length, left = month_days, (following - day).days
        if by_date:
            left = _date_30_360(following, month_days) - _date_30_360(
                day, month_days
            )
    stub = min(Fraction(max(left, 0), length), Fraction(1))
    return months + 1 - stub
