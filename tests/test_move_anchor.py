"""Moving the billing-cycle anchor: ``Subscription.move_anchor``.

The rule, from Kill Bill's billing-day change (beatrix
``TestWithBCDUpdate``) and Zuora's ("change BCD after subscription
activation"; docs/research/platform-cases.md K1, K2, K4, K5 and
more-cases.md Z8, reproduced in ``tests/test_platform_cases.py``): what is
billed stays billed; the next billing date's invoice bills the stub from it
to the new anchor's next date, over the new cycle's period that contains
the stub; whole periods from the anchor follow. The property below checks
the stub against a reference written from that rule with ``dateutil``, not
with prorata's cycle.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    AnchorError,
    BillingPolicy,
    BillingTiming,
    Coupon,
    Discount,
    Invoice,
    InvoiceLineKind,
    Money,
    NaiveDatetimeError,
    PauseError,
    Plan,
    Subscription,
    SubscriptionEndedError,
)
from prorata.presets import CONVENTIONS
from tests.common import usd, usd_cents, utc

PRO = Plan(id="pro", price=usd("30"))
TEAM = Plan(id="team", price=usd("90"), rank=1)
CHEAP = Plan(id="cheap", price=usd("10"), rank=0)


def reference_stub(
    price_cents: int, billing_date: datetime, day: int
) -> tuple[datetime, int]:
    """The anchor's next date after ``billing_date`` and the stub's cents.

    The new cycle's period that contains the billing date runs from one
    date on ``day`` to the next; the stub is its part from the billing
    date, priced by its share of the period's seconds, rounded half up.
    """
    end = billing_date.replace(day=day)
    if end <= billing_date:
        end += relativedelta(months=1)
    start = end - relativedelta(months=1)
    share = Fraction(
        int((end - billing_date).total_seconds()),
        int((end - start).total_seconds()),
    )
    exact = Decimal(price_cents) * share.numerator / share.denominator
    return end, int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@given(
    first_day=st.integers(1, 28),
    new_day=st.integers(1, 28),
    month=st.integers(1, 11),
    price=st.integers(1, 10**7),
)
def test_the_stub_to_the_new_anchor_matches_the_reference(
    first_day: int, new_day: int, month: int, price: int
) -> None:
    """Moved to any day, the next invoice bills the reference's stub, the
    one after it the whole price on the new day, every later date a month
    on from it."""
    plan = Plan(id="p", price=usd_cents(price))
    sub, _ = Subscription.start(plan, utc(2023, month, first_day))
    billing_date = sub.next_billing_date
    sub = sub.move_anchor(utc(2023, month, new_day))
    end, cents = reference_stub(price, billing_date, new_day)
    sub, stub = sub.bill()
    assert stub.issued_at == billing_date
    (line,) = stub.lines
    assert (line.start, line.end) == (billing_date, end)
    assert line.amount.minor_units == cents
    assert sub.next_billing_date == end
    sub, whole = sub.bill()
    assert whole.amount_due == plan.price
    assert sub.next_billing_date == end + relativedelta(months=1)


def test_the_preview_shows_the_stub() -> None:
    """The moved anchor is pending until the billing date: the preview
    bills the stub, and nothing was billed at the move."""
    sub, _ = Subscription.start(PRO, utc(2024, 6, 1))
    moved = sub.move_anchor(utc(2024, 6, 16))
    assert moved.pending_change is not None
    assert moved.pending_change.anchor == utc(2024, 6, 16)
    assert moved.credit_balance == sub.credit_balance
    preview = moved.preview_invoice()
    assert preview.issued_at == utc(2024, 7, 1)
    assert [str(line.amount) for line in preview.lines] == ["$15.00"]
    assert moved.next_billing_date == utc(2024, 7, 1)


def test_withdrawn_the_cycle_stays() -> None:
    sub, _ = Subscription.start(PRO, utc(2024, 6, 1))
    sub = sub.move_anchor(utc(2024, 6, 16)).withdraw_change()
    sub, july = sub.bill()
    assert july.amount_due == usd("30")
    assert sub.next_billing_date == utc(2024, 8, 1)


def test_a_change_inside_the_stub_is_priced_over_the_new_period() -> None:
    """After the move, the stub 1 to 16 July is part of the period 16 June
    to 16 July (30 days): an upgrade on 6 July credits 10/30 of $30 and
    charges 10/30 of $90."""
    sub, _ = Subscription.start(PRO, utc(2024, 6, 1))
    sub = sub.move_anchor(utc(2024, 6, 16))
    sub, _ = sub.bill()
    _, outcome = sub.change_plan(TEAM, utc(2024, 7, 6))
    assert [str(line.amount) for line in outcome.lines] == [
        "-$10.00",
        "$30.00",
    ]


def test_a_plan_scheduled_with_a_new_anchor() -> None:
    """schedule_change(anchor=...) changes the plan and the anchor at the
    billing date: the renewal bills the new plan's stub."""
    sub, _ = Subscription.start(PRO, utc(2024, 6, 1))
    sub = sub.schedule_change(TEAM, anchor=utc(2024, 6, 16), assisted=True)
    sub, july = sub.bill()
    assert sub.plan == TEAM
    assert [str(line.amount) for line in july.lines] == ["$45.00"]
    assert [(c.old.id, c.new.id) for c in sub.changes] == [("pro", "team")]
    assert sub.next_billing_date == utc(2024, 7, 16)


