"""The one formula (``prorata._pricing``) held to the independent reference.

``price_time`` prices any stretch ``[a, b)`` of a period, any quantity, at
any price: the used time billed in arrears, an add-on's quantity change, a
sign-up inside a period. Its units and total are read off the reference's
frame (``tests/reference.py``, written from the published definitions) and
its amount is the published formula, price x quantity x units / total (or
the rounded daily rate x quantity x days), rounded once with the policy's
mode. ``amount`` is held to plain ``Fraction`` arithmetic.

Then what the formula does with a policy: its rounding mode reaches every
line, the net stage rounds the exact net once, a zero-decimal currency
prices whole units; and the credit and charge treatments (none, full,
prorated).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    AddOn,
    Basis,
    BillingPeriod,
    LineKind,
    Money,
    Plan,
    PlanChange,
    ProrataError,
    ProrationPolicy,
    RoundingMode,
    RoundingStage,
    Treatment,
    prorate,
)
from prorata._pricing import price_time
from prorata._rounding import amount
from tests import reference as ref
from tests.common import NOVEMBER, days, plan_at, usd
from tests.strategies import november_moments, time_bases, usd_prices
from tests.test_reference import (
    EXAMPLES,
    ROUNDINGS,
    any_periods,
    moments,
    price_pairs,
)

if TYPE_CHECKING:
    from tests.test_reference import Period

KINDS = (LineKind.USED_TIME, LineKind.UNUSED_TIME, LineKind.REMAINING_TIME)


def _expected(
    frame: ref.Frame,
    price: Money,
    quantity: int,
    units: int | Fraction,
    credit: bool,  # noqa: FBT001
) -> tuple[Fraction, Money]:
    """The published formula over the reference's units and total."""
    mode = frame.options.rounding
    if frame.options.basis == "daily-rate":
        rate = ref.round_money(price.exact / frame.total, price, mode)
        magnitude = rate.exact * quantity * units
    else:
        magnitude = price.exact * quantity * units / frame.total
    rounded = ref.round_money(magnitude, price, mode)
    return (-magnitude, -rounded) if credit else (magnitude, rounded)


def _stretch(data: st.DataObject, period: Period) -> tuple[datetime, datetime]:
    first, second = data.draw(moments(period)), data.draw(moments(period))
    return tuple(sorted((first, second), key=lambda m: m.timestamp()))  # type: ignore[return-value]


@EXAMPLES
@given(
    data=st.data(),
    basis=st.sampled_from(
        ("seconds", "minutes", "days", "thirty-day-month", "daily-rate")
    ),
    change_day=st.sampled_from(("new-plan", "old-plan", "both")),
    rounding=st.sampled_from(ROUNDINGS),
    quantity=st.integers(0, 40),
    kind=st.sampled_from(KINDS),
)
def test_price_time_matches_the_reference_over_any_stretch(
    data: st.DataObject,
    basis: str,
    change_day: str,
    rounding: str,
    quantity: int,
    kind: LineKind,
) -> None:
    """Any stretch, quantity and price: the reference's units and amount."""
    period = data.draw(any_periods())
    price, _ = data.draw(price_pairs())
    start, end = _stretch(data, period)
    if basis in {"seconds", "minutes"}:
        change_day = "new-plan"  # the change day is a day basis's option
    policy = ProrationPolicy(
        basis=basis,  # type: ignore[arg-type]
        change_day=change_day,  # type: ignore[arg-type]
        rounding=rounding,  # type: ignore[arg-type]
    )
    frame = ref.frame(period.start, period.end, policy)
    add_on = AddOn(id="seat", price=price)
    if isinstance(frame, ref.Refused):
        with pytest.raises(ProrataError):
            price_time(
                kind, add_on, start, end, period=period.billing, policy=policy
            )
        return
    try:
        # The start of a stretch is placed as a change's new side is, its
        # end as the old plan's used time ends.
        units = frame.position(end, frame.options.old_keeps) - frame.position(
            start, frame.options.new_starts
        )
    except ref.RefusedError:
        with pytest.raises(ProrataError):
            price_time(
                kind, add_on, start, end, period=period.billing, policy=policy
            )
        return
    line = price_time(
        kind,
        add_on,
        start,
        end,
        period=period.billing,
        policy=policy,
        quantity=quantity,
    )
    exact, rounded = _expected(
        frame, price, quantity, units, kind is LineKind.UNUSED_TIME
    )
    assert (line.portion.units, line.portion.total) == (units, frame.total)
    assert line.exact == exact
    assert line.amount == rounded


