"""Overage lines price exactly what the formula says (issue #7).

``overage_lines`` prices usage in integers where it can (a count over its
allowance, a price as an integer ratio). This suite holds every line it
returns to the formula written with exact fractions: included units (the
segment's share of them when allowances are prorated), the count over
them, then per started block or pro rata, rounded once under the policy's
rounding mode.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    AllowanceProration,
    BillingPolicy,
    Money,
    OverageBilling,
    Plan,
    ProrationPolicy,
    RoundingMode,
    Usage,
    UsageAllowance,
    round_exact,
)
from prorata._usage import overage_lines
from tests.common import hostile
from tests.strategies import money

START = datetime(2024, 6, 1, tzinfo=UTC)
SECONDS = 86_400
DAYS = 30


@st.composite
def allowance_plans(draw: st.DrawFn, index: int) -> Plan:
    allowance = UsageAllowance(
        metric="visits",
        included=draw(st.integers(0, 10**6)),
        overage_price=draw(money("USD", min_units=0, max_units=10**5)),
        per=draw(st.integers(1, 10**4)),
    )
    return Plan(
        id=f"p{index}",
        price=Money("10", "USD"),
        allowances=(allowance,),
    )


@given(st.data())
def test_overage_lines_follow_the_formula(data: st.DataObject) -> None:
    cuts = sorted(data.draw(st.sets(st.integers(1, DAYS - 1), max_size=2)))
    bounds = [0, *cuts, DAYS]
    segments = [
        (
            data.draw(allowance_plans(index)),
            START + timedelta(days=begin),
            START + timedelta(days=end),
        )
        for index, (begin, end) in enumerate(pairwise(bounds))
    ]
    usage = [
        Usage(
            metric="visits",
            quantity=data.draw(st.integers(0, 10**7)),
            at=START
            + timedelta(seconds=data.draw(st.integers(0, DAYS * 86_400 - 1))),
        )
        for _ in range(data.draw(st.integers(1, 4)))
    ]
    policy = BillingPolicy(
        proration=ProrationPolicy(
            rounding=data.draw(st.sampled_from(tuple(RoundingMode)))
        ),
        allowance=data.draw(st.sampled_from(tuple(AllowanceProration))),
        overage=data.draw(st.sampled_from(tuple(OverageBilling))),
    )
    expected = []
    for plan, start, end in segments:
        used = sum(u.quantity for u in usage if start <= u.at < end)
        (allowance,) = plan.allowances
        included = Fraction(allowance.included)
        if policy.allowance is AllowanceProration.PRORATED:
            second = timedelta(seconds=1)
            included *= Fraction(
                (end - start) // second, (segments[-1][2] - START) // second
            )
        over = used - included
        if used == 0 or over <= 0:
            continue
        price, per = allowance.overage_price.exact, allowance.per
        if policy.overage is OverageBilling.PER_STARTED_BLOCK:
            exact = price * -(-over // per)
        else:
            exact = price * over / per
        expected.append(round_exact(exact, "USD", policy.proration.rounding))
    lines = overage_lines(
        usage,
        segments,
        allowance=policy.allowance,
        overage=policy.overage,
        rounding=policy.proration.rounding,
    )
    assert [line.amount for line in lines] == expected
    assert all(str(line.amount) in line.calculation for line in lines)
    with hostile():  # a 2-digit, trapping decimal context changes nothing
        assert (
            overage_lines(
                usage,
                segments,
                allowance=policy.allowance,
                overage=policy.overage,
                rounding=policy.proration.rounding,
            )
            == lines
        )
