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
    Interval,
    PauseError,
    PauseMode,
    Plan,
    ProrationPolicy,
    Subscription,
    UsageAllowance,
    presets,
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


def test_forfeit_and_restart_credits_nothing_and_bills_at_resume() -> None:
    """The same forfeiting: nothing credited at the pause, though a change
    before it is still billed there (the deferred +$20.00 of $30 -> $60 on
    June 11); July 6 bills a new month, $60.00, the whole of it due; next
    billing date August 6."""
    sub, _ = started().change_plan(P60, datetime(2024, 6, 11, tzinfo=UTC))
    paused, due = sub.pause(JUNE_21, mode="forfeit-and-restart")
    assert due is not None
    assert due.amount_due == usd("20.00")
    resumed, restart = paused.resume(JULY_6)
    assert restart is not None
    assert restart.issued_at == JULY_6
    assert restart.amount_due == usd("60.00")
    assert resumed.next_billing_date == datetime(2024, 8, 6, tzinfo=UTC)


def test_forfeit_and_keep_term_resumed_in_term_keeps_the_date() -> None:
    """Chargebee's rule, chargebee.com/docs/pause-subscription.html and
    support.chargebee.com topic 320673: no credit at the pause; resumed
    "in-term, no new charges will be invoiced" and the renewal stays. $30
    from June 1, paused June 21, resumed June 26: nothing billed, July 1
    bills July's $30.00; a cancellation on June 28 then credits the 3
    days left, $30 x 3/30 = $3.00."""
    sub = started()
    paused, due = sub.pause(JUNE_21, mode="forfeit-and-keep-term")
    assert due is None
    back = datetime(2024, 6, 26, tzinfo=UTC)
    resumed, none = paused.resume(back)
    assert none is None
    assert resumed.paused is None
    assert resumed.next_billing_date == datetime(2024, 7, 1, tzinfo=UTC)
    outcome = resumed.cancel(datetime(2024, 6, 28, tzinfo=UTC))[1]
    assert outcome.returned == usd("3.00")
    _, july = resumed.bill()
    assert july.amount_due == usd("30.00")
    with pytest.raises(PauseError, match="paused"):
        paused.record_usage("x", 1, back, unmetered=True)


def test_forfeit_and_keep_term_resumed_out_of_term_restarts() -> None:
    """Resumed out of term, "a new invoice will be generated" that day
    and "resuming the subscription out of term will update the renewal
    date of the subscription to the date of resumption" (topic 320673):
    paused June 21, resumed July 10, $30.00 billed on July 10, the next
    billing date August 10."""
    paused, _ = started().pause(JUNE_21, mode="forfeit-and-keep-term")
    resumed, bill = paused.resume(datetime(2024, 7, 10, tzinfo=UTC))
    assert bill is not None
    assert bill.issued_at == datetime(2024, 7, 10, tzinfo=UTC)
    assert bill.amount_due == usd("30.00")
    assert resumed.next_billing_date == datetime(2024, 8, 10, tzinfo=UTC)


def test_forfeit_and_keep_term_in_arrears_bills_the_time_in_use() -> None:
    """In arrears: the pause bills June 1 to 21, $20.00; resumed June 26
    in term, July 1 bills June 26 to July 1, 5 of 30 days, $5.00."""
    policy = BillingPolicy(timing="in-arrears")
    paused, used = started(policy).pause(
        JUNE_21, mode="forfeit-and-keep-term"
    )
    assert used is not None
    assert used.amount_due == usd("20.00")
    resumed, _ = paused.resume(datetime(2024, 6, 26, tzinfo=UTC))
    _, july = resumed.bill()
    assert july.amount_due == usd("5.00")


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


# -- credit and keep the day (Kill Bill's pause) -----------------------------

KEEP_DAY = BillingPolicy(pause_mode="credit-and-keep-day")


def test_the_mode_is_a_policy_option_and_a_pause_argument() -> None:
    assert KEEP_DAY.pause_mode is PauseMode.CREDIT_AND_KEEP_DAY
    paused, _ = started().pause(JUNE_21, mode="credit-and-keep-day")
    assert paused.paused is not None
    assert paused.paused.mode is PauseMode.CREDIT_AND_KEEP_DAY


