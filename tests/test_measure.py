"""Measuring time (``prorata._measure``): the units a stretch of time holds.

Under each basis: seconds (floored), minutes, days (from the period's start
on its own wall clock), 30-day months; under each day count: actual, fixed
months, 30/360 by calendar date; who owns the day of a change; and periods
too short for any whole unit. Then zones: day counts follow the calendar
across DST, a fixed offset counts as its ``zoneinfo`` twin, and what is
cached per period never prices the same instants written in another zone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    ANNUAL,
    MONTHLY,
    Basis,
    BillingCycle,
    BillingPeriod,
    ChangeDay,
    DayCount,
    Interval,
    Money,
    PeriodTooShortError,
    Plan,
    PlanChange,
    Proration,
    ProrationPolicy,
    presets,
    prorate,
)
from prorata._measure import _anchor_day, _bounds_in
from tests.common import NOVEMBER, amounts, days, plan_at, usd, utc
from tests.strategies import (
    changes_in,
    dst_periods,
    policies,
    usd_prices,
    zones,
)

BERLIN = ZoneInfo("Europe/Berlin")
# A and B cost $1 and $2 a day of a 31-day month; A30 and B100 are the
# option examples' plans, in 30-day November.
A = Plan(id="a", name="A", price=Money("31", "USD"), rank=1)
B = Plan(id="b", name="B", price=Money("62", "USD"), rank=2)
A30 = Plan(id="a", name="A", price=usd("30"), rank=1)
B100 = Plan(id="b", name="B", price=usd("100"), rank=2)


# -- seconds and minutes ------------------------------------------------------


class TestSeconds:
    def test_default_basis_is_seconds(self) -> None:
        """Without a policy, time is counted to the second."""
        period = BillingPeriod.of_days(datetime(2024, 7, 1, tzinfo=UTC), 31)
        q = prorate(
            PlanChange(A, B, at=period.start + timedelta(hours=1)), period
        )
        assert q.unused.portion.units == 31 * 86_400 - 3_600
        assert q.unused.portion.total == 31 * 86_400

    def test_moment_is_floored_to_its_second(self) -> None:
        """Microseconds do not move the price: a proration date is a second."""
        period = BillingPeriod.of_days(datetime(2024, 7, 1, tzinfo=UTC), 31)
        at = period.start + timedelta(hours=1)
        plain = prorate(PlanChange(A, B, at=at), period)
        later = prorate(
            PlanChange(A, B, at=at + timedelta(microseconds=999_999)), period
        )
        assert plain.unused.exact == later.unused.exact

    def test_dst_hour_is_not_charged(self) -> None:
        """Across the spring change a Berlin month has 743 hours, and the
        seconds basis prices exactly those."""
        period = BillingPeriod.of_days(datetime(2024, 3, 1, tzinfo=BERLIN), 31)
        q = prorate(PlanChange(A, B, at=period.start), period)
        assert q.unused.portion.total == 743 * 3600
        assert q.credit == A.price


class TestMinutes:
    def test_minutes(self) -> None:
        """The minutes basis floors a change to its minute."""
        at = NOVEMBER.start + timedelta(days=10, seconds=59)
        q = prorate(
            PlanChange(A30, B100, at=at), NOVEMBER, days(Basis.MINUTES)
        )
        assert q.unused.portion.units == 20 * 24 * 60
        assert str(q.unused.portion) == "20 days"


# -- days ---------------------------------------------------------------------


class TestDays:
    def test_change_day_goes_to_the_new_plan(self) -> None:
        """A change at 15:00 on day 11 charges the new plan from that day."""
        period = BillingPeriod.of_days(datetime(2024, 7, 1, tzinfo=UTC), 31)
        at = datetime(2024, 7, 11, 15, tzinfo=UTC)
        q = prorate(PlanChange(A, B, at=at), period, days(Basis.DAYS))
        assert (q.used.portion.units, q.remaining.portion.units) == (10, 21)
        assert q.credit == Money("21", "USD")
        assert q.charge == Money("42", "USD")

    def test_days_start_at_the_period_start_time(self) -> None:
        """A period starting at 14:30 has days from 14:30 to 14:30."""
        start = datetime(2024, 7, 1, 14, 30, tzinfo=UTC)
        period = BillingPeriod.of_days(start, 31)
        early = prorate(
            PlanChange(A, B, at=start + timedelta(days=1, hours=-1)),
            period,
            days(Basis.DAYS),
        )
        late = prorate(
            PlanChange(A, B, at=start + timedelta(days=1)),
            period,
            days(Basis.DAYS),
        )
        assert early.used.portion.units == 0
        assert late.used.portion.units == 1

    def test_same_result_in_utc_and_across_dst(self) -> None:
        """Day counting follows the calendar, not 24-hour blocks: a Berlin
        month with the spring change prorates like a UTC one."""
        berlin = BillingPeriod.of_days(datetime(2024, 3, 1, tzinfo=BERLIN), 31)
        utc = BillingPeriod.of_days(datetime(2024, 3, 1, tzinfo=UTC), 31)
        assert berlin.duration == timedelta(days=31, hours=-1)
        for day in range(31):
            q_berlin = prorate(
                PlanChange(A, B, at=berlin.start + timedelta(days=day)),
                berlin,
                days(Basis.DAYS),
            )
            q_utc = prorate(
                PlanChange(A, B, at=utc.start + timedelta(days=day)),
                utc,
                days(Basis.DAYS),
            )
            assert q_berlin.net == q_utc.net, day
            assert q_berlin.remaining.portion == q_utc.remaining.portion


@pytest.mark.parametrize(
    ("basis", "hours"), [(Basis.DAYS, 12), (Basis.THIRTY_DAY_MONTH, 12)]
)
def test_a_period_without_a_whole_unit_is_refused(
    basis: Basis, hours: int
) -> None:
    """Half a day cannot be priced by days: a ProrataError, not a crash."""
    from prorata import PeriodTooShortError  # noqa: PLC0415

    start = datetime(2024, 7, 1, tzinfo=UTC)
    period = BillingPeriod(start, start + timedelta(hours=hours))
    with pytest.raises(PeriodTooShortError, match="2024-07-01T12:00:00"):
        prorate(PlanChange(A, B, at=start), period, days(basis))


# -- the change day -----------------------------------------------------------


class TestChangeDay:
    AT = datetime(2024, 11, 15, 12, tzinfo=UTC)  # mid-day on Nov 15

    def test_new_plan_owns_the_change_day_by_default(self) -> None:
        """Nov 15 goes to B: 16 days left of 30."""
        q = prorate(PlanChange(A30, B100, at=self.AT), NOVEMBER, days())
        assert (q.unused.portion.units, q.remaining.portion.units) == (16, 16)

    def test_old_plan_owns_it(self) -> None:
        """Chargebee's day mode counts the change day as used: A 30 -> B 100
        on 15 Nov credits 15 and charges 50 (conventions-a.md, Chargebee
        example 2)."""
        q = prorate(
            PlanChange(A30, B100, at=self.AT),
            NOVEMBER,
            days(change_day=ChangeDay.OLD_PLAN),
        )
        assert (q.credit, q.charge, q.net) == (usd("15"), usd("50"), usd("35"))

    def test_both_own_it_under_inclusive_counting(self) -> None:
        """Inclusive counting bills the change day on both plans."""
        q = prorate(
            PlanChange(A30, B100, at=self.AT),
            NOVEMBER,
            days(change_day=ChangeDay.BOTH),
        )
        assert q.used.portion.units + q.remaining.portion.units == 31
        assert q.unused.portion.units == 16

    def test_a_change_at_midnight_is_the_same_under_every_owner(self) -> None:
        """At the start of a day there is no day to own."""
        at = datetime(2024, 11, 15, tzinfo=UTC)
        nets = {
            prorate(
                PlanChange(A30, B100, at=at), NOVEMBER, days(change_day=o)
            ).net
            for o in ChangeDay
        }
        assert nets == {usd("37.33")}  # 100 x 16/30 - 30 x 16/30


# -- day counts ---------------------------------------------------------------


class TestThirtyDayMonth:
    @pytest.mark.parametrize("day", range(1, 32))
    def test_every_monthly_period_has_30_days(self, day: int) -> None:
        """Whatever the month, a monthly period counts 30 days."""
        cycle = BillingCycle(datetime(2023, 1, day, tzinfo=UTC), MONTHLY)
        for index in range(26):  # two Februaries, one of them leap
            period = cycle.period(index)
            q = prorate(
                PlanChange(A, A, at=period.start),
                period,
                days(Basis.THIRTY_DAY_MONTH),
            )
            assert q.unused.portion.total == 30, period
            assert q.unused.portion.units == 30

    def test_a_year_has_360_days(self) -> None:
        """An annual period counts 12 x 30 days."""
        period = BillingCycle(datetime(2024, 3, 1, tzinfo=UTC), ANNUAL).period(
            0
        )
        q = prorate(
            PlanChange(A, B, at=period.start),
            period,
            days(Basis.THIRTY_DAY_MONTH),
        )
        assert q.unused.portion.total == 360

    def test_month_end_change(self) -> None:
        """The 31st counts nothing: a change on it leaves one day of 30."""
        period = BillingCycle(
            datetime(2024, 1, 1, tzinfo=UTC), MONTHLY
        ).period(0)
        at = datetime(2024, 1, 31, tzinfo=UTC)
        q = prorate(
            PlanChange(A, B, at=at), period, days(Basis.THIRTY_DAY_MONTH)
        )
        assert q.remaining.portion.units == 0
        assert q.used.portion.units == 30

    def test_february_end_counts_the_rest(self) -> None:
        """In a Feb 1 - Mar 1 period the 29th counts 2 days of 30."""
        period = BillingCycle(
            datetime(2024, 2, 1, tzinfo=UTC), MONTHLY
        ).period(0)
        at = datetime(2024, 2, 29, tzinfo=UTC)
        q = prorate(
            PlanChange(A, B, at=at), period, days(Basis.THIRTY_DAY_MONTH)
        )
        assert (q.used.portion.units, q.remaining.portion.units) == (28, 2)


class TestDayCount:
    def test_fixed_month_counts_actual_days_over_30(self) -> None:
        """Zuora 'Assume 30 days - Actual/360': Jan 27-31 is 5/30 of the
        month, not 5/31 (conventions-b.md, Zuora day-count table)."""
        january = BillingPeriod(
            datetime(2021, 1, 1, tzinfo=UTC), datetime(2021, 2, 1, tzinfo=UTC)
        )
        at = datetime(2021, 1, 27, tzinfo=UTC)
        plan = Plan(id="x", price=usd("30"))
        actual = prorate(PlanChange(plan, plan, at=at), january, days())
        fixed = prorate(
            PlanChange(plan, plan, at=at),
            january,
            days(day_count=DayCount.FIXED_MONTH),
        )
        thirty = prorate(
            PlanChange(plan, plan, at=at),
            january,
            days(day_count=DayCount.THIRTY_360),
        )
        assert actual.unused.portion.fraction == pytest.approx(5 / 31)
        assert (fixed.unused.portion.units, fixed.unused.portion.total) == (
            5,
            30,
        )
        assert (thirty.unused.portion.units, thirty.unused.portion.total) == (
            4,
            30,
        )

    def test_a_day_that_counts_nothing_says_why(self) -> None:
        """Months first over fixed 30-day months (actual/360): a one-day
        period in a 31-day month counts nothing; the error says so, not
        'one day at least'. (Strict 30/360 counts the day by its date.)"""
        period = BillingPeriod.of_days(datetime(2024, 3, 26, tzinfo=UTC), 1)
        with pytest.raises(
            PeriodTooShortError, match=r"with whole months first.*longer"
        ):
            prorate(
                PlanChange(A30, B100, at=period.start),
                period,
                days(day_count=DayCount.FIXED_MONTH, months_first=True),
            )

    def test_fixed_month_needs_whole_months(self) -> None:
        """A 45-day period is no whole number of fixed months."""
        period = BillingPeriod.of_days(datetime(2024, 1, 1, tzinfo=UTC), 45)
        with pytest.raises(
            PeriodTooShortError,
            match=r"is no whole number of months.*'actual'",
        ):
            prorate(
                PlanChange(A30, B100, at=period.start),
                period,
                days(day_count=DayCount.FIXED_MONTH),
            )


def _left(
    period: BillingPeriod, at: datetime, policy: ProrationPolicy
) -> tuple[object, object]:
    plan = Plan(id="x", price=usd("30"))
    q = prorate(PlanChange(plan, plan, at=at), period, policy)
    return q.remaining.portion.units, q.remaining.portion.total


class TestThirtyThreeSixtyByCalendarDate:
    """30/360 counts by calendar date, not from the period's anchor (#11)."""

    POLICIES = (
        presets.ZUORA_STRICT_30_360,
        presets.KILL_BILL_FIXED_30,
        days(Basis.THIRTY_DAY_MONTH),
    )
    MARCH_10 = BillingPeriod(utc(2024, 3, 10), utc(2024, 4, 10))

    @pytest.mark.parametrize("policy", POLICIES, ids=str)
    def test_days_are_counted_across_the_month_end(
        self, policy: ProrationPolicy
    ) -> None:
        """Issue #11: $30 from 2024-03-10, changed to itself on 04-01: 21
        days used, 9 left (not 22 / 8); on 04-09 one day left, $1.00."""
        plan = Plan(id="x", price=usd("30"))
        april_1 = prorate(
            PlanChange(plan, plan, at=utc(2024, 4, 1)), self.MARCH_10, policy
        )
        used, left = april_1.used.portion, april_1.remaining.portion
        assert (used.units, left.units) == (21, 9)
        april_9 = prorate(
            PlanChange(plan, plan, at=utc(2024, 4, 9)), self.MARCH_10, policy
        )
        assert april_9.remaining.portion.units == 1
        assert april_9.charge == usd("1.00")
        assert april_9.net == usd("0.00")

    @pytest.mark.parametrize(
        ("start", "end", "at", "month_days", "left"),
        [
            # TestInvoiceDateUtilsWithFixedProration, fixed.days=30: 22/30.
            ((2023, 5, 15), (2023, 6, 15), (2023, 5, 23), 30, 22),
            ((2023, 6, 15), (2023, 7, 15), (2023, 6, 23), 30, 22),
            ((2023, 2, 15), (2023, 3, 15), (2023, 2, 23), 30, 22),
            ((2024, 2, 15), (2024, 3, 15), (2024, 2, 23), 30, 22),
            # The same month: actual days, 8/30.
            ((2023, 4, 23), (2023, 5, 23), (2023, 5, 15), 30, 8),
            # testDaysBetweenWithFixedDaysInMonth28: 20 with 28 days.
            ((2023, 5, 15), (2023, 6, 15), (2023, 5, 23), 28, 20),
            ((2023, 2, 15), (2023, 3, 15), (2023, 2, 23), 28, 20),
            ((2024, 2, 15), (2024, 3, 15), (2024, 2, 23), 28, 20),
        ],
    )
    def test_kill_bill_fixed_days(
        self,
        start: tuple[int, int, int],
        end: tuple[int, int, int],
        at: tuple[int, int, int],
        month_days: int,
        left: int,
    ) -> None:
        """Kill Bill's fixed.days = N (killbill/killbill, invoice tests
        TestInvoiceDateUtilsWithFixedProration; conventions-b.md, Kill Bill
        example 4): actual days, less (start month's last day - N) across a
        month, over N."""
        policy = days(day_count=DayCount.THIRTY_360, month_days=month_days)
        period = BillingPeriod(utc(*start), utc(*end))
        assert _left(period, utc(*at), policy) == (left, month_days)

    @pytest.mark.parametrize(
        ("at", "left"),
        [
            # Zuora's table (conventions-b.md, Zuora example 1), inclusive
            # end dates as half-open: Jan 27-31 is 4/30.
            ((2021, 1, 27), 4),
            ((2021, 1, 31), 0),
        ],
    )
    def test_zuora_strict_table(
        self, at: tuple[int, int, int], left: int
    ) -> None:
        """Zuora 'Assume 30 days - Strict 30/360': the 31st counts nothing."""
        january = BillingPeriod(utc(2021, 1, 1), utc(2021, 2, 1))
        assert _left(january, utc(*at), presets.ZUORA_STRICT_30_360) == (
            left,
            30,
        )

    def test_february_end_counts_the_rest_of_the_month(self) -> None:
        """Zuora's table: Feb 27-28 2021 is 4/30 (in a February period)."""
        february = BillingPeriod(utc(2021, 2, 1), utc(2021, 3, 1))
        assert _left(
            february, utc(2021, 2, 27), presets.ZUORA_STRICT_30_360
        ) == (4, 30)

    def test_a_cut_anchor_day_keeps_30_days_a_month(self) -> None:
        """Anchored on the 31st, the time left matches Kill Bill's formula
        (Feb 15 -> Feb 29: 14 days, same month; Mar 15 -> Mar 31: 16) and
        every month still counts 30 days."""
        cycle = BillingCycle(utc(2024, 1, 31), Interval.months(1))
        policy = presets.KILL_BILL_FIXED_30
        february, march = cycle.period(0), cycle.period(1)
        assert _left(february, utc(2024, 2, 15), policy) == (14, 30)
        assert _left(march, utc(2024, 3, 15), policy) == (16, 30)
        assert _left(february, february.start, policy) == (30, 30)
        assert _left(march, march.start, policy) == (30, 30)

    def test_short_months_count_backwards_are_refused(self) -> None:
        """With 28 days a month, March 30 would count after April 1."""
        period = BillingPeriod(utc(2024, 3, 10), utc(2024, 4, 10))
        policy = days(day_count=DayCount.THIRTY_360, month_days=28)
        with pytest.raises(PeriodTooShortError, match="2024-03-30"):
            _left(period, utc(2024, 3, 30), policy)


