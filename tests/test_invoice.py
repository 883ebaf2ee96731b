"""Invariants of invoices a billing engineer would sign (issue #3).

A random subscription lives through several periods of random plan changes,
usage and bills; every invoice it produces is checked.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    BillingTiming,
    InvoiceLineKind,
    Money,
    Plan,
    Subscription,
)
from tests.common import usd_cents
from tests.strategies import Story, metered_plans, stories

START = datetime(2024, 1, 31, 9, 30, tzinfo=UTC)  # a month-end anchor


@settings(max_examples=120)
@given(stories())
def test_amount_due_is_never_negative(story: Story) -> None:
    """No invoice asks the customer for less than nothing."""
    for invoice in story.invoices:
        assert invoice.amount_due >= usd_cents(0)
        assert invoice.refund >= usd_cents(0)
        assert invoice.credit_applied >= usd_cents(0)


@settings(max_examples=120)
@given(stories())
def test_credit_balance_is_never_negative_and_chains(story: Story) -> None:
    """Each invoice starts from the balance the one before it left, and no
    balance is ever below zero."""
    balance = usd_cents(0)
    for invoice in story.invoices:
        assert invoice.credit_balance_before == balance
        assert invoice.credit_balance_after >= usd_cents(0)
        balance = invoice.credit_balance_after
    assert story.final is not None
    assert story.final.credit_balance == balance


@settings(max_examples=120)
@given(stories())
def test_no_cent_created_or_lost(story: Story) -> None:
    """What was paid less what was refunded, less the credit the customer
    still holds, equals every line billed: the balance only moves money in
    time."""
    assert story.final is not None
    paid = sum((i.amount_due - i.refund for i in story.invoices), usd_cents(0))
    billed = sum((i.subtotal for i in story.invoices), usd_cents(0))
    assert paid - story.final.credit_balance == billed
    for invoice in story.invoices:
        assert invoice.subtotal == sum(
            (line.amount for line in invoice.lines), usd_cents(0)
        )


@settings(max_examples=120)
@given(stories())
def test_balance_never_grows_while_it_is_consumed(story: Story) -> None:
    """An invoice with a positive subtotal can only shrink the balance, and
    by exactly what it applied."""
    for invoice in story.invoices:
        if invoice.subtotal >= usd_cents(0):
            assert (
                invoice.credit_balance_after <= invoice.credit_balance_before
            )
            assert invoice.credit_balance_before - invoice.credit_applied == (
                invoice.credit_balance_after
            )


@settings(max_examples=120)
@given(stories())
def test_every_change_is_billed_once_in_advance(story: Story) -> None:
    """Billed in advance, the credit and charge lines on all invoices add up
    to what the changes said they bill: none dropped, none billed twice."""
    assert story.final is not None
    if story.final.policy.timing is not BillingTiming.IN_ADVANCE:
        return
    kinds = {InvoiceLineKind.UNUSED_TIME, InvoiceLineKind.REMAINING_TIME}
    billed = sum(
        (
            line.amount
            for invoice in story.invoices
            for line in invoice.lines
            if line.kind in kinds
        ),
        usd_cents(0),
    )
    assert billed == sum(story.nets, usd_cents(0))


@settings(max_examples=150)
@given(
    catalog=metered_plans(),
    before=st.integers(0, 200_000),
    after=st.integers(0, 200_000),
    change_day=st.integers(5, 20),
    later=st.integers(1, 8),
)
def test_usage_before_a_change_keeps_its_price(
    catalog: list[Plan], before: int, after: int, change_day: int, later: int
) -> None:
    """Overage for usage before a change is priced the same whatever comes
    after it: more usage later, or the change made later."""
    old, new = catalog[0], catalog[-1]

    def overage_of_old(day: int, usage_after: int) -> list[Money]:
        sub, _ = Subscription.start(old, START)
        sub = sub.record_usage("visits", before, START + timedelta(days=2))
        at = START + timedelta(days=day)
        sub, _ = sub.change_plan(new, at)
        sub = sub.record_usage("visits", usage_after, at + timedelta(hours=1))
        return [
            line.amount
            for line in sub.preview_invoice().lines_of(InvoiceLineKind.OVERAGE)
            if line.start == START
        ]

    baseline = overage_of_old(change_day, 0)
    assert overage_of_old(change_day, after) == baseline
    assert overage_of_old(change_day + later, after) == baseline
