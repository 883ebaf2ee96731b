"""The results (``prorata._proration``): a Proration is a value.

``prorate`` may leave a Proration's lines to be built, through
``price_time``, when one is first read (#7): they are built once and kept,
and the result stays immutable, pickles equal and reads as one line.
"""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    BillingPeriod,
    Money,
    Plan,
    PlanChange,
    ProrationPolicy,
    prorate,
)
from tests.common import amounts
from tests.notebooks import execute
from tests.strategies import changes_in, periods, policies


@given(st.data())
def test_a_lazy_result_pickles_equal(data: st.DataObject) -> None:
    period = data.draw(periods())
    change = data.draw(changes_in(period))
    result = prorate(change, period, data.draw(policies()))
    copy = pickle.loads(pickle.dumps(result))  # noqa: S301 - our own bytes
    assert copy == result
    assert amounts(copy) == amounts(result)


def test_a_result_refuses_assignment() -> None:
    june = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
    a = Plan(id="a", price=Money("30", "USD"))
    b = Plan(id="b", price=Money("60", "USD"))
    result = prorate(
        PlanChange(a, b, at=datetime(2024, 6, 11, tzinfo=UTC)), june
    )
    with pytest.raises(FrozenInstanceError, match="net"):
        result.net = Money("0", "USD")  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError, match="used"):
        del result.used
    assert str(result.net) == "$20.00"


def test_lines_are_built_once() -> None:
    june = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
    a = Plan(id="a", price=Money("30", "USD"))
    b = Plan(id="b", price=Money("60", "USD"))
    result = prorate(
        PlanChange(a, b, at=datetime(2024, 6, 11, tzinfo=UTC)),
        june,
        ProrationPolicy(),
    )
    assert result.unused is result.unused
    assert result.lines == (result.unused, result.remaining)
    assert str(result.unused) == "Unused time on a (20 days) = -$20.00"


def test_results_have_readable_reprs() -> None:
    """A result's repr is one line with what matters, not a nested dump."""
    _, namespace = execute()
    q = namespace["q"]
    text = repr(q)
    assert "\n" not in text
    assert len(text) < 200
    assert "net $73.33" in text
    assert repr(q.lines[0]) == (  # type: ignore[attr-defined]
        "<ProrationLine unused-time: Unused time on Business 1 (20 days) = "
        "-$76.67>"
    )