def test_keeping_the_day_in_the_same_period_bills_the_stub() -> None:
    """$30 for June's 30 days, paused June 21: 10 days credited, -$10.00;
    resumed June 26: the 5 days to July 1 billed, $5.00, paid from the
    credit; July 1 bills the month, $30.00, $25.00 due."""
    paused, credit = started(KEEP_DAY).pause(JUNE_21)
    assert credit is not None
    assert credit.subtotal == usd("-10.00")
    resumed, stub = paused.resume(datetime(2024, 6, 26, tzinfo=UTC))
    assert stub is not None
    assert stub.subtotal == usd("5.00")
    assert stub.amount_due == usd("0.00")
    assert stub.lines[0].end == datetime(2024, 7, 1, tzinfo=UTC)
    assert resumed.next_billing_date == datetime(2024, 7, 1, tzinfo=UTC)
    _, july = resumed.bill()
    assert july.subtotal == usd("30.00")
    assert july.amount_due == usd("25.00")


def test_keeping_the_day_across_several_billing_dates() -> None:
    """Paused June 21, resumed September 10: no invoice on July, August or
    September 1; the stub September 10 to October 1, 21 of September's 30
    days, $21.00."""
    paused, _ = started(KEEP_DAY).pause(JUNE_21)
    held, invoices = paused.bill_through(datetime(2024, 9, 9, tzinfo=UTC))
    assert invoices == ()
    resumed, stub = held.resume(datetime(2024, 9, 10, tzinfo=UTC))
    assert stub is not None
    assert stub.subtotal == usd("21.00")
    assert resumed.next_billing_date == datetime(2024, 10, 1, tzinfo=UTC)


def test_keeping_the_day_resumed_on_a_billing_date_bills_a_whole_period() -> (
    None
):
    paused, _ = started(KEEP_DAY).pause(JUNE_21)
    resumed, month = paused.resume(datetime(2024, 8, 1, tzinfo=UTC))
    assert month is not None
    assert month.subtotal == usd("30.00")
    assert month.lines[0].start == datetime(2024, 8, 1, tzinfo=UTC)
    assert resumed.next_billing_date == datetime(2024, 9, 1, tzinfo=UTC)


def test_keeping_the_day_resumed_at_the_pause_nets_to_nothing() -> None:
    """Resumed at the pause's moment: the 10 days credited are billed again,
    and the billing date stays July 1."""
    paused, credit = started(KEEP_DAY).pause(JUNE_21)
    resumed, stub = paused.resume(JUNE_21)
    assert credit is not None
    assert stub is not None
    assert stub.subtotal == -credit.subtotal
    assert resumed.next_billing_date == datetime(2024, 7, 1, tzinfo=UTC)
    assert resumed.credit_balance == usd("0.00")


def test_keeping_the_day_after_a_pause_at_the_period_end() -> None:
    """Paused at the end of June (nothing to credit), resumed July 10: 22
    of July's 31 days, 22 x 30 / 31 = $21.29."""
    paused, credit = started(KEEP_DAY).pause(at_period_end=True)
    assert credit is None
    resumed, stub = paused.resume(datetime(2024, 7, 10, tzinfo=UTC))
    assert stub is not None
    assert stub.subtotal == usd("21.29")
    assert resumed.next_billing_date == datetime(2024, 8, 1, tzinfo=UTC)


def test_keeping_the_day_keeps_the_anchor_or_its_day() -> None:
    """$365 a year from 2024-01-01, paused March 1, resumed April 1. By
    default the anchor stays: the stub runs to 2025-01-01, 275 of 2024's
    366 days. Under the billing-day rule (Kill Bill) the year opens in the
    resume's month: April 1 is a billing date, a whole year to 2025-04-01."""
    year = Plan(id="y", price=usd("365"), interval=Interval.years(1))
    jan = datetime(2024, 1, 1, tzinfo=UTC)
    mar = datetime(2024, 3, 1, tzinfo=UTC)
    apr = datetime(2024, 4, 1, tzinfo=UTC)
    billing_day = BillingPolicy(
        proration=ProrationPolicy(anchor_reset="billing-day"),
        pause_mode="credit-and-keep-day",
    )
    for policy, end, due in (
        (KEEP_DAY, datetime(2025, 1, 1, tzinfo=UTC), "274.25"),
        (billing_day, datetime(2025, 4, 1, tzinfo=UTC), "365.00"),
    ):
        sub, _ = Subscription.start(year, jan, policy=policy)
        paused, _ = sub.pause(mar)
        resumed, stub = paused.resume(apr)
        assert stub is not None
        assert stub.subtotal == usd(due)
        assert resumed.next_billing_date == end


