"""Invariants of invoices a billing engineer would sign (issue #3).

A random subscription lives through several periods of random plan changes,
usage and bills; every invoice it produces is checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    Basis,
    BillingPolicy,
    BillingTiming,
    ChangeBilling,
    CreditHandling,
    Invoice,
    InvoiceLineKind,
    Money,
    Plan,
    ProrationPolicy,
    Subscription,
    UsageAllowance,
)

START = datetime(2024, 1, 31, 9, 30, tzinfo=UTC)  # a month-end anchor


def usd(cents: int) -> Money:
    return Money.from_minor_units(cents, "USD")


@st.composite
def plans(draw: st.DrawFn) -> list[Plan]:
    """Three to five metered plans with random prices and allowances."""
    count = draw(st.integers(3, 5))
    return [
        Plan(
            id=f"p{i}",
            price=usd(draw(st.integers(0, 100_000))),
            rank=i,
            allowances=(
                UsageAllowance(
                    metric="visits",
                    included=draw(st.integers(0, 50_000)),
                    overage_price=usd(draw(st.integers(0, 500))),
                    per=draw(st.sampled_from([1, 10, 1_000])),
                ),
            ),
        )
        for i in range(count)
    ]


policies = st.builds(
    BillingPolicy,
    proration=st.builds(ProrationPolicy, basis=st.sampled_from(list(Basis))),
    timing=st.sampled_from(list(BillingTiming)),
    charge_now_above=st.none() | st.integers(0, 20_000).map(usd),
    charge_billing=st.sampled_from(list(ChangeBilling)),
    credit_billing=st.sampled_from(list(ChangeBilling)),
    credits=st.sampled_from(list(CreditHandling)),
    calculation_lead=st.sampled_from(
        [timedelta(0), timedelta(days=3), timedelta(hours=5)]
    ),
)


@dataclass
class Story:
    """Everything a simulated subscription billed."""

    invoices: list[Invoice] = field(default_factory=list)
    nets: list[Money] = field(default_factory=list)
    final: Subscription | None = None


@st.composite
def stories(draw: st.DrawFn) -> Story:
    """Simulate 1-4 periods of changes, usage and bills."""
    catalog = draw(plans())
    policy = draw(policies)
    sub, signup = Subscription.start(
        draw(st.sampled_from(catalog)), START, policy=policy
    )
    story = Story()
    if signup is not None:
        story.invoices.append(signup)
    for _ in range(draw(st.integers(1, 4))):
        period = sub.period
        seconds = period.seconds
        events = sorted(
            draw(st.lists(st.integers(0, seconds - 1), max_size=4))
        )
        for offset in events:
            at = period.start + timedelta(seconds=offset)
            if draw(st.booleans()):
                sub = sub.record_usage(
                    "visits", draw(st.integers(0, 80_000)), at
                )
            else:
                sub, outcome = sub.change_plan(
                    draw(st.sampled_from(catalog)), at
                )
                story.nets.append(
                    sum((x.amount for x in outcome.lines), usd(0))
                )
                if outcome.invoice is not None:
                    story.invoices.append(outcome.invoice)
        sub, invoice = sub.bill()
        story.invoices.append(invoice)
    story.final = sub
    return story


@settings(max_examples=120)
@given(stories())
def test_amount_due_is_never_negative(story: Story) -> None:
    """No invoice asks the customer for less than nothing."""
    for invoice in story.invoices:
        assert invoice.amount_due >= usd(0)
        assert invoice.refund >= usd(0)
        assert invoice.credit_applied >= usd(0)


@settings(max_examples=120)
@given(stories())
def test_credit_balance_is_never_negative_and_chains(story: Story) -> None:
    """Each invoice starts from the balance the one before it left, and no
    balance is ever below zero."""
    balance = usd(0)
    for invoice in story.invoices:
        assert invoice.credit_balance_before == balance
        assert invoice.credit_balance_after >= usd(0)
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
    paid = sum((i.amount_due - i.refund for i in story.invoices), usd(0))
    billed = sum((i.subtotal for i in story.invoices), usd(0))
    assert paid - story.final.credit_balance == billed
    for invoice in story.invoices:
        assert invoice.subtotal == sum(
            (line.amount for line in invoice.lines), usd(0)
        )


@settings(max_examples=120)
@given(stories())
def test_balance_never_grows_while_it_is_consumed(story: Story) -> None:
    """An invoice with a positive subtotal can only shrink the balance, and
    by exactly what it applied."""
    for invoice in story.invoices:
        if invoice.subtotal >= usd(0):
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
        usd(0),
    )
    assert billed == sum(story.nets, usd(0))


@settings(max_examples=150)
@given(
    catalog=plans(),
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