# -- zones --------------------------------------------------------------------


@settings(max_examples=100)
@given(
    old=usd_prices,
    new=usd_prices,
    day=st.integers(0, 30),
    hour=st.integers(0, 23),
    count=st.sampled_from(list(DayCount)),
    owner=st.sampled_from(list(ChangeDay)),
)
def test_day_results_are_the_same_in_utc_and_across_dst(
    old: Money,
    new: Money,
    day: int,
    hour: int,
    count: DayCount,
    owner: ChangeDay,
) -> None:
    """A day-based proration of a March with the spring change in Berlin
    equals the same wall-clock proration in UTC."""
    policy = ProrationPolicy(
        basis=Basis.DAYS, day_count=count, change_day=owner
    )
    results = []
    for zone in (UTC, BERLIN):
        period = BillingPeriod(
            datetime(2024, 3, 1, tzinfo=zone),
            datetime(2024, 4, 1, tzinfo=zone),
        )
        at = datetime(2024, 3, 1 + day, hour, tzinfo=zone)
        change = PlanChange(plan_at(old, "old"), plan_at(new, "new"), at=at)
        results.append(prorate(change, period, policy))
    utc, berlin = results
    assert (utc.credit, utc.charge, utc.net) == (
        berlin.credit,
        berlin.charge,
        berlin.net,
    )


