"""The account's billing day at a start: ``Subscription.start(account_day)``.

Kill Bill gives each subscription a billing-cycle day by its plan's
catalog alignment: ``ACCOUNT``, the account's BCD; ``SUBSCRIPTION``, the
day of its first recurring non-zero charge (the trial's end, or the
start); a BCD set on the subscription itself overrides both (killbill/
killbill @ cb60779c, util/src/main/java/org/killbill/billing/util/bcd/
BillCycleDayCalculator.java ``calculateBcdForAlignment``, ``calculateBcd
FromSubscription``; junction/.../billing/DefaultInternalBillingApi.java:
"A BCD_CHANGE transition ... overrides whatever computation occurs
below"). Its test catalog aligns ANNUAL plans on SUBSCRIPTION and the rest
on ACCOUNT (beatrix/src/test/resources/catalogs/default/catalogTest.xml),
which the ``kill-bill`` conventions follow with ``yearly_alignment=
"subscription"``. ``account_day`` is the account's day; ``anchor`` the
subscription's own (tests/test_platform_cases.py K5 keeps it for an
annual plan).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest

from prorata import (
    ANNUAL,
    AnchorError,
    ArgumentTypeError,
    Interval,
    Plan,
    Subscription,
    YearlyAlignment,
    from_dict,
    presets,
    to_dict,
)
from tests.cases import amounts
from tests.common import usd, utc

KB = presets.CONVENTIONS["kill-bill"]
SHOTGUN = Plan(id="shotgun-monthly", price=usd("249.95"), rank=2)
SHOTGUN_Y = Plan(
    id="shotgun-annual", price=usd("2399.95"), interval=ANNUAL, rank=3
)
TRIAL = timedelta(days=30)


def test_an_annual_plan_after_a_trial_bills_on_its_own_day() -> None:
    """Kill Bill, beatrix TestIntegrationDryRunInvoice.testDryRunWithNo
    TargetDateAndMultipleNonAlignedSubscriptions: account BCD 14 ("billing
    date for the monthly"); Shotgun ANNUAL from 2014-01-02, 30-day trial:
    RECURRING 2014-02-01 to 2015-02-01 "2399.95", then 2015-02-01 to
    2016-02-01 "2399.95"."""
    sub, first = Subscription.start(
        SHOTGUN_Y, utc(2014, 1, 2), trial=TRIAL, policy=KB, account_day=14
    )
    assert first is None
    sub, year = sub.bill()
    assert amounts(year.lines) == ["$2,399.95"]
    assert (year.lines[0].start, year.lines[0].end) == (
        utc(2014, 2, 1),
        utc(2015, 2, 1),
    )
    _, second = sub.bill()
    assert amounts(second.lines) == ["$2,399.95"]
    assert second.issued_at == utc(2015, 2, 1)


def test_a_monthly_plan_on_the_same_account_bills_on_its_day() -> None:
    """The same test: Shotgun MONTHLY from 2014-12-15, 30-day trial, on
    BCD 14: RECURRING 2015-01-14 to 2015-02-14 "249.95"."""
    sub, _ = Subscription.start(
        SHOTGUN, utc(2014, 12, 15), trial=TRIAL, policy=KB, account_day=14
    )
    _, month = sub.bill()
    assert amounts(month.lines) == ["$249.95"]
    assert (month.lines[0].start, month.lines[0].end) == (
        utc(2015, 1, 14),
        utc(2015, 2, 14),
    )


def test_a_stub_to_the_account_day_for_a_plan_on_the_account() -> None:
    """A monthly plan from 2012-05-11 on an account of day 17 bills to the
    17th, as an anchor there would (6 of the 30 days from April 17:
    249.95 x 6 / 30 = 49.99)."""
    _, first = Subscription.start(
        SHOTGUN, utc(2012, 5, 11), policy=KB, account_day=17
    )
    assert first is not None
    assert amounts(first.lines) == ["$49.99"]
    _, same = Subscription.start(
        SHOTGUN, utc(2012, 5, 11), policy=KB, anchor=utc(2012, 5, 17)
    )
    assert same == first


def test_a_later_monthly_plan_takes_the_account_day_back() -> None:
    """The annual plan of KD4 (2012-05-11, account day 17) changed to
    monthly on 2012-07-10: the monthly plan runs to 07-17, the account's
    day (as a yearly plan a change opened does,
    tests/test_yearly_alignment.py)."""
    sub, _ = Subscription.start(
        SHOTGUN_Y, utc(2012, 5, 11), policy=KB, account_day=17
    )
    sub, outcome = sub.change_plan(SHOTGUN, utc(2012, 7, 10))
    assert outcome.lines[-1].end == utc(2012, 7, 17)
    assert sub.next_billing_date == utc(2012, 7, 17)


def test_the_account_option_puts_a_yearly_plan_on_the_account_day() -> None:
    """``yearly_alignment="account"``: KD4's start bills to the 17th."""
    policy = replace(KB, yearly_alignment=YearlyAlignment.ACCOUNT)
    _, first = Subscription.start(
        SHOTGUN_Y, utc(2012, 5, 11), policy=policy, account_day=17
    )
    assert first is not None
    assert first.lines[0].end == utc(2012, 5, 17)


@pytest.mark.parametrize("day", [0, 32, -1])
def test_a_day_outside_a_month_is_refused(day: int) -> None:
    with pytest.raises(AnchorError, match="1 to 31"):
        Subscription.start(SHOTGUN, utc(2012, 5, 11), account_day=day)


def test_a_day_that_is_not_an_int_is_refused() -> None:
    for day in (True, "17", 17.0):
        with pytest.raises(ArgumentTypeError, match="account_day"):
            Subscription.start(SHOTGUN, utc(2012, 5, 11), account_day=day)  # type: ignore[arg-type]


def test_an_anchor_and_an_account_day_together_are_refused() -> None:
    with pytest.raises(AnchorError, match="not both"):
        Subscription.start(
            SHOTGUN,
            utc(2012, 5, 11),
            anchor=utc(2012, 5, 17),
            account_day=17,
        )


def test_a_weekly_plan_has_no_day_of_the_month() -> None:
    weekly = Plan(id="weekly", price=usd("9"), interval=Interval.weeks(1))
    with pytest.raises(AnchorError, match="counted in months"):
        Subscription.start(weekly, utc(2012, 5, 11), account_day=17)


def test_the_held_day_survives_a_round_trip() -> None:
    sub, _ = Subscription.start(
        SHOTGUN_Y, utc(2012, 5, 11), policy=KB, account_day=17
    )
    back = from_dict(json.loads(json.dumps(to_dict(sub))), Subscription)
    assert back == sub
    assert back.day_anchor == utc(2012, 5, 17)
