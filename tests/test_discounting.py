"""Coupons: discounts billed as lines, for a duration, mirrored on credits.

Worked figures: issue #15's acceptance list ($100/month, 20% off for three
months from 2025-01-01) and Zuora's "Credit for Prorated Discounts" page
($1,200 a year, a $720 fixed discount, shortened to three months: $360
credited back under "Yes", $480 under "No"; docs/research/
invoice-features.md section 2.3). Expected amounts elsewhere are computed
here from the definition (price x percent x share), not by prorata.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    ANNUAL,
    AddOn,
    Basis,
    BillingPolicy,
    Charge,
    Coupon,
    CouponProducts,
    Discount,
    DiscountCredit,
    DiscountSplit,
    DiscountTermError,
    Interval,
    InvalidPolicyError,
    InvoiceLineKind,
    Item,
    Money,
    PercentStacking,
    Plan,
    ProrationPolicy,
    QuantityMode,
    Subscription,
    TaxRate,
    presets,
)
from tests.common import utc

if TYPE_CHECKING:
    from collections.abc import Sequence

    from prorata import InvoiceLine

JAN_1 = datetime(2025, 1, 1, tzinfo=UTC)
JUNE_1 = datetime(2024, 6, 1, tzinfo=UTC)
CENT = Decimal("0.01")
PRO = Plan(id="pro", name="Pro", price=Money("100", "USD"), rank=2)
LITE = Plan(id="lite", name="Lite", price=Money("50", "USD"), rank=1)
DAYS = BillingPolicy(proration=ProrationPolicy(basis=Basis.DAYS))


def usd(text: str) -> Money:
    return Money(text, "USD")


def test_twenty_percent_off_for_three_months() -> None:
    """$80.00 (100.00 - 20.00, two lines) January to March, $100 from April."""
    launch = Coupon(discount=Discount.percent_off(20), periods=3)
    sub, first = Subscription.start(PRO, JAN_1, coupons=[launch])
    assert first is not None
    invoices = [first]
    for _ in range(4):
        sub, invoice = sub.bill()
        invoices.append(invoice)
    dues = [str(invoice.amount_due) for invoice in invoices]
    assert dues == ["$80.00", "$80.00", "$80.00", "$100.00", "$100.00"]
    assert [str(line.amount) for line in first.lines] == ["$100.00", "-$20.00"]
    assert first.lines[1].kind is InvoiceLineKind.DISCOUNT
    assert "20% off on Price for 1 month of Pro = -$20.00" in first.explain()


def test_a_coupon_ending_mid_period_is_prorated() -> None:
    """20% off until June 16 of a 30-day June: 20% of 15/30 of $100."""
    until = Coupon(
        discount=Discount.percent_off(20),
        until=datetime(2024, 6, 16, tzinfo=UTC),
    )
    _, invoice = Subscription.start(PRO, JUNE_1, coupons=[until])
    assert invoice is not None
    expected = (Decimal(100) * Decimal("0.2") * 15 / 30).quantize(CENT)
    assert invoice.lines[1].amount == usd(f"-{expected}")  # -$10.00
    assert invoice.amount_due == usd("90.00")


def test_the_discount_on_a_credit_mirrors_the_discount_billed() -> None:
    """20% off forever, Pro -> Lite half-way: the credit is 80% of $50."""
    forever = Coupon(discount=Discount.percent_off(20))
    sub, first = Subscription.start(
        PRO, JUNE_1, coupons=[forever], policy=DAYS
    )
    assert first is not None
    sub, outcome = sub.change_plan(LITE, datetime(2024, 6, 16, tzinfo=UTC))
    amounts = [str(line.amount) for line in outcome.lines]
    # unused Pro -$50.00 and its discount reversed +$10.00; remaining Lite
    # $25.00 and its discount -$5.00.
    assert amounts == ["-$50.00", "$10.00", "$25.00", "-$5.00"]
    assert outcome.lines[1].kind is InvoiceLineKind.DISCOUNT


def test_a_coupon_on_named_products_only() -> None:
    coupon = Coupon(discount=Discount.percent_off(50), products=("lite",))
    _, invoice = Subscription.start(PRO, JUNE_1, coupons=[coupon])
    assert invoice is not None
    assert invoice.amount_due == usd("100.00")
    assert coupon.covers("lite")
    assert not coupon.covers("pro")


def test_a_discounted_line_is_taxed_net_of_its_discount() -> None:
    """The discount line carries the taxes of its line: tax on $80."""
    taxed = Plan(
        id="pro",
        price=usd("100"),
        taxes=(TaxRate(name="Sales tax", percent=10),),
    )
    coupon = Coupon.once(Discount.percent_off(20))
    _, invoice = Subscription.start(taxed, JUNE_1, coupons=[coupon])
    assert invoice is not None
    assert invoice.tax == usd("8.00")
    assert invoice.amount_due == usd("88.00")


@pytest.mark.parametrize(
    ("rule", "back"),
    [
        (DiscountCredit.PRORATED, "360.00"),
        (DiscountCredit.USED_FIRST, "480.00"),
    ],
)
def test_zuora_credit_for_prorated_discounts(
    rule: DiscountCredit, back: str
) -> None:
    """Zuora's page: $1,200 a year, $720 fixed off, ended after 3 months.

    Under the 30-day-month basis three months are exactly a quarter of the
    year. "Yes" (prorated): $540 of the discount reversed, $360 back;
    "No" (used first): $420 reversed, $480 back.
    """
    annual = Plan(id="y", name="Yearly", price=usd("1200"), interval=ANNUAL)
    policy = BillingPolicy(
        proration=ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH),
        discount_credit=rule,
    )
    fixed = Coupon(discount=Discount.amount_off(usd("720")))
    sub, first = Subscription.start(
        annual, JAN_1, coupons=[fixed], policy=policy
    )
    assert first is not None
    assert first.amount_due == usd("480.00")
    _, outcome = sub.cancel(datetime(2025, 4, 1, tzinfo=UTC), credit="refund")
    assert outcome.returned == usd(back)


@given(
    prices=st.lists(st.integers(1, 99_999), min_size=1, max_size=5),
    percent=st.integers(1, 99),
)
def test_a_percentage_rounded_once_on_the_invoice(
    prices: list[int], percent: int
) -> None:
    """``percent_rounding="per-invoice"`` (Lago's coupon amount, Recurly.js's
    discountable subtotal): the percentage's lines sum to the percentage of
    the lines' total rounded once, half up, here in plain ``Decimal``; each
    line stays within a cent of its own exact share."""
    charges = [
        Charge(id=f"c{i}", price=Money(Decimal(p) / 100, "USD"))
        for i, p in enumerate(prices)
    ]
    policy = BillingPolicy(percent_rounding="per-invoice")
    _, invoice = Subscription.start(
        Plan(id="free", price=Money("0", "USD")),
        utc(2024, 6, 1),
        policy=policy,
        charges=charges,
        coupons=[
            Coupon(
                discount=Discount.percent_off(percent), one_time_charges=True
            )
        ],
    )
    assert invoice is not None
    lines = invoice.lines_of(InvoiceLineKind.DISCOUNT)
    once = (Decimal(sum(prices)) * percent / 10_000).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    assert -sum(line.amount.amount for line in lines) == once
    price_of = {f"c{i}": p for i, p in enumerate(prices)}
    for line in lines:
        assert line.product is not None
        exact = Decimal(price_of[line.product.id]) * percent / 10_000
        assert abs(-line.amount.amount - exact) < Decimal("0.01")


def test_a_coupon_past_the_end_can_be_refused() -> None:
    strict = BillingPolicy(discounts_past_end=False)
    sub, _ = Subscription.start(PRO, JUNE_1, policy=strict)
    sub, _ = sub.cancel(at_period_end=True)
    coupon = Coupon(discount=Discount.percent_off(10), periods=3)
    with pytest.raises(DiscountTermError, match="discounts_past_end"):
        sub.apply_coupon(coupon, datetime(2024, 6, 10, tzinfo=UTC))
    fits = Coupon.once(Discount.percent_off(10))
    assert sub.apply_coupon(fits, datetime(2024, 6, 10, tzinfo=UTC)).coupons


def test_bad_coupons_are_refused() -> None:
    ten = Discount.percent_off(10)
    with pytest.raises(DiscountTermError, match="not both"):
        Coupon(discount=ten, periods=2, until=JUNE_1)
    with pytest.raises(DiscountTermError, match="periods"):
        Coupon(discount=ten, periods=0)
    with pytest.raises(DiscountTermError, match="periods"):
        Coupon(discount=ten, periods=True)


percents = st.integers(min_value=0, max_value=100)
days = st.integers(min_value=1, max_value=29)


@given(percents, days, st.integers(min_value=1, max_value=500))
def test_a_credit_never_returns_more_than_was_paid(
    percent: int, day: int, price: int
) -> None:
    """Whatever the discount and the day, a cancellation's credit is at
    most what the customer paid for the period, and no line goes below
    zero once its discount is taken off."""
    plan = Plan(id="p", price=usd(str(price)))
    coupon = Coupon(discount=Discount.percent_off(percent))
    sub, first = Subscription.start(
        plan, JUNE_1, coupons=[coupon], policy=DAYS
    )
    assert first is not None
    paid = first.amount_due
    _, outcome = sub.cancel(datetime(2024, 6, 1 + day, tzinfo=UTC))
    assert outcome.returned <= paid
    unused = Decimal(price) * (30 - day) / 30
    reference = (unused * (100 - percent) / 100).quantize(CENT, ROUND_HALF_UP)
    assert abs(outcome.returned.amount - reference) <= CENT
    assert first.subtotal >= Money.zero("USD")


@given(percents, st.integers(min_value=0, max_value=300))
def test_a_discount_never_makes_a_line_negative(
    percent: int, fixed: int
) -> None:
    for discount in (
        Discount.percent_off(percent),
        Discount.amount_off(usd(str(fixed))),
    ):
        coupon = Coupon(discount=discount)
        _, invoice = Subscription.start(PRO, JUNE_1, coupons=[coupon])
        assert invoice is not None
        assert invoice.subtotal >= Money.zero("USD")
        assert all(
            -line.amount <= usd("100")
            for line in invoice.lines_of(InvoiceLineKind.DISCOUNT)
        )


# -- credit caps (issue #15, item 3) ------------------------------------------


# -- found in review (issue #15) ----------------------------------------------


def test_stacked_coupons_never_discount_more_than_the_line() -> None:
    """60% and 60% off $100: the second takes the $40 left, not $60."""
    sixty = Discount.percent_off(60)
    _, invoice = Subscription.start(
        PRO, JUNE_1, coupons=[Coupon(discount=sixty), Coupon(discount=sixty)]
    )
    assert invoice is not None
    assert [str(line.amount) for line in invoice.lines] == [
        "$100.00",
        "-$60.00",
        "-$40.00",
    ]
    assert invoice.subtotal == usd("0.00")


def test_a_coupon_applied_mid_period_does_not_reverse_on_a_credit() -> None:
    """June billed at $100 without a discount; 20% off from June 10; a
    downgrade on June 16 credits the unused $50 in full (the time was
    billed undiscounted) and discounts the new plan's remaining time."""
    sub, _ = Subscription.start(PRO, JUNE_1, policy=DAYS)
    coupon = Coupon(discount=Discount.percent_off(20))
    sub = sub.apply_coupon(coupon, datetime(2024, 6, 10, tzinfo=UTC))
    _, outcome = sub.change_plan(LITE, datetime(2024, 6, 16, tzinfo=UTC))
    assert [str(line.amount) for line in outcome.lines] == [
        "-$50.00",
        "$25.00",
        "-$5.00",
    ]


