"""Pause and resume (issue #14): nothing billed while paused.

Each figure is worked out from its definition: the paid time kept moves
the billing date by the paused length; credited, the unused time is price
x unused / period, to the cent.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    BillingPolicy,
    PauseError,
    PauseMode,
    Plan,
    Subscription,
    UsageAllowance,
)
from tests.common import usd

JUNE_1 = datetime(2024, 6, 1, tzinfo=UTC)
JUNE_21 = datetime(2024, 6, 21, tzinfo=UTC)
JULY_6 = datetime(2024, 7, 6, tzinfo=UTC)
P30 = Plan(id="p30", price=usd("30"), rank=1)
P60 = Plan(id="p60", price=usd("60"), rank=2)


def started(policy: BillingPolicy | None = None) -> Subscription:
    return Subscription.start(P30, JUNE_1, policy=policy)[0]


def test_keeping_the_paid_time_moves_the_billing_date() -> None:
    """$30/month from June 1, paused June 21, resumed July 6: nothing
    billed in between; the 10 paid days left run from July 6, so the next
    billing date is July 16, billing $30.00."""
    paused, at_pause = started().pause(JUNE_21)
    assert at_pause is None
    assert paused.paused is not None
    assert paused.paused.mode is PauseMode.KEEP_PAID_TIME
    with pytest.raises(PauseError, match="resume"):
        paused.bill()
    held, invoices = paused.bill_through(datetime(2024, 7, 5, tzinfo=UTC))
    assert invoices == ()
    resumed, at_resume = held.resume(JULY_6)
    assert at_resume is None
    assert resumed.next_billing_date == datetime(2024, 7, 16, tzinfo=UTC)
    _, invoice = resumed.bill()
    assert invoice.issued_at == datetime(2024, 7, 16, tzinfo=UTC)
    assert invoice.amount_due == usd("30.00")


def test_credit_and_restart_credits_at_the_pause_and_bills_at_resume() -> None:
    """The same with credit and restart: 10 of June's 30 days unused,
    $10.00 credited at the pause; July 6 bills a new month, $30.00; next
    billing date August 6."""
    paused, credit = started().pause(JUNE_21, mode="credit-and-restart")
    assert credit is not None
    assert credit.subtotal == usd("-10.00")
    resumed, restart = paused.resume(JULY_6)
    assert restart is not None
    assert restart.issued_at == JULY_6
    assert restart.subtotal == usd("30.00")
    assert restart.amount_due == usd("20.00")  # the $10.00 credit applied
    assert resumed.next_billing_date == datetime(2024, 8, 6, tzinfo=UTC)


def test_a_change_before_the_pause_keeps_its_place_in_the_period() -> None:
    """$30 -> $60 on June 11 (20 days at $60 charged, deferred), paused
    June 21 to July 6: the July 16 invoice bills the deferred net, +$20.00
    (-$20.00 + $40.00), and the month at $60."""
    sub, _ = started().change_plan(P60, datetime(2024, 6, 11, tzinfo=UTC))
    sub, _ = sub.pause(JUNE_21)
    sub, _ = sub.resume(JULY_6)
    _, invoice = sub.bill()
    assert invoice.amount_due == usd("80.00")


def test_a_pause_at_the_period_end_bills_the_next_period_at_resume() -> None:
    paused, _ = started().pause(at_period_end=True)
    resumed, _ = paused.resume(datetime(2024, 7, 10, tzinfo=UTC))
    assert resumed.next_billing_date == datetime(2024, 7, 10, tzinfo=UTC)
    assert resumed.bill()[1].amount_due == usd("30")


def test_in_arrears_a_pause_bills_the_time_used() -> None:
    """In arrears nothing is paid ahead: credit-and-restart bills the 20
    days used, $20.00, at the pause; keeping paid time is refused."""
    policy = BillingPolicy(timing="in-arrears")
    with pytest.raises(PauseError, match="credit-and-restart"):
        started(policy).pause(JUNE_21)
    _, invoice = started(policy).pause(JUNE_21, mode="credit-and-restart")
    assert invoice is not None
    assert invoice.amount_due == usd("20.00")


@given(
    seconds=st.integers(0, 30 * 86400 - 1),
    mode=st.sampled_from(list(PauseMode)),
    days=st.integers(1, 60),
)
def test_a_paused_subscription_bills_nothing_while_paused(
    seconds: int, mode: PauseMode, days: int
) -> None:
    at = JUNE_1 + timedelta(seconds=seconds)
    paused, _ = started().pause(at, mode=mode)
    until = at + timedelta(days=days)
    _, invoices = paused.bill_through(until)
    assert invoices == ()


@given(seconds=st.integers(0, 30 * 86400))
def test_pausing_and_resuming_at_once_changes_nothing(seconds: int) -> None:
    at = JUNE_1 + timedelta(seconds=seconds)
    sub = started()
    paused, _ = sub.pause(at)
    resumed, _ = paused.resume(at)
    assert resumed == sub


def test_pause_mistakes_are_refused() -> None:
    metered = Plan(
        id="m",
        price=usd("30"),
        allowances=(
            UsageAllowance(
                metric="visits", included=0, overage_price=usd("1"), per=1
            ),
        ),
    )
    paused, _ = Subscription.start(metered, JUNE_1)[0].pause(JUNE_21)
    with pytest.raises(PauseError, match="already paused"):
        paused.pause(JUNE_21)
    with pytest.raises(PauseError, match="before the pause"):
        paused.resume(datetime(2024, 6, 20, tzinfo=UTC))
    with pytest.raises(PauseError, match="paused"):
        paused.record_usage("visits", 1, datetime(2024, 6, 25, tzinfo=UTC))
    with pytest.raises(PauseError, match="paused"):
        paused.change_plan(P60, datetime(2024, 6, 25, tzinfo=UTC))
    with pytest.raises(PauseError, match="not paused"):
        started().resume(JULY_6)


# -- found in review ---------------------------------------------------------


def test_after_a_resume_nothing_is_dated_before_it() -> None:
    """Keeping the paid time moves the period's moments: a record dated
    between the pause and the resume, or before the pause, is refused
    after the resume instead of landing in the moved period."""
    paused, _ = started().pause(JUNE_21)
    resumed, _ = paused.resume(JULY_6)
    for moment in (
        datetime(2024, 6, 20, tzinfo=UTC),
        datetime(2024, 7, 1, tzinfo=UTC),
    ):
        with pytest.raises(PauseError, match="before the resume"):
            resumed.change_plan(P60, moment)


def test_a_pause_across_daylight_saving_keeps_the_time_of_day() -> None:
    """New York, paused March 5 (EST), resumed March 20 (EDT): 15 days on
    the wall clock, so April 1 00:00 becomes April 16 00:00."""
    york = ZoneInfo("America/New_York")
    sub, _ = Subscription.start(P30, datetime(2024, 3, 1, tzinfo=york))
    paused, _ = sub.pause(datetime(2024, 3, 5, tzinfo=york))
    resumed, _ = paused.resume(datetime(2024, 3, 20, tzinfo=york))
    assert resumed.next_billing_date == datetime(2024, 4, 16, tzinfo=york)


def test_the_moved_period_keeps_its_length() -> None:
    """Paused June 21, resumed July 22 (31 days): the 30-day June runs on
    as July 2 to August 1, so a cancellation on July 27 returns 5 of its
    30 days, $5.00."""
    paused, _ = started().pause(JUNE_21)
    resumed, _ = paused.resume(datetime(2024, 7, 22, tzinfo=UTC))
    assert resumed.period.start == datetime(2024, 7, 2, tzinfo=UTC)
    assert resumed.next_billing_date == datetime(2024, 8, 1, tzinfo=UTC)
    _, outcome = resumed.cancel(datetime(2024, 7, 27, tzinfo=UTC))
    assert outcome.returned == usd("5.00")