def test_a_scheduled_change_keeps_its_plan_when_the_anchor_moves() -> None:
    sub, _ = Subscription.start(PRO, utc(2024, 6, 1))
    sub = sub.schedule_change(TEAM, assisted=True)
    sub = sub.move_anchor(utc(2024, 6, 16))
    assert sub.pending_change is not None
    assert sub.pending_change.new == TEAM
    sub, july = sub.bill()
    assert sub.plan == TEAM
    assert july.amount_due == usd("45")


def test_a_moved_anchor_alone_records_no_plan_change() -> None:
    sub, _ = Subscription.start(PRO, utc(2024, 6, 1))
    sub, _ = sub.move_anchor(utc(2024, 6, 16)).bill()
    assert sub.changes == ()
    assert sub.plan == PRO


def test_in_arrears_the_stub_is_billed_at_its_end() -> None:
    """Billed in arrears, June is billed on 1 July as usual, and the stub
    1 to 16 July (15 of 30 days) on 16 July."""
    policy = BillingPolicy(timing=BillingTiming.IN_ARREARS)
    sub, _ = Subscription.start(PRO, utc(2024, 6, 1), policy=policy)
    sub = sub.move_anchor(utc(2024, 6, 16))
    sub, june = sub.bill()
    assert june.amount_due == usd("30")
    sub, stub = sub.bill()
    assert stub.issued_at == utc(2024, 7, 16)
    assert [line.kind for line in stub.lines] == [InvoiceLineKind.SUBSCRIPTION]
    assert stub.amount_due == usd("15")


def test_a_restart_is_refused_while_the_anchor_waits() -> None:
    """A change that restarts the cycle would move the billing date the
    anchor moves at: refused (nothing dropped silently); withdrawn first,
    the restart sets the anchor itself."""
    sub, _ = Subscription.start(PRO, utc(2024, 6, 1))
    moved = sub.move_anchor(utc(2024, 6, 16))
    with pytest.raises(AnchorError, match=r"withdraw_change\(\) first"):
        moved.change_plan(TEAM, utc(2024, 6, 11), billing_anchor="now")
    sub, _ = moved.withdraw_change().change_plan(
        TEAM, utc(2024, 6, 11), billing_anchor="now"
    )
    assert sub.pending_change is None
    assert sub.next_billing_date == utc(2024, 7, 11)


def test_refusals() -> None:
    sub, _ = Subscription.start(PRO, utc(2024, 6, 1))
    with pytest.raises(NaiveDatetimeError):
        sub.move_anchor(datetime(2024, 6, 16))  # noqa: DTZ001 - the point
    mid = sub.schedule_change(TEAM, utc(2024, 6, 20), assisted=True)
    with pytest.raises(AnchorError, match=r"withdraw_change\(\) first"):
        mid.move_anchor(utc(2024, 6, 16))
    with pytest.raises(AnchorError, match="is not one"):
        sub.schedule_change(TEAM, utc(2024, 6, 20), anchor=utc(2024, 6, 16))
    paused, _ = sub.pause(utc(2024, 6, 10))
    with pytest.raises(PauseError):
        paused.move_anchor(utc(2024, 6, 16))
    ending, _ = sub.cancel(utc(2024, 6, 20))
    with pytest.raises(SubscriptionEndedError):
        ending.move_anchor(utc(2024, 6, 16))