def test_used_first_discounts_the_remaining_time_by_its_share() -> None:
    """$10 off a period, used first: the remaining half a change charges
    gets $5, not another $10."""
    policy = BillingPolicy(discount_credit="used-first")
    coupon = Coupon(discount=Discount.amount_off(usd("10")))
    sub, _ = Subscription.start(LITE, JUNE_1, coupons=[coupon], policy=policy)
    _, outcome = sub.change_plan(PRO, datetime(2024, 6, 16, tzinfo=UTC))
    remaining = [
        line
        for line, after in zip(outcome.lines, outcome.lines[1:], strict=False)
        if line.kind is InvoiceLineKind.REMAINING_TIME
        and after.kind is InvoiceLineKind.DISCOUNT
    ]
    assert remaining
    index = outcome.lines.index(remaining[0])
    assert outcome.lines[index + 1].amount == usd("-5.00")


# -- a fixed coupon split across products (DiscountSplit) ---------------------
#
# Polar's rule (polarsource/polar @ c6c3645e, server/polar/models/
# discount.py, DiscountFixed.allocate_discount_amounts): each product's share
# of the amount in proportion to what it costs, floored in minor units, the
# units left over to the largest remainders, the earlier on a tie; the whole
# of each product when the amount covers them all. Expected shares below are
# worked from that rule by hand.

