"""Backdating (issue #14): a record dated before the last invoice.

The corrections are checked against the definition: the invoices a
subscription would have issued had the record been made on time, built
here by recording it on time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    ANNUAL,
    AddOn,
    ArgumentTypeError,
    BackdatingError,
    BilledMomentError,
    BillingPolicy,
    Invoice,
    InvoiceLineKind,
    LifetimeAllowance,
    Money,
    Plan,
    Subscription,
    UnknownMetricError,
    UsageAllowance,
    from_dict,
    to_dict,
)
from tests.common import usd

JUNE_1 = datetime(2024, 6, 1, tzinfo=UTC)
JUNE_10 = datetime(2024, 6, 10, tzinfo=UTC)
JULY_1 = datetime(2024, 7, 1, tzinfo=UTC)
P30 = Plan(id="p30", name="Thirty", price=usd("30"), rank=1)
P60 = Plan(id="p60", name="Sixty", price=usd("60"), rank=2)
P45 = Plan(id="p45", name="Forty-five", price=usd("45"), rank=3)


def billed_june_and_july(policy: BillingPolicy | None = None) -> Subscription:
    sub, _ = Subscription.start(P30, JUNE_1, policy=policy)
    return sub.bill()[0]  # the July invoice, issued July 1


def test_a_change_recorded_late_corrects_june_and_july() -> None:
    """$30 -> $60 effective June 10, recorded July 5 after the June and
    July invoices (in advance, seconds basis): June's 21 days left,
    -$21.00 + $42.00, and July, -$30.00 + $60.00, +$51.00 in all, each line
    naming the July 1 invoice it corrects, on the next invoice."""
    sub, outcome = billed_june_and_july().change_plan(P60, JUNE_10)
    amounts = sorted(line.amount for line in outcome.lines)
    assert amounts == [usd("-30"), usd("-21"), usd("42"), usd("60")]
    assert outcome.net == usd("51.00")
    assert all(
        line.kind is InvoiceLineKind.CORRECTION for line in outcome.lines
    )
    assert {line.corrects for line in outcome.lines} == {JULY_1}
    assert all("2024-07-01" in line.description for line in outcome.lines)
    _, august = sub.bill()
    assert august.amount_due == usd("111.00")  # 51 + August at $60
    assert sub.plan == P60


def total(invoices: list[Invoice]) -> Money:
    return sum((i.subtotal for i in invoices), Money.zero("USD"))


def _events() -> st.SearchStrategy[list[tuple[int, Plan]]]:
    return st.lists(
        st.tuples(
            st.integers(0, 75 * 86400), st.sampled_from([P30, P60, P45])
        ),
        min_size=1,
        max_size=4,
    )


@settings(max_examples=60)
@given(events=_events(), late=st.integers(0, 3))
def test_recording_on_time_or_late_bills_the_same_total(
    events: list[tuple[int, Plan]], late: int
) -> None:
    """Plan changes over June to mid-August (a change to the plan in force
    nets nothing), one of them recorded only after billing through
    September 1: the invoices add up to what the changes recorded on time
    bill."""
    moments = sorted({seconds for seconds, _ in events})
    changes = [
        (JUNE_1 + timedelta(seconds=s), plan)
        for s, (_, plan) in zip(moments, events, strict=False)
    ]
    until = datetime(2024, 9, 1, tzinfo=UTC)
    on_time, first = Subscription.start(P30, JUNE_1)
    assert first is not None
    billed = [first]
    for at, plan in changes:
        on_time, step = on_time.bill_through(at)
        billed.extend(step)
        on_time, outcome = on_time.change_plan(plan, at, assisted=True)
        billed.extend([] if outcome.invoice is None else [outcome.invoice])
    on_time, rest = on_time.bill_through(until)
    expected = total(billed + list(rest)) + total([on_time.preview_invoice()])

    held = changes[late % len(changes)]
    late_sub, first = Subscription.start(P30, JUNE_1)
    assert first is not None
    actual = [first]
    for at, plan in changes:
        if (at, plan) == held:
            continue
        late_sub, step = late_sub.bill_through(at)
        actual.extend(step)
        late_sub, outcome = late_sub.change_plan(plan, at, assisted=True)
        actual.extend([] if outcome.invoice is None else [outcome.invoice])
    late_sub, rest = late_sub.bill_through(until)
    actual.extend(rest)
    at, plan = held
    late_sub, _ = late_sub.change_plan(plan, at, assisted=True)
    got = total(actual) + total([late_sub.preview_invoice()])
    assert got == expected


def test_usage_recorded_late_bills_its_overage() -> None:
    """130 visits on June 20 recorded after July was billed: 30 over the
    100 included, $1 each, corrected on the next invoice."""
    metered = Plan(
        id="m",
        price=usd("30"),
        allowances=(
            UsageAllowance(
                metric="visits", included=100, overage_price=usd("1"), per=1
            ),
        ),
    )
    sub, _ = Subscription.start(metered, JUNE_1)
    sub, _ = sub.bill()
    sub = sub.record_usage("visits", 130, datetime(2024, 6, 20, tzinfo=UTC))
    (line,) = sub.deferred
    assert line.kind is InvoiceLineKind.CORRECTION
    assert line.amount == usd("30")  # 30 visits over, $1 each


def test_a_cancellation_recorded_late_is_corrected_at_once() -> None:
    """Cancelled June 21, recorded after July was billed: July's $30.00 is
    reversed and June's 10 unused days, $10.00, credited."""
    ended, outcome = billed_june_and_july().cancel(
        datetime(2024, 6, 21, tzinfo=UTC)
    )
    assert ended.ended
    assert outcome.invoice is not None
    assert outcome.invoice.subtotal == usd("-40.00")
    assert ended.credit_balance == usd("40.00")


