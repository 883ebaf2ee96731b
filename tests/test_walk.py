"""prorate's integer pricing gives what the line-by-line walk gives (#7).

Under most policies ``prorate`` prices a change in integer minor units and
builds its line objects, with ``price_time``, only when a line is read.
These tests hold that shortcut to the walk that builds every line at once
(the one ``prorate_timeline`` takes): the same amounts, down to their
``repr``, read before and after the lines exist, the same lines, equal and
equally hashed results that survive pickling.
"""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    Basis,
    BillingPeriod,
    ChangeDay,
    DayCount,
    Money,
    PeriodTooShortError,
    Plan,
    PlanChange,
    Proration,
    ProrationPolicy,
    RoundingMode,
    Treatment,
    prorate,
    prorate_timeline,
)
from prorata._measure import _anchor_day, _bounds_in
from prorata._walk import _walk
from tests.common import amounts
from tests.strategies import (
    changes_in,
    currencies,
    dst_periods,
    moments_in,
    ordered_moments,
    periods,
    plans,
    policies,
    zones,
)

TREATMENTS = st.none() | st.sampled_from(tuple(Treatment))


@given(st.data())
def test_one_change_matches_the_line_walk(data: st.DataObject) -> None:
    period = data.draw(periods())
    policy = data.draw(policies())
    change = data.draw(changes_in(period, overrides=True))
    reference = next(_walk(change.old, (change,), period, policy, paid=None))
    result = prorate(change, period, policy)
    # Read the amounts first: from integers, before any line is built.
    assert amounts(result) == amounts(reference)
    assert result.lines == reference.lines
    assert result.used == reference.used
    assert result.net_exact == reference.net_exact
    assert amounts(result) == amounts(reference)
    assert result == reference
    assert hash(result) == hash(reference)


FEBRUARY = BillingPeriod(
    datetime(2024, 2, 1, tzinfo=UTC), datetime(2024, 3, 1, tzinfo=UTC)
)


@pytest.mark.parametrize(
    "policy",
    [
        ProrationPolicy(
            basis=Basis.DAYS, day_count=DayCount.FIXED_MONTH, month_days=31
        ),
        ProrationPolicy(basis=Basis.DAYS, change_day=ChangeDay.BOTH),
        ProrationPolicy(
            basis=Basis.THIRTY_DAY_MONTH, change_day=ChangeDay.BOTH
        ),
    ],
    ids=["fixed-31-day-month", "both-own-the-day", "30-day-both"],
)
@given(st.data())
def test_the_options_left_out_of_policies_match_too(
    policy: ProrationPolicy, data: st.DataObject
) -> None:
    old = data.draw(plans("USD"))
    new = data.draw(plans("USD"))
    change = PlanChange(old, new, at=data.draw(moments_in(FEBRUARY)))
    reference = next(_walk(old, (change,), FEBRUARY, policy, paid=None))
    result = prorate(change, FEBRUARY, policy)
    assert amounts(result) == amounts(reference)
    assert result == reference


@given(st.data())
def test_a_change_costs_the_same_alone_and_in_a_chain(
    data: st.DataObject,
) -> None:
    # Under a list-price credit, what a change credits and charges does not
    # depend on the changes before it: prorate() prices it in integers, the
    # timeline's walk line by line.
    period = data.draw(periods())
    policy = data.draw(policies())
    currency = data.draw(currencies())
    count = data.draw(st.integers(1, 4))
    chain = [data.draw(plans(currency)) for _ in range(count + 1)]
    moments = data.draw(ordered_moments(period, count))
    changes = [
        PlanChange(chain[i], chain[i + 1], at=at, credit=data.draw(TREATMENTS))
        for i, at in enumerate(moments)
    ]
    timeline = prorate_timeline(chain[0], changes, period, policy)
    for change, walked in zip(changes, timeline.prorations, strict=True):
        alone = prorate(change, period, policy)
        assert amounts(alone)[:3] == amounts(walked)[:3]
        assert alone.lines == walked.lines


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