def test_a_later_billing_date_may_carry_the_anchor() -> None:
    """Scheduled for 1 August, the stub 1 to 16 August is 15 of the 31
    days of 16 July to 16 August: $14.52."""
    sub, _ = Subscription.start(PRO, utc(2024, 6, 1))
    sub = sub.schedule_change(PRO, utc(2024, 8, 1), anchor=utc(2024, 6, 16))
    sub, july = sub.bill()
    assert july.amount_due == usd("30")
    sub, august = sub.bill()
    assert august.issued_at == utc(2024, 8, 1)
    assert str(august.amount_due) == "$14.52"
    assert sub.next_billing_date == utc(2024, 8, 16)


def test_an_anchor_in_another_zone_keeps_its_wall_clock() -> None:
    """The new cycle follows the anchor's own zone, as a start's does."""
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    paris = ZoneInfo("Europe/Paris")
    sub, _ = Subscription.start(PRO, datetime(2024, 6, 1, tzinfo=paris))
    sub = sub.move_anchor(datetime(2024, 6, 16, tzinfo=paris))
    sub, _ = sub.bill()
    assert sub.next_billing_date == datetime(2024, 7, 16, tzinfo=paris)
    assert sub.next_billing_date.astimezone(UTC).hour == 22  # 16 July 00:00


# -- found in review (each figure worked out by hand) ------------------------