def test_keeping_the_day_of_the_31st() -> None:
    """Kill Bill, $31 a month on the 31st from 2024-01-31, paused February
    10, resumed March 5: the stub runs to March 31 (the day kept, not
    February's 29th), its 26 days priced over 29 February to 31 March, 31
    days: 26 x 31 / 31 = $26.00."""
    plan = Plan(id="m", price=usd("31"))
    sub, _ = Subscription.start(
        plan,
        datetime(2024, 1, 31, tzinfo=UTC),
        policy=BillingPolicy(
            proration=presets.KILL_BILL, pause_mode="credit-and-keep-day"
        ),
    )
    paused, _ = sub.pause(datetime(2024, 2, 10, tzinfo=UTC))
    resumed, stub = paused.resume(datetime(2024, 3, 5, tzinfo=UTC))
    assert stub is not None
    assert resumed.next_billing_date == datetime(2024, 3, 31, tzinfo=UTC)
    assert stub.subtotal == usd("26.00")


def test_keeping_the_day_a_change_and_a_cancellation_after_the_resume() -> (
    None
):
    """Resumed June 26 ($5.00 for the 5 days to July 1): $30 -> $60 on June
    28 credits 3 days at $30, -$3.00, and charges them at $60, $6.00; a
    cancellation on June 28 returns the 3 days, $3.00, no more than the
    stub paid."""
    paused, _ = started(KEEP_DAY).pause(JUNE_21)
    resumed, _ = paused.resume(datetime(2024, 6, 26, tzinfo=UTC))
    june_28 = datetime(2024, 6, 28, tzinfo=UTC)
    _, change = resumed.change_plan(P60, june_28)
    assert [line.amount for line in change.lines] == [usd("-3.00"), usd("6")]
    _, end = resumed.cancel(june_28)
    assert end.returned == usd("3.00")


def test_keeping_the_day_in_arrears_bills_from_the_resume() -> None:
    """In arrears: paused June 21, the 20 days used, $20.00; resumed June
    26, nothing then; July 1 bills the 5 days from the resume, $5.00."""
    policy = BillingPolicy(
        timing="in-arrears", pause_mode="credit-and-keep-day"
    )
    paused, used = started(policy).pause(JUNE_21)
    assert used is not None
    assert used.amount_due == usd("20.00")
    resumed, none = paused.resume(datetime(2024, 6, 26, tzinfo=UTC))
    assert none is None
    _, july = resumed.bill()
    assert july.issued_at == datetime(2024, 7, 1, tzinfo=UTC)
    assert july.subtotal == usd("5.00")


def test_keeping_the_day_refusals() -> None:
    """While paused a change, a cancellation or a second pause is refused,
    and so is a resume before the pause; a trial cannot be paused."""
    paused, _ = started(KEEP_DAY).pause(JUNE_21)
    with pytest.raises(PauseError, match="paused"):
        paused.change_plan(P60, datetime(2024, 6, 25, tzinfo=UTC))
    with pytest.raises(PauseError, match="resume"):
        paused.cancel(datetime(2024, 6, 25, tzinfo=UTC))
    with pytest.raises(PauseError, match="already paused"):
        paused.pause(JUNE_21)
    with pytest.raises(PauseError, match="before the pause"):
        paused.resume(datetime(2024, 6, 20, tzinfo=UTC))
    trial, _ = Subscription.start(
        P30, JUNE_1, trial=timedelta(days=14), policy=KEEP_DAY
    )
    with pytest.raises(PauseError, match="trial"):
        trial.pause(datetime(2024, 6, 5, tzinfo=UTC))
