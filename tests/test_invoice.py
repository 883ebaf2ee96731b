"""Invoices (``prorata._invoice``): lines, totals and the credit balance.

A credit larger than an invoice carries forward, is refunded only when the
policy says so, and reduces an invoice issued at once (hosting page,
``002_440c7b3f4171c8ae.txt`` in ``shared/seeds``). Then invariants a
billing engineer would sign (issue #3): a random subscription lives
through several periods of random plan changes, usage and bills
(``tests.strategies.stories``); every invoice it produces is checked.
"""

from __future__ import annotations

from hypothesis import given, settings

from prorata import (
    Basis,
    BillingPolicy,
    BillingTiming,
    CreditHandling,
    InvoiceLineKind,
    ProrationPolicy,
    Subscription,
)
from tests.common import (
    BUSINESS_2,
    HOSTING,
    JUNE_1,
    STARTER,
    day,
    usd,
    usd_cents,
)
from tests.strategies import Story, stories


class TestCreditBalance:
    def test_large_credit_spans_invoices(self) -> None:
        """A credit larger than the next invoice carries forward, never paid
        out: B2 -> Starter on day 1 credits $217.50 against a $35 renewal."""
        sub, _ = Subscription.start(BUSINESS_2, JUNE_1, policy=HOSTING)
        sub, _ = sub.change_plan(STARTER, day(1))
        sub, first = sub.bill()
        # -217.50 + 33.83 (29 days of Starter) + 35 renewal = -148.67
        assert first.subtotal == usd("-148.67")
        assert first.amount_due == usd("0")
        assert first.refund == usd("0")
        assert first.credit_balance_after == usd("148.67")
        balances = [first.credit_balance_after]
        dues = []
        for _ in range(5):
            sub, invoice = sub.bill()
            balances.append(invoice.credit_balance_after)
            dues.append(invoice.amount_due)
        assert balances == [
            usd("148.67"),
            usd("113.67"),
            usd("78.67"),
            usd("43.67"),
            usd("8.67"),
            usd("0"),
        ]
        assert dues == [usd("0")] * 4 + [usd("26.33")]

    def test_refund_policy_pays_the_credit_back(self) -> None:
        """With CreditHandling.REFUND a negative invoice is refunded."""
        policy = BillingPolicy(
            proration=ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH),
            credits=CreditHandling.REFUND,
        )
        sub, _ = Subscription.start(BUSINESS_2, JUNE_1, policy=policy)
        sub, _ = sub.change_plan(STARTER, day(1))
        _, invoice = sub.bill()
        assert invoice.refund == usd("148.67")
        assert invoice.credit_balance_after == usd("0")

    def test_balance_applies_to_an_immediate_invoice(self) -> None:
        """Credit balance reduces a charge-now invoice too."""
        sub, _ = Subscription.start(BUSINESS_2, JUNE_1, policy=HOSTING)
        sub, _ = sub.change_plan(STARTER, day(1))
        sub, _ = sub.bill()  # balance 148.67
        sub, outcome = sub.change_plan(BUSINESS_2, day(31))
        assert outcome.invoice is not None
        invoice = outcome.invoice
        # 29 days of B2 at 225/30 less 29 days of Starter: $183.67, more
        # than the balance: all of it is used, the rest is due.
        assert invoice.subtotal == usd("183.67")
        assert invoice.credit_applied == usd("148.67")
        assert invoice.amount_due == usd("35")
        assert sub.credit_balance == usd("0")


# -- invariants (issue #3) ----------------------------------------------------


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
    kinds = {
        InvoiceLineKind.UNUSED_TIME,
        InvoiceLineKind.REMAINING_TIME,
        InvoiceLineKind.CREDIT_CAP,
    }
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
