"""Add-ons billed in a free trial of the base plan (``trial_scope="plan"``).

Kill Bill's trial is a phase of the base plan (killbill-integration-tests
@ 99c28215, core/test_shopping_card.rb): an add-on is billed from its own
start, in advance, to the trial's end, over the month counted back from
that end. Each figure here is worked out from that definition: seconds
left to the trial's end over the seconds of the month before it (the
month counted back by ``dateutil``), rounded half-up per line.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    AddOn,
    BillingPolicy,
    Item,
    Money,
    Plan,
    Subscription,
    TrialError,
    TrialScope,
)
from tests.cases import invoiced
from tests.common import usd
from tests.reference import round_money

JUNE_1 = datetime(2024, 6, 1, tzinfo=UTC)
P30 = Plan(id="p30", price=usd("30"))
PLAN_SCOPE = BillingPolicy(
    trial_scope="plan",
    charge_billing="invoice-now",
    credit_billing="invoice-now",
)


def seat(cents: int) -> AddOn:
    return AddOn(
        id="seat", price=Money(f"{cents // 100}.{cents % 100:02d}", "USD")
    )


def share(cents: int, quantity: int, start: datetime, end: datetime) -> Money:
    """``quantity`` at ``cents`` a month from ``start`` to ``end``, over the
    month back from ``end``, rounded half-up."""
    month = (end - (end - relativedelta(months=1))).total_seconds()
    left = Fraction(int((end - start).total_seconds()), int(month))
    return round_money(cents * quantity * left / 100, usd("0"), "half-up")


moments = st.integers(0, 27 * 86400)
lengths = st.integers(3600, 28 * 86400)


@given(
    cents=st.integers(1, 100_000),
    quantity=st.integers(1, 9),
    offset=moments,
    length=lengths,
)
def test_a_sign_up_bills_the_add_ons_to_the_trial_s_end(
    cents: int, quantity: int, offset: int, length: int
) -> None:
    """The sign-up invoice bills each add-on from the start to the trial's
    end; the trial's end bills the plan and the add-ons for a month."""
    start = JUNE_1 + timedelta(seconds=offset)
    end = start + timedelta(seconds=length)
    sub, first = Subscription.start(
        P30,
        start,
        policy=PLAN_SCOPE,
        trial=end,
        items=[Item(seat(cents), quantity)],
    )
    assert first is not None
    (line,) = first.lines
    assert (line.start, line.end) == (start, end)
    assert line.amount == share(cents, quantity, start, end)
    assert sub.paid == line.amount
    _, renewal = sub.bill()
    assert [x.amount for x in renewal.lines] == [
        usd("30"),
        seat(cents).price * quantity,
    ]


@given(
    cents=st.integers(1, 100_000),
    old=st.integers(0, 5),
    new=st.integers(0, 5),
    offset=moments,
    length=lengths,
    cancel=st.booleans(),
)
def test_a_quantity_or_a_cancellation_in_the_trial_is_prorated_to_its_end(
    cents: int,
    old: int,
    new: int,
    offset: int,
    length: int,
    cancel: bool,  # noqa: FBT001 - drawn by Hypothesis
) -> None:
    """A change of quantity in the trial credits the old quantity and
    charges the new to the trial's end; a cancellation credits what is
    held, over the same month."""
    end = JUNE_1 + timedelta(seconds=length)
    at = JUNE_1 + timedelta(seconds=offset % length)
    items = [Item(seat(cents), old)] if old else []
    sub, _ = Subscription.start(
        P30, JUNE_1, policy=PLAN_SCOPE, trial=end, items=items
    )
    if cancel:
        _, ended = sub.cancel(at)
        assert ended.returned == share(cents, old, at, end)
        return
    _, outcome = sub.change_quantity(seat(cents), new, at)
    credit = share(cents, old, at, end)
    charge = share(cents, new, at, end)
    assert outcome.net == charge - credit
    if old != new:
        assert invoiced(outcome).total == charge - credit