@given(
    numerator=st.integers(-(10**12), 10**12),
    denominator=st.integers(1, 10**6),
    count=st.integers(0, 10**6)
    | st.fractions(min_value=0, max_value=10**4, max_denominator=997),
    total=st.integers(1, 10**6)
    | st.fractions(min_value=Fraction(1, 997), max_value=10**4),
    rounding=st.sampled_from(ROUNDINGS),
)
def test_amount_is_the_ratio_rounded_once(
    numerator: int,
    denominator: int,
    count: int | Fraction,
    total: int | Fraction,
    rounding: str,
) -> None:
    """``amount`` is price x count / total, rounded once as the reference
    rounds a value."""
    mode = ProrationPolicy(rounding=rounding).rounding  # type: ignore[arg-type]
    top, bottom, rounded = amount(
        numerator, denominator, count, total, "USD", mode
    )
    assert (
        Fraction(top, bottom)
        == Fraction(numerator, denominator) * count / total
    )
    exact = Fraction(numerator, denominator) * count / total
    assert rounded == ref.round_units(exact * 100, rounding)


# -- rounding -----------------------------------------------------------------


class TestRounding:
    def test_half_even_policy(self) -> None:
        """The policy's mode reaches every line: 0.125 -> 0.12 half-even."""
        plan = Plan(id="x", price=Money("0.25", "USD"))
        period = BillingPeriod.of_days(datetime(2024, 7, 1, tzinfo=UTC), 2)
        at = period.start + timedelta(days=1)
        even = prorate(
            PlanChange(plan, plan, at=at),
            period,
            days(Basis.DAYS, rounding=RoundingMode.HALF_EVEN),
        )
        up = prorate(PlanChange(plan, plan, at=at), period, days(Basis.DAYS))
        assert even.charge == Money("0.12", "USD")
        assert up.charge == Money("0.13", "USD")

    def test_net_stage_rounds_the_exact_net_once(self) -> None:
        """Under NET, net = round(exact credit + exact charge)."""
        period = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
        pro = Plan(id="pro", price=Money("70", "USD"))
        starter = Plan(id="starter", price=Money("35", "USD"))
        q = prorate(
            PlanChange(pro, starter, at=period.start + timedelta(days=13)),
            period,
            days(Basis.DAYS, rounding_stage=RoundingStage.NET),
        )
        assert q.net_exact == Fraction(-35 * 17, 30)
        assert q.net == Money("-19.83", "USD")
        assert "rounded once" in q.explain()

    def test_zero_decimal_currency(self) -> None:
        """Yen prorate to whole yen."""
        plan = Plan(id="yen", price=Money("1000", "JPY"))
        dearer = Plan(id="yen2", price=Money("2000", "JPY"))
        period = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
        q = prorate(
            PlanChange(plan, dearer, at=period.start + timedelta(days=10)),
            period,
        )
        assert q.credit == Money("667", "JPY")
        assert q.charge == Money("1333", "JPY")
        assert repr(q.net) == "Money('666', 'JPY')"


# -- treatments ---------------------------------------------------------------


A = Plan(id="a", name="A", price=usd("30"), rank=1)
B = Plan(id="b", name="B", price=usd("100"), rank=2)


class TestTreatments:
    AT = datetime(2024, 11, 11, tzinfo=UTC)

    def test_none_and_full(self) -> None:
        """None credits nothing; full charges the whole new price."""
        q = prorate(
            PlanChange(A, B, at=self.AT),
            NOVEMBER,
            days(credit=Treatment.NONE, charge=Treatment.FULL),
        )
        assert (q.credit, q.charge) == (usd("0"), usd("100"))


@settings(max_examples=200)
@given(old=usd_prices, new=usd_prices, at=november_moments, basis=time_bases)
def test_credit_none_never_increases_a_credit(
    old: Money, new: Money, at: datetime, basis: Basis
) -> None:
    """Switching the credit treatment to none never credits more."""
    change = PlanChange(plan_at(old, "old"), plan_at(new, "new"), at=at)
    prorated = prorate(change, NOVEMBER, ProrationPolicy(basis=basis))
    none = prorate(
        change, NOVEMBER, ProrationPolicy(basis=basis, credit=Treatment.NONE)
    )
    assert none.credit <= prorated.credit
    assert none.credit == usd("0")


@settings(max_examples=200)
@given(old=usd_prices, new=usd_prices, basis=time_bases)
def test_full_equals_prorated_at_the_period_start(
    old: Money, new: Money, basis: Basis
) -> None:
    """At the period's first instant, full and prorated are the same."""
    change = PlanChange(
        plan_at(old, "old"), plan_at(new, "new"), at=NOVEMBER.start
    )
    prorated = prorate(change, NOVEMBER, ProrationPolicy(basis=basis))
    full = prorate(
        change,
        NOVEMBER,
        ProrationPolicy(
            basis=basis, credit=Treatment.FULL, charge=Treatment.FULL
        ),
    )
    assert (full.credit, full.charge) == (prorated.credit, prorated.charge)
