"""Minimum commitments: the true-up of what a period falls short of.

Worked figures: issue #15's acceptance list ($100 a month: $50.00 for 15
of 30 days; $80.00 of usage, a $20.00 true-up). The rule is Lago's minimum
commitment (docs/research/invoice-features.md section 6): prorated by the
days covered, less the period's fees, never below zero. Expected amounts
are computed here from that definition, not by prorata.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    Basis,
    BillingPolicy,
    Charge,
    InvalidPlanError,
    InvoiceLineKind,
    Money,
    Plan,
    ProrationPolicy,
    Subscription,
    UsageAllowance,
)

JUNE_1 = datetime(2024, 6, 1, tzinfo=UTC)
CENT = Decimal("0.01")
DAYS = BillingPolicy(proration=ProrationPolicy(basis=Basis.DAYS))
PLAN = Plan(id="pro", name="Pro", price=Money("30", "USD"))


def usd(text: str) -> Money:
    return Money(text, "USD")


# -- one-time charges --------------------------------------------------------


# -- minimum commitments -----------------------------------------------------

METERED = Plan(
    id="metered",
    name="Metered",
    price=usd("0"),
    minimum=usd("100"),
    allowances=(
        UsageAllowance(metric="calls", included=0, overage_price=usd("1")),
    ),
)


def test_a_partial_first_period_has_a_prorated_minimum() -> None:
    """15 of 30 days: a $50.00 minimum, trued up on the next invoice."""
    sub, _ = Subscription.start(
        METERED,
        datetime(2024, 6, 16, tzinfo=UTC),
        anchor=JUNE_1,
        policy=DAYS,
    )
    _, invoice = sub.bill()
    (line,) = invoice.lines_of(InvoiceLineKind.COMMITMENT)
    assert line.amount == usd("50.00")


def test_usage_short_of_the_minimum_adds_a_true_up() -> None:
    """$80.00 of usage in a full month adds a $20.00 true-up line."""
    for policy in (DAYS, BillingPolicy(timing="in-arrears")):
        sub, _ = Subscription.start(METERED, JUNE_1, policy=policy)
        if policy is DAYS:
            sub, _ = sub.bill()  # June's invoice trues June up: $100
        sub = sub.record_usage("calls", 80, sub.period.start.replace(day=10))
        _, invoice = sub.bill()
        (line,) = invoice.lines_of(InvoiceLineKind.COMMITMENT)
        assert line.amount == usd("20.00")


@given(st.integers(min_value=0, max_value=300))
def test_a_true_up_is_what_the_period_falls_short_of(calls: int) -> None:
    sub, _ = Subscription.start(
        METERED, JUNE_1, policy=BillingPolicy(timing="in-arrears")
    )
    if calls:
        sub = sub.record_usage(
            "calls", calls, datetime(2024, 6, 9, tzinfo=UTC)
        )
    _, invoice = sub.bill()
    short = max(Decimal(100) - calls, Decimal(0))
    lines = invoice.lines_of(InvoiceLineKind.COMMITMENT)
    assert sum(line.amount.amount for line in lines) == short
    assert invoice.subtotal.amount == max(Decimal(calls), Decimal(100))


@given(
    st.integers(min_value=0, max_value=150),
    st.integers(min_value=0, max_value=150),
)
def test_one_time_charges_of_the_period_count_toward_it(
    calls: int, charged: int
) -> None:
    """Lago's true-up subtracts every fee of the period, those invoiced
    when their events came too (``fees_total_amount_cents``,
    app/services/commitments/minimum/calculate_true_up_fee_service.rb)."""
    sub, _ = Subscription.start(
        METERED, JUNE_1, policy=BillingPolicy(timing="in-arrears")
    )
    day = datetime(2024, 6, 9, tzinfo=UTC)
    if calls:
        sub = sub.record_usage("calls", calls, day)
    if charged:
        sub, _ = sub.add_charge(Charge(id="x", price=usd(str(charged))), day)
    _, invoice = sub.bill()
    short = max(Decimal(100) - calls - charged, Decimal(0))
    lines = invoice.lines_of(InvoiceLineKind.COMMITMENT)
    assert sum(line.amount.amount for line in lines) == short


def test_a_cancellation_trues_up_the_fees_not_the_credits() -> None:
    """$30 a month in advance with a $100 minimum, cancelled on July 11
    under a day basis: the minimum for the 10 of 31 days used, $32.26,
    less July's $30.00 fee, $2.26; the unused-time credit, a credit note,
    is no fee (Lago's CalculateTrueUpFeeService#subscription_fees)."""
    plan = Plan(id="p", price=usd("30"), minimum=usd("100"))
    sub, _ = Subscription.start(plan, JUNE_1, policy=DAYS)
    sub, _ = sub.bill()  # June's invoice: $30.00
    _, outcome = sub.cancel(datetime(2024, 7, 11, tzinfo=UTC))
    assert outcome.invoice is not None
    (line,) = outcome.invoice.lines_of(InvoiceLineKind.COMMITMENT)
    minimum = (Decimal(100) * 10 / 31).quantize(CENT)
    assert line.amount.amount == minimum - 30


def test_a_minimum_in_another_currency_is_refused() -> None:
    with pytest.raises(InvalidPlanError, match="minimum"):
        Plan(id="m", price=usd("0"), minimum=Money("1", "EUR"))


# -- usage prorated by time --------------------------------------------------


# -- a longer cadence on a shorter cycle -------------------------------------
