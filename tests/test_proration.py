"""Proration under each basis: how time is counted, timelines, rounding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from prorata import (
    ANNUAL,
    MONTHLY,
    Basis,
    BillingCycle,
    BillingPeriod,
    LineKind,
    Money,
    Plan,
    PlanChange,
    RoundingStage,
    prorate,
    prorate_timeline,
)
from tests.common import days

BERLIN = ZoneInfo("Europe/Berlin")
A = Plan(id="a", name="A", price=Money("31", "USD"), rank=1)
B = Plan(id="b", name="B", price=Money("62", "USD"), rank=2)
C = Plan(id="c", name="C", price=Money("93", "USD"), rank=3)


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


class TestTimeline:
    def test_chain_is_the_sum_of_its_segments(self) -> None:
        """A -> B -> C: A's price plus the nets is each plan for its time."""
        period = BillingPeriod.of_days(datetime(2024, 7, 1, tzinfo=UTC), 31)
        t1 = period.start + timedelta(days=10)
        t2 = period.start + timedelta(days=20)
        timeline = prorate_timeline(
            A,
            [PlanChange(A, B, at=t1), PlanChange(B, C, at=t2)],
            period,
            days(Basis.DAYS),
        )
        assert [s.plan for s in timeline.segments] == [A, B, C]
        assert [s.amount for s in timeline.segments] == [
            Money("10", "USD"),
            Money("20", "USD"),
            Money("33", "USD"),
        ]
        assert A.price + timeline.net == timeline.period_cost
        assert timeline.net == sum(line.amount for line in timeline.lines)
        assert len(timeline.lines) == 4
        assert timeline.credit == Money("21", "USD") + Money("22", "USD")

    def test_second_change_credits_the_plan_in_force(self) -> None:
        """After two upgrades the credit is for B, the plan in force, not for
        A and not the last incremental charge."""
        period = BillingPeriod.of_days(datetime(2024, 7, 1, tzinfo=UTC), 31)
        t1 = period.start + timedelta(days=10)
        t2 = period.start + timedelta(days=20)
        timeline = prorate_timeline(
            A,
            [PlanChange(A, B, at=t1), PlanChange(B, C, at=t2)],
            period,
            days(Basis.DAYS),
        )
        second = timeline.prorations[1]
        assert second.unused.plan == B
        assert second.credit == Money("22", "USD")

    def test_no_changes_is_one_segment(self) -> None:
        """A period without changes costs the plan's price."""
        period = BillingPeriod.of_days(datetime(2024, 7, 1, tzinfo=UTC), 31)
        timeline = prorate_timeline(A, [], period)
        assert timeline.period_cost == A.price
        assert timeline.net == Money("0", "USD")
        assert timeline.segments[0].kind is LineKind.USED_TIME

    def test_changes_at_the_same_moment(self) -> None:
        """Two changes in the same second leave an empty segment, no error."""
        period = BillingPeriod.of_days(datetime(2024, 7, 1, tzinfo=UTC), 31)
        at = period.start + timedelta(days=3)
        timeline = prorate_timeline(
            A, [PlanChange(A, B, at=at), PlanChange(B, C, at=at)], period
        )
        assert timeline.segments[1].amount == Money("0", "USD")


class TestPeriodCost:
    def test_later_change_reports_the_whole_period(self) -> None:
        """Each change's period cost counts every plan since the start, not
        only the time since the change before it."""
        period = BillingPeriod.of_days(datetime(2024, 7, 1, tzinfo=UTC), 31)
        timeline = prorate_timeline(
            A,
            [
                PlanChange(A, B, at=period.start + timedelta(days=12)),
                PlanChange(B, C, at=period.start + timedelta(days=24)),
            ],
            period,
            days(Basis.DAYS),
        )
        last = timeline.prorations[-1]
        assert last.period_cost == timeline.period_cost
        assert last.period_cost == Money("12", "USD") + Money("24", "USD") + (
            Money("21", "USD")
        )

    def test_net_stage_rounds_the_period_cost_once(self) -> None:
        """Under NET, the period cost is the exact sum rounded once."""
        period = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
        pro = Plan(id="pro", price=Money("70", "USD"))
        starter = Plan(id="starter", price=Money("35", "USD"))
        change = PlanChange(pro, starter, at=period.start + timedelta(days=13))
        by_line = prorate(change, period, days(Basis.DAYS))
        by_net = prorate(
            change,
            period,
            days(Basis.DAYS, rounding_stage=RoundingStage.NET),
        )
        assert by_line.period_cost == Money("50.16", "USD")  # 30.33 + 19.83
        assert by_net.period_cost == Money("50.17", "USD")  # 301/6


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
