"""AnchorReset.BILLING_DAY and the in-arrears conventions: what a review found.

Each test states the figure it expects with its hand computation (dates
with dateutil, fractions) and the platform rule behind it: Kill Bill
re-clamps every billing date to min(billing day, month length)
(BillCycleDayCalculator.alignProposedBillCycleDate), so a billing day of
the 31st survives a February, a leap year and an 18-month period; a quote
and the change it quotes agree; a change in a trial opens where it would
at the trial's end; a pending anchor move is never dropped silently; and
a change's net is what its lines bill.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from prorata import (
    ANNUAL,
    AnchorError,
    Interval,
    Money,
    Plan,
    PlanChange,
    Subscription,
    YearlyAlignment,
    presets,
    prorate,
)

C = presets.CONVENTIONS


def utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def cents(value: Fraction) -> Money:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return usd(str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)))


MONTHLY = Plan(id="m", price=usd("31"), rank=1)
ANNUAL_PLAN = Plan(id="y", price=usd("365"), interval=ANNUAL, rank=4)


# -- 1. the billing day is lost for intervals of 12 months or more ----------


def test_annual_plan_opened_in_february_keeps_the_31st_in_leap_years() -> None:
    """Billing day 31 (monthly from 31 Jan 2024); on 10 Feb 2025 a change to
    an annual plan opens the year on the 31st clamped to 28 Feb 2025. The
    rule: "the 31st stays the 31st where the month has it, clamped
    otherwise", and Kill Bill re-aligns every future date to the billing
    day (getFutureBillingDateFor -> alignProposedBillCycleDate: day =
    min(31, last day of month)). February 2028 has a 29th, so the renewal
    is 29 Feb 2028, not 28 Feb. kept_anchor only searches 12 months back
    for a month with the 31st (range(0, 12, 12) == [0]), so the annual
    cycle is anchored on 28 Feb and renews on the 28th for ever."""
    sub, _ = Subscription.start(
        MONTHLY, utc(2024, 1, 31), policy=C["kill-bill"]
    )
    sub, _ = sub.bill_through(utc(2025, 2, 1))
    sub, _ = sub.change_plan(ANNUAL_PLAN, utc(2025, 2, 10))
    assert sub.next_billing_date == utc(2025, 2, 28)
    sub, _ = sub.bill_through(utc(2027, 3, 1))
    assert sub.next_billing_date == utc(2028, 2, 29)


def test_scheduled_annual_change_on_feb_28_keeps_billing_day_31() -> None:
    """The same through schedule_change at the billing date (_opened_cycle
    -> kept_anchor): monthly from 31 Jan 2024, annual from the billing
    date 28 Feb 2025; Kill Bill's next renewals are 28 Feb 2026, 28 Feb
    2027 and 29 Feb 2028 (BCD 31 clamped to each February's last day)."""
    sub, _ = Subscription.start(
        MONTHLY, utc(2024, 1, 31), policy=C["kill-bill"]
    )
    sub, _ = sub.bill_through(utc(2025, 1, 31))
    sub = sub.schedule_change(ANNUAL_PLAN)
    sub, _ = sub.bill_through(utc(2027, 3, 1))
    assert sub.next_billing_date == utc(2028, 2, 29)


def test_eighteen_month_plan_keeps_billing_day_31() -> None:
    """Kill Bill's SESQUIANNUAL (18 months) with billing day 31, opened on
    10 Feb 2025: first date 28 Feb 2025 (31 clamped); the next is 28 Feb
    2025 + 18 months = August 2026, aligned to the billing day: 31 Aug
    2026 (August has a 31st). prorata anchors the cycle on 28 Feb and
    bills to 28 Aug 2026, three days short."""
    s18 = Plan(
        id="s18", price=usd("548"), interval=Interval.months(18), rank=4
    )
    sub, _ = Subscription.start(
        MONTHLY, utc(2024, 1, 31), policy=C["kill-bill"]
    )
    sub, _ = sub.bill_through(utc(2025, 2, 1))
    sub, _ = sub.change_plan(s18, utc(2025, 2, 10))
    sub, invoice = sub.bill()
    line = invoice.lines[-1]
    assert (line.start, line.end) == (utc(2025, 2, 28), utc(2026, 8, 31))


# -- 2. prorate() disagrees with change_plan in a clamped period ------------


@pytest.mark.parametrize(
    ("new", "days_in_period"),
    [
        (ANNUAL_PLAN, 366),
        (
            Plan(id="q", price=usd("91"), interval=Interval.months(3), rank=2),
            91,
        ),
    ],
)
def test_quote_of_the_current_period_matches_change_plan(
    new: Plan, days_in_period: int
) -> None:
    """Billing day 31 (monthly from 31 Jan 2024), current period 29 Feb to
    31 Mar. A change on 10 Mar to a plan of several months opens on the
    31st of March (the rule: the 31st where the month has it); the new
    plan's remaining time is 10 -> 31 Mar, 21 days. change_plan bills that
    (annual: 21/366 x $365 over 31 Mar 2023 - 31 Mar 2024 = $20.94;
    quarterly: 21/91 x $91 over 31 Dec - 31 Mar = $21.00). prorate() on the
    same period, the quote, uses the period start's day (29) as the billing
    day (opened_period -> kept_anchor(period.start, ...)) and prices 19
    days to 29 Mar instead, disagreeing with the subscription."""
    sub, _ = Subscription.start(
        MONTHLY, utc(2024, 1, 31), policy=C["kill-bill"]
    )
    sub, _ = sub.bill_through(utc(2024, 2, 29))
    at = utc(2024, 3, 10)
    quote = prorate(
        PlanChange(MONTHLY, new, at=at), sub.period, presets.KILL_BILL
    )
    _, outcome = sub.change_plan(new, at)
    expected = cents(
        Fraction(21, days_in_period) * Fraction(str(new.price.amount))
    )
    assert outcome.proration.charge == expected
    assert quote.charge == expected


# -- 3. a change in a trial ignores the billing day --------------------------


def test_trial_change_to_annual_opens_on_the_billing_day() -> None:
    """Monthly from 20 Jan 2024, 30-day trial (ends 19 Feb), billing day 1
    (anchor 1 Mar). A change to the annual plan at 19 Feb, just as the
    trial ends, bills 19 Feb -> 1 Feb 2025 (Kill Bill: first billing day on
    or after the annual's start, pushed by whole years: 348/366 x $365 =
    $347.05). The same change made during the trial (25 Jan) must open the
    annual plan the same way at the trial's end; instead _in_trial keeps
    the old anchor (BillingCycle(cycle.anchor, ...), no kept_anchor) and
    the trial-end invoice bills 19 Feb -> 1 Mar 2024, then a full year from
    1 Mar. That is a yearly plan aligned on the account
    (``yearly_alignment="account"``); the kill-bill conventions align it
    on the subscription, whose first paid day is the trial's end: a whole
    year from 19 Feb, $365.00."""
    expected = cents(Fraction(348, 366) * 365)
    assert expected == usd("347.05")
    account = replace(C["kill-bill"], yearly_alignment=YearlyAlignment.ACCOUNT)
    for policy, end, amount in (
        (account, utc(2025, 2, 1), expected),
        (C["kill-bill"], utc(2025, 2, 19), usd("365")),
    ):
        sub, _ = Subscription.start(
            MONTHLY,
            utc(2024, 1, 20),
            policy=policy,
            trial=timedelta(days=30),
            anchor=utc(2024, 3, 1),
        )
        sub, _ = sub.change_plan(ANNUAL_PLAN, utc(2024, 1, 25))
        sub, invoice = sub.bill()
        line = invoice.lines[-1]
        assert (line.start, line.end, line.amount) == (
            utc(2024, 2, 19),
            end,
            amount,
        )


# -- 4. a pending move_anchor is silently dropped -----------------------------


def test_quarterly_change_does_not_silently_drop_a_pending_anchor_move() -> (
    None
):
    """Under billing-day a change between quarterly plans closes the
    period and opens the new quarter in the change's month, so the billing
    date the anchor was to move at (1 April) is gone: the change is
    refused with an AnchorError that says to withdraw the move first, and
    nothing is dropped without a word."""
    q1 = Plan(id="q1", price=usd("91"), interval=Interval.months(3), rank=2)
    q2 = Plan(id="q2", price=usd("182"), interval=Interval.months(3), rank=3)
    sub, _ = Subscription.start(q1, utc(2024, 1, 1), policy=C["kill-bill"])
    sub = sub.move_anchor(utc(2024, 4, 15))
    with pytest.raises(AnchorError, match=r"withdraw_change\(\) first"):
        sub.change_plan(q2, utc(2024, 2, 10))
    sub, _ = sub.withdraw_change().change_plan(q2, utc(2024, 2, 10))
    assert sub.next_billing_date == utc(2024, 5, 1)


@pytest.mark.parametrize(
    "name", ["kill-bill-in-arrears", "openmeter-in-arrears", "lago-in-arrears"]
)
def test_in_arrears_change_net_is_the_sum_of_its_lines(name: str) -> None:
    """ChangeOutcome.net is documented as "The sum of lines under the
    proration policy". Billed in arrears with the used time invoiced at a
    change, $31/month from 1 Jan to $62 on 11 Jan bills one line, 10/31 x
    $31 = $10.00, on an invoice of $10.00; the outcome's net reports the
    in-advance proration net instead ($21.00 = -21 + 42; $42.00 under
    OpenMeter, which credits nothing), and the CLI prints "net $23.71,
    invoice-now" for an $11.29 invoice (starter -> pro)."""
    upgrade = Plan(id="m2", price=usd("62"), rank=2)
    sub, _ = Subscription.start(MONTHLY, utc(2024, 1, 1), policy=C[name])
    _, outcome = sub.change_plan(upgrade, utc(2024, 1, 11))
    assert outcome.invoice is not None
    lines = sum((line.amount for line in outcome.lines), usd("0"))
    assert lines == outcome.invoice.subtotal == usd("10.00")
    assert outcome.net == lines
