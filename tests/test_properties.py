"""Invariants of proration a billing engineer would sign (issue #2).

Each test states its invariant in its docstring; Hypothesis draws the plans,
periods, moments and policies (see ``tests/strategies.py``).
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    Basis,
    BillingPeriod,
    Money,
    Plan,
    PlanChange,
    ProrataError,
    Proration,
    ProrationPolicy,
    RoundingStage,
    Timeline,
    prorate,
    prorate_timeline,
)
from tests.common import in_utc
from tests.strategies import (
    aware_datetimes,
    currencies,
    junk,
    loose_plans,
    moments_in,
    ordered_moments,
    periods,
    plans,
    policies,
    prices,
    same_priced_plans,
)

#: The bases that price a whole period at exactly the plan's price.
EXACT_BASES = (Basis.SECONDS, Basis.DAYS, Basis.THIRTY_DAY_MONTH)


def in_order(
    data: st.DataObject, period: BillingPeriod, count: int
) -> list[datetime]:
    """``count`` moments inside ``period``, oldest first."""
    return data.draw(ordered_moments(period, count))


def chain(
    plan: Plan, nexts: list[Plan], moments: list[datetime]
) -> list[PlanChange]:
    """The changes from ``plan`` through ``nexts`` at ``moments``."""
    changes: list[PlanChange] = []
    current = plan
    for new, at in zip(nexts, moments, strict=True):
        changes.append(PlanChange(current, new, at=at))
        current = new
    return changes


# -- 1 and 2: one change ------------------------------------------------------


@given(data=st.data())
def test_a_change_to_the_same_plan_bills_nothing(data: st.DataObject) -> None:
    """A change to the same plan credits what it charges and nets zero."""
    currency = data.draw(currencies())
    plan = data.draw(plans(currency))
    period = data.draw(periods())
    at = data.draw(moments_in(period))
    policy = data.draw(policies())

    result = prorate(PlanChange(plan, plan, at=at), period, policy)

    assert result.net_exact == 0
    assert result.net == Money.zero(currency)
    assert result.credit == result.charge


@given(data=st.data())
def test_the_net_follows_the_price(data: st.DataObject) -> None:
    """Up or level in price never nets a credit; down or level, no charge."""
    currency = data.draw(currencies())
    old = data.draw(plans(currency))
    new = data.draw(plans(currency, old.price) | plans(currency))
    period = data.draw(periods())
    at = data.draw(moments_in(period))
    policy = data.draw(policies())

    result = prorate(PlanChange(old, new, at=at), period, policy)

    zero = Money.zero(currency)
    if new.price >= old.price:
        assert result.net_exact >= 0
        assert result.net >= zero
    if new.price <= old.price:
        assert result.net_exact <= 0
        assert result.net <= zero


# -- 3 and 4: timelines -------------------------------------------------------


@settings(max_examples=120)
@given(data=st.data())
def test_segments_of_one_price_add_up_to_that_price(
    data: st.DataObject,
) -> None:
    """However a period is cut, one price's segments add up to that price."""
    currency = data.draw(currencies())
    plan = data.draw(plans(currency))
    period = data.draw(periods())
    policy = data.draw(policies(EXACT_BASES))
    moments = in_order(data, period, data.draw(st.integers(1, 6)))
    nexts = [data.draw(same_priced_plans(plan)) for _ in moments]

    timeline = prorate_timeline(
        plan, chain(plan, nexts, moments), period, policy
    )

    segments = timeline.segments
    price = plan.price
    assert len(segments) == len(moments) + 1
    assert sum(segment.exact for segment in segments) == price.exact
    rounded = sum(
        (segment.amount for segment in segments), Money.zero(currency)
    )
    assert abs(rounded - price) <= Money.from_minor_units(
        len(segments), currency
    )
    parts = price.allocate([segment.portion.units for segment in segments])
    assert sum(parts, Money.zero(currency)) == price


def _chain_timeline(data: st.DataObject, policy: ProrationPolicy) -> Timeline:
    """A -> B -> C (and up to two more changes) inside one period."""
    currency = data.draw(currencies())
    first = data.draw(plans(currency))
    period = data.draw(periods())
    moments = in_order(data, period, data.draw(st.integers(2, 4)))
    nexts = [data.draw(plans(currency)) for _ in moments]
    return prorate_timeline(
        first, chain(first, nexts, moments), period, policy
    )


@settings(max_examples=150)
@given(data=st.data())
def test_a_chain_costs_the_first_price_plus_its_nets(
    data: st.DataObject,
) -> None:
    """A's price plus the exact nets is what each plan cost while in force."""
    # DAILY_RATE is left out: it rounds the daily rate first, so a whole
    # period costs rate x days rather than the price; the next test covers it.
    policy = data.draw(policies(EXACT_BASES))
    timeline = _chain_timeline(data, policy)

    nets = sum((p.net_exact for p in timeline.prorations), Fraction(0))
    used = sum((s.exact for s in timeline.segments), Fraction(0))
    assert timeline.plan.price.exact + nets == used
    if policy.rounding_stage is RoundingStage.LINE:
        lines = sum(
            (line.amount for line in timeline.lines),
            Money.zero(timeline.plan.currency),
        )
        assert timeline.net == lines