SPLIT = BillingPolicy(discount_split=DiscountSplit.PROPORTIONAL)
SEAT = AddOn(id="seat", price=usd("10"))
SUPPORT = AddOn(id="support", price=usd("10"))


def _opening(
    plan: Plan,
    items: list[Item],
    coupons: list[Coupon],
    policy: BillingPolicy = SPLIT,
) -> list[str]:
    """The discount lines of a subscription's first invoice, as printed."""
    _, invoice = Subscription.start(
        plan, JUNE_1, policy=policy, items=items, coupons=coupons
    )
    assert invoice is not None
    return [
        str(line.amount) for line in invoice.lines_of(InvoiceLineKind.DISCOUNT)
    ]


def _fixed(amount: str, products: tuple[str, ...] = ()) -> Coupon:
    return Coupon(discount=Discount.amount_off(usd(amount)), products=products)


def test_split_of_one_product_is_the_amount_off_it() -> None:
    """A plan alone: the split takes what the default does, $10 off $100,
    and never more than the plan ($150 off takes $100)."""
    for amount, off in (("10", "-$10.00"), ("150", "-$100.00")):
        for policy in (SPLIT, BillingPolicy()):
            assert _opening(PRO, [], [_fixed(amount)], policy) == [off]


def test_split_in_proportion_to_what_each_product_costs() -> None:
    """$30 off $100 + 5 seats at $10 ($150): $20 and $10; the default takes
    $30 off each."""
    items = [Item(SEAT, 5)]
    assert _opening(PRO, items, [_fixed("30")]) == ["-$20.00", "-$10.00"]
    assert _opening(PRO, items, [_fixed("30")], BillingPolicy()) == [
        "-$30.00",
        "-$30.00",
    ]


def test_split_shares_add_up_to_the_amount_exactly() -> None:
    """$10 off three products of $10: 333.33 cents each, floored to 333,
    the cent left over to the first: $3.34, $3.33, $3.33, $10.00 in all
    (rounding each share would give $9.99)."""
    plan = Plan(id="base", price=usd("10"))
    lines = _opening(plan, [Item(SEAT, 1), Item(SUPPORT, 1)], [_fixed("10")])
    assert lines == ["-$3.34", "-$3.33", "-$3.33"]


def test_split_gives_nothing_to_a_free_product() -> None:
    """A $0 plan with 2 seats at $10: the whole $15 goes to the seats."""
    free = Plan(id="free", price=usd("0"))
    assert _opening(free, [Item(SEAT, 2)], [_fixed("15")]) == ["-$15.00"]


def test_split_above_the_total_takes_every_product_whole() -> None:
    """$500 off $100 + $20 of seats: each product free, $0.00 to pay."""
    _, invoice = Subscription.start(
        PRO,
        JUNE_1,
        policy=SPLIT,
        items=[Item(SEAT, 2)],
        coupons=[_fixed("500")],
    )
    assert invoice is not None
    assert invoice.subtotal == usd("0")


def test_split_only_across_the_products_it_covers() -> None:
    """$12 off the seats and support only, $100 plan left out: $20 and
    $10 of them take $8 and $4; the plan gets no discount line."""
    coupon = _fixed("12", products=("seat", "support"))
    lines = _opening(PRO, [Item(SEAT, 2), Item(SUPPORT, 1)], [coupon])
    assert lines == ["-$8.00", "-$4.00"]


def test_split_leaves_a_percentage_alone() -> None:
    """10% off $100 + $50 of seats is $10 and $5 under either option."""
    ten = Coupon(discount=Discount.percent_off(10))
    for policy in (SPLIT, BillingPolicy()):
        assert _opening(PRO, [Item(SEAT, 5)], [ten], policy) == [
            "-$10.00",
            "-$5.00",
        ]


