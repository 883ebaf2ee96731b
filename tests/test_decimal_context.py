"""Results do not depend on the caller's decimal context.

A billing service may lower ``decimal.getcontext().prec`` or change its
rounding for its own reasons; prorata's amounts must stay exact anyway.
Negation, absolute value and display once went through the thread's
context: a 29-digit amount lost digits and ``str()`` of one raised
``decimal.InvalidOperation``.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from prorata import Discount, Money, prorate
from prorata._examples import demo
from tests.common import hostile
from tests.strategies import changes_in, money, periods


def _views(amount: Money) -> list[str]:
    return [
        str(amount),
        repr(amount),
        repr(-amount),
        repr(abs(amount)),
        repr(amount + amount),
        repr(amount - amount),
        repr(amount * 3),
        repr(amount.round()),
    ]


@given(money(min_units=-(10**40), max_units=10**40))
def test_money_ignores_the_context(amount: Money) -> None:
    expected = _views(amount)
    with hostile():
        assert _views(amount) == expected


def test_a_forty_digit_amount_shows_and_negates_exactly() -> None:
    amount = Money("1" * 40, "USD")
    assert (-amount).amount == Decimal("-" + "1" * 40)
    assert abs(-amount) == amount
    assert str(amount) == "$" + f"{int('1' * 40):,}" + ".00"


@given(
    st.decimals(0, 100, places=30, allow_nan=False, allow_infinity=False),
    money("USD", min_units=0),
)
def test_a_percentage_discount_ignores_the_context(
    percent: Decimal, price: Money
) -> None:
    discount = Discount.percent_off(percent)
    expected = discount.apply(price)
    with hostile():
        assert discount.apply(price) == expected


@given(st.data())
def test_a_proration_ignores_the_context(data: st.DataObject) -> None:
    period = data.draw(periods())
    change = data.draw(changes_in(period))
    expected = prorate(change, period)
    with hostile():
        result = prorate(change, period)
        shown = [str(line) for line in result.lines]
        amounts = (result.credit, result.charge, result.net)
    assert shown == [str(line) for line in expected.lines]
    assert amounts == (expected.credit, expected.charge, expected.net)
    assert result == expected


def test_every_worked_example_and_invoice_ignores_the_context() -> None:
    # The demo prices every worked example of both seed pages: prorations,
    # invoices, resets, discounts and allowances.
    expected = demo()
    with hostile():
        assert demo() == expected
