"""Discounts (``prorata._discount``): off the price, exactly, before proration.

Hosting page (``002_440c7b3f4171c8ae.txt`` in ``shared/seeds``): "15%
discounts on all plans for charities and nonprofits".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    Basis,
    BillingPeriod,
    Discount,
    InvalidPlanError,
    Plan,
    PlanChange,
    ProrationPolicy,
    prorate,
)
from tests.common import JUNE_1, usd, usd_cents
from tests.strategies import monthly_plans

BUSINESS_1 = Plan(id="business-1", name="Business 1", price=usd("115"), rank=3)
BUSINESS_2 = Plan(id="business-2", name="Business 2", price=usd("225"), rank=4)
THIRTY = ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH)
START = datetime(2024, 1, 31, 9, 30, tzinfo=UTC)


class TestDiscounts:
    def test_fifteen_percent_on_business_1_to_2(self) -> None:
        """'15% discounts on all plans for charities and nonprofits':
        Business 1 -> Business 2 after 10 of 30 days at 15% off."""
        fifteen = Discount.percent_off(15)
        period = BillingPeriod.of_days(JUNE_1, 30)
        at = JUNE_1 + timedelta(days=10)
        q = prorate(
            PlanChange(
                BUSINESS_1.with_discount(fifteen),
                BUSINESS_2.with_discount(fifteen),
                at=at,
            ),
            period,
            THIRTY,
        )
        # $97.75 / 30 * 20 = $65.17; $191.25 / 30 * 20 = $127.50
        assert (q.credit, q.charge, q.net) == (
            usd("65.17"),
            usd("127.50"),
            usd("62.33"),
        )
        full = prorate(
            PlanChange(BUSINESS_1, BUSINESS_2, at=at), period, THIRTY
        )
        assert full.net - q.net == usd("11.00")  # 15% of 73.33, to the cent

    def test_fixed_discount_never_below_zero(self) -> None:
        """A fixed discount larger than the price leaves it free."""
        assert Discount.amount_off(usd("50")).apply(usd("35")) == usd("0")

    @pytest.mark.parametrize("bad", [Decimal(101), Decimal(-1)])
    def test_percent_out_of_range(self, bad: Decimal) -> None:
        """A percentage outside 0-100 is refused, naming the value."""
        with pytest.raises(InvalidPlanError, match=str(bad)):
            Discount.percent_off(bad)

    def test_float_percent_refused(self) -> None:
        """Floats are refused here too."""
        with pytest.raises(InvalidPlanError, match=r"0\.15"):
            Discount.percent_off(0.15)  # type: ignore[arg-type]


@settings(max_examples=150)
@given(
    old=monthly_plans,
    new=monthly_plans,
    percent=st.integers(0, 100),
    days_in=st.integers(0, 29),
)
def test_discount_on_proration_is_proration_of_discount(
    old: Plan, new: Plan, percent: int, days_in: int
) -> None:
    """Prorating discounted prices differs from prorating list prices by the
    proration of the discount itself, within a cent per line."""
    discount = Discount.percent_off(percent)
    period = BillingPeriod.of_days(START, 30)
    at = START + timedelta(days=days_in)
    policy = ProrationPolicy(basis=Basis.DAYS)
    listed = prorate(PlanChange(old, new, at=at), period, policy)
    discounted = prorate(
        PlanChange(
            old.with_discount(discount), new.with_discount(discount), at=at
        ),
        period,
        policy,
    )
    cut_old = Plan(id="cut-old", price=old.price - discount.apply(old.price))
    cut_new = Plan(id="cut-new", price=new.price - discount.apply(new.price))
    cut = prorate(PlanChange(cut_old, cut_new, at=at), period, policy)
    for full, part, of_discount in zip(
        listed.lines, discounted.lines, cut.lines, strict=True
    ):
        difference = full.amount - part.amount - of_discount.amount
        assert abs(difference) <= usd_cents(1)
