"""Periods, intervals and anchored billing cycles."""

from __future__ import annotations

import contextlib
from calendar import monthrange
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    ANNUAL,
    MONTHLY,
    Basis,
    BillingCycle,
    BillingPeriod,
    Interval,
    IntervalUnit,
    Money,
    Plan,
    PlanChange,
    ProrataError,
    ProrationPolicy,
    prorate,
)
from tests.common import in_utc, utc
from tests.strategies import (
    aware_datetimes,
    billing_cycles,
    instants,
    instants_near,
    spoiled,
)

NEW_YORK = ZoneInfo("America/New_York")


class TestInterval:
    def test_constructors(self) -> None:
        """Named constructors give the unit and count."""
        assert Interval.weeks(2) == Interval(IntervalUnit.WEEK, 2)
        assert Interval("month") == MONTHLY
        assert ANNUAL.months_per_step == 12
        assert Interval.weeks(2).days_per_step == 14
        assert MONTHLY.days_per_step == 0

    def test_str(self) -> None:
        """Intervals read as English."""
        assert str(Interval.days(30)) == "30 days"
        assert str(MONTHLY) == "1 month"


class TestBillingPeriod:
    def test_of_days_is_a_30_day_month(self) -> None:
        """'for this example, in a 30 day month'."""
        period = BillingPeriod.of_days(utc(2024, 6, 1), 30)
        assert period.end == utc(2024, 7, 1)
        assert period.days == 30
        assert period.seconds == 30 * 86_400

    def test_half_open(self) -> None:
        """The start belongs to the period, the end to the next one."""
        period = BillingPeriod.of_days(utc(2024, 6, 1), 30)
        assert period.contains(period.start)
        assert not period.contains(period.end)
        assert period.contains(period.end - timedelta(microseconds=1))

    def test_dst_day_has_23_hours(self) -> None:
        """A wall-clock day across the spring change lasts 23 hours."""
        start = datetime(2024, 3, 10, tzinfo=NEW_YORK)
        period = BillingPeriod.of_days(start, 1)
        assert period.duration == timedelta(hours=23)
        assert period.days == 1
        assert period.seconds == 23 * 3600

    def test_containing_shorthand(self) -> None:
        """BillingPeriod.containing is the cycle's containing."""
        period = BillingPeriod.containing(
            utc(2024, 3, 5), anchor=utc(2024, 1, 31), interval=MONTHLY
        )
        assert (period.start, period.end) == (
            utc(2024, 2, 29),
            utc(2024, 3, 31),
        )