def test_the_history_survives_a_round_trip() -> None:
    sub = billed_june_and_july()
    again = from_dict(to_dict(sub), Subscription)
    assert again == sub
    assert again.change_plan(P60, JUNE_10)[1].net == usd("51.00")


def test_backdating_past_the_limit_is_refused() -> None:
    policy = BillingPolicy(backdating_limit=timedelta(days=10))
    sub, _ = Subscription.start(P30, JUNE_1, policy=policy)
    sub, _ = sub.bill_through(datetime(2024, 8, 1, tzinfo=UTC))
    with pytest.raises(BackdatingError, match="backdating_limit"):
        sub.change_plan(P60, JUNE_10)
    strict = billed_june_and_july(BillingPolicy(backdating_limit=None))
    with pytest.raises(BilledMomentError, match="backdating_limit=None"):
        strict.change_plan(P60, JUNE_10)


def test_backdating_across_a_credit_issued_is_refused() -> None:
    sub, _ = Subscription.start(P30, JUNE_1)
    sub, _ = sub.issue_credit(usd("5"), datetime(2024, 6, 5, tzinfo=UTC))
    sub, _ = sub.bill()
    with pytest.raises(BackdatingError, match="credit"):
        sub.change_plan(P60, JUNE_10)


# -- found in review ---------------------------------------------------------

SEP_1 = datetime(2024, 9, 1, tzinfo=UTC)


def test_two_late_records_keep_both_corrections() -> None:
    """-> $60 from June 10, then -> $45 from July 20, both recorded after
    September 1: the next invoice carries both sets of corrections and
    October at $45."""
    sub, _ = Subscription.start(P30, JUNE_1)
    sub, _ = sub.bill_through(SEP_1)
    sub, first = sub.change_plan(P60, JUNE_10)
    sub, second = sub.change_plan(
        P45, datetime(2024, 7, 20, tzinfo=UTC), assisted=True
    )
    assert sub.preview_invoice().subtotal == (
        first.net + second.net + usd("45")
    )