def test_split_finer_than_a_cent_is_exact() -> None:
    """$0.015 off two $10 products: no whole cents to hand out, so each
    share is exact, 0.0075, rounded on its line to $0.01."""
    plan = Plan(id="base", price=usd("10"))
    assert _opening(plan, [Item(SEAT, 1)], [_fixed("0.015")]) == [
        "-$0.01",
        "-$0.01",
    ]


def test_split_is_re_split_at_a_change() -> None:
    """$30 off $100 + $50 of seats ($20 and $10); 5 -> 15 seats half-way
    through a 30-day June: the seats' share becomes $18 (150 of 250), so
    the 15 days left are credited at 5 seats, $25 less half their $10
    share, and charged at 15, $75 less half of $18: net $46.00."""
    sub, _ = Subscription.start(
        PRO,
        JUNE_1,
        policy=SPLIT,
        items=[Item(SEAT, 5)],
        coupons=[_fixed("30")],
    )
    _, outcome = sub.change_quantity(
        SEAT, 15, datetime(2024, 6, 16, tzinfo=UTC)
    )
    assert [str(line.amount) for line in outcome.lines] == [
        "-$25.00",
        "$5.00",
        "$75.00",
        "-$9.00",
    ]
    assert outcome.net == usd("46")


@given(
    st.integers(min_value=0, max_value=500),
    st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=4),
    st.integers(min_value=0, max_value=20_000),
)
def test_split_shares_always_sum_to_the_amount_or_the_total(
    price: int, quantities: list[int], cents: int
) -> None:
    """Whatever the prices, a whole period's discount lines come to the
    coupon's amount, or to everything when it covers it all."""
    add_ons = [
        AddOn(id=f"a{i}", price=Money(f"{7 + 3 * i}.99", "USD"))
        for i in range(len(quantities))
    ]
    items = [Item(a, q) for a, q in zip(add_ons, quantities, strict=True)]
    plan = Plan(id="p", price=usd(str(price)))
    coupon = Coupon(
        discount=Discount.amount_off(Money(Decimal(cents).scaleb(-2), "USD"))
    )
    _, invoice = Subscription.start(
        plan, JUNE_1, policy=SPLIT, items=items, coupons=[coupon]
    )
    assert invoice is not None
    gross = sum(
        (
            line.amount
            for line in invoice.lines_of(InvoiceLineKind.SUBSCRIPTION)
        ),
        Money.zero("USD"),
    )
    off = -sum(
        (line.amount for line in invoice.lines_of(InvoiceLineKind.DISCOUNT)),
        Money.zero("USD"),
    )
    assert off == min(Money(Decimal(cents).scaleb(-2), "USD"), gross)


def test_in_order_fills_each_product_as_far_as_the_amount_goes() -> None:
    """Recurly's fill (``DiscountSplit.IN_ORDER``): $12 off a $10 plan and
    2 seats at $10: the plan takes its $10.00, the seats the $2.00 left.
    The seats removed half-way through a 30-day June: their unused $10.00
    credited less half their $2.00 share, -$9.00."""
    policy = BillingPolicy(discount_split="in-order")
    plan = Plan(id="base", price=usd("10"))
    assert _opening(plan, [Item(SEAT, 2)], [_fixed("12")], policy) == [
        "-$10.00",
        "-$2.00",
    ]
    sub, _ = Subscription.start(
        plan,
        JUNE_1,
        policy=policy,
        items=[Item(SEAT, 2)],
        coupons=[_fixed("12")],
    )
    _, outcome = sub.change_quantity(SEAT, 0, utc(2024, 6, 16))
    assert _amounts(outcome.lines) == ["-$10.00", "$1.00"]


def test_a_bad_split_is_refused() -> None:
    with pytest.raises(InvalidPolicyError, match="discount_split"):
        BillingPolicy(discount_split="evenly")  # type: ignore[arg-type]
    with pytest.raises(InvalidPolicyError, match="per-product"):
        BillingPolicy(discount_split=1)  # type: ignore[arg-type]
    assert BillingPolicy(discount_split="proportional") == SPLIT
    assert BillingPolicy(discount_split="in-order").discount_split is (
        DiscountSplit.IN_ORDER
    )


# -- percentage coupons compounded (PercentStacking) --------------------------


def test_compounded_percentages_take_what_is_left() -> None:
    """60% and 60% off $100 compounded: $60, then 60% of the $40 left,
    $24 (full-line takes $60 and the $40 left); the credit for half of a
    30-day June reverses each in proportion, $30 and $12."""
    sixty = Coupon(discount=Discount.percent_off(60))
    compound = BillingPolicy(percent_stacking=PercentStacking.COMPOUND)
    sub, invoice = Subscription.start(
        PRO, JUNE_1, policy=compound, coupons=[sixty, sixty]
    )
    assert invoice is not None
    assert [str(line.amount) for line in invoice.lines] == [
        "$100.00",
        "-$60.00",
        "-$24.00",
    ]
    _, end = sub.cancel(datetime(2024, 6, 16, tzinfo=UTC))
    assert end.returned == usd("8.00")


def test_a_bad_stacking_is_refused() -> None:
    with pytest.raises(InvalidPolicyError, match="percent_stacking"):
        BillingPolicy(percent_stacking="stacked")  # type: ignore[arg-type]
    assert BillingPolicy(percent_stacking="compound").percent_stacking is (
        PercentStacking.COMPOUND
    )


# -- a coupon's products gate its redemption (CouponProducts) -----------------
#
# Polar's rule (polarsource/polar @ c6c3645e): a discount's products are
# checked when it is redeemed (server/polar/subscription/service.py
# resolve_discount; checkout), never after; every cycle and proration then
# discounts every price ("Product applicability gates redemption, not the
# subscription's lifetime", test_service_prorations.py
# TestProrationDiscountProductApplicability). Figures worked by hand: a
# 30-day June, so June 16 is half of it.

