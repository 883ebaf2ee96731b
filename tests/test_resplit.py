"""The add-ons billed again at a plan change under a split fixed coupon.

``_resplit``: under ``discount_split`` ``proportional`` (polar, flexprice)
or ``in-order`` (recurly), a plan change credits the add-ons' unused time
and charges their remaining time, so the coupon is split anew and the
period's discount is the coupon's amount. Found by a review (a coupon with
an end was never split anew: ``CouponWindow.overlap`` of a moment compared
the moment with itself); each figure is computed by hand in its docstring
(exact fractions, then to cents: half-up, polar half-even).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from prorata import (
    AddOn,
    Coupon,
    Discount,
    InvoiceLineKind,
    Item,
    Money,
    Plan,
    Subscription,
    presets,
)
from tests.common import utc

if TYPE_CHECKING:
    from collections.abc import Sequence

    from prorata import InvoiceLine


def usd(text: str) -> Money:
    return Money(text, "USD")


def _discount_total(lines: Sequence[InvoiceLine]) -> Money:
    return sum(
        (x.amount for x in lines if x.kind is InvoiceLineKind.DISCOUNT),
        Money.zero("USD"),
    )


ADD_ON = AddOn(id="addon", price=usd("7"))
SMALL = Plan(id="p15", price=usd("15"), rank=1)
LARGE = Plan(id="p25", price=usd("25"), rank=2)


@pytest.mark.parametrize("convention", ["recurly", "polar"])
@pytest.mark.parametrize(
    "coupon",
    [
        Coupon(discount=Discount.amount_off(usd("20")), periods=2),
        Coupon(discount=Discount.amount_off(usd("20")), until=utc(2024, 6, 1)),
    ],
    ids=["periods=2", "until=June 1"],
)
def test_a_coupon_with_an_end_is_resplit_at_a_plan_change(
    convention: str, coupon: Coupon
) -> None:
    """A fixed coupon for N periods or until a date re-splits as a forever one.

    Rule (_resplit docstring, test_a_plan_change_keeps_a_split_fixed_coupon_
    to_its_amount): under a split fixed coupon in force at the change, the
    change bills the add-ons again, "The period's discount then comes to
    the coupon's amount, not more". A coupon lasting 2 periods (or until
    June 1) is in force on April 16 just as a forever one is.

    $20 off, $15 plan + one $7 add-on from 2024-04-01, changed to a $25
    plan on 2024-04-16 (half of April's 30 days left).
    recurly: 1/2 x (15 + 5) + 1/2 x (20 + 0) = 20.00.
    polar: 1/2 x (13.64 + 6.36) + 1/2 x (15.63 + 4.37) = 20.00.

    Before the fix no add-on lines were billed at the change; April's
    discount was -$22.50 (recurly) / -$21.00 (polar), the add-on keeping
    its old share.
    The cause: ``CouponWindow.overlap(at, at)`` (_discounting.py), used by
    ``_resplit.rebills``: for a moment, ``hi = min(last, end)`` equals
    ``first``, so ``first < hi`` is False for every window with an end.
    """
    sub, first = Subscription.start(
        SMALL,
        utc(2024, 4, 1),
        policy=presets.CONVENTIONS[convention],
        items=[Item(ADD_ON, 1)],
        coupons=[coupon],
    )
    assert first is not None
    assert _discount_total(first.lines) == usd("-20.00")
    sub, outcome = sub.change_plan(LARGE, utc(2024, 4, 16))
    add_on_lines = [
        x.amount
        for x in outcome.lines
        if x.product == ADD_ON and x.kind is not InvoiceLineKind.DISCOUNT
    ]
    assert add_on_lines == [usd("-3.50"), usd("3.50")]
    assert _discount_total([*first.lines, *outcome.lines]) == usd("-20.00")


def test_a_coupon_ending_mid_period_is_resplit_for_its_remaining_time() -> (
    None
):
    """A coupon ending after the change re-splits for the days it has left.

    polar, $90 off until 2024-06-16, a $100 plan + one $200 seat from June 1
    (30 days); the plan changes to $300 on June 11.
    June 1-16 billed: 9000 x 100:200 = $30 / $60 a period, x 15/30 =
    -$15.00 and -$30.00.
    At June 11 the seat is billed again (its share over [300, 200]: 9000 x
    200/500 = $36.00, the plan's $54.00). Hand: June 1-11 90 x 10/30 =
    30.00; June 11-16 (54 + 36) x 5/30 = 15.00; June total -$45.00, half
    the coupon for half the month.
    Lines at the change: old +$5.00 (30 x 5/30), new -$9.00 (54 x 5/30),
    seat +$10.00 (60 x 5/30) and -$6.00 (36 x 5/30).

    Before the fix: no seat lines; June's discount -$49.00 (the seat kept
    $60 a period for June 11-16: $4.00 too much), for the same cause,
    ``CouponWindow.overlap`` of a moment in a window with an end.
    """
    seat = AddOn(id="seat", price=usd("200"))
    coupon = Coupon(
        discount=Discount.amount_off(usd("90")), until=utc(2024, 6, 16)
    )
    sub, first = Subscription.start(
        Plan(id="old", price=usd("100"), rank=1),
        utc(2024, 6, 1),
        policy=presets.CONVENTIONS["polar"],
        items=[Item(seat, 1)],
        coupons=[coupon],
    )
    assert first is not None
    assert _discount_total(first.lines) == usd("-45.00")
    sub, outcome = sub.change_plan(
        Plan(id="mid", price=usd("300"), rank=2), utc(2024, 6, 11)
    )
    seat_discounts = [
        x.amount
        for x in outcome.lines
        if x.product == seat and x.kind is InvoiceLineKind.DISCOUNT
    ]
    assert seat_discounts == [usd("10.00"), usd("-6.00")]
    assert _discount_total([*first.lines, *outcome.lines]) == usd("-45.00")


def test_flexprice_rounds_each_split_line_on_its_own() -> None:
    """flexprice (proportional, half-up line by line): $20 off, a $15 plan
    and one $7 add-on from 2024-04-01, a $25 plan on 2024-04-16 (15 of 30
    days left). At the start 2000 cents over [1500, 700] -> [1364, 636]:
    -13.64, -6.36. After: over [2500, 700] -> 1562.5 / 437.5 -> [1563,
    437]. The change's discount lines: p15 +13.64/2 = +6.82; p25 -15.63/2 =
    -7.815 -> -7.82 (half-up); add-on +6.36/2 = +3.18, -4.37/2 = -2.185 ->
    -2.19. April: -20.00 + 6.82 - 7.82 + 3.18 - 2.19 = -20.01: exactly
    $20.00, a cent over once each line is rounded on its own (polar's
    half-even gives -2.18 and -$20.00), as every prorated line is."""
    sub, first = Subscription.start(
        SMALL,
        utc(2024, 4, 1),
        policy=presets.CONVENTIONS["flexprice"],
        items=[Item(ADD_ON, 1)],
        coupons=[Coupon(discount=Discount.amount_off(usd("20")))],
    )
    assert first is not None
    assert _discount_total(first.lines) == usd("-20.00")
    _, outcome = sub.change_plan(LARGE, utc(2024, 4, 16))
    discounts = [
        str(x.amount)
        for x in outcome.lines
        if x.kind is InvoiceLineKind.DISCOUNT
    ]
    assert sorted(discounts) == sorted(["$6.82", "-$7.82", "$3.18", "-$2.19"])
    assert _discount_total([*first.lines, *outcome.lines]) == usd("-20.01")