@settings(max_examples=100)
@given(data=st.data())
def test_a_daily_rate_chain_costs_the_first_rate_times_days_plus_its_nets(
    data: st.DataObject,
) -> None:
    """Daily rate: A's rate x days plus the exact nets is the used time."""
    policy = data.draw(policies((Basis.DAILY_RATE,)))
    timeline = _chain_timeline(data, policy)

    first = timeline.segments[0]
    assert first.rate is not None
    nets = sum((p.net_exact for p in timeline.prorations), Fraction(0))
    used = sum((s.exact for s in timeline.segments), Fraction(0))
    assert first.rate.exact * first.portion.total + nets == used


@settings(max_examples=120)
@given(data=st.data())
def test_no_plan_is_priced_for_negative_time(data: st.DataObject) -> None:
    """No plan is ever priced for a negative stretch of time."""
    policy = data.draw(policies())
    timeline = _chain_timeline(data, policy)

    lines = (*timeline.segments, *timeline.lines)
    assert [
        line.portion.units for line in lines if line.portion.units < 0
    ] == []


# -- 5: monotone in the moment ------------------------------------------------


def _near(price: Money) -> st.SearchStrategy[Money]:
    """Any price, the same price, or one a few minor units either side."""
    step = Money.from_minor_units(1, price.currency)
    near = st.integers(-3, 3).map(lambda n: price + step * n)
    return st.one_of(
        st.just(price),
        prices(price.currency),
        near.filter(lambda p: p.amount >= 0),
    )


def _two_moments(
    data: st.DataObject, stage: RoundingStage | None = None
) -> tuple[Proration, Proration]:
    """One change priced at two moments, the earlier first (seconds)."""
    currency = data.draw(currencies())
    old = data.draw(plans(currency))
    new = data.draw(plans(currency, data.draw(_near(old.price))))
    period = data.draw(periods())
    early, late = in_order(data, period, 2)
    if data.draw(st.booleans()):  # an instant just after the first one
        # In UTC: wall-clock arithmetic would drop a fold=1 and go back.
        later = in_utc(early) + timedelta(
            seconds=data.draw(st.integers(0, 99))
        )
        if period.contains(later):
            late = later
    policy = data.draw(policies((Basis.SECONDS,)))
    if stage is not None:
        policy = replace(policy, rounding_stage=stage)
    return (
        prorate(PlanChange(old, new, at=early), period, policy),
        prorate(PlanChange(old, new, at=late), period, policy),
    )


@settings(max_examples=150)
@given(data=st.data())
def test_a_later_change_moves_every_amount_toward_zero(
    data: st.DataObject,
) -> None:
    """Seconds basis: a later change moves credit, charge and net toward 0."""
    first, second = _two_moments(data)
    old, new = first.change.old.price, first.change.new.price

    assert second.credit <= first.credit
    assert second.charge <= first.charge
    exact_net_only = second.policy.rounding_stage is RoundingStage.LINE
    if new >= old:
        assert second.net_exact <= first.net_exact
        assert exact_net_only or second.net <= first.net
    if new <= old:
        assert second.net_exact >= first.net_exact
        assert exact_net_only or second.net >= first.net


@settings(max_examples=100)
@given(data=st.data())
def test_per_line_rounding_moves_a_later_net_back_by_one_unit_at_most(
    data: st.DataObject,
) -> None:
    """Per-line rounding may move a later net away from 0 by 1 unit at most."""
    # Each line rounds on its own, so a credit can drop a minor unit a
    # second before the charge does: $10.00 -> $10.01 in June 2024 (UTC)
    # nets $0.00 at 06-02 01:33:36 ($9.65 - $9.65) and $0.01 a second later
    # ($9.65 - $9.64). The exact net and a net rounded once
    # (RoundingStage.NET) never move back; see the test above.
    first, second = _two_moments(data, RoundingStage.LINE)
    old, new = first.change.old.price, first.change.new.price

    one = Money.from_minor_units(1, old.currency)
    if new >= old:
        assert second.net <= first.net + one
    if new <= old:
        assert second.net >= first.net - one


# -- 8: fuzzing ---------------------------------------------------------------


@st.composite
def _short_periods(draw: st.DrawFn) -> BillingPeriod:
    """Periods from a microsecond to three days long."""
    start = draw(aware_datetimes())
    length = draw(st.integers(1, 3 * 86_400 * 10**6))
    end = in_utc(start) + timedelta(microseconds=length)  # an instant later
    return BillingPeriod(start, end.astimezone(start.tzinfo))


@settings(max_examples=300)
@given(data=st.data())
def test_prorate_succeeds_or_refuses_with_a_prorata_error(
    data: st.DataObject,
) -> None:
    """prorate(...) prices or raises a ProrataError, whatever it is given."""
    names = ["change", "period", "policy", "at", "old", "new"]
    bad = data.draw(
        st.just(set()) | st.sets(st.sampled_from(names), max_size=2)
    )

    def pick(name: str, strategy: st.SearchStrategy[Any]) -> Any:
        return data.draw(junk() if name in bad else strategy)

    period = pick("period", periods(min_days=1) | _short_periods())
    if isinstance(period, BillingPeriod):
        at = pick("at", moments_in(period) | aware_datetimes())
    else:
        at = pick("at", aware_datetimes())
    old = pick("old", loose_plans())
    if isinstance(old, Plan):
        new = pick("new", loose_plans() | plans(old.currency))
    else:
        new = pick("new", loose_plans())
    policy = pick("policy", policies())
    with contextlib.suppress(ProrataError):
        if "change" in bad:
            change = data.draw(junk())
        else:
            change = PlanChange(old, new, at=at)
        prorate(change, period, policy)
