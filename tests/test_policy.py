"""Proration policies (``prorata._policy``): which options go together.

A day count needs a basis that counts days, and month days a day count
that uses them; whatever options it is given, a policy builds or raises a
ProrataError.
What each option does to an amount is tested where it is applied:
``tests/test_measure.py`` (basis, day count, change day),
``tests/test_pricing.py`` (rounding, treatments) and
``tests/test_walk.py`` (the credit basis).
"""

from __future__ import annotations

import contextlib
import copy
import pickle
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    Basis,
    DayCount,
    Interval,
    IntervalUnit,
    InvalidPolicyError,
    ProrataError,
    ProrationPolicy,
    RoundingMode,
    RoundingStage,
)
from tests.common import days
from tests.strategies import spoiled


class TestDayOptions:
    def test_day_options_need_a_day_basis(self) -> None:
        """A day count on the seconds basis is refused, naming the basis."""
        with pytest.raises(InvalidPolicyError, match="seconds"):
            ProrationPolicy(day_count=DayCount.THIRTY_360)
        with pytest.raises(InvalidPolicyError, match="month_days"):
            ProrationPolicy(basis=Basis.DAYS, month_days=45)

    def test_month_days_need_a_day_count_that_uses_them(self) -> None:
        """month_days under actual days would be ignored: refused."""
        with pytest.raises(InvalidPolicyError, match="day_count"):
            days(month_days=28)


@settings(max_examples=100)
@given(
    interval=spoiled(
        {
            "unit": st.sampled_from(tuple(IntervalUnit)),
            "count": st.integers(1, 12),
        }
    ),
    policy=spoiled(
        {
            "basis": st.sampled_from(tuple(Basis)),
            "rounding": st.sampled_from(tuple(RoundingMode)),
            "rounding_stage": st.sampled_from(tuple(RoundingStage)),
        }
    ),
)
def test_intervals_and_policies_build_or_refuse_with_a_prorata_error(
    interval: dict[str, Any], policy: dict[str, Any]
) -> None:
    """Interval and ProrationPolicy build or raise only a ProrataError."""
    with contextlib.suppress(ProrataError):
        Interval(**interval)
    with contextlib.suppress(ProrataError):
        ProrationPolicy(**policy)


def test_share_places_are_checked() -> None:
    """A stated share needs 0 to 12 places, and no daily rate (which
    rounds the day's price instead)."""
    for bad in (-1, 0, 13, True, 2.5):
        with pytest.raises(InvalidPolicyError, match="share_places"):
            ProrationPolicy(share_places=bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidPolicyError, match="daily-rate"):
        ProrationPolicy(basis="daily-rate", share_places=5)
    assert "share places 5" in ProrationPolicy(share_places=5).describe()


@pytest.mark.parametrize(
    ("options", "alone"),
    [
        ({}, True),
        ({"basis": "daily-rate"}, False),
        ({"credit_basis": "paid"}, False),
        ({"rounding_stage": "net"}, False),
        ({"share_places": 5}, False),
        ({"basis": "days", "months_first": True}, False),
        ({"basis": "days", "rounding": "down"}, True),
    ],
)
def test_whether_lines_are_priced_alone_follows_the_options(
    options: dict[str, Any],
    alone: bool,  # noqa: FBT001 - a parameter of the table
) -> None:
    """The flag prorate reads is set from the options and made again by
    every copy, pickle and replace, never compared, hashed or shown."""
    policy = ProrationPolicy(**options)
    made = [
        policy,
        pickle.loads(pickle.dumps(policy)),  # noqa: S301 - our own bytes
        copy.copy(policy),
        copy.deepcopy(policy),
        replace(ProrationPolicy(), **options),
    ]
    for other in made:
        assert other._lines_alone is alone
        assert other == policy
        assert hash(other) == hash(policy)
        assert repr(other) == repr(policy)
        assert "lines" not in repr(other) + other.describe()
    flipped = replace(policy, rounding_stage=RoundingStage.NET)
    assert flipped._lines_alone is False