def cents(value: Fraction) -> Money:
    """``value`` dollars rounded half up to the cent."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return usd(str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)))


def days(start: datetime, end: datetime) -> int:
    return (end - start).days


# The move used throughout: monthly from 2024-06-01, the anchor moved to the
# 16th at the billing date 2024-07-01. The new cycle's period containing the
# stub is 2024-06-16 to 2024-07-16 (30 days); the stub is 07-01 to 07-16.
BILLING_DATE = utc(2024, 7, 1)
NEW_ANCHOR = utc(2024, 6, 16)
STUB_END = NEW_ANCHOR + relativedelta(months=1)  # 2024-07-16
NEW_PERIOD_DAYS = days(NEW_ANCHOR, STUB_END)  # 30
STUB_DAYS = days(BILLING_DATE, STUB_END)  # 15


def subtotal(invoice: Invoice) -> Money:
    return invoice.subtotal


# -- 1. a plan change made after move_anchor is undone at the billing date --


def test_a_plan_change_after_move_anchor_is_not_reverted() -> None:
    """move_anchor() stores ScheduledChange(new=<plan in force NOW>, ...).
    A later change_plan() leaves that pending change as it is, so at the
    billing date the "anchor only" move switches the plan BACK to the plan
    the customer had when the anchor was moved. Nobody asked for that
    downgrade.

    Pro $30 from 06-01, move_anchor(16th), upgrade to Team ($90) on 06-20.
    Expected, by the documented rule: the 07-01 invoice bills the stub of
    the plan in force, Team, 07-01 to 07-16 over 06-16 to 07-16:
    90 * 15/30 = $45.00, and Team stays in force. prorata bills Pro's stub
    ($15.00) and records a team -> pro change at 07-01.
    """
    sub, _ = Subscription.start(PRO, utc(2024, 6, 1))
    sub = sub.move_anchor(NEW_ANCHOR)
    sub, _ = sub.change_plan(TEAM, utc(2024, 6, 20))
    sub, july = sub.bill()
    stub = july.lines[-1]
    assert (stub.start, stub.end) == (BILLING_DATE, STUB_END)
    assert stub.product == TEAM
    assert stub.amount == cents(Fraction(90) * STUB_DAYS / NEW_PERIOD_DAYS)
    assert sub.plan == TEAM
    assert sub.next_billing_date == STUB_END


def test_kill_bill_k3_stub_is_on_the_new_plan() -> None:
    """docs/research/platform-cases.md (K3) states prorata's figure for Kill
    Bill's K3: updateBCD(10) on 2016-05-01, Shotgun ($249.95) changed to
    Rifle ($599.95) on 05-05: "prorata charges it to the billing date,
    522.54, then 174.18". The 06-01 invoice should bill Rifle 06-01 to
    06-10 over 05-10 to 06-10 (31 days): 599.95 * 9/31 = 174.179 ->
    $174.18. prorata actually bills Shotgun's stub (249.95 * 9/31 = $72.57)
    and reverts the subscription to Shotgun.
    """
    shotgun = Plan(id="shotgun-monthly", price=usd("249.95"), rank=2)
    rifle = Plan(id="assault-rifle-monthly", price=usd("599.95"), rank=3)
    sub, _ = Subscription.start(
        shotgun, utc(2016, 5, 1), policy=CONVENTIONS["kill-bill"]
    )
    sub = sub.move_anchor(utc(2016, 5, 10))
    sub, outcome = sub.change_plan(rifle, utc(2016, 5, 5))
    assert [str(line.amount) for line in outcome.lines] == [
        "-$217.70",
        "$522.54",
    ]
    sub, june = sub.bill()
    period_days = days(utc(2016, 5, 10), utc(2016, 6, 10))  # 31
    expected = cents(Fraction("599.95") * 9 / period_days)
    assert str(expected) == "$174.18"
    assert june.lines[-1].amount == expected
    assert sub.plan == rifle


# -- 2. downgrades="at-period-end" (Lago) silently drops the move ------------


def test_lago_downgrade_after_move_anchor_keeps_the_move() -> None:
    """Under Downgrades.AT_PERIOD_END, change_plan() to a cheaper plan calls
    schedule_change(state, new, None) which REPLACES the pending move with
    a ScheduledChange without an anchor: the anchor move is silently lost
    (move_anchor's own docstring promises the reverse case, a change already
    scheduled keeps its plan and gains the anchor).

    Expected: at 07-01 the downgrade and the move both happen: Cheap ($10)
    07-01 to 07-16 over 06-16 to 07-16 = 10 * 15/30 = $5.00, next billing
    date 07-16. prorata bills a whole month of Cheap ($10.00, to 08-01).
    """
    sub, _ = Subscription.start(
        PRO, utc(2024, 6, 1), policy=CONVENTIONS["lago"]
    )
    sub = sub.move_anchor(NEW_ANCHOR)
    sub, _ = sub.change_plan(CHEAP, utc(2024, 6, 20))
    assert sub.pending_change is not None
    assert sub.pending_change.anchor == NEW_ANCHOR
    sub, july = sub.bill()
    assert july.amount_due == cents(Fraction(10) * STUB_DAYS / NEW_PERIOD_DAYS)
    assert sub.next_billing_date == STUB_END


def test_lago_upgrade_after_move_anchor_keeps_the_move() -> None:
    """Under Downgrades.AT_PERIOD_END an upgrade is made at once and
    ``changed`` clears pending_change first ("it replaces a downgrade
    waiting for the period's end") — but the pending change here is the
    anchor move, which is dropped without a word.

    Expected: the upgrade is invoiced now, and the 07-01 invoice bills
    Team's stub 90 * 15/30 = $45.00 with the next billing date on 07-16.
    prorata bills a whole month ($90.00) and keeps the 1st.
    """
    sub, _ = Subscription.start(
        PRO, utc(2024, 6, 1), policy=CONVENTIONS["lago"]
    )
    sub = sub.move_anchor(NEW_ANCHOR)
    sub, _ = sub.change_plan(TEAM, utc(2024, 6, 20))
    assert sub.pending_change is not None, "the anchor move was dropped"
    sub, july = sub.bill()
    assert july.amount_due == cents(Fraction(90) * STUB_DAYS / NEW_PERIOD_DAYS)
    assert sub.next_billing_date == STUB_END


# -- 3. calculation_lead: the stub's window starts at the calculation date --


def test_in_arrears_with_a_lead_the_stub_is_not_billed_twice() -> None:
    """Billed in arrears with a 3-day calculation lead, the 07-01 invoice
    (calculated 06-28) bills June in full, 06-01 to 07-01. After the move
    the next state's window_start is the calculation date 06-28, and the
    new period starts 06-16, so used_time() bills from max(06-16, 06-28)
    = 06-28: 06-28 to 07-01 is billed a second time.

    Expected: the 07-16 invoice bills 07-01 to 07-16 only, 30 * 15/30 =
    $15.00. prorata bills 06-28 to 07-16, $18.00.
    """
    policy = BillingPolicy(
        timing="in-arrears", calculation_lead=timedelta(days=3)
    )
    sub, _ = Subscription.start(PRO, utc(2024, 6, 1), policy=policy)
    sub = sub.move_anchor(NEW_ANCHOR)
    sub, june = sub.bill()
    assert june.amount_due == usd("30")  # 06-01 to 07-01, whole
    sub, stub = sub.bill()
    assert stub.lines[0].start == BILLING_DATE
    assert stub.amount_due == cents(Fraction(30) * STUB_DAYS / 30)


def test_saas_page_preset_stub_is_not_billed_twice() -> None:
    """The same with the 'saas-page' convention (in arrears, 3-day lead,
    days basis): the stub 07-01 to 07-16 is 15 of the 30 days of 06-16 to
    07-16: $15.00; prorata bills 18 days, $18.00."""
    sub, _ = Subscription.start(
        PRO, utc(2024, 6, 1), policy=CONVENTIONS["saas-page"]
    )
    sub = sub.move_anchor(NEW_ANCHOR)
    sub, _ = sub.bill()
    sub, stub = sub.bill()
    assert stub.amount_due == cents(Fraction(30) * STUB_DAYS / 30)


def test_in_arrears_with_a_lead_a_cancel_in_the_stub_bills_from_it() -> None:
    """Same root cause at an end: cancelled on 07-10 inside the stub, the
    final invoice should bill 07-01 to 07-10, 30 * 9/30 = $9.00 (June was
    billed in full on 07-01). prorata bills 06-28 to 07-10, $12.00."""
    policy = BillingPolicy(
        timing="in-arrears", calculation_lead=timedelta(days=3)
    )
    sub, _ = Subscription.start(PRO, utc(2024, 6, 1), policy=policy)
    sub = sub.move_anchor(NEW_ANCHOR)
    sub, _ = sub.bill()
    _, ended = sub.cancel(utc(2024, 7, 10))
    assert ended.invoice is not None
    assert subtotal(ended.invoice) == cents(Fraction(30) * 9 / 30)


def test_in_advance_with_a_lead_a_cancel_in_the_stub_is_not_capped() -> None:
    """Billed in advance with a 3-day lead, the stub 07-01 to 07-16 is paid
    $15.00. Cancelled on 07-06, the unused 07-06 to 07-16 is 30 * 10/30 =
    $10.00, well within what was paid ($15.00 less $5.00 used), so no cap
    applies. prorata counts the time "used" from the calculation date
    06-28 (8 days, $8.00), caps the credit at $7.00 and keeps $3.00 the
    customer paid for time after the end. (Without the lead, or without
    the move, the whole unused time is credited.)"""
    policy = BillingPolicy(calculation_lead=timedelta(days=3))
    sub, _ = Subscription.start(PRO, utc(2024, 6, 1), policy=policy)
    sub = sub.move_anchor(NEW_ANCHOR)
    sub, stub = sub.bill()
    assert stub.amount_due == usd("15.00")
    _, ended = sub.cancel(utc(2024, 7, 6))
    assert ended.invoice is not None
    kinds = [line.kind for line in ended.invoice.lines]
    assert InvoiceLineKind.CREDIT_CAP not in kinds
    assert subtotal(ended.invoice) == -cents(Fraction(30) * 10 / 30)


def test_in_advance_with_a_lead_no_spurious_minimum_true_up() -> None:
    """A $30 plan with a $30 minimum, billed in advance with a 3-day lead.
    The stub 07-01 to 07-16 bills $15.00, exactly the minimum prorated for
    the 15 of 30 days: 30 * 15/30 = $15.00, so the true-up is $0. prorata
    prorates the minimum from the calculation date 06-28 (18 days, $18.00)
    and adds a $3.00 COMMITMENT line to the 07-16 invoice."""
    plan = Plan(id="mp", price=usd("30"), minimum=usd("30"))
    policy = BillingPolicy(calculation_lead=timedelta(days=3))
    sub, _ = Subscription.start(plan, utc(2024, 6, 1), policy=policy)
    sub = sub.move_anchor(NEW_ANCHOR)
    sub, _ = sub.bill()
    _, next_invoice = sub.bill()
    commitment = [
        line
        for line in next_invoice.lines
        if line.kind is InvoiceLineKind.COMMITMENT
    ]
    assert commitment == []


# -- 4. minimum commitment with a change inside the stub ---------------------


def test_minimum_true_up_with_a_change_in_the_stub_covers_the_stub() -> None:
    """true_up_lines() starts the prorated minimum at max(period.start,
    started_at), and only with no changes at window_start. After a move
    the period starts at the new anchor (06-16), before the stub (07-01),
    so a plan change inside the stub makes the minimum cover the whole
    30-day period although only 15 days were billed.

    Plans: A $30/month, B $45/month, both with a $60 minimum. After the
    move, stub 07-01 to 07-16 billed $15.00; change A -> B on 07-06:
    credit 30 * 10/30 = $10.00, charge 45 * 10/30 = $15.00. Spent: 15 - 10
    + 15 = $20.00. Minimum prorated 07-01 to 07-16: 60 * 5/30 + 60 * 10/30
    = $30.00, so the true-up is $10.00 (what prorata itself bills for the
    same stub after a sign-up anchored on the 16th). prorata bills $40.00
    (the minimum over 06-16 to 07-16).
    """
    a = Plan(id="a", price=usd("30"), minimum=usd("60"))
    b = Plan(id="b", price=usd("45"), minimum=usd("60"), rank=1)
    sub, _ = Subscription.start(a, utc(2024, 6, 1))
    sub = sub.move_anchor(NEW_ANCHOR)
    sub, _ = sub.bill()
    sub, _ = sub.change_plan(b, utc(2024, 7, 6))
    _, invoice = sub.bill()
    (commitment,) = [
        line
        for line in invoice.lines
        if line.kind is InvoiceLineKind.COMMITMENT
    ]
    minimum = Fraction(60) * 5 / 30 + Fraction(60) * 10 / 30
    spent = Fraction(15) - 10 + 15
    assert commitment.start == BILLING_DATE
    assert commitment.amount == cents(minimum - spent)


# -- 5. a coupon counted in periods is not recounted on the new cycle --------


def test_a_coupon_for_periods_does_not_end_inside_a_period_after_a_move() -> (
    None
):
    """Coupon(periods=3) lasts 3 billing periods. Its window was computed
    on the OLD cycle (ends 09-01) and the non-trial move never recounts it
    (the trial path does, with restarted(); a pause shifts it). After the
    move the periods are 06-01..07-01, the stub 07-01..07-16, 07-16..08-16,
    08-16..09-16, so the invoice of 08-16 discounts 16 of the 31 days of a
    whole period (-$7.74): neither three whole periods (stub counted, as
    the trial move and apply_coupon() inside a stub count it: no discount
    on 08-16) nor three periods without the stub (the whole -$15.00).
    Expected: the 08-16 invoice's discount is $0.00 or -$15.00, not a
    fraction of a period.
    """
    coupon = Coupon(discount=Discount.percent_off(50), periods=3)
    sub, _ = Subscription.start(PRO, utc(2024, 6, 1), coupons=[coupon])
    sub = sub.move_anchor(NEW_ANCHOR)
    sub, _ = sub.bill()  # 07-01: the stub
    sub, _ = sub.bill()  # 07-16
    _, august = sub.bill()  # 08-16
    assert august.issued_at == utc(2024, 8, 16)
    off = sum(
        (
            line.amount
            for line in august.lines
            if line.kind is InvoiceLineKind.DISCOUNT
        ),
        usd("0"),
    )
    assert off in {usd("0"), usd("-15")}


# -- 6. a trial ending by cancellation still accepts move_anchor -------------


def test_move_anchor_in_a_cancelled_trial_is_refused() -> None:
    """move_anchor's docstring: "SubscriptionEndedError: The subscription
    has ended, or ends by the next billing date", and outside a trial it
    refuses. In a trial cancelled at its end (the next billing date) the
    trial branch returns before any check and silently accepts an anchor
    that can never take effect."""
    sub, _ = Subscription.start(PRO, utc(2024, 6, 1), trial=utc(2024, 6, 15))
    sub, _ = sub.cancel(at_period_end=True)
    assert sub.ends_at == sub.next_billing_date
    with pytest.raises(SubscriptionEndedError):
        sub.move_anchor(utc(2024, 6, 20))
