"""Kill Bill's billing alignment: weekly and daily plans, ``billing_day``.

Under ``AnchorReset.BILLING_DAY`` (the kill-bill conventions) a plan
counted in weeks or days has no billing-cycle day: its periods run from
its billing event's own start, the change, the trial's end or the resume
(killbill/killbill @ cb60779c, invoice/src/main/java/org/killbill/billing/
invoice/generator/BillingIntervalDetail.java, whose constructor takes
``startDate.getDayOfMonth()`` for any period without months or years;
util/src/main/java/org/killbill/billing/util/bcd/BillCycleDayCalculator.
java ``alignProposedBillCycleDate``). The account's billing day stays: a
month-based plan taken after it bills on that day again (``ACCOUNT``, the
alignment Kill Bill falls back to, catalog/.../rules/DefaultPlanRules.java
``getBillingAlignment``). ``billing_day`` is the option for a catalog that
aligns a plan otherwise (``SUBSCRIPTION``: its first paid day). The
figures below follow those rules, computed here (half-open days over the
period's days, half up); the printed Kill Bill cases are in
``test_audit_cases.py`` (KA2, KA8).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from prorata import (
    ANNUAL,
    ArgumentTypeError,
    Interval,
    InvalidPolicyError,
    Plan,
    Subscription,
    presets,
)
from tests.cases import amounts, invoiced
from tests.common import usd, utc

KB = presets.CONVENTIONS["kill-bill"]
KB_ARREARS = presets.CONVENTIONS["kill-bill-in-arrears"]
MONTHLY_PLAN = Plan(id="monthly", price=usd("249.95"), rank=2)
WEEKLY = Plan(
    id="weekly", price=usd("29.95"), interval=Interval.weeks(1), rank=1
)
WEEKLY_PRO = Plan(
    id="weekly-pro", price=usd("59.95"), interval=Interval.weeks(1), rank=3
)
DAILY = Plan(id="daily", price=usd("7"), interval=Interval.days(1), rank=1)
YEARLY = Plan(id="yearly", price=usd("2399.95"), interval=ANNUAL, rank=4)


def on_the_10th() -> Subscription:
    """Monthly from 2016-07-10, the account's billing day the 10th."""
    sub, first = Subscription.start(MONTHLY_PLAN, utc(2016, 7, 10), policy=KB)
    assert first is not None
    return sub


def test_monthly_to_weekly_bills_a_week_from_the_change() -> None:
    sub, outcome = on_the_10th().change_plan(WEEKLY, utc(2016, 7, 20))
    assert amounts(outcome.lines) == ["-$169.32", "$29.95"]  # 21/31
    assert outcome.lines[1].start == utc(2016, 7, 20)  # a Wednesday
    assert outcome.lines[1].end == utc(2016, 7, 27)
    _, week = sub.bill()
    assert week.issued_at == utc(2016, 7, 27)
    assert week.lines[0].end == utc(2016, 8, 3)


def test_weekly_to_weekly_restarts_the_week_at_the_change() -> None:
    sub, _ = on_the_10th().change_plan(WEEKLY, utc(2016, 7, 20))
    sub, outcome = sub.change_plan(WEEKLY_PRO, utc(2016, 7, 23))
    # 4 of 7 days of 29.95 back, a whole week of 59.95 from the 23rd.
    assert amounts(outcome.lines) == ["-$17.11", "$59.95"]
    assert outcome.lines[1].end == utc(2016, 7, 30)
    assert sub.next_billing_date == utc(2016, 7, 30)


def test_weekly_and_back_to_monthly_keeps_the_account_day() -> None:
    sub, _ = on_the_10th().change_plan(WEEKLY, utc(2016, 7, 20))
    sub, outcome = sub.change_plan(MONTHLY_PLAN, utc(2016, 7, 23))
    # 07-23 to the 10th of August: 18/31 of 249.95.
    assert amounts(outcome.lines) == ["-$17.11", "$145.13"]
    assert outcome.lines[1].end == utc(2016, 8, 10)
    sub, _ = sub.change_plan(WEEKLY, utc(2016, 7, 25))
    sub, back = sub.change_plan(MONTHLY_PLAN, utc(2016, 7, 30))
    assert back.lines[-1].end == utc(2016, 8, 10)  # still the 10th