class TestBillingCycle:
    def test_anchor_day_survives_short_months(self) -> None:
        """Jan 31 -> Feb 29 (leap year) -> Mar 31, as Stripe keeps it."""
        cycle = BillingCycle(utc(2024, 1, 31), MONTHLY)
        starts = [cycle.boundary(k) for k in range(5)]
        assert starts == [
            utc(2024, 1, 31),
            utc(2024, 2, 29),
            utc(2024, 3, 31),
            utc(2024, 4, 30),
            utc(2024, 5, 31),
        ]

    def test_before_the_anchor(self) -> None:
        """Negative indexes reach back from the anchor."""
        cycle = BillingCycle(utc(2024, 1, 31), MONTHLY)
        assert cycle.boundary(-1) == utc(2023, 12, 31)
        assert cycle.index_of(utc(2023, 12, 31, 12)) == -1

    def test_containing_at_a_boundary(self) -> None:
        """A boundary instant starts the later period."""
        cycle = BillingCycle(utc(2024, 1, 31), MONTHLY)
        assert cycle.containing(utc(2024, 2, 29)).start == utc(2024, 2, 29)
        before = utc(2024, 2, 29) - timedelta(microseconds=1)
        assert cycle.containing(before).start == utc(2024, 1, 31)

    def test_annual_from_leap_day(self) -> None:
        """An annual anchor on Feb 29 falls on Feb 28, then Feb 29 again."""
        cycle = BillingCycle(utc(2024, 2, 29), ANNUAL)
        assert cycle.boundary(1) == utc(2025, 2, 28)
        assert cycle.boundary(4) == utc(2028, 2, 29)

    def test_wall_clock_kept_across_dst(self) -> None:
        """A 09:00 New York anchor bills at 09:00 in winter and summer."""
        cycle = BillingCycle(
            datetime(2024, 1, 15, 9, tzinfo=NEW_YORK), MONTHLY
        )
        march = cycle.period(1)
        assert march.end.hour == 9
        assert march.end.utcoffset() == timedelta(hours=-4)
        assert march.start.utcoffset() == timedelta(hours=-5)
        assert march.duration == timedelta(days=29, hours=-1)

    def test_containing_uses_the_instant_not_the_wall_clock(self) -> None:
        """An instant given in another zone finds the same period."""
        cycle = BillingCycle(datetime(2024, 1, 1, tzinfo=NEW_YORK), MONTHLY)
        # 2024-02-01 03:00 UTC is still Jan 31 22:00 in New York.
        assert cycle.containing(utc(2024, 2, 1, 3)).start.month == 1

    def test_day_intervals(self) -> None:
        """A 30-day cycle steps 30 wall-clock days at a time."""
        cycle = BillingCycle(utc(2024, 1, 1), Interval.days(30))
        assert cycle.index_of(utc(2024, 3, 1)) == 2
        assert cycle.period(2).start == utc(2024, 3, 1)

    def test_periods_iterate(self) -> None:
        """periods() yields consecutive, touching periods."""
        cycle = BillingCycle(utc(2024, 1, 31), MONTHLY)
        periods = cycle.periods()
        first, second = next(periods), next(periods)
        assert first.end == second.start


def test_one_instant_in_two_zones_steps_apart() -> None:
    """Boundaries follow the anchor's own wall clock: 15 Jan in Berlin and
    the same instant in UTC step to different instants once summer time
    begins (a cache keyed on the two equal datetimes would mix them up)."""
    berlin = datetime(2024, 1, 15, tzinfo=ZoneInfo("Europe/Berlin"))
    same_instant = berlin.astimezone(UTC)
    assert berlin == same_instant
    in_berlin = BillingCycle(berlin, MONTHLY).boundary(3)
    in_utc = BillingCycle(same_instant, MONTHLY).boundary(3)
    assert in_berlin == utc(2024, 4, 14, 22)  # midnight, summer time
    assert in_utc == utc(2024, 4, 14, 23)


def test_one_period_in_two_zones_counts_its_own_days() -> None:
    """March 2024 in Berlin holds 31 billing days; the same two instants
    in UTC hold 30 days and 23 hours. The periods are equal (same instants)
    and hash alike, so a cache of period totals keyed on the period alone
    priced the second one asked with the first one's total."""
    berlin = ZoneInfo("Europe/Berlin")
    in_berlin = BillingPeriod(
        datetime(2024, 3, 1, tzinfo=berlin),
        datetime(2024, 4, 1, tzinfo=berlin),
    )
    in_utc = BillingPeriod(
        in_berlin.start.astimezone(UTC), in_berlin.end.astimezone(UTC)
    )
    assert in_berlin == in_utc
    days = ProrationPolicy(basis=Basis.DAYS)
    a = Plan(id="a", price=Money("31", "USD"))
    b = Plan(id="b", price=Money("62", "USD"))
    change = PlanChange(a, b, at=datetime(2024, 3, 11, tzinfo=berlin))
    for first, second in ((in_utc, in_berlin), (in_berlin, in_utc)):
        prorate(change, first, days)  # fills any cache first
        total = prorate(change, second, days).remaining.portion.total
        assert total == (31 if second is in_berlin else 30)


