"""Coupons: discounts billed as lines, for a duration, mirrored on credits.

Worked figures: issue #15's acceptance list ($100/month, 20% off for three
months from 2025-01-01) and Zuora's "Credit for Prorated Discounts" page
($1,200 a year, a $720 fixed discount, shortened to three months: $360
credited back under "Yes", $480 under "No"; docs/research/
invoice-features.md section 2.3). Expected amounts elsewhere are computed
here from the definition (price x percent x share), not by prorata.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    ANNUAL,
    Basis,
    BillingPolicy,
    Coupon,
    Discount,
    DiscountCredit,
    DiscountTermError,
    InvoiceLineKind,
    Money,
    Plan,
    ProrationPolicy,
    Subscription,
    TaxRate,
)

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