REDEEM = BillingPolicy(coupon_products=CouponProducts.REDEMPTION)
LITE_ONLY = Coupon(discount=Discount.percent_off(50), products=("lite",))
JUNE_16 = datetime(2024, 6, 16, tzinfo=UTC)


def _amounts(lines: Sequence[InvoiceLine]) -> list[str]:
    return [str(line.amount) for line in lines]


def test_redemption_refuses_a_coupon_on_another_plan() -> None:
    """At sign-up and later, on a plan that is not one of its products."""
    with pytest.raises(DiscountTermError, match="coupon_products") as error:
        Subscription.start(PRO, JUNE_1, policy=REDEEM, coupons=[LITE_ONLY])
    assert "'lite'" in str(error.value)
    assert "the plan at 2024-06-01T00:00:00+00:00 is 'pro'" in str(error.value)
    assert "give the coupon no products" in str(error.value)
    sub, _ = Subscription.start(PRO, JUNE_1, policy=REDEEM)
    with pytest.raises(DiscountTermError, match="'pro'"):
        sub.apply_coupon(LITE_ONLY, JUNE_16)
    # A coupon with no products may be applied on any plan; under the
    # default the restricted one is accepted and discounts nothing.
    sub.apply_coupon(Coupon(discount=Discount.percent_off(50)), JUNE_16)
    _, invoice = Subscription.start(PRO, JUNE_1, coupons=[LITE_ONLY])
    assert invoice is not None
    assert invoice.amount_due == usd("100.00")


def test_redemption_checks_the_plan_in_force_at_the_moment() -> None:
    """Pro, changed to Lite on June 11: the coupon may be applied from
    June 11, not on June 5 (Pro was in force then)."""
    sub, _ = Subscription.start(PRO, JUNE_1, policy=REDEEM)
    sub, _ = sub.change_plan(LITE, datetime(2024, 6, 11, tzinfo=UTC))
    with pytest.raises(DiscountTermError, match="'pro'"):
        sub.apply_coupon(LITE_ONLY, datetime(2024, 6, 5, tzinfo=UTC))
    sub = sub.apply_coupon(LITE_ONLY, datetime(2024, 6, 11, tzinfo=UTC))
    assert len(sub.coupons) == 1


def test_redemption_then_discounts_every_plan() -> None:
    """50% off Lite only, Lite -> Pro on June 16: the Pro half-month is
    discounted too ($50.00 less $25.00), and July's Pro ($100.00 less
    $50.00); by its lines (the default) Pro is not."""
    sub, _ = Subscription.start(
        LITE, JUNE_1, policy=REDEEM, coupons=[LITE_ONLY]
    )
    sub, outcome = sub.change_plan(PRO, JUNE_16)
    assert _amounts(outcome.lines) == [
        "-$25.00",
        "$12.50",
        "$50.00",
        "-$25.00",
    ]
    _, july = sub.bill()
    assert _amounts(july.lines[-2:]) == ["$100.00", "-$50.00"]
    lines, _ = Subscription.start(LITE, JUNE_1, coupons=[LITE_ONLY])
    _, by_lines = lines.change_plan(PRO, JUNE_16)
    assert _amounts(by_lines.lines) == ["-$25.00", "$12.50", "$50.00"]


def test_redemption_discounts_the_add_ons_too() -> None:
    """Lite with 2 seats at $10, 50% off Lite only: the seats' $20.00 is
    discounted as well ($10.00); by its lines only Lite's $50.00. A coupon
    for the seats only is for no plan, so it cannot be redeemed."""
    seats = [Item(SEAT, 2)]
    _, first = Subscription.start(
        LITE, JUNE_1, policy=REDEEM, items=seats, coupons=[LITE_ONLY]
    )
    assert first is not None
    assert _amounts(first.lines) == ["$50.00", "-$25.00", "$20.00", "-$10.00"]
    _, by_lines = Subscription.start(
        LITE, JUNE_1, items=seats, coupons=[LITE_ONLY]
    )
    assert by_lines is not None
    assert _amounts(by_lines.lines) == ["$50.00", "-$25.00", "$20.00"]
    seat_only = Coupon(discount=Discount.percent_off(50), products=("seat",))
    with pytest.raises(DiscountTermError, match="'lite'"):
        Subscription.start(
            LITE, JUNE_1, policy=REDEEM, items=seats, coupons=[seat_only]
        )


def test_redemption_keeps_a_coupons_periods_across_a_change() -> None:
    """50% off Lite for 2 periods, Lite -> Pro on June 16: July's Pro is
    discounted (the second period), August's is not."""
    two = Coupon(
        discount=Discount.percent_off(50), periods=2, products=("lite",)
    )
    sub, _ = Subscription.start(LITE, JUNE_1, policy=REDEEM, coupons=[two])
    sub, _ = sub.change_plan(PRO, JUNE_16)
    sub, july = sub.bill()
    assert _amounts(july.lines[-2:]) == ["$100.00", "-$50.00"]
    _, august = sub.bill()
    assert _amounts(august.lines) == ["$100.00"]


def test_redemption_a_credit_after_a_switch_reverses_the_discount() -> None:
    """50% off Lite, Lite -> Pro on June 16 (Pro's half-month billed $25.00
    net), cancelled on June 25: the 6 days left, 6/30 of $100 = $20.00,
    return $10.00, net of the discount they were billed with; by its
    lines, Pro was billed undiscounted and $20.00 comes back."""
    june_25 = datetime(2024, 6, 25, tzinfo=UTC)
    for policy, returned in ((REDEEM, "10.00"), (BillingPolicy(), "20.00")):
        sub, _ = Subscription.start(
            LITE, JUNE_1, policy=policy, coupons=[LITE_ONLY]
        )
        sub, _ = sub.change_plan(PRO, JUNE_16)
        _, end = sub.cancel(june_25)
        assert end.returned == usd(returned)


