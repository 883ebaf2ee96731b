"""A yearly plan on its subscription's own billing day (``yearly_alignment``).

Kill Bill's catalogs give each plan a billing alignment: the catalog its
server ships (profiles/killbill/src/main/resources/SpyCarAdvanced.xml) and
its integration tests' default (beatrix catalogs/default/catalogTest.xml)
put ANNUAL plans on SUBSCRIPTION, whose billing-cycle day is the day of
the subscription's first recurring non-zero charge (util/.../bcd/
BillCycleDayCalculator.java ``calculateBcdFromSubscription``), and the
rest on ACCOUNT, the account's day. A yearly period then runs from the
change to the next date on that day, a year at most
(invoice/.../generator/BillingIntervalDetail.java
``calculateFirstBillingCycleDate``: the day in the start's month, a year
on while before the start). The printed Kill Bill cases are KA2
(``test_audit_cases.py``) and KC1 (``test_audit4_cases.py``); the figures
below follow those rules and are computed here from their definition:
half-open days over the period's days, rounded half up.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest

from prorata import (
    ANNUAL,
    AnchorReset,
    BillingPolicy,
    InvalidPolicyError,
    Plan,
    Subscription,
    YearlyAlignment,
    presets,
)
from tests.cases import amounts
from tests.common import usd, utc

KB = presets.CONVENTIONS["kill-bill"]
MONTHLY = Plan(id="shotgun-monthly", price=usd("249.95"), rank=2)
YEARLY = Plan(
    id="shotgun-annual", price=usd("2399.95"), interval=ANNUAL, rank=3
)


def share(
    price: str, used: tuple[date, date], period: tuple[date, date]
) -> str:
    """``price`` x days of ``used`` / days of ``period``, half up, as $."""
    days = Decimal((used[1] - used[0]).days)
    whole = Decimal((period[1] - period[0]).days)
    cents = (Decimal(price) * days / whole).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    return f"${cents:,}"


def on_the_25th(policy: BillingPolicy = KB) -> Subscription:
    """KC1's account: billing day 25, Shotgun monthly from 2012-04-01
    with a trial to 05-01, its first paid day; billed to 05-25."""
    sub, first = Subscription.start(
        MONTHLY,
        utc(2012, 4, 1),
        trial=utc(2012, 5, 1),
        anchor=utc(2012, 5, 25),
        policy=policy,
    )
    assert first is None
    sub, may = sub.bill()
    assert amounts(may.lines) == [
        share(
            "249.95",
            (date(2012, 5, 1), date(2012, 5, 25)),
            (date(2012, 4, 25), date(2012, 5, 25)),
        )
    ]
    return sub


def test_the_kill_bill_conventions_align_on_the_subscription() -> None:
    for name in ("kill-bill", "kill-bill-fixed-30", "kill-bill-in-arrears"):
        assert presets.CONVENTIONS[name].yearly_alignment is (
            YearlyAlignment.SUBSCRIPTION
        )
    assert BillingPolicy().yearly_alignment is YearlyAlignment.ACCOUNT


def test_a_yearly_plan_bills_to_the_subscription_day() -> None:
    """Changed on 05-04: the annual price from 05-04 to 2013-05-01 (the
    1st, the trial's end), 362 of the 365 days from 2012-05-01."""
    _, outcome = on_the_25th().change_plan(YEARLY, utc(2012, 5, 4))
    credit, charge = outcome.lines
    assert (
        str(charge.amount)
        == share(
            "2399.95",
            (date(2012, 5, 4), date(2013, 5, 1)),
            (date(2012, 5, 1), date(2013, 5, 1)),
        )
        == "$2,380.22"
    )
    assert (charge.start, charge.end) == (utc(2012, 5, 4), utc(2013, 5, 1))
    assert str(credit.amount) == "-" + share(
        "249.95",
        (date(2012, 5, 4), date(2012, 5, 25)),
        (date(2012, 4, 25), date(2012, 5, 25)),
    )


def test_the_account_option_keeps_the_account_day() -> None:
    """``yearly_alignment="account"``: to the 25th, the account's day."""
    account = replace(KB, yearly_alignment=YearlyAlignment.ACCOUNT)
    after, outcome = on_the_25th(account).change_plan(YEARLY, utc(2012, 5, 4))
    assert outcome.lines[1].end == utc(2012, 5, 25)
    assert after.next_billing_date == utc(2012, 5, 25)


def test_a_later_monthly_plan_bills_on_the_account_day_again() -> None:
    """Back to monthly on 2012-07-10: the annual's unused days credited
    (295 of 365), the monthly plan to 07-25, the account's day."""
    sub, _ = on_the_25th().change_plan(YEARLY, utc(2012, 5, 4))
    after, outcome = sub.change_plan(MONTHLY, utc(2012, 7, 10))
    assert amounts(outcome.lines) == [
        "-"
        + share(
            "2399.95",
            (date(2012, 7, 10), date(2013, 5, 1)),
            (date(2012, 5, 1), date(2013, 5, 1)),
        ),
        share(
            "249.95",
            (date(2012, 7, 10), date(2012, 7, 25)),
            (date(2012, 6, 25), date(2012, 7, 25)),
        ),
    ]
    assert after.next_billing_date == utc(2012, 7, 25)
    after, august = after.bill()
    assert amounts(august.lines) == ["$249.95"]
    assert after.next_billing_date == utc(2012, 8, 25)


def test_a_change_between_yearly_plans_keeps_the_subscription_day() -> None:
    """Annual to annual on 2012-09-10: the new year opens in the change's
    month, on the 1st, to 2013-09-01 (testChangeAnnualToAnnual's rule)."""
    bigger = Plan(
        id="rifle-annual", price=usd("5999.95"), interval=ANNUAL, rank=4
    )
    sub, _ = on_the_25th().change_plan(YEARLY, utc(2012, 5, 4))
    after, outcome = sub.change_plan(bigger, utc(2012, 9, 10))
    assert str(outcome.lines[-1].amount) == share(
        "5999.95",
        (date(2012, 9, 10), date(2013, 9, 1)),
        (date(2012, 9, 1), date(2013, 9, 1)),
    )
    assert outcome.lines[-1].end == utc(2013, 9, 1)
    assert after.next_billing_date == utc(2013, 9, 1)


def test_a_scheduled_yearly_plan_opens_on_the_subscription_day() -> None:
    """Scheduled for the next billing date, 05-25: the year runs from there
    to 2013-05-01, 341 of the 365 days from 2012-05-01."""
    sub = on_the_25th().schedule_change(YEARLY)
    after, invoice = sub.bill()
    assert amounts(invoice.lines) == [
        share(
            "2399.95",
            (date(2012, 5, 25), date(2013, 5, 1)),
            (date(2012, 5, 1), date(2013, 5, 1)),
        )
    ]
    line = invoice.lines[0]
    assert (line.start, line.end) == (utc(2012, 5, 25), utc(2013, 5, 1))
    assert after.next_billing_date == utc(2013, 5, 1)
    after, _ = after.change_plan(MONTHLY, utc(2012, 6, 10))
    assert after.next_billing_date == utc(2012, 6, 25)  # the account's


def test_a_yearly_plan_taken_in_the_trial_opens_on_its_end() -> None:
    """Changed in the trial: the year from its end, 05-01, a whole year."""
    sub, first = Subscription.start(
        MONTHLY,
        utc(2012, 4, 1),
        trial=utc(2012, 5, 1),
        anchor=utc(2012, 5, 25),
        policy=KB,
    )
    assert first is None
    sub, _ = sub.change_plan(YEARLY, utc(2012, 4, 10))
    _, invoice = sub.bill()
    assert amounts(invoice.lines) == ["$2,399.95"]
    assert (invoice.lines[0].start, invoice.lines[0].end) == (
        utc(2012, 5, 1),
        utc(2013, 5, 1),
    )


def test_without_a_trial_the_start_is_the_first_paid_day() -> None:
    """Started on the 3rd, billed on the 25th: a yearly plan bills to the
    3rd (the start's day)."""
    sub, first = Subscription.start(
        MONTHLY, utc(2012, 4, 3), anchor=utc(2012, 4, 25), policy=KB
    )
    assert first is not None
    sub, _ = sub.bill()
    _, outcome = sub.change_plan(YEARLY, utc(2012, 5, 10))
    assert outcome.lines[-1].end == utc(2013, 5, 3)


def test_the_first_paid_day_is_read_in_the_anchor_zone() -> None:
    """A trial ending 2012-05-01 02:00 UTC ends on 30 April in Los Angeles,
    the anchor's zone: a yearly plan taken on 4 July bills to 30 July
    there, the day's next date (in UTC, the 1st: to 1 July 2013)."""
    zone = ZoneInfo("America/Los_Angeles")
    sub, _ = Subscription.start(
        MONTHLY,
        datetime(2012, 4, 1, 2, tzinfo=UTC),
        trial=datetime(2012, 5, 1, 2, tzinfo=UTC),
        anchor=datetime(2012, 5, 25, tzinfo=zone),
        policy=KB,
    )
    sub, _ = sub.bill_through(datetime(2012, 6, 25, tzinfo=zone))
    _, outcome = sub.change_plan(YEARLY, datetime(2012, 7, 4, tzinfo=zone))
    end = outcome.lines[-1].end.astimezone(zone)
    assert (end.year, end.month, end.day) == (2012, 7, 30)


@pytest.mark.parametrize("rule", ["interval", "interval-or-yearly", "never"])
def test_the_subscription_day_needs_a_billing_day_kept(rule: str) -> None:
    proration = replace(presets.KILL_BILL, anchor_reset=AnchorReset(rule))
    with pytest.raises(InvalidPolicyError, match="yearly_alignment"):
        replace(KB, proration=proration)
    with pytest.raises(InvalidPolicyError, match="billing-day"):
        BillingPolicy(proration=proration, yearly_alignment="subscription")
    kept = replace(
        KB, proration=proration, yearly_alignment=YearlyAlignment.ACCOUNT
    )
    assert kept.proration.anchor_reset is AnchorReset(rule)


def test_an_unknown_alignment_is_refused() -> None:
    with pytest.raises(InvalidPolicyError, match="yearly_alignment"):
        replace(KB, yearly_alignment="bundle")  # type: ignore[arg-type]
