"""The seed pages' worked plan-change examples, to the cent.

Every expected amount below is written as the page prints it, with the page
and the section it comes from. Hosting page: ``002_440c7b3f4171c8ae.txt`` in
``shared/seeds``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from prorata import (
    Basis,
    BillingPeriod,
    ChangeDirection,
    Plan,
    PlanChange,
    Proration,
    ProrationPolicy,
    RoundingStage,
    prorate,
)
from tests.common import usd

HOSTING = "002_440c7b3f4171c8ae.txt"


STARTER = Plan(id="starter", name="Starter", price=usd("35"), rank=1)
PRO = Plan(id="pro", name="Pro", price=usd("70"), rank=2)
BUSINESS_1 = Plan(id="business-1", name="Business 1", price=usd("115"), rank=3)
BUSINESS_2 = Plan(id="business-2", name="Business 2", price=usd("225"), rank=4)

#: "for this example, in a 30 day month"
MONTH = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)


def change_on_day(
    old: Plan, new: Plan, days_in: int, basis: Basis
) -> Proration:
    change = PlanChange(old, new, at=MONTH.start + timedelta(days=days_in))
    return prorate(change, MONTH, ProrationPolicy(basis=basis))


class TestBusiness1ToBusiness2:
    """Hosting page, 'Monthly Plans': B1 -> B2 10 days into the month."""

    def test_credit_charge_and_net(self) -> None:
        """$115 / 30 * 20 = $76.67; $225 / 30 * 20 = $150; $73.33."""
        q = change_on_day(BUSINESS_1, BUSINESS_2, 10, Basis.THIRTY_DAY_MONTH)
        assert q.credit == usd("76.67")
        assert q.charge == usd("150")
        assert q.net == usd("73.33")
        assert q.change.direction is ChangeDirection.UPGRADE

    def test_days_on_each_plan(self) -> None:
        """'10 days were used under the Business 1 plan ... 20 days under
        the Business 2 plan'."""
        q = change_on_day(BUSINESS_1, BUSINESS_2, 10, Basis.THIRTY_DAY_MONTH)
        assert q.used.portion.units == 10
        assert q.unused.portion.units == 20
        assert q.remaining.portion.units == 20
        assert q.unused.portion.total == 30

    def test_explanation_matches_the_calculation_blocks(self) -> None:
        """The page's 'Calculation' lines appear in the explanation."""
        text = change_on_day(
            BUSINESS_1, BUSINESS_2, 10, Basis.THIRTY_DAY_MONTH
        ).explain()
        assert "$115 / 30 * 20 = $76.67" in text
        assert "$225 / 30 * 20 = $150.00" in text
        assert "Unused time on Business 1 (20 days) = -$76.67" in text
        assert "Remaining time on Business 2 (20 days) = $150.00" in text
        assert "Total: $73.33" in text

    @pytest.mark.parametrize("basis", [Basis.SECONDS, Basis.DAYS])
    def test_other_bases_agree_on_a_30_day_month(self, basis: Basis) -> None:
        """On a 30-day period at midnight, seconds and days give the same."""
        q = change_on_day(BUSINESS_1, BUSINESS_2, 10, basis)
        assert (q.credit, q.charge, q.net) == (
            usd("76.67"),
            usd("150.00"),
            usd("73.33"),
        )


class TestProToStarter:
    """Hosting page, 'Monthly Plans': Pro -> Starter 13 days in."""

    def test_credit_charge_and_net(self) -> None:
        """$70 / 30 * 17 = $39.67; $35 / 30 * 17 = $19.83; -$19.84."""
        q = change_on_day(PRO, STARTER, 13, Basis.THIRTY_DAY_MONTH)
        assert q.credit == usd("39.67")
        assert q.charge == usd("19.83")
        assert q.net == usd("-19.84")
        assert q.change.direction is ChangeDirection.DOWNGRADE

    def test_net_comes_from_rounded_lines(self) -> None:
        """'$19.83 - $39.67 = -$19.84': rounding each line first. Rounding
        only the exact net (-19.8333...) would give -$19.83 instead."""
        q = change_on_day(PRO, STARTER, 13, Basis.THIRTY_DAY_MONTH)
        assert q.net == q.charge - q.credit
        net_only = prorate(
            q.change,
            MONTH,
            ProrationPolicy(
                basis=Basis.THIRTY_DAY_MONTH,
                rounding_stage=RoundingStage.NET,
            ),
        )
        assert net_only.net == usd("-19.83")
        assert net_only.net_exact == q.net_exact

    def test_explanation(self) -> None:
        """The page's 'Calculation' lines appear in the explanation."""
        text = change_on_day(
            PRO, STARTER, 13, Basis.THIRTY_DAY_MONTH
        ).explain()
        assert "$70 / 30 * 17 = $39.67" in text
        assert "$35 / 30 * 17 = $19.83" in text
        assert "Total: -$19.84" in text


class TestStarterToBusiness1:
    """Hosting page, 'Upgrades Are Not Applied Retroactively': Starter ->
    B1 on the 30th day, 'basically $1.17 per day'."""

    def test_daily_rates(self) -> None:
        """$35 / 30 is '$1.17 per day'; B1 is $3.83 for one day."""
        q = change_on_day(STARTER, BUSINESS_1, 29, Basis.DAILY_RATE)
        assert q.unused.rate == usd("1.17")
        assert q.remaining.rate == usd("3.83")

    def test_credit_and_charge(self) -> None:
        """'reimburse you $1.17 ... and charge you $3.83 for one day'."""
        q = change_on_day(STARTER, BUSINESS_1, 29, Basis.DAILY_RATE)
        assert q.credit == usd("1.17")
        assert q.charge == usd("3.83")
        assert q.unused.portion.units == 1

    def test_period_cost_before_overage(self) -> None:
        """'$37.76 ($33.93 for 29 days on the Starter plan, $3.83 for one
        day on the Business 1 plan)'."""
        q = change_on_day(STARTER, BUSINESS_1, 29, Basis.DAILY_RATE)
        assert q.used.amount == usd("33.93")
        assert q.used.portion.units == 29
        assert q.period_cost == usd("37.76")

    def test_daily_rate_differs_from_exact_days(self) -> None:
        """Rounding the rate first is the page's method: exact days credit
        $1.17 too, but price the 29 used days at $33.83, not $33.93."""
        q = change_on_day(STARTER, BUSINESS_1, 29, Basis.DAYS)
        assert q.credit == usd("1.17")
        assert q.used.amount == usd("33.83")
        assert q.used.amount + q.credit == STARTER.price


def test_demo_prints_every_worked_example() -> None:
    """The demo shows each example's figures as the page prints them."""
    from prorata._examples import demo  # noqa: PLC0415

    text = demo()
    for figure in (
        "-$76.67",
        "$150.00",
        "Total: $73.33",
        "-$39.67",
        "$19.83",
        "Total: -$19.84",
        "$1.17 a day",
        "$33.93",
        "$3.83",
        "Period cost with the change: $37.76",
    ):
        assert figure in text, figure
    assert text.count(HOSTING) == 7
    assert "000_9f3ea20e269377cb.txt" in text


def test_exact_values_are_kept_beside_rounded_ones() -> None:
    """Every line keeps its unrounded value: 115 x 20/30 = 76.666..."""
    q = change_on_day(BUSINESS_1, BUSINESS_2, 10, Basis.THIRTY_DAY_MONTH)
    assert q.unused.exact * 3 == -230
    assert q.unused.amount.amount == Decimal("-76.67")