def test_redemption_splits_a_fixed_amount_across_every_product() -> None:
    """The polar convention: $90 off the $100 plan only, with $200 of
    seats, split across both as Polar's allocation does, $30 and $60 (by
    its lines the whole $90 comes off the plan)."""
    polar = presets.CONVENTIONS["polar"]
    old = Plan(id="old", price=usd("100"))
    seats = [Item(AddOn(id="seat", price=usd("200")), 1)]
    ninety = _fixed("90", ("old",))
    assert _opening(old, seats, [ninety], polar) == ["-$30.00", "-$60.00"]
    by_lines = replace(polar, coupon_products=CouponProducts.LINES)
    assert _opening(old, seats, [ninety], by_lines) == ["-$90.00"]


def test_a_bad_coupon_products_is_refused() -> None:
    with pytest.raises(InvalidPolicyError, match="coupon_products"):
        BillingPolicy(coupon_products="checkout")  # type: ignore[arg-type]
    assert BillingPolicy(coupon_products="redemption") == REDEEM
    assert BillingPolicy().coupon_products is CouponProducts.LINES


# -- found in review of the split and the compounding -------------------------
#
# An adversarial review (tests/test_review_findings.py on branch h-review,
# 657c1c6): each expected figure is worked by hand from the documented rule
# (the Coupon docstring, DiscountSplit, PercentStacking; Polar's
# allocation in audit-2026-12-02.md), exact fractions then half-up to the
# cent, and shown in the docstring.


def _discounts(lines: Sequence[InvoiceLine], product: str) -> list[str]:
    """The discount lines of one product, as printed."""
    return [
        str(line.amount)
        for line in lines
        if line.kind is InvoiceLineKind.DISCOUNT
        and line.product is not None
        and line.product.id == product
    ]


def test_compound_percentages_whose_windows_do_not_overlap() -> None:
    """COMPOUND takes each percentage "of what the coupons before it left",
    and a coupon discounts only "the part of its time inside the window".
    A 50% coupon A until June 16 and a 50% coupon B applied June 16, on a
    $100 plan billed in arrears for June (30 days): no moment has both, so
    B's half of the line (June 16 to July 1, $50) had nothing taken from
    it: B = 50% x $50 = $25.00, A = 50% x $50 = $25.00, $50.00 due (the
    full-line setting gives the same, as it must when no two coupons are
    ever in force at once).

    The code compounds B on the whole line's remainder, 50% x ($100 -
    $25) x 15/30 = $18.75, so $56.25 is billed. The same coupons and time
    billed as two lines (a change to an equal-priced plan on June 16) give
    $25.00 + $25.00 = $50.00: the total depends on how the line is cut.
    At fault: ``_discounting.discount_lines`` / ``_off`` (``net`` is the
    whole line's remainder, not the remainder of the window's time).
    """
    policy = BillingPolicy(timing="in-arrears", percent_stacking="compound")
    first = Coupon(
        discount=Discount.percent_off(50), until=utc(2024, 6, 16), name="A"
    )
    later = Coupon(discount=Discount.percent_off(50), name="B")
    sub, _ = Subscription.start(
        Plan(id="p", price=usd("100")),
        utc(2024, 6, 1),
        policy=policy,
        coupons=[first],
    )
    sub = sub.apply_coupon(later, utc(2024, 6, 16))
    _, june = sub.bill()
    assert _discounts(june.lines, "p") == ["-$25.00", "-$25.00"]
    assert june.subtotal == usd("50.00")


def test_proportional_credit_reverses_the_share_its_time_was_billed_with() -> (
    None
):
    """Coupon's rule: "A credit's discount line reverses the discount its
    time was billed with, so a credit never returns more than was paid."

    June 2024 (30 days): $100 plan + one $200 seat, $90 off forever, split
    on June 1 as 9000 cents x 100:200 = $30.00 and $60.00 (the seat paid
    $140.00). June 11 the plan changes to $300, and the change bills the
    seat again, as Polar re-prorates every price at a product change
    (``_resplit``): its 20 days left at its share over the new plan, 9000
    x 200:500 = $36.00. June 21 the seat is removed: its 10 unused days
    were billed at $200 x 10/30 = $66.67 less $36.00 x 10/30 = $12.00, so
    the credit is -$66.67 + $12.00 = -$54.67, what was paid for them.
    (Without the re-billing, the seat kept its $60.00 share: $20.00.)

    A credit is weighed by what its time was billed with (the plan change
    that billed the seat again, ``_billing._billed_at``), never by what is
    in force on the day it is credited.
    """
    seat = AddOn(id="seat", price=usd("200"))
    sub, _ = Subscription.start(
        Plan(id="old", price=usd("100"), rank=1),
        utc(2024, 6, 1),
        policy=SPLIT,
        items=[Item(seat, 1)],
        coupons=[Coupon(discount=Discount.amount_off(usd("90")))],
    )
    sub, _ = sub.change_plan(
        Plan(id="new", price=usd("300"), rank=2), utc(2024, 6, 11)
    )
    _, outcome = sub.change_quantity(seat, 0, utc(2024, 6, 21))
    assert _discounts(outcome.lines, "seat") == ["$12.00"]
    assert outcome.net == usd("-54.67")


