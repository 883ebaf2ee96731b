"""Fee lines of zero kept or dropped (``BillingPolicy.zero_lines``).

OpenMeter makes no line for a flat fee whose amount is zero (openmeterio/
openmeter @ 7e57a394, targetstateitem.go: ``if perUnitAmount.IsZero()``).
Each figure is the list price for the month, or its remaining seconds
over the month's, rounded half-up: a line is dropped exactly when it
rounds to zero, and the totals do not move.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    AddOn,
    BillingPolicy,
    Charge,
    Item,
    Money,
    Plan,
    Subscription,
    ZeroLines,
)
from tests.common import usd
from tests.reference import round_money

JUNE_1 = datetime(2024, 6, 1, tzinfo=UTC)
JULY_1 = datetime(2024, 7, 1, tzinfo=UTC)


def cents(value: int) -> Money:
    return Money(f"{value // 100}.{value % 100:02d}", "USD")


@given(
    plan=st.integers(0, 3),
    seat=st.integers(0, 3),
    fee=st.integers(0, 2),
    offset=st.integers(0, 29 * 86400),
    mode=st.sampled_from(list(ZeroLines)),
)
def test_a_fee_of_zero_is_no_line_under_drop(
    plan: int, seat: int, fee: int, offset: int, mode: ZeroLines
) -> None:
    """A start off the anchor bills the plan's and the seat's remaining
    time, and a set-up fee: under ``drop`` exactly the lines that round to
    zero are missing, the total the same; a start with none left issues no
    invoice. The renewal bills the whole month of each."""
    policy = BillingPolicy(zero_lines=mode)
    start = JUNE_1 + timedelta(seconds=offset)
    sub, first = Subscription.start(
        Plan(id="p", price=cents(plan)),
        start,
        policy=policy,
        anchor=JULY_1,
        items=[Item(AddOn(id="seat", price=cents(seat)), 1)],
        charges=[Charge(id="setup", price=cents(fee))],
    )
    left = Fraction(int((JULY_1 - start).total_seconds()), 30 * 86400)
    expected = [
        round_money(price * left / 100, usd("0"), "half-up")
        for price in (plan, seat)
    ] + [cents(fee)]
    drop = mode is ZeroLines.DROP
    kept = [x for x in expected if x.minor_units or not drop]
    if not kept:
        assert first is None
    else:
        assert first is not None
        assert [line.amount for line in first.lines] == kept
        assert first.total == sum(expected, usd("0"))
    _, renewal = sub.bill()
    whole = [cents(plan), cents(seat)]
    assert [line.amount for line in renewal.lines] == [
        x for x in whole if x.minor_units or not drop
    ]