class TestFolds:
    """A fold (the repeated hour of a DST change) is part of a moment (#11)."""

    @staticmethod
    def day_from(fold: int) -> BillingPeriod:
        return BillingPeriod(
            datetime(2024, 11, 3, 1, 30, fold=fold, tzinfo=NEW_YORK),
            datetime(2024, 11, 4, 1, 30, tzinfo=NEW_YORK),
        )

    def test_two_folds_are_two_periods(self) -> None:
        """The first 01:30 starts 90,000 s before the end, the second
        86,400 s; as periods they differ, so no cache confuses them."""
        first, second = self.day_from(0), self.day_from(1)
        assert (first.seconds, second.seconds) == (90_000, 86_400)
        assert first != second
        plan = Plan(id="p", price=Money("100", "USD"))
        minutes = ProrationPolicy(basis=Basis.MINUTES)
        totals = [
            prorate(
                PlanChange(plan, plan, at=p.start), p, minutes
            ).remaining.portion.total
            for p in (first, second)
        ]
        assert totals == [1500, 1440]

    def test_a_cycle_starts_at_its_anchor_in_the_repeated_hour(self) -> None:
        """Anchored at the second 01:30, period 0 starts there, not at the
        first 01:30 an hour before."""
        anchor = datetime(2024, 11, 3, 1, 30, fold=1, tzinfo=NEW_YORK)
        period = BillingCycle(anchor, Interval.days(1)).period(0)
        assert period.utc_start == anchor.astimezone(UTC)
        assert period.duration == timedelta(hours=24)

    def test_a_skipped_start_counts_its_days_once(self) -> None:
        """From 02:30 (fold=1, a wall time the spring change skips), a change
        at the start credits the whole $100 over 30 days, not $103.33."""
        start = datetime(2024, 3, 10, 2, 30, fold=1, tzinfo=NEW_YORK)
        period = BillingPeriod.of_days(start, 30)
        plan = Plan(id="p", price=Money("100", "USD"))
        q = prorate(
            PlanChange(plan, plan, at=start),
            period,
            ProrationPolicy(basis=Basis.DAYS),
        )
        assert (q.used.portion.units, q.remaining.portion.units) == (0, 30)
        assert q.credit == Money("100.00", "USD")


# -- properties (issue #2) ----------------------------------------------------


@settings(max_examples=150)
@given(
    cycle=billing_cycles(),
    first=st.integers(-3, 12),
    data=st.data(),
)
def test_anchored_periods_tile_time(
    cycle: BillingCycle, first: int, data: st.DataObject
) -> None:
    """Anchored periods tile time: no gap, no overlap, none empty."""
    ks = range(first, first + 4)
    chosen = [cycle.period(k) for k in ks]
    for earlier, later in pairwise(chosen):
        assert earlier.end == later.start
        assert in_utc(earlier.end) == in_utc(later.start)
    for period in chosen:
        assert in_utc(period.start) < in_utc(period.end)

    boundaries = tuple(in_utc(period.start) for period in chosen)
    at = data.draw(instants() | instants_near(boundaries))
    found = cycle.containing(at)
    assert found.contains(at)
    assert in_utc(found.start) <= in_utc(at) < in_utc(found.end)
    assert found == cycle.period(cycle.index_of(at))


@given(
    cycle=billing_cycles(min_days=1),
    k=st.integers(-30, 60),
)
def test_the_anchor_day_and_time_are_kept(cycle: BillingCycle, k: int) -> None:
    """Each period starts on the anchor's day (or month end) and clock."""
    anchor, interval = cycle.anchor, cycle.interval
    start = cycle.period(k).start

    assert start.tzinfo is anchor.tzinfo
    assert (start.hour, start.minute, start.second, start.microsecond) == (
        anchor.hour,
        anchor.minute,
        anchor.second,
        anchor.microsecond,
    )
    months = interval.months_per_step
    if months:
        year, month = divmod(anchor.month - 1 + k * months, 12)
        year, month = anchor.year + year, month + 1
        day = min(anchor.day, monthrange(year, month)[1])
        assert start.date() == date(year, month, day)
    else:
        days = timedelta(days=k * interval.days_per_step)
        assert start.date() == anchor.date() + days


@given(kwargs=spoiled({"start": aware_datetimes(), "end": aware_datetimes()}))
def test_billing_period_builds_or_refuses_with_a_prorata_error(
    kwargs: dict[str, Any],
) -> None:
    """BillingPeriod(...) builds or raises a ProrataError, whatever it gets."""
    with contextlib.suppress(ProrataError):
        BillingPeriod(**kwargs)
