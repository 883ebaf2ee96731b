"""The forms an interval is written in: strings, relativedelta, timedelta.

A catalog writes ``interval = "3 months"``; code written with ``dateutil``
holds ``relativedelta(months=1)``. Both are the same :class:`Interval`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from prorata import (
    CatalogError,
    Interval,
    IntervalUnit,
    InvalidIntervalError,
    parse_catalog,
)


@pytest.mark.parametrize(
    ("form", "unit", "count"),
    [
        ("month", IntervalUnit.MONTH, 1),
        ("Month", IntervalUnit.MONTH, 1),
        ("3 months", IntervalUnit.MONTH, 3),
        ("30 days", IntervalUnit.DAY, 30),
        ("2 weeks", IntervalUnit.WEEK, 2),
        ("1 year", IntervalUnit.YEAR, 1),
        (relativedelta(months=1), IntervalUnit.MONTH, 1),
        (relativedelta(years=1), IntervalUnit.YEAR, 1),
        (relativedelta(months=18), IntervalUnit.MONTH, 18),  # 1 year 6 months
        (relativedelta(years=1, months=6), IntervalUnit.MONTH, 18),
        (relativedelta(weeks=2), IntervalUnit.DAY, 14),  # it keeps days
        (relativedelta(days=30), IntervalUnit.DAY, 30),
        (timedelta(days=7), IntervalUnit.DAY, 7),
    ],
)
def test_forms(form: object, unit: IntervalUnit, count: int) -> None:
    """Each form gives its unit and count."""
    interval = Interval(form)  # type: ignore[arg-type]
    assert (interval.unit, interval.count) == (unit, count)


def test_a_relativedelta_steps_as_dateutil_does() -> None:
    """The interval from a relativedelta lands where the relativedelta
    would, from an anchor on the 31st, for each of 24 steps."""
    anchor = datetime(2024, 1, 31, tzinfo=UTC)
    delta = relativedelta(months=1)
    interval = Interval(delta)
    for steps in range(24):
        assert interval.after(anchor, steps) == anchor + steps * delta


@pytest.mark.parametrize(
    ("form", "count", "says"),
    [
        (relativedelta(hours=1), 1, "whole years, months or days"),
        (relativedelta(months=1, days=2), 1, "one kind"),
        (relativedelta(day=31), 1, "whole years"),
        (relativedelta(months=1, leapdays=1), 1, "whole years"),
        (relativedelta(months=-1), 1, "at least 1"),
        (relativedelta(), 1, "at least 1"),
        (timedelta(hours=36), 1, "whole days"),
        ("3 fortnights", 1, "unknown unit"),
        ("months 3", 1, "unknown unit"),
        ("3 months", 2, "written in it"),
        (relativedelta(months=1), 2, "no count"),
        ("\u00b3 months", 1, "unknown unit"),  # a digit, but not 0-9
    ],
)
def test_refused(form: object, count: int, says: str) -> None:
    """A form that is no interval is refused with the reason."""
    with pytest.raises(InvalidIntervalError, match=says):
        Interval(form, count)  # type: ignore[arg-type]


def test_catalogs_read_the_same_forms() -> None:
    """A catalog's interval is read by the same rule as Interval's."""
    plan = {"id": "q", "price": "30", "interval": "3 Months"}
    data = {"currency": "USD", "plans": [plan]}
    assert parse_catalog(data)["q"].interval == Interval("3 months")


def test_a_count_of_thousands_of_digits_is_refused() -> None:
    """ "<5,000 digits> days" is an InvalidIntervalError (Python's limit on
    long digit strings would raise ValueError), and a catalog names it."""
    with pytest.raises(InvalidIntervalError, match="too large"):
        Interval("1" * 5000 + " days")
    plan = {"id": "a", "price": "1", "interval": "1" * 5000 + " days"}
    with pytest.raises(CatalogError, match="interval"):
        parse_catalog({"currency": "USD", "plans": [plan]})


@pytest.mark.parametrize("count", [True, 1.0])
def test_a_written_count_takes_no_other_count(count: object) -> None:
    """Interval("3 months", True) is refused, as Interval("month", True)."""
    with pytest.raises(InvalidIntervalError):
        Interval("3 months", count)  # type: ignore[arg-type]