def test_lines_left_for_the_next_invoice_are_billed_at_the_trial_s_end() -> (
    None
):
    """Under ``next-invoice`` routing a seat added in the trial waits for
    the trial's end, or for a cancellation in it."""
    policy = BillingPolicy(trial_scope="plan")
    sub, _ = Subscription.start(
        P30, JUNE_1, policy=policy, trial=timedelta(days=14)
    )
    at, end = JUNE_1 + timedelta(days=4), JUNE_1 + timedelta(days=14)
    sub, outcome = sub.change_quantity(seat(1200), 1, at)
    assert outcome.invoice is None
    _, first = sub.bill()
    amounts = [line.amount for line in first.lines]
    assert amounts == [share(1200, 1, at, end), usd("30"), usd("12")]
    _, ended = sub.cancel(JUNE_1 + timedelta(days=9))
    later = JUNE_1 + timedelta(days=9)
    assert invoiced(ended).total == share(1200, 1, at, end) - share(
        1200, 1, later, end
    )


def test_the_default_trial_bills_no_add_on() -> None:
    """``trial_scope="subscription"`` (the default): nothing in the trial."""
    assert BillingPolicy().trial_scope is TrialScope.SUBSCRIPTION
    sub, first = Subscription.start(
        P30,
        JUNE_1,
        trial=timedelta(days=14),
        items=[Item(seat(1200), 2)],
    )
    assert first is None
    _, outcome = sub.change_quantity(seat(1200), 3, JUNE_1 + timedelta(days=2))
    assert outcome.invoice is None


def billed() -> Subscription:
    return Subscription.start(
        P30,
        JUNE_1,
        policy=PLAN_SCOPE,
        trial=timedelta(days=14),
        items=[Item(seat(1200), 2)],
    )[0]


def test_the_trial_s_end_stays_while_add_ons_are_billed_to_it() -> None:
    """Ending the trial early or extending it would leave the add-ons
    billed to the old end: refused, with what to do; once their quantity
    is 0 (credited) the end may move."""
    sub = billed()
    with pytest.raises(TrialError, match="quantities to 0 first"):
        sub.end_trial(JUNE_1 + timedelta(days=3))
    with pytest.raises(TrialError, match="quantities to 0 first"):
        sub.extend_trial(JUNE_1 + timedelta(days=20))
    cleared, _ = sub.change_quantity(seat(1200), 0, JUNE_1 + timedelta(days=3))
    later = cleared.extend_trial(JUNE_1 + timedelta(days=20))
    assert later.trial_end == JUNE_1 + timedelta(days=20)
    ended, first = sub.end_trial(JUNE_1 + timedelta(days=14))
    assert first is not None
    assert not ended.in_trial


def test_a_full_credit_of_a_trial_s_add_ons_is_refused() -> None:
    with pytest.raises(TrialError, match="credit='credit'"):
        billed().cancel(JUNE_1 + timedelta(days=3), credit="full")


def test_an_add_on_longer_than_a_month_before_the_trial_s_end_is_refused() -> (
    None
):
    """A trial of 45 days: an add-on from its start would run past one
    monthly stub; refused, and the trial without one is accepted."""
    with pytest.raises(TrialError, match="longer than one"):
        Subscription.start(
            P30,
            JUNE_1,
            policy=PLAN_SCOPE,
            trial=timedelta(days=45),
            items=[Item(seat(1200), 1)],
        )
    sub, first = Subscription.start(
        P30, JUNE_1, policy=PLAN_SCOPE, trial=timedelta(days=45)
    )
    assert first is None
    with pytest.raises(TrialError, match="longer than one"):
        sub.change_quantity(seat(1200), 1, JUNE_1 + timedelta(days=3))
    _, outcome = sub.change_quantity(
        seat(1200), 1, JUNE_1 + timedelta(days=20)
    )
    assert invoiced(outcome).total == share(
        1200, 1, JUNE_1 + timedelta(days=20), JUNE_1 + timedelta(days=45)
    )


def test_billed_in_arrears_a_trial_s_add_ons_are_refused() -> None:
    """In arrears the add-ons' time in a trial would be billed at its end,
    which this scope does not do: refused, with what to do."""
    policy = BillingPolicy(trial_scope="plan", timing="in-arrears")
    with pytest.raises(TrialError, match="in arrears"):
        Subscription.start(
            P30,
            JUNE_1,
            policy=policy,
            trial=timedelta(days=14),
            items=[Item(seat(1200), 1)],
        )
