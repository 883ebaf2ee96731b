"""Add-ons (``prorata._add_on``): what is sold by the unit beside a plan.

How a subscription bills add-ons (#4) is tested in
``tests/test_subscription.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from prorata import (
    ANNUAL,
    AddOn,
    CadenceFactor,
    InvalidPlanError,
    Item,
    Plan,
    Subscription,
)
from tests.common import usd

CENT = Decimal("0.01")
JUNE_1 = datetime(2024, 6, 1, tzinfo=UTC)

SITE = AddOn(id="extra-site", name="Extra site", price=usd("20"))


class TestBadAddOns:
    def test_negative_quantity(self) -> None:
        """A negative quantity is refused, naming it."""
        with pytest.raises(InvalidPlanError, match="-1"):
            Item(SITE, -1)


@pytest.mark.parametrize(
    ("factor", "april"),
    [(CadenceFactor.NOMINAL_365, "60.00"), (CadenceFactor.TWELFTHS, "60.83")],
)
def test_an_annual_add_on_on_a_monthly_plan(
    factor: CadenceFactor, april: str
) -> None:
    """$730 a year on a monthly plan, April: 730 x 30/365 or 730/12."""
    support = AddOn(
        id="support",
        price=usd("730"),
        interval=ANNUAL,
        cadence_factor=factor,
    )
    monthly = Plan(id="m", price=usd("0"))
    _, invoice = Subscription.start(
        monthly, datetime(2024, 4, 1, tzinfo=UTC), items=[Item(support)]
    )
    assert invoice is not None
    share = (
        Decimal(730) * 30 / 365
        if factor is CadenceFactor.NOMINAL_365
        else Decimal(730) / 12
    )
    assert share.quantize(CENT, ROUND_HALF_UP) == Decimal(april)
    assert invoice.lines[1].amount == usd(april)


def test_an_annual_add_on_is_prorated_within_the_month() -> None:
    """Twelfths: the month's $60.83... prorated for 15 of 30 days."""
    support = AddOn(
        id="support",
        price=usd("730"),
        interval=ANNUAL,
        cadence_factor="twelfths",
    )
    monthly = Plan(id="m", price=usd("0"))
    sub, _ = Subscription.start(monthly, datetime(2024, 6, 1, tzinfo=UTC))
    _, outcome = sub.change_quantity(
        support, 1, datetime(2024, 6, 16, tzinfo=UTC)
    )
    expected = (Decimal(730) / 12 * 15 / 30).quantize(CENT, ROUND_HALF_UP)
    assert outcome.lines[0].amount.amount == expected  # $30.42


def test_an_annual_add_on_without_a_factor_is_refused() -> None:
    support = AddOn(id="support", price=usd("730"), interval=ANNUAL)
    with pytest.raises(InvalidPlanError, match="cadence_factor"):
        Subscription.start(
            Plan(id="m", price=usd("0")), JUNE_1, items=[Item(support)]
        )