@given(
    old_cents=st.integers(0, 10**6),
    new_cents=st.integers(0, 10**6),
    days=st.integers(1, 400),
    mode=st.sampled_from(tuple(RoundingMode)),
)
def test_half_cent_ties_round_as_the_line_walk(
    old_cents: int, new_cents: int, days: int, mode: RoundingMode
) -> None:
    # A change at the exact middle of the period: an odd number of cents
    # leaves half a cent to round, the case rounding modes disagree on.
    period = BillingPeriod.of_days(datetime(2024, 1, 1, tzinfo=UTC), 2 * days)
    old = Plan(id="old", price=Money(Decimal(old_cents).scaleb(-2), "USD"))
    new = Plan(id="new", price=Money(Decimal(new_cents).scaleb(-2), "USD"))
    change = PlanChange(old, new, at=period.start + timedelta(days=days))
    policy = ProrationPolicy(rounding=mode)
    result = prorate(change, period, policy)
    reference = next(_walk(old, (change,), period, policy, paid=None))
    assert amounts(result) == amounts(reference)
    if mode is RoundingMode.HALF_UP:
        assert result.credit.minor_units == (old_cents + 1) // 2
        assert result.charge.minor_units == (new_cents + 1) // 2


def _fresh(
    change: PlanChange, period: BillingPeriod, policy: ProrationPolicy
) -> Proration:
    """Price with the caches keyed by period emptied first."""
    _bounds_in.cache_clear()
    _anchor_day.cache_clear()
    return prorate(change, period, policy)


@given(st.data())
def test_a_result_does_not_depend_on_what_was_priced_before(
    data: st.DataObject,
) -> None:
    # Two periods of the same instants written in two zones are equal and
    # hash alike, yet count different days where a zone shifts its clocks:
    # what one of them cached must not price the other.
    period = data.draw(dst_periods())
    policy = data.draw(policies())
    change = data.draw(changes_in(period))
    zone = data.draw(zones())
    elsewhere = BillingPeriod(
        period.start.astimezone(zone), period.end.astimezone(zone)
    )
    here_alone = _fresh(change, period, policy)
    try:
        there_alone: Proration | None = _fresh(change, elsewhere, policy)
    except PeriodTooShortError:  # a day shorter in that zone: no whole day
        there_alone = None
    here = prorate(change, period, policy)  # after `elsewhere` was priced
    assert amounts(here) == amounts(here_alone)
    assert here.lines == here_alone.lines
    if there_alone is not None:
        there = prorate(change, elsewhere, policy)
        assert amounts(there) == amounts(there_alone)


# Naive bounds for wall times, given a zone in the test.
WALL_FROM = datetime(2000, 1, 1)  # noqa: DTZ001
WALL_TO = datetime(2040, 1, 1)  # noqa: DTZ001


@given(
    hours=st.integers(-12, 14),
    start=st.datetimes(WALL_FROM, WALL_TO),
    days=st.integers(1, 400),
    into=st.integers(0, 10**9),
    policy=policies(bases=(Basis.DAYS, Basis.THIRTY_DAY_MONTH)),
)
def test_a_fixed_offset_counts_days_as_its_zoneinfo_twin(
    hours: int,
    start: datetime,
    days: int,
    into: int,
    policy: ProrationPolicy,
) -> None:
    # A datetime.timezone counts days by arithmetic; ZoneInfo("Etc/GMT...")
    # with the same fixed offset steps day by day on its wall clock. The
    # two must agree on every position.
    fixed = timezone(timedelta(hours=hours))
    twin = ZoneInfo(f"Etc/GMT{-hours:+d}" if hours else "Etc/GMT")
    results: list[object] = []
    for zone in (fixed, twin):
        period = BillingPeriod.of_days(start.replace(tzinfo=zone), days)
        at = period.start + timedelta(
            seconds=into % int(period.duration.total_seconds())
        )
        a = Plan(id="a", price=Money("30", "USD"))
        b = Plan(id="b", price=Money("70", "USD"))
        try:
            result = prorate(PlanChange(a, b, at=at), period, policy)
        except PeriodTooShortError as error:  # both zones, or neither
            results.append(str(error))
            continue
        results.append(
            (amounts(result), str(result.used.portion), result.lines)
        )
    assert results[0] == results[1]