# Naive bounds for wall times, given a zone in the test.
WALL_FROM = datetime(2000, 1, 1)  # noqa: DTZ001
WALL_TO = datetime(2040, 1, 1)  # noqa: DTZ001


@given(
    hours=st.integers(-12, 14),
    start=st.datetimes(WALL_FROM, WALL_TO),
    days=st.integers(1, 400),
    into=st.integers(0, 10**9),
    policy=policies(bases=(Basis.DAYS, Basis.THIRTY_DAY_MONTH)),
)
def test_a_fixed_offset_counts_days_as_its_zoneinfo_twin(
    hours: int,
    start: datetime,
    days: int,
    into: int,
    policy: ProrationPolicy,
) -> None:
    # A datetime.timezone counts days by arithmetic; ZoneInfo("Etc/GMT...")
    # with the same fixed offset steps day by day on its wall clock. The
    # two must agree on every position.
    fixed = timezone(timedelta(hours=hours))
    twin = ZoneInfo(f"Etc/GMT{-hours:+d}" if hours else "Etc/GMT")
    results: list[object] = []
    for zone in (fixed, twin):
        period = BillingPeriod.of_days(start.replace(tzinfo=zone), days)
        at = period.start + timedelta(
            seconds=into % int(period.duration.total_seconds())
        )
        a = Plan(id="a", price=Money("30", "USD"))
        b = Plan(id="b", price=Money("70", "USD"))
        try:
            result = prorate(PlanChange(a, b, at=at), period, policy)
        except PeriodTooShortError as error:  # both zones, or neither
            results.append(str(error))
            continue
        results.append(
            (amounts(result), str(result.used.portion), result.lines)
        )
    assert results[0] == results[1]


