"""Periods, intervals and anchored billing cycles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

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
    ProrationPolicy,
    prorate,
)

NEW_YORK = ZoneInfo("America/New_York")


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


class TestInterval:
    def test_constructors(self) -> None:
        """Named constructors give the unit and count."""
        assert Interval.weeks(2) == Interval(IntervalUnit.WEEK, 2)
        assert Interval("month") == MONTHLY  # type: ignore[arg-type]
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
