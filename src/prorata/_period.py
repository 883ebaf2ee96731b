"""Billing periods, intervals and anchored billing cycles.

Every boundary is ``anchor + k * interval`` computed from the anchor, never
by chaining ``+ 1 month``, so an anchor on the 31st comes back on every month
that has a 31st and periods tile time with no gap or overlap. Wall-clock
arithmetic happens in the anchor's own time zone; every comparison and every
elapsed time is taken in UTC, because Python compares two aware datetimes that
share a ``tzinfo`` by their wall clocks, which is wrong across a DST change.

``dateutil`` stays inside this module and :mod:`prorata._interval_forms`:
it is mutable, and appears in a public signature only as one of the forms
:class:`Interval` reads (a ``relativedelta``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Final, final

from dateutil.relativedelta import relativedelta

from prorata._display import displayed
from prorata._interval_forms import unit_and_count
from prorata.errors import (
    ArgumentTypeError,
    DatetimeRangeError,
    InvalidIntervalError,
    InvalidPeriodError,
    NaiveDatetimeError,
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
    "day_boundary",
    "days_begun",
    "require_aware",
    "to_utc",
]

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
@displayed
class Interval:
    """A billing interval: a positive count of days, weeks, months or years.

    Months and years are calendar months: an anchor on the 31st falls on the
    last day of shorter months and comes back to the 31st after them.

    Args:
        unit: The calendar unit; or, with no ``count``, an interval written
            as a catalog writes it (``"month"``, ``"3 months"``,
            ``"30 days"``), a ``relativedelta`` of whole years, months or
            days, or a ``timedelta`` of whole days.
        count: How many units, at least 1.

    Raises:
        InvalidIntervalError: A count that is not a positive ``int``, or an
            unknown unit.

    >>> Interval.months(1), Interval.days(30)
    (Interval(unit='month', count=1), Interval(unit='day', count=30))
    >>> str(Interval.years(1))
    '1 year'
    >>> from dateutil.relativedelta import relativedelta
    >>> Interval("3 months") == Interval(relativedelta(months=3))
    True
    """

    unit: IntervalUnit
    count: int = 1

    if TYPE_CHECKING:

        def __init__(
            self,
            unit: IntervalUnit | str | relativedelta | timedelta,
            count: int = 1,
        ) -> None: ...

    def __post_init__(self) -> None:
        """Validate the unit and the count."""
        unit = self.unit
        if type(unit) is not IntervalUnit:
            name, count = unit_and_count(unit, self.count)
            unit = IntervalUnit(name)
            object.__setattr__(self, "unit", unit)
            object.__setattr__(self, "count", count)
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
@displayed
class BillingPeriod:
    """A billing period ``[start, end)`` between two aware datetimes.

    Args:
        start: The first instant of the period (inclusive).
        end: The instant the next period starts (exclusive).

    Attributes:
        utc_start: ``start`` in UTC, computed once.
        utc_end: ``end`` in UTC, computed once.
        seconds: The whole seconds in the period, computed once.

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
    seconds: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Validate both bounds."""
        start = require_aware("period start", self.start)
        end = require_aware("period end", self.end)
        utc_start, utc_end = to_utc(start), to_utc(end)
        if utc_end <= utc_start:
            raise InvalidPeriodError(start, end)
        object.__setattr__(self, "utc_start", utc_start)
        object.__setattr__(self, "utc_end", utc_end)
        # A timedelta's days and seconds are its floor in whole seconds.
        span = utc_end - utc_start
        object.__setattr__(
            self, "seconds", span.days * _SECONDS_A_DAY + span.seconds
        )

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
    def days(self) -> int:
        """Whole wall-clock days in the period, in the start's time zone."""
        return days_begun(self, self.end, up=False)


@final
@dataclass(frozen=True, slots=True)
@displayed
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
    # The periods this cycle has built, by index: a cache, not state.
    _built: dict[int, BillingPeriod] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        """Validate the anchor and the interval."""
        require_aware("anchor", self.anchor)
        if not isinstance(self.interval, Interval):
            raise ArgumentTypeError("interval", self.interval, "an Interval")

    def boundary(self, index: int) -> datetime:
        """Return the start of period ``index`` (0 starts at the anchor)."""
        if type(index) is not int:
            return self.interval.after(self.anchor, index)
        return self.period(index).start  # cached with the period

    def period(self, index: int) -> BillingPeriod:
        """Return period ``index``; negative indexes lie before the anchor.

        Cached, like the boundaries, by the anchor's wall time, zone and
        fold (never by the anchor itself: equal instants in two zones give
        different periods), so a subscription reading its period again
        builds and checks it once.
        """
        built = self._built.get(index) if type(index) is int else None
        if built is not None:
            return built
        anchor = self.anchor
        if type(index) is not int:  # an unhashable index must not reach it
            return BillingPeriod(
                self.boundary(index), self.boundary(index + 1)
            )
        built = _cycle_period(
            self.interval,
            anchor.replace(tzinfo=None, fold=0),
            anchor.tzinfo,
            anchor.fold,
            index,
        )
        if len(self._built) < _KEPT:
            self._built[index] = built
        return built

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


# The most periods one cycle keeps built (a long bill_through keeps a few).
_KEPT: Final = 64


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


def days_begun(period: BillingPeriod, at: datetime, *, up: bool) -> int:
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
    while _day_begins(start, index) > moment:
        index -= 1
    while _day_begins(start, index + 1) <= moment:
        index += 1
    if up and _day_begins(start, index) != moment:
        index += 1
    return index


def day_boundary(
    period: BillingPeriod, at: datetime, *, after: bool
) -> datetime:
    """Return the start of the billing day ``at`` falls on, or the next.

    With ``after``, the start of the day after it; never past the period.
    """
    index = days_begun(period, at, up=False) + (1 if after else 0)
    moment = _day_begins(period.start, index)
    if moment >= period.utc_end:
        return period.end
    return moment.astimezone(period.start.tzinfo)


def _day_begins(start: datetime, index: int) -> datetime:
    """The UTC instant billing day ``index`` begins, on ``start``'s clock."""
    return to_utc(_step(_ONE_DAY, start, index))
