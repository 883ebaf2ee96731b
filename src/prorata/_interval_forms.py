"""The forms an interval is written in, read into a unit and a count.

:class:`prorata.Interval` takes a unit and a count, or one value in a form
people and catalogs write: ``"month"``, ``"3 months"``, ``"30 days"``, a
``dateutil`` ``relativedelta`` of whole years, months or days (it keeps
weeks as days), or a ``timedelta`` of whole days.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from dateutil.relativedelta import relativedelta

from prorata.errors import InvalidIntervalError

__all__ = ["unit_and_count"]

_UNITS: Final = frozenset({"day", "week", "month", "year"})
# The most digits a written count may have: 3,652,059 days span datetime.
_LONGEST: Final = 7


def unit_and_count(unit: object, count: object) -> tuple[str, object]:
    """An interval's unit and count from any form :class:`Interval` takes."""
    if isinstance(unit, relativedelta | timedelta):
        return _of_delta(unit, count)
    if isinstance(unit, str) and unit not in _UNITS:
        written, _, name = unit.strip().lower().partition(" ")
        if not name:  # "month"
            written, name = "1", written
        name = name.strip().removesuffix("s")
        if name in _UNITS and written.isascii() and written.isdigit():
            if type(count) is not int or count != 1:
                raise InvalidIntervalError(unit, "its count is written in it")
            if len(written) > _LONGEST:  # beyond any interval's days
                raise InvalidIntervalError(unit, "its count is too large")
            return name, int(written)
    if not isinstance(unit, str) or unit not in _UNITS:
        raise InvalidIntervalError(
            unit, 'unknown unit; write e.g. "month", "3 months", "30 days"'
        )
    return unit, count


# A relativedelta's fields that an interval cannot hold.
_NOT_AN_INTERVAL: Final = (
    "hours",
    "minutes",
    "seconds",
    "microseconds",
    "leapdays",
    "year",
    "month",
    "day",
    "weekday",
    "hour",
    "minute",
    "second",
    "microsecond",
)


def _of_delta(
    delta: relativedelta | timedelta, count: object
) -> tuple[str, object]:
    """The unit and count of a whole-days timedelta or a relativedelta."""
    if isinstance(delta, timedelta):
        if (
            delta.seconds
            or delta.microseconds
            or type(count) is not int
            or count != 1
        ):
            raise InvalidIntervalError(delta, "pass whole days, and no count")
        return "day", delta.days
    calendar = delta.years * 12 + delta.months
    if (
        type(count) is not int
        or count != 1
        or any(getattr(delta, name) for name in _NOT_AN_INTERVAL)
        or (calendar and delta.days)
    ):
        raise InvalidIntervalError(
            delta, "pass whole years, months or days, one kind, and no count"
        )
    if delta.days:
        return "day", delta.days
    if delta.months:
        return "month", calendar
    return "year", delta.years
