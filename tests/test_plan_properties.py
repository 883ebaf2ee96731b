"""Invariants of annual resets, allowances and change rules (#4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    Basis,
    BillingPeriod,
    BillingPolicy,
    Discount,
    InvoiceLineKind,
    LifetimeAllowance,
    Plan,
    PlanChange,
    ProrationPolicy,
    RefusalReason,
    Subscription,
    carry_allowances,
    check_change,
    prorate,
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


@given(
    old_included=st.integers(0, 10),
    new_included=st.integers(0, 10),
    used=st.integers(0, 20),
)
def test_available_allowance_is_bounded(
    old_included: int, new_included: int, used: int
) -> None:
    """What is available after a change never exceeds the new plan's
    allowance and is never below zero."""

    def plan(included: int) -> Plan:
        return Plan(
            id=f"p{included}",
            price=usd_cents(100),
            lifetime=(
                LifetimeAllowance(metric="migrations", included=included),
            ),
        )

    (carry,) = carry_allowances(
        plan(old_included), plan(new_included), {"migrations": used}
    )
    assert 0 <= carry.available_after <= new_included
    assert carry.available_after == max(0, new_included - used)
    assert carry.delta == carry.available_after - carry.available_before


flagged_plans = st.builds(
    lambda rank, sales, custom, legacy: Plan(
        id=f"p{rank}",
        price=usd_cents(1_000),
        rank=rank,
        sales_only=sales,
        custom=custom,
        legacy=legacy,
    ),
    st.integers(0, 9),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)


@given(catalog=st.lists(flagged_plans, min_size=1, max_size=6))
def test_every_pair_is_allowed_or_refused_with_a_reason(
    catalog: list[Plan],
) -> None:
    """For any catalog, each pair is decided: allowed, or refused with a
    reason code and a message that names both plans."""
    for old in catalog:
        for new in catalog:
            decision = check_change(old, new)
            if decision.allowed:
                assert decision.reason is None
                assert not old.sales_only
                assert not new.sales_only
            else:
                assert isinstance(decision.reason, RefusalReason)
                assert old.name in decision.message
                assert new.name in decision.message


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
