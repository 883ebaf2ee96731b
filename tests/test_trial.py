"""Free trials (issue #14): nothing billed until the trial's end.

Each figure is worked out from its definition: the first period's price,
or the stub to a kept anchor as remaining seconds over the period's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    ANNUAL,
    BillingPolicy,
    DatetimeRangeError,
    Money,
    Plan,
    Settlement,
    Subscription,
    TrialError,
    UsageAllowance,
)
from tests.common import usd
from tests.reference import round_money

JUNE_1 = datetime(2024, 6, 1, tzinfo=UTC)
JUNE_15 = datetime(2024, 6, 15, tzinfo=UTC)
P30 = Plan(id="p30", price=usd("30"), rank=1)
P60 = Plan(id="p60", price=usd("60"), rank=2)
TWO_WEEKS = timedelta(days=14)


def trial(**options: object) -> Subscription:
    sub, signup = Subscription.start(
        P30,
        JUNE_1,
        trial=TWO_WEEKS,
        **options,  # type: ignore[arg-type]
    )
    assert signup is None
    return sub


def test_a_trial_bills_nothing_then_the_first_month_at_its_end() -> None:
    """$30/month, a 14-day trial from June 1: nothing before June 15,
    $30.00 on June 15, next billing date July 15."""
    sub = trial()
    assert sub.in_trial
    assert sub.next_billing_date == JUNE_15
    sub, first = sub.bill()
    assert first.issued_at == JUNE_15
    assert first.amount_due == usd("30.00")
    assert sub.next_billing_date == datetime(2024, 7, 15, tzinfo=UTC)
    assert not sub.in_trial


def test_a_kept_anchor_bills_the_stub_first() -> None:
    """Anchored on the 1st: June 15 bills 16 of June's 30 days, $16.00,
    then July 1 bills $30.00."""
    sub, first = trial(anchor=JUNE_1).bill()
    assert first.issued_at == JUNE_15
    assert first.amount_due == usd("16.00")
    assert sub.next_billing_date == datetime(2024, 7, 1, tzinfo=UTC)
    assert sub.bill()[1].amount_due == usd("30.00")


def test_a_change_in_the_trial_bills_no_proration() -> None:
    """An upgrade to $60 on June 10: no lines; the first invoice $60.00."""
    sub, outcome = trial().change_plan(P60, datetime(2024, 6, 10, tzinfo=UTC))
    assert outcome.lines == ()
    assert outcome.settlement is Settlement.NOT_BILLED
    assert sub.bill()[1].amount_due == usd("60.00")


def test_a_change_of_interval_in_the_trial_bills_the_year_at_its_end() -> None:
    yearly = Plan(id="y", price=usd("300"), interval=ANNUAL, rank=3)
    sub, _ = trial().change_plan(yearly, datetime(2024, 6, 10, tzinfo=UTC))
    sub, first = sub.bill()
    assert first.amount_due == usd("300")
    assert sub.next_billing_date == datetime(2025, 6, 15, tzinfo=UTC)


def test_cancelling_in_the_trial_bills_nothing() -> None:
    """Cancelled on June 10: no invoice at all, and it has ended."""
    sub, outcome = trial().cancel(datetime(2024, 6, 10, tzinfo=UTC))
    assert outcome.invoice is None
    assert sub.ended


def test_usage_in_the_trial_is_not_billed() -> None:
    metered = Plan(
        id="m",
        price=usd("30"),
        allowances=(
            UsageAllowance(
                metric="visits", included=0, overage_price=usd("1"), per=1
            ),
        ),
    )
    sub, _ = Subscription.start(metered, JUNE_1, trial=TWO_WEEKS)
    june_3 = datetime(2024, 6, 3, tzinfo=UTC)
    with pytest.raises(TrialError, match="unmetered=True"):
        sub.record_usage("visits", 5, june_3)  # never dropped unsaid
    sub = sub.record_usage("visits", 5, june_3, unmetered=True)
    _, first = sub.bill()
    assert first.amount_due == usd("30")


def test_a_trial_can_end_early_or_be_extended() -> None:
    """Converted on June 8: the month from June 8 is billed at once; or
    extended to June 20, billed then."""
    converted, first = trial().end_trial(datetime(2024, 6, 8, tzinfo=UTC))
    assert first is not None
    assert first.issued_at == datetime(2024, 6, 8, tzinfo=UTC)
    assert converted.next_billing_date == datetime(2024, 7, 8, tzinfo=UTC)
    longer = trial().extend_trial(datetime(2024, 6, 20, tzinfo=UTC))
    later, invoice = longer.bill()
    assert invoice.issued_at == datetime(2024, 6, 20, tzinfo=UTC)
    assert later.next_billing_date == datetime(2024, 7, 20, tzinfo=UTC)


def test_in_arrears_the_first_invoice_closes_the_first_period() -> None:
    sub = trial(policy=BillingPolicy(timing="in-arrears"))
    sub, first = sub.bill()
    assert first.issued_at == datetime(2024, 7, 15, tzinfo=UTC)
    assert first.amount_due == usd("30")


@given(days=st.integers(1, 40), anchored=st.booleans())
def test_a_trial_bills_nothing_before_its_end(
    days: int,
    anchored: bool,  # noqa: FBT001 - drawn by Hypothesis
) -> None:
    """Whatever its length, nothing is billed before the trial's end; the
    first invoice then bills the time to the next anchor date, price x
    remaining / period (the whole month when anchored at the end)."""
    end = JUNE_1 + timedelta(days=days)
    sub, _ = Subscription.start(
        P30, JUNE_1, trial=end, anchor=JUNE_1 if anchored else None
    )
    sub, invoices = sub.bill_through(end - timedelta(seconds=1))
    assert invoices == ()
    _, invoices = sub.bill_through(end)
    (first,) = invoices
    assert first.issued_at == end
    if anchored:
        period = sub.cycle.containing(end)
        left = Fraction(
            int((period.end - end).total_seconds()),
            int((period.end - period.start).total_seconds()),
        )
        expected = (
            usd("30")
            if left == 1
            else round_money(30 * left, Money.zero("USD"), "half-up")
        )
        assert first.subtotal == expected
    else:
        assert first.subtotal == usd("30")


def test_bad_trials_are_refused() -> None:
    capped = BillingPolicy(max_trial=timedelta(days=30))
    with pytest.raises(TrialError, match="max_trial"):
        Subscription.start(
            P30, JUNE_1, trial=timedelta(days=31), policy=capped
        )
    with pytest.raises(TrialError, match="after the start"):
        Subscription.start(P30, JUNE_1, trial=timedelta(0))
    with pytest.raises(TrialError, match="max_trial"):
        trial(policy=capped).extend_trial(datetime(2024, 7, 5, tzinfo=UTC))
    with pytest.raises(TrialError, match="not in a trial"):
        Subscription.start(P30, JUNE_1)[0].end_trial(JUNE_15)
    with pytest.raises(TrialError):
        trial().schedule_change(P60)


def test_in_arrears_the_trial_end_bills_nothing_by_itself() -> None:
    """Billing through the trial's end issues nothing in arrears; the
    first invoice closes the first period."""
    sub = trial(policy=BillingPolicy(timing="in-arrears"))
    after, invoices = sub.bill_through(JUNE_15)
    assert invoices == ()
    assert not after.in_trial


def test_a_huge_trial_is_a_range_error() -> None:
    with pytest.raises(DatetimeRangeError):
        Subscription.start(P30, JUNE_1, trial=timedelta(days=10**8))


def test_the_first_invoice_after_a_trial_is_calculated_at_its_end() -> None:
    lead = BillingPolicy(calculation_lead=timedelta(days=3))
    sub = trial(policy=lead)
    assert sub.next_calculation_date == JUNE_15
    assert sub.bill()[1].calculated_at == JUNE_15
