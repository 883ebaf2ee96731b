"""Plans and plan changes (``prorata._plan``): prices, annuals, allowances.

An annual plan is priced from the monthly one (#4); a plan refuses an
overage price in another currency; a change carries lifetime allowances
("one extra migration added to your account, not two"); and whatever it is
given, a Plan or a PlanChange builds or raises a ProrataError. Hosting
page: ``002_440c7b3f4171c8ae.txt`` (in ``shared/seeds``).
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    ANNUAL,
    CurrencyMismatchError,
    InvalidPlanError,
    LifetimeAllowance,
    Money,
    Plan,
    PlanChange,
    ProrataError,
    UsageAllowance,
    carry_allowances,
)
from tests.common import (
    LIFETIME_PRO,
    LIFETIME_STARTER,
    PLAIN_BUSINESS_1,
    usd,
    usd_cents,
)
from tests.strategies import (
    aware_datetimes,
    intervals,
    loose_plans,
    money,
    spoiled,
)

STARTER, PRO = LIFETIME_STARTER, LIFETIME_PRO
BUSINESS_1 = PLAIN_BUSINESS_1


class TestAnnualPricing:
    def test_two_months_free(self) -> None:
        """'annual discount (two months free)': ten times the monthly."""
        annual = BUSINESS_1.annual(months_free=2)
        assert annual.price == usd("1150")
        assert annual.interval == ANNUAL
        assert annual.rank == BUSINESS_1.rank

    def test_explicit_price(self) -> None:
        """An annual price may be set outright."""
        assert BUSINESS_1.annual(price=usd("999")).price == usd("999")

    def test_only_monthly_plans(self) -> None:
        """An annual plan has no annual version."""
        with pytest.raises(InvalidPlanError, match="not monthly"):
            BUSINESS_1.annual().annual()


class TestLifetimeAllowances:
    def test_migrations_do_not_reset(self) -> None:
        """'say you're currently on a Starter plan, and you used your one
        included migration ... If you later upgrade to Pro (which comes with
        two migrations), you'll get one extra migration added to your
        account, not two'."""
        (carry,) = carry_allowances(STARTER, PRO, {"migrations": 1})
        assert (carry.available_before, carry.available_after) == (0, 1)
        assert carry.delta == 1

    def test_never_below_zero(self) -> None:
        """Downgrading after using more than the new plan includes leaves
        none available, not a negative count."""
        (carry,) = carry_allowances(PRO, STARTER, {"migrations": 2})
        assert carry.available_after == 0
        assert carry.delta == 0


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


class TestBadInput:
    def test_overage_in_another_currency(self) -> None:
        """An allowance's overage price must match the plan's currency."""
        with pytest.raises(CurrencyMismatchError, match="EUR"):
            Plan(
                id="x",
                price=usd("1"),
                allowances=(
                    UsageAllowance(
                        metric="m",
                        included=1,
                        overage_price=Money("1", "EUR"),
                    ),
                ),
            )


# -- fuzzing (issue #2) -------------------------------------------------------


_ALLOWANCES = st.lists(
    st.builds(
        UsageAllowance,
        metric=st.sampled_from(["visits", "storage"]),
        included=st.integers(0, 10**6),
        overage_price=money("USD", min_units=0),
    ),
    max_size=3,
)


@given(
    kwargs=spoiled(
        {
            "id": st.text(max_size=8),
            "name": st.text(max_size=8),
            "price": money("USD"),
            "interval": intervals(),
            "rank": st.integers(),
            "allowances": _ALLOWANCES,
        }
    )
)
def test_plan_builds_or_refuses_with_a_prorata_error(
    kwargs: dict[str, Any],
) -> None:
    """Plan(...) builds or raises a ProrataError, whatever it is given."""
    with contextlib.suppress(ProrataError):
        Plan(**kwargs)


@settings(max_examples=100)
@given(
    kwargs=spoiled(
        {"old": loose_plans(), "new": loose_plans(), "at": aware_datetimes()}
    )
)
def test_plan_change_builds_or_refuses_with_a_prorata_error(
    kwargs: dict[str, Any],
) -> None:
    """PlanChange(...) builds or raises a ProrataError, whatever it gets."""
    with contextlib.suppress(ProrataError):
        PlanChange(**kwargs)