def test_proportional_split_at_a_change_of_interval_sums_to_the_coupon() -> (
    None
):
    """DiscountSplit.PROPORTIONAL: the shares "add up to the amount
    exactly". $100 a month + one $100/month seat, $50 off forever, changed
    on 2024-06-16 to $1,200 a year (the cycle restarts there). The new
    year 2024-06-16 to 2025-06-16 bills the plan $1,200 and the seat 12 x
    $100 = $1,200: $50 split 1200:1200 is $25.00 and $25.00, exactly what
    the next renewal (2025-06-16, same products, also 365 days) bills.

    The change invoice takes $25.00 off the seat but $46.15 off the plan
    ($50 x 1200 / 1300: the seat weighed at its monthly $100, from the old
    monthly cycle), $71.15 of a $50 coupon for one period. At fault:
    ``_discounting._split`` / ``_add_on_full`` pricing the other products
    over the account's old cycle for the new plan's line.
    """
    seat = AddOn(id="seat", price=usd("100"))
    sub, _ = Subscription.start(
        Plan(id="old", price=usd("100"), rank=1),
        utc(2024, 6, 1),
        policy=SPLIT,
        items=[Item(seat, 1)],
        coupons=[Coupon(discount=Discount.amount_off(usd("50")))],
    )
    yearly = Plan(
        id="yearly", price=usd("1200"), rank=2, interval=Interval.years(1)
    )
    after, outcome = sub.change_plan(yearly, utc(2024, 6, 16))
    new_period = [
        line
        for line in outcome.lines
        if line.kind is InvoiceLineKind.DISCOUNT
        and line.start == utc(2024, 6, 16)
        and line.end == utc(2025, 6, 16)
    ]
    assert sorted(str(line.amount) for line in new_period) == [
        "-$25.00",
        "-$25.00",
    ]
    _, renewal = after.bill()
    assert _discounts(renewal.lines, "yearly") == ["-$25.00"]  # passes


def test_proportional_split_of_a_delta_seat_line_is_a_share_difference() -> (
    None
):
    """YA6 (audit-2026-12-02.md, Polar's rule the polar convention takes):
    fixed $100 + $50 a seat, $150 off forever, 2 -> 4 seats on 2025-06-16
    (15 of June's 30 days left). At 2 seats the seats' share is 150 x
    100/200 = $75.00, at 4 seats 150 x 200/300 = $100.00; Polar prorates
    the difference, ($100 - $75) x 15/30 = $12.50, off the added seats'
    $100 x 15/30 = $50.00: one entry of $37.50. prorata's default
    (prorated) mode makes the four lines that net to it, $37.50.

    With the seat's ``quantity_mode="delta"`` (the one line for the
    difference, as Polar's one entry) the line of 2 added seats is split
    as if those were all the seats, against the $100 fee (150 x 100/200 =
    $75.00 a period) and takes $37.50 off: net $12.50, and $112.50 of a
    $75.00 half-period coupon given in all. At fault:
    ``_discounting._split`` weighing the line's own product at the line's
    quantity (the delta), not the quantity in force. ``high-water-mark``
    gives the same $12.50.
    """
    seat = AddOn(id="seat", price=usd("50"), quantity_mode="delta")
    sub, _ = Subscription.start(
        Plan(id="fixed", price=usd("100")),
        utc(2025, 6, 1),
        policy=presets.CONVENTIONS["polar"],
        items=[Item(seat, 2)],
        coupons=[Coupon(discount=Discount.amount_off(usd("150")))],
    )
    _, outcome = sub.change_quantity(seat, 4, utc(2025, 6, 16))
    assert _discounts(outcome.lines, "seat") == ["-$12.50"]
    assert outcome.net == usd("37.50")


@pytest.mark.parametrize(
    ("mode", "held", "new", "discount", "net"),
    [
        ("high-water-mark", 2, 4, "-$12.50", "37.50"),
        ("full", 2, 4, "-$25.00", "75.00"),
        ("delta", 4, 2, "$12.50", "-37.50"),
    ],
)
def test_proportional_split_of_a_seat_line_of_any_mode_is_a_difference(
    mode: str, held: int, new: int, discount: str, net: str
) -> None:
    """The same YA6 subscription ($100 fee + $50 a seat, $150 off; seat
    shares $75.00 at 2 seats, $100.00 at 4) under the other modes that bill
    one line for the seats changed, on 2025-06-16 (half of June left):

    - high-water-mark, 2 -> 4 (the peak 2): the 2 seats above it for the
      half, $50.00, less ($100 - $75) x 1/2 = $12.50: $37.50, as delta;
    - full, 2 -> 4: the 2 seats added for the whole period, $100.00, less
      the whole difference, $25.00: $75.00;
    - delta, 4 -> 2: the 2 seats removed credited for the half, -$50.00,
      their $12.50 reversed: -$37.50, Polar's decrease, (200 - 100) -
      (100 - 75) = 75_00 less, prorated by half.
    """
    seat = AddOn(id="seat", price=usd("50"), quantity_mode=QuantityMode(mode))
    sub, _ = Subscription.start(
        Plan(id="fixed", price=usd("100")),
        utc(2025, 6, 1),
        policy=presets.CONVENTIONS["polar"],
        items=[Item(seat, held)],
        coupons=[Coupon(discount=Discount.amount_off(usd("150")))],
    )
    _, outcome = sub.change_quantity(seat, new, utc(2025, 6, 16))
    assert _discounts(outcome.lines, "seat") == [discount]
    assert outcome.net == usd(net)


