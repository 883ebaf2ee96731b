"""Each proration option of issue #5: examples and invariants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    Basis,
    BillingCycle,
    BillingPeriod,
    ChangeDay,
    CreditBasis,
    DayCount,
    Interval,
    Money,
    PeriodTooShortError,
    Plan,
    PlanChange,
    ProrationPolicy,
    Treatment,
    presets,
    prorate,
    prorate_timeline,
)
from tests.common import NOVEMBER, days, plan_at, usd, utc
from tests.strategies import november_moments, time_bases, usd_prices

A = Plan(id="a", name="A", price=usd("30"), rank=1)
B = Plan(id="b", name="B", price=usd("100"), rank=2)
C = Plan(id="c", name="C", price=usd("300"), rank=3)
BERLIN = ZoneInfo("Europe/Berlin")


class TestChangeDay:
    AT = datetime(2024, 11, 15, 12, tzinfo=UTC)  # mid-day on Nov 15

    def test_new_plan_owns_the_change_day_by_default(self) -> None:
        """Nov 15 goes to B: 16 days left of 30."""
        q = prorate(PlanChange(A, B, at=self.AT), NOVEMBER, days())
        assert (q.unused.portion.units, q.remaining.portion.units) == (16, 16)

    def test_old_plan_owns_it(self) -> None:
        """Chargebee's day mode counts the change day as used: A 30 -> B 100
        on 15 Nov credits 15 and charges 50 (conventions-a.md, Chargebee
        example 2)."""
        q = prorate(
            PlanChange(A, B, at=self.AT),
            NOVEMBER,
            days(change_day=ChangeDay.OLD_PLAN),
        )
        assert (q.credit, q.charge, q.net) == (usd("15"), usd("50"), usd("35"))

    def test_both_own_it_under_inclusive_counting(self) -> None:
        """Inclusive counting bills the change day on both plans."""
        q = prorate(
            PlanChange(A, B, at=self.AT),
            NOVEMBER,
            days(change_day=ChangeDay.BOTH),
        )
        assert q.used.portion.units + q.remaining.portion.units == 31
        assert q.unused.portion.units == 16

    def test_a_change_at_midnight_is_the_same_under_every_owner(self) -> None:
        """At the start of a day there is no day to own."""
        at = datetime(2024, 11, 15, tzinfo=UTC)
        nets = {
            prorate(PlanChange(A, B, at=at), NOVEMBER, days(change_day=o)).net
            for o in ChangeDay
        }
        assert nets == {usd("37.33")}  # 100 x 16/30 - 30 x 16/30


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
        """Months first over 30-day months: a one-day period in a 31-day
        month counts nothing; the error says so, not 'one day at least'."""
        period = BillingPeriod.of_days(datetime(2024, 3, 26, tzinfo=UTC), 1)
        with pytest.raises(
            PeriodTooShortError, match=r"with whole months first.*longer"
        ):
            prorate(
                PlanChange(A, B, at=period.start),
                period,
                days(day_count=DayCount.THIRTY_360, months_first=True),
            )

    def test_fixed_month_needs_whole_months(self) -> None:
        """A 45-day period is no whole number of fixed months."""
        period = BillingPeriod.of_days(datetime(2024, 1, 1, tzinfo=UTC), 45)
        with pytest.raises(
            PeriodTooShortError,
            match=r"is no whole number of months.*'actual'",
        ):
            prorate(
                PlanChange(A, B, at=period.start),
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


class TestTreatments:
    def test_minutes(self) -> None:
        """The minutes basis floors a change to its minute."""
        at = NOVEMBER.start + timedelta(days=10, seconds=59)
        q = prorate(PlanChange(A, B, at=at), NOVEMBER, days(Basis.MINUTES))
        assert q.unused.portion.units == 20 * 24 * 60
        assert str(q.unused.portion) == "20 days"


class TestPaidCreditBasis:
    def test_two_upgrades_credit_the_plan_in_force(self) -> None:
        """After A -> B -> C in one period, the credit for B is the unused
        share of what B was charged: never the last incremental charge alone
        and never more than was paid."""
        t1 = NOVEMBER.start + timedelta(days=10)
        t2 = NOVEMBER.start + timedelta(days=20)
        changes = [PlanChange(A, B, at=t1), PlanChange(B, C, at=t2)]
        listed = prorate_timeline(A, changes, NOVEMBER, days())
        paid = prorate_timeline(
            A, changes, NOVEMBER, days(credit_basis=CreditBasis.PAID)
        )
        # B was billed 100 x 20/30 = $66.67 for days 10-30; 10 of those
        # 20 days are unused at t2: half of what was billed, $33.335, is
        # $33.34, where the list price gives 100 x 10/30 = $33.33.
        assert paid.prorations[1].credit == usd("33.34")
        assert listed.prorations[1].credit == usd("33.33")
        assert paid.prorations[1].unused.calculation == (
            "$66.67 / 20 * 10 = $33.34"
        )

    def test_paid_basis_follows_a_free_upgrade(self) -> None:
        """If B was not charged (charge treatment none), leaving B credits
        nothing under the paid basis, where the list price would credit B's
        price: Stripe's classic-mode over-crediting."""
        t1 = NOVEMBER.start + timedelta(days=10)
        t2 = NOVEMBER.start + timedelta(days=20)
        changes = [PlanChange(A, B, at=t1), PlanChange(B, A, at=t2)]
        listed = prorate_timeline(
            A, changes, NOVEMBER, days(charge=Treatment.NONE)
        )
        paid = prorate_timeline(
            A,
            changes,
            NOVEMBER,
            days(credit_basis=CreditBasis.PAID, charge=Treatment.NONE),
        )
        assert listed.prorations[1].credit == usd("33.33")
        assert paid.prorations[1].credit == usd("0")

    def test_paid_basis_uses_what_was_paid_for_the_first_plan(self) -> None:
        """A first plan bought at a discount is credited on what was paid."""
        at = NOVEMBER.start + timedelta(days=15)
        timeline = prorate_timeline(
            B,
            [PlanChange(B, C, at=at)],
            NOVEMBER,
            days(credit_basis=CreditBasis.PAID),
            paid=usd("80"),
        )
        assert timeline.prorations[0].credit == usd("40")


@settings(max_examples=200)
@given(
    first=usd_prices,
    second=usd_prices,
    third=usd_prices,
    times=st.lists(november_moments, min_size=2, max_size=2).map(sorted),
    charge=st.sampled_from(list(Treatment)),
    basis=time_bases,
)
def test_paid_basis_never_credits_more_than_was_charged(
    first: Money,
    second: Money,
    third: Money,
    times: list[datetime],
    charge: Treatment,
    basis: Basis,
) -> None:
    """Under the paid basis, leaving a plan never credits more than was
    charged for it."""
    a, b, c = (
        plan_at(p, n) for p, n in ((first, "a"), (second, "b"), (third, "c"))
    )
    timeline = prorate_timeline(
        a,
        [PlanChange(a, b, at=times[0]), PlanChange(b, c, at=times[1])],
        NOVEMBER,
        ProrationPolicy(
            basis=basis, credit_basis=CreditBasis.PAID, charge=charge
        ),
    )
    entered, left = timeline.prorations
    assert left.credit <= entered.charge
    assert entered.credit <= first


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
