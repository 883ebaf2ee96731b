"""Invariants of annual resets, allowances and change rules (#4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    Basis,
    BillingPolicy,
    InvoiceLineKind,
    Plan,
    ProrationPolicy,
    Subscription,
)
from tests.common import usd_cents
from tests.strategies import monthly_plans

START = datetime(2024, 1, 31, 9, 30, tzinfo=UTC)
YEAR_SECONDS = 366 * 86_400  # 2024-01-31 to 2025-01-31 spans Feb 29


@settings(max_examples=150)
@given(
    old=monthly_plans,
    new=monthly_plans,
    months_free=st.integers(0, 3),
    offset=st.integers(0, 29 * 86_400 - 1),
    basis=st.sampled_from([Basis.SECONDS, Basis.DAYS]),
)
def test_a_reset_covers_every_second_once(
    old: Plan, new: Plan, months_free: int, offset: int, basis: Basis
) -> None:
    """Monthly -> annual: the old plan is credited exactly from the switch,
    the new cycle starts exactly there, and the old plan's used time ends
    there: no second charged twice, none left uncharged."""
    policy = BillingPolicy(proration=ProrationPolicy(basis=basis))
    sub, _ = Subscription.start(old, START, policy=policy)
    at = START + timedelta(seconds=offset)
    annual = new.annual(months_free=months_free)
    sub, outcome = sub.change_plan(annual, at)
    assert outcome.invoice is not None
    credit, charge = outcome.invoice.lines
    assert credit.kind is InvoiceLineKind.UNUSED_TIME
    assert outcome.proration.used.end == credit.start == at
    assert charge.start == sub.period.start == at
    assert credit.end == outcome.proration.period.end
    # the used and unused parts of the old month add up to all of it
    used, unused = outcome.proration.used, outcome.proration.unused
    assert used.portion.units + unused.portion.units == used.portion.total


@settings(max_examples=150)
@given(
    old=monthly_plans,
    new=monthly_plans,
    offset=st.integers(0, YEAR_SECONDS - 1),
)
def test_annual_to_annual_carries_the_unused_share(
    old: Plan, new: Plan, offset: int
) -> None:
    """Annual -> annual: the balance carried is the unused share of what was
    paid, to the cent, and whatever exceeds the new price stays as credit
    balance."""
    paid_plan = old.annual(months_free=2)
    sub, signup = Subscription.start(paid_plan, START)
    assert signup is not None
    at = START + timedelta(seconds=offset)
    sub, outcome = sub.change_plan(new.annual(months_free=2), at)
    share = Fraction((sub.period.start - START) // timedelta(seconds=1))
    unused = 1 - share / YEAR_SECONDS
    expected = (signup.amount_due.exact * unused).limit_denominator(10**12)
    assert abs(outcome.proration.credit.exact - expected) <= Fraction(1, 200)
    invoice = outcome.invoice
    assert invoice is not None
    excess = outcome.proration.credit - invoice.lines[-1].amount
    if excess > usd_cents(0):
        assert sub.credit_balance == excess
        assert invoice.amount_due == usd_cents(0)