@pytest.mark.parametrize(
    ("plan", "shares"),
    [
        (Plan(id="pro", price=usd("300"), rank=2), ["-$37.50", "-$12.50"]),
        (
            Plan(
                id="pro",
                price=usd("1200"),
                rank=2,
                interval=Interval.years(1),
            ),
            ["-$25.00", "-$25.00"],
        ),
    ],
    ids=["same-interval", "yearly"],
)
def test_proportional_split_of_a_renewal_onto_a_scheduled_plan(
    plan: Plan, shares: list[str]
) -> None:
    """$100 a month + one $100/month seat, $50 off forever, a change
    scheduled for the period's end (2024-07-01). The period it opens bills
    the new plan and the seat, and the $50 is split across them: $300 and
    $100 a month, 5000 x 300/400 = $37.50 and $12.50; $1,200 a year and 12 x
    $100, $25.00 each. (The seat weighed against the old $100 plan took
    $25.00, the shares adding up to $62.50 and $71.15.)"""
    seat = AddOn(id="seat", price=usd("100"))
    sub, _ = Subscription.start(
        Plan(id="old", price=usd("100"), rank=1),
        JUNE_1,
        policy=SPLIT,
        items=[Item(seat, 1)],
        coupons=[Coupon(discount=Discount.amount_off(usd("50")))],
    )
    scheduled = sub.schedule_change(plan)
    _, july = scheduled.bill()
    assert july.issued_at == utc(2024, 7, 1)
    assert _discounts(july.lines, "pro") + _discounts(july.lines, "seat") == (
        shares
    )
    assert scheduled.preview_invoice().lines == july.lines


@pytest.mark.parametrize(
    "policy", [BillingPolicy(), SPLIT], ids=["per-product", "proportional"]
)
def test_a_credit_reverses_no_coupon_applied_after_its_time_was_billed(
    policy: BillingPolicy,
) -> None:
    """The Coupon rule again, per product: June billed on June 1 with no
    coupon ($100 plan, $200 seat); 50% off from June 5; the plan changes on
    June 11 (the new plan's time billed with the coupon, the seat's time
    untouched); the seat is removed on June 21. Its 10 days left were
    billed $200 x 10/30 = $66.67, undiscounted, and that much comes back
    (the coupon reversed on it, $33.33, would have kept half of it)."""
    seat = AddOn(id="seat", price=usd("200"))
    sub, _ = Subscription.start(
        Plan(id="old", price=usd("100"), rank=1),
        JUNE_1,
        policy=policy,
        items=[Item(seat, 1)],
    )
    sub = sub.apply_coupon(
        Coupon(discount=Discount.percent_off(50)), utc(2024, 6, 5)
    )
    sub, change = sub.change_plan(
        Plan(id="new", price=usd("300"), rank=2), utc(2024, 6, 11)
    )
    assert _discounts(change.lines, "new") == ["-$100.00"]  # 50% of $200
    _, outcome = sub.change_quantity(seat, 0, utc(2024, 6, 21))
    assert _amounts(outcome.lines) == ["-$66.67"]


def _discount_total(lines: Sequence[InvoiceLine]) -> Money:
    """The sum of the discount lines among ``lines``."""
    return sum(
        (x.amount for x in lines if x.kind is InvoiceLineKind.DISCOUNT),
        Money.zero("USD"),
    )


@pytest.mark.parametrize("convention", ["recurly", "polar"])
def test_a_plan_change_keeps_a_split_fixed_coupon_to_its_amount(
    convention: str,
) -> None:
    """A split fixed coupon discounts a period by its amount, no more.

    ``DiscountSplit.IN_ORDER`` (recurly) and ``PROPORTIONAL`` (polar): "a
    change re-fills [re-splits] it", "never more than the products cost
    together", so a $20-a-period coupon takes $20 off a period, no more.
    $20 off, a $15 plan and one $7 add-on, 2024-04-01; changed to a $25 plan
    on 2024-04-16 (15 of April's 30 days left, half the period).

    recurly (in order): before the change plan 15, add-on 5; after it plan
    20, add-on 0. April: 1/2 x (15 + 5) + 1/2 x (20 + 0) = 20.00.
    Before the fix the add-on kept its share of 5 for the whole month:
    15 + 5 - 7.50 + 10 = 22.50.

    polar (proportional): before 2000 cents over [1500, 700] -> [1364, 636];
    after over [2500, 700] -> [1563, 437] (1562.5/437.5, the cent to the
    first). April: 1/2 x 20 + 1/2 x 20 = 20.00; before the fix
    13.64 + 6.36 - 6.82 + 7.82 = 21.00 (the add-on kept 6.36, not 4.37,
    after the change).

    The change bills the add-on again, as Polar re-prorates every price in
    force at a product change (``_resplit``): its unused time credited
    (-3.50, reversing the share it was billed with) and its remaining time
    charged (+3.50, at its share over the new plan); its price nets zero.
    """
    add_on = AddOn(id="addon", price=usd("7"))
    small = Plan(id="p15", price=usd("15"), rank=1)
    large = Plan(id="p25", price=usd("25"), rank=2)
    coupon = Coupon(discount=Discount.amount_off(usd("20")))
    sub, first = Subscription.start(
        small,
        utc(2024, 4, 1),
        policy=presets.CONVENTIONS[convention],
        items=[Item(add_on, 1)],
        coupons=[coupon],
    )
    assert first is not None
    assert _discount_total(first.lines) == usd("-20.00")
    sub, outcome = sub.change_plan(large, utc(2024, 4, 16))
    april = [*first.lines, *outcome.lines]
    assert _discount_total(april) == usd("-20.00")
    add_on_lines = [
        x.amount
        for x in outcome.lines
        if x.product == add_on and x.kind is not InvoiceLineKind.DISCOUNT
    ]
    assert add_on_lines == [usd("-3.50"), usd("3.50")]