def test_a_late_change_of_interval_bills_no_future_renewal() -> None:
    yearly = Plan(id="y", price=usd("300"), interval=ANNUAL, rank=9)
    sub, _ = Subscription.start(P30, JUNE_1)
    sub, _ = sub.bill_through(SEP_1)
    sub, outcome = sub.change_plan(yearly, JUNE_10)
    assert sub.next_billing_date == datetime(2025, 6, 10, tzinfo=UTC)
    assert all(
        line.corrects is not None and line.corrects <= SEP_1
        for line in outcome.lines
    )


def test_in_arrears_the_corrections_are_billed() -> None:
    """In arrears, $30 -> $60 from June 10 recorded after August 1: the
    next invoice bills the $51.00 of corrections and August at $60."""
    policy = BillingPolicy(timing="in-arrears")
    sub, _ = Subscription.start(P30, JUNE_1, policy=policy)
    sub, _ = sub.bill_through(datetime(2024, 8, 1, tzinfo=UTC))
    sub, outcome = sub.change_plan(P60, JUNE_10)
    _, invoice = sub.bill()
    assert invoice.subtotal == outcome.net + usd("60")


def test_a_late_cancellation_refunds_when_asked() -> None:
    ended, outcome = billed_june_and_july().cancel(
        datetime(2024, 6, 21, tzinfo=UTC), credit="refund"
    )
    assert outcome.invoice is not None
    assert outcome.invoice.refund == usd("40.00")
    assert ended.credit_balance == usd("0")


def test_a_late_change_takes_no_options_and_replays_none() -> None:
    sub = billed_june_and_july()
    with pytest.raises(BackdatingError, match="per-change options"):
        sub.change_plan(P60, JUNE_10, proration_behavior="none")
    # A change made on time without proration stays without it when a
    # later record replays its window.
    sub, _ = Subscription.start(P30, JUNE_1)
    sub, _ = sub.change_plan(P60, JUNE_10, proration_behavior="none")
    sub, _ = sub.bill()
    sub, outcome = sub.change_quantity(
        AddOn(id="site", price=usd("10")), 1, datetime(2024, 6, 20, tzinfo=UTC)
    )
    # 11 of June's 30 days of the site, $3.67, and July's $10.00; the June
    # 10 change stays unprorated.
    assert outcome.net == usd("3.67") + usd("10.00")


def test_late_usage_keeps_the_metric_checks_and_lifetime_use() -> None:
    plan = Plan(
        id="m",
        price=usd("30"),
        allowances=(
            UsageAllowance(
                metric="visits", included=100, overage_price=usd("1"), per=1
            ),
        ),
        lifetime=(LifetimeAllowance(metric="migrations", included=2),),
    )
    sub, _ = Subscription.start(plan, JUNE_1)
    sub, _ = sub.bill()
    with pytest.raises(UnknownMetricError):
        sub.record_usage("vistis", 5, datetime(2024, 6, 20, tzinfo=UTC))
    sub = sub.record_usage("migrations", 3, datetime(2024, 6, 20, tzinfo=UTC))
    assert sub.lifetime_usage == {"migrations": 3}


def test_the_limit_counts_from_what_is_billed() -> None:
    policy = BillingPolicy(backdating_limit=timedelta(days=10))
    sub, _ = Subscription.start(P30, JUNE_1, policy=policy)
    sub, _ = sub.bill_through(datetime(2024, 8, 1, tzinfo=UTC))
    with pytest.raises(BackdatingError, match="backdating_limit"):
        sub.change_plan(P60, datetime(2024, 7, 2, tzinfo=UTC))


def test_late_flags_are_checked_as_on_time() -> None:
    sub = billed_june_and_july()
    with pytest.raises(ArgumentTypeError):
        sub.change_plan(P60, JUNE_10, assisted="no")  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError):
        sub.cancel(JUNE_10, at_period_end=True)
