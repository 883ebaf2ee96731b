"""The one formula (``prorata._pricing``) held to the independent reference.

``price_time`` prices any stretch ``[a, b)`` of a period, any quantity, at
any price: the used time billed in arrears, an add-on's quantity change, a
sign-up inside a period. Its units and total are read off the reference's
frame (``tests/reference.py``, written from the published definitions) and
its amount is the published formula, price x quantity x units / total (or
the rounded daily rate x quantity x days), rounded once with the policy's
mode. ``amount`` is held to plain ``Fraction`` arithmetic.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import AddOn, LineKind, Money, ProrataError, ProrationPolicy
from prorata._money import amount
from prorata._pricing import price_time
from tests import reference as ref
from tests.test_reference import (
    EXAMPLES,
    ROUNDINGS,
    any_periods,
    moments,
    price_pairs,
)

if TYPE_CHECKING:
    from datetime import datetime

    from tests.test_reference import Period

KINDS = (LineKind.USED_TIME, LineKind.UNUSED_TIME, LineKind.REMAINING_TIME)


def _expected(
    frame: ref.Frame,
    price: Money,
    quantity: int,
    units: int | Fraction,
    credit: bool,  # noqa: FBT001
) -> tuple[Fraction, Money]:
    """The published formula over the reference's units and total."""
    mode = frame.options.rounding
    if frame.options.basis == "daily-rate":
        rate = ref.round_money(price.exact / frame.total, price, mode)
        magnitude = rate.exact * quantity * units
    else:
        magnitude = price.exact * quantity * units / frame.total
    rounded = ref.round_money(magnitude, price, mode)
    return (-magnitude, -rounded) if credit else (magnitude, rounded)


def _stretch(data: st.DataObject, period: Period) -> tuple[datetime, datetime]:
    first, second = data.draw(moments(period)), data.draw(moments(period))
    return tuple(sorted((first, second), key=lambda m: m.timestamp()))  # type: ignore[return-value]


@EXAMPLES
@given(
    data=st.data(),
    basis=st.sampled_from(
        ("seconds", "minutes", "days", "thirty-day-month", "daily-rate")
    ),
    change_day=st.sampled_from(("new-plan", "old-plan", "both")),
    rounding=st.sampled_from(ROUNDINGS),
    quantity=st.integers(0, 40),
    kind=st.sampled_from(KINDS),
)
def test_price_time_matches_the_reference_over_any_stretch(
    data: st.DataObject,
    basis: str,
    change_day: str,
    rounding: str,
    quantity: int,
    kind: LineKind,
) -> None:
    """Any stretch, quantity and price: the reference's units and amount."""
    period = data.draw(any_periods())
    price, _ = data.draw(price_pairs())
    start, end = _stretch(data, period)
    if basis in {"seconds", "minutes"}:
        change_day = "new-plan"  # the change day is a day basis's option
    policy = ProrationPolicy(
        basis=basis,  # type: ignore[arg-type]
        change_day=change_day,  # type: ignore[arg-type]
        rounding=rounding,  # type: ignore[arg-type]
    )
    frame = ref.frame(period.start, period.end, policy)
    add_on = AddOn(id="seat", price=price)
    if isinstance(frame, ref.Refused):
        with pytest.raises(ProrataError):
            price_time(
                kind, add_on, start, end, period=period.billing, policy=policy
            )
        return
    try:
        # The start of a stretch is placed as a change's new side is, its
        # end as the old plan's used time ends.
        units = frame.position(end, frame.options.old_keeps) - frame.position(
            start, frame.options.new_starts
        )
    except ref.RefusedError:
        with pytest.raises(ProrataError):
            price_time(
                kind, add_on, start, end, period=period.billing, policy=policy
            )
        return
    line = price_time(
        kind,
        add_on,
        start,
        end,
        period=period.billing,
        policy=policy,
        quantity=quantity,
    )
    exact, rounded = _expected(
        frame, price, quantity, units, kind is LineKind.UNUSED_TIME
    )
    assert (line.portion.units, line.portion.total) == (units, frame.total)
    assert line.exact == exact
    assert line.amount == rounded


@given(
    numerator=st.integers(-(10**12), 10**12),
    denominator=st.integers(1, 10**6),
    count=st.integers(0, 10**6)
    | st.fractions(min_value=0, max_value=10**4, max_denominator=997),
    total=st.integers(1, 10**6)
    | st.fractions(min_value=Fraction(1, 997), max_value=10**4),
    rounding=st.sampled_from(ROUNDINGS),
)
def test_amount_is_the_ratio_rounded_once(
    numerator: int,
    denominator: int,
    count: int | Fraction,
    total: int | Fraction,
    rounding: str,
) -> None:
    """``amount`` is price x count / total, rounded once as the reference
    rounds a value."""
    mode = ProrationPolicy(rounding=rounding).rounding  # type: ignore[arg-type]
    top, bottom, rounded = amount(
        numerator, denominator, count, total, "USD", mode
    )
    assert (
        Fraction(top, bottom)
        == Fraction(numerator, denominator) * count / total
    )
    exact = Fraction(numerator, denominator) * count / total
    assert rounded == ref.round_units(exact * 100, rounding)
