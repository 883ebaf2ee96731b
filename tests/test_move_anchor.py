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

from datetime import UTC, datetime
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
    InvoiceLineKind,
    NaiveDatetimeError,
    PauseError,
    Plan,
    Subscription,
    SubscriptionEndedError,
)
from tests.common import usd, usd_cents, utc

PRO = Plan(id="pro", price=usd("30"))
TEAM = Plan(id="team", price=usd("90"), rank=1)


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


def test_a_restart_drops_the_move() -> None:
    """A change that restarts the cycle at once sets the anchor itself."""
    sub, _ = Subscription.start(PRO, utc(2024, 6, 1))
    sub = sub.move_anchor(utc(2024, 6, 16))
    sub, _ = sub.change_plan(TEAM, utc(2024, 6, 11), billing_anchor="now")
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