def _fresh(
    change: PlanChange, period: BillingPeriod, policy: ProrationPolicy
) -> Proration:
    """Price with the caches keyed by period emptied first."""
    _bounds_in.cache_clear()
    _anchor_day.cache_clear()
    return prorate(change, period, policy)


@given(st.data())
def test_a_result_does_not_depend_on_what_was_priced_before(
    data: st.DataObject,
) -> None:
    # Two periods of the same instants written in two zones are equal and
    # hash alike, yet count different days where a zone shifts its clocks:
    # what one of them cached must not price the other.
    period = data.draw(dst_periods())
    policy = data.draw(policies())
    change = data.draw(changes_in(period))
    zone = data.draw(zones())
    elsewhere = BillingPeriod(
        period.start.astimezone(zone), period.end.astimezone(zone)
    )
    here_alone = _fresh(change, period, policy)
    try:
        there_alone: Proration | None = _fresh(change, elsewhere, policy)
    except PeriodTooShortError:  # a day shorter in that zone: no whole day
        there_alone = None
    here = prorate(change, period, policy)  # after `elsewhere` was priced
    assert amounts(here) == amounts(here_alone)
    assert here.lines == here_alone.lines
    if there_alone is not None:
        there = prorate(change, elsewhere, policy)
        assert amounts(there) == amounts(there_alone)