def test_the_31st_comes_back_after_a_weekly_plan() -> None:
    sub, _ = Subscription.start(MONTHLY_PLAN, utc(2021, 1, 31), policy=KB)
    sub, _ = sub.change_plan(WEEKLY, utc(2021, 2, 10))
    sub, _ = sub.bill_through(utc(2021, 4, 12))
    sub, outcome = sub.change_plan(MONTHLY_PLAN, utc(2021, 4, 12))
    assert outcome.lines[-1].end == utc(2021, 4, 30)  # clamped in April
    _, may = sub.bill()
    assert may.lines[0].end == utc(2021, 5, 31)


def test_a_daily_plan_over_a_leap_day() -> None:
    sub, _ = on_the_10th().change_plan(DAILY, utc(2016, 7, 20, 0))
    assert sub.next_billing_date == utc(2016, 7, 21)
    leap, _ = Subscription.start(MONTHLY_PLAN, utc(2024, 2, 10), policy=KB)
    leap, change = leap.change_plan(DAILY, utc(2024, 2, 29))
    assert amounts(change.lines)[-1] == "$7.00"
    assert change.lines[-1].end == utc(2024, 3, 1)


def test_billing_day_31_on_an_annual_plan_in_a_leap_february() -> None:
    sub, _ = Subscription.start(MONTHLY_PLAN, utc(2024, 1, 10), policy=KB)
    sub, outcome = sub.change_plan(YEARLY, utc(2024, 2, 5), billing_day=31)
    # Kill Bill clamps the BCD to the month's last day: 2024-02-29.
    assert outcome.lines[-1].end == utc(2024, 2, 29)
    _, year = sub.bill()
    assert year.lines[0].end == utc(2025, 2, 28)


def test_in_arrears_change_to_weekly_bills_the_time_used() -> None:
    sub, _ = Subscription.start(
        Plan(id="support", price=usd("100"), rank=2),
        utc(2020, 1, 1),
        policy=KB_ARREARS,
    )
    sub, outcome = sub.change_plan(WEEKLY, utc(2020, 1, 15))
    assert amounts(invoiced(outcome).lines) == ["$45.16"]  # 14/31
    _, week = sub.bill()
    assert week.issued_at == utc(2020, 1, 22)
    assert amounts(week.lines) == ["$29.95"]
    assert week.lines[0].start == utc(2020, 1, 15)


def test_resume_of_a_weekly_plan_opens_a_week_there() -> None:
    sub, _ = on_the_10th().change_plan(WEEKLY, utc(2016, 7, 20))
    sub, _ = sub.pause(utc(2016, 7, 22))
    sub, resumed = sub.resume(utc(2016, 7, 30))
    assert resumed is not None
    assert resumed.lines[0].start == utc(2016, 7, 30)
    assert resumed.lines[0].end == utc(2016, 7, 30) + timedelta(days=7)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"billing_day": 0}, InvalidPolicyError),
        ({"billing_day": 32}, InvalidPolicyError),
        ({"billing_day": "1"}, ArgumentTypeError),
        ({"billing_day": True}, ArgumentTypeError),
        ({"billing_day": 1, "billing_anchor": "now"}, InvalidPolicyError),
    ],
)
def test_bad_billing_days_are_refused(
    kwargs: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error, match="billing_day"):
        on_the_10th().change_plan(YEARLY, utc(2016, 7, 20), **kwargs)  # type: ignore[arg-type]


def test_billing_day_needs_a_billing_day_convention_and_a_month() -> None:
    lago, _ = Subscription.start(
        MONTHLY_PLAN, utc(2016, 7, 10), policy=presets.CONVENTIONS["lago"]
    )
    with pytest.raises(InvalidPolicyError, match="billing-day"):
        lago.change_plan(YEARLY, utc(2016, 7, 20), billing_day=1)
    with pytest.raises(InvalidPolicyError, match="no billing day"):
        on_the_10th().change_plan(WEEKLY, utc(2016, 7, 20), billing_day=1)
    trial, _ = Subscription.start(
        MONTHLY_PLAN, utc(2016, 7, 1), trial=utc(2016, 7, 31), policy=KB
    )
    with pytest.raises(InvalidPolicyError, match="trial"):
        trial.change_plan(YEARLY, utc(2016, 7, 20), billing_day=1)
