"""A subscription over time: cancellation, schedules, credits, bill through.

Issue #13's acceptance figures, each worked out from the definition in
its docstring (time used / unused over the period, to the cent), then the
properties, then bad input. ``reference.round_money`` and the plain
``Fraction`` arithmetic here are independent of the library's pricing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    ANNUAL,
    AddOn,
    AlreadyCancelledError,
    ArgumentTypeError,
    BilledMomentError,
    BillingLimitError,
    BillingPolicy,
    CancelCredit,
    CancelScope,
    ChangeRefusedError,
    InvalidAmountError,
    InvalidPlanError,
    InvalidPolicyError,
    Invoice,
    InvoiceLineKind,
    Item,
    Money,
    NothingPendingError,
    OutsidePeriodError,
    PendingChangeError,
    Plan,
    ProrationPolicy,
    Subscription,
    SubscriptionEndedError,
    UsageAllowance,
)
from tests.common import usd
from tests.reference import round_money

JUNE_1 = datetime(2024, 6, 1, tzinfo=UTC)
JULY_1 = datetime(2024, 7, 1, tzinfo=UTC)
P30 = Plan(id="p30", name="Thirty", price=usd("30"), rank=1)
P60 = Plan(id="p60", name="Sixty", price=usd("60"), rank=2)
P20 = Plan(id="p20", price=usd("20"), rank=3)
P10 = Plan(id="p10", price=usd("10"), rank=2)
P5 = Plan(id="p5", price=usd("5"), rank=1)
YEARLY = Plan(id="yearly", price=usd("365"), interval=ANNUAL, rank=1)
DAYS = BillingPolicy(proration=ProrationPolicy(basis="days"))


def june(day: int, hour: int = 0) -> datetime:
    return datetime(2024, 6, day, hour, tzinfo=UTC)


def started(
    plan: Plan = P30, policy: BillingPolicy | None = None
) -> Subscription:
    return Subscription.start(plan, JUNE_1, policy=policy)[0]


def paid_by_customer(invoices: list[Invoice]) -> Money:
    """What the customer paid, less what was paid back."""
    zero = Money.zero("USD")
    due = sum((i.amount_due for i in invoices), zero)
    return due - sum((i.refund for i in invoices), zero)


# -- cancellation: the acceptance figures ------------------------------------


def test_cancel_now_credits_the_unused_time_to_the_balance_by_default() -> (
    None
):
    """$30/month from June 1, cancelled at June 21: 10 of June's 30 days
    unused, $30 x 10/30 = $10.00 credited to the balance (Stripe's
    default), and the subscription has ended."""
    sub, outcome = started().cancel(june(21))
    assert outcome.returned == usd("10.00")
    assert outcome.credit is CancelCredit.CREDIT
    assert outcome.invoice is not None
    assert outcome.invoice.issued_at == june(21)
    assert outcome.invoice.refund == usd("0")
    assert sub.credit_balance == usd("10.00")
    assert sub.ended
    assert sub.ends_at == june(21)


def test_cancel_now_with_a_refund_pays_the_unused_time_back() -> None:
    """The same cancellation with ``credit="refund"``: $10.00 refunded, the
    balance untouched."""
    sub, outcome = started().cancel(june(21), credit="refund")
    assert outcome.invoice is not None
    assert outcome.invoice.refund == usd("10.00")
    assert sub.credit_balance == usd("0")


def test_a_full_credit_returns_the_whole_period() -> None:
    """``credit="full"`` (Chargebee's "Issue full credits for the entire
    term") returns the whole $30.00 of June, the 20 days used too, to the
    balance; ``"full-refund"`` (Recurly's ``refund_type`` ``full``) pays
    it back."""
    sub, outcome = started().cancel(june(21), credit="full")
    assert outcome.returned == usd("30.00")
    assert sub.credit_balance == usd("30.00")
    sub, outcome = started().cancel(june(21), credit="full-refund")
    assert outcome.invoice is not None
    assert outcome.invoice.refund == usd("30.00")
    assert sub.credit_balance == usd("0")


@given(
    day=st.integers(2, 29),
    cancel=st.integers(1, 29),
    new=st.sampled_from([P5, P10, P20, P60]),
)
def test_a_full_credit_returns_what_the_period_was_paid(
    day: int, cancel: int, new: Plan
) -> None:
    """After a change invoiced at once, a full credit returns what June
    was paid net, never more: $30 less the change's credit plus its
    charge, each worked out here as price x days left / 30, capped at the
    new plan's whole month when that is less."""
    at = june(day)
    policy = BillingPolicy(
        charge_billing="invoice-now", credit_billing="invoice-now"
    )
    sub, _ = started(policy=policy).change_plan(new, at)
    end = at + timedelta(days=cancel % (31 - day) or 1)  # before July 1
    _, outcome = sub.cancel(end, credit="full")
    left = 31 - day
    credit = round_money(Fraction(30 * left, 30), usd("0"), "half-up")
    charge = round_money(
        Fraction(int(new.price.amount) * left, 30), usd("0"), "half-up"
    )
    paid = usd("30") - credit + charge
    assert outcome.returned == min(paid, new.price)


def test_a_credit_after_the_end_takes_what_is_left_of_the_period() -> None:
    """Cancelled on June 21, $10.00 of June's $30.00 is credited; after
    the end a credit note may return at most the $20.00 left."""
    sub, outcome = started().cancel(june(21))
    assert outcome.returned == usd("10.00")
    with pytest.raises(InvalidAmountError, match=r"20\.00 left"):
        sub.issue_credit(usd("20.01"), june(25))
    after, note = sub.issue_credit(usd("20.00"), june(25))
    assert note.subtotal == usd("-20.00")
    assert after.credit_balance == usd("30.00")
    with pytest.raises(BilledMomentError):
        sub.issue_credit(usd("1.00"), june(20))


@given(refunded=st.integers(0, 3000), day=st.integers(2, 30))
def test_a_paid_cap_returns_what_is_left_of_the_period(
    refunded: int, day: int
) -> None:
    """``cancel_cap="paid"`` (Kill Bill's repair): after a refund of
    ``refunded`` cents of June's $30.00, a cancellation on ``day`` returns
    the unused time, $30 x days left / 30, or what is left of the $30.00,
    whichever is less, the time used not deducted."""
    policy = BillingPolicy(cancel_credit="credit", cancel_cap="paid")
    sub = started(policy=policy)
    if refunded:
        amount = Money(f"{refunded // 100}.{refunded % 100:02d}", "USD")
        sub, _ = sub.issue_credit(amount, JUNE_1, refund=True)
    _, outcome = sub.cancel(june(day))
    unused = round_money(Fraction(30 * (31 - day), 30), usd("0"), "half-up")
    left = usd("30") - Money(f"{refunded // 100}.{refunded % 100:02d}", "USD")
    assert outcome.returned == min(unused, left)


@given(
    seats=st.integers(0, 9),
    day=st.integers(2, 30),
    scope=st.sampled_from(list(CancelScope)),
)
def test_a_cancellation_returns_the_add_ons_unless_the_plan_alone(
    seats: int, day: int, scope: CancelScope
) -> None:
    """$30 a month and ``seats`` seats at $12 from June 1, cancelled on
    ``day``: the unused days of June's 30 credited, each line rounded, the
    seats' only under ``cancel_scope="plan-and-add-ons"`` (the default);
    under ``"plan"`` (Lago's) the seats' payment is kept."""
    policy = BillingPolicy(cancel_scope=scope)
    seat = AddOn(id="seat", price=usd("12"))
    sub, _ = Subscription.start(
        P30, JUNE_1, policy=policy, items=[Item(seat, seats)] if seats else ()
    )
    _, outcome = sub.cancel(june(day))
    left = Fraction(31 - day, 30)
    plan = round_money(30 * left, usd("0"), "half-up")
    added = round_money(12 * seats * left, usd("0"), "half-up")
    alone = scope is CancelScope.PLAN
    assert outcome.returned == (plan if alone else plan + added)
    assert outcome.invoice is not None
    kept = [line for line in outcome.invoice.lines if line.product == seat]
    assert (kept == []) is (alone or seats == 0)


def test_cancel_now_returning_nothing_issues_no_invoice() -> None:
    """With ``credit="none"`` nothing is returned, and nothing is left to
    bill, so there is no final invoice."""
    sub, outcome = started().cancel(june(21), credit="none")
    assert outcome.returned == usd("0")
    assert outcome.invoice is None
    assert sub.ended
    assert sub.credit_balance == usd("0")


def test_the_policy_sets_what_a_cancellation_returns() -> None:
    """``BillingPolicy(cancel_credit="refund")`` is the default of each
    ``cancel`` call."""
    policy = BillingPolicy(cancel_credit="refund")
    _, outcome = started(policy=policy).cancel(june(21))
    assert outcome.invoice is not None
    assert outcome.invoice.refund == usd("10.00")


def test_cancel_at_the_end_of_term_bills_nothing_then_ends() -> None:
    """Cancelled at the end of the term: no credit, no invoice on July 1,
    ``ends_at`` July 1; billing through July 1 ends it."""
    sub, outcome = started().cancel(at_period_end=True)
    assert outcome.invoice is None
    assert outcome.returned == usd("0")
    assert sub.ends_at == JULY_1
    assert not sub.ended
    assert sub.preview_invoice().lines == ()
    with pytest.raises(SubscriptionEndedError, match="nothing is left"):
        sub.bill()
    ended, invoices = sub.bill_through(JULY_1)
    assert invoices == ()
    assert ended.ended


def test_cancel_at_the_end_of_term_still_bills_overage() -> None:
    """What falls due by the end is billed on the final invoice: overage
    of usage recorded before it ($30 plan, 100 visits included, $1 per
    started block of 10 more: 125 visits bill 3 blocks)."""
    metered = Plan(
        id="metered",
        price=usd("30"),
        allowances=(
            UsageAllowance(
                metric="visits", included=100, overage_price=usd("1"), per=10
            ),
        ),
    )
    sub = started(metered).record_usage("visits", 125, june(20))
    sub, _ = sub.cancel(at_period_end=True)
    ended, final = sub.bill()
    assert final.issued_at == JULY_1
    assert [line.kind for line in final.lines] == [InvoiceLineKind.OVERAGE]
    assert final.amount_due == usd("3.00")
    assert ended.ended


def test_a_refund_is_capped_by_what_was_already_returned() -> None:
    """$365/year from 2025-01-01 (days basis), $50.00 credited against its
    invoice, cancelled with a refund at 2025-04-11: 100 days used of 365,
    so $265.00 unused, but the refund is 365 - 100 - 50 = $215.00."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    sub, _ = Subscription.start(YEARLY, start, policy=DAYS)
    sub, note = sub.issue_credit(usd("50"), datetime(2025, 2, 1, tzinfo=UTC))
    assert note.lines[0].kind is InvoiceLineKind.CREDIT_NOTE
    assert sub.returned == usd("50")
    assert sub.credit_balance == usd("50")
    ended, outcome = sub.cancel(
        datetime(2025, 4, 11, tzinfo=UTC), credit="refund"
    )
    assert outcome.returned == usd("215.00")
    assert outcome.invoice is not None
    assert outcome.invoice.refund == usd("215.00")
    (cap,) = outcome.invoice.lines_of(InvoiceLineKind.CREDIT_CAP)
    assert cap.amount == usd("50.00")
    assert "$365.00 billed for the period - $100.00 used" in cap.calculation
    assert ended.credit_balance == usd("50")  # the earlier credit, kept


@pytest.mark.parametrize(
    ("final_balance", "refund", "forfeited", "kept"),
    [
        ("keep", "0", "0", "10"),
        ("refund", "10", "0", "0"),
        ("forfeit", "0", "10", "0"),
    ],
)
def test_the_final_invoice_settles_the_balance_left(
    final_balance: str, refund: str, forfeited: str, kept: str
) -> None:
    """The $10.00 credit of the June 21 cancellation is kept, refunded or
    forfeited as ``final_balance`` says."""
    policy = BillingPolicy(final_balance=final_balance)  # type: ignore[arg-type]
    sub, outcome = started(policy=policy).cancel(june(21))
    assert outcome.invoice is not None
    assert outcome.invoice.refund == usd(refund)
    assert outcome.invoice.forfeited == usd(forfeited)
    assert sub.credit_balance == usd(kept)


def test_cancel_in_arrears_bills_the_time_used() -> None:
    """Billed in arrears, cancelled at June 21: 20 of 30 days used, $20.00
    billed at once."""
    sub = started(policy=BillingPolicy(timing="in-arrears"))
    ended, outcome = sub.cancel(june(21))
    assert outcome.invoice is not None
    assert outcome.invoice.amount_due == usd("20.00")
    assert ended.ended


def test_cancel_on_a_later_date_bills_until_then() -> None:
    """Cancelled on August 11 from June: July 1 and August 1 bill $30
    each, then the end credits 21 of August's 31 days, $30 x 21/31 =
    $20.32 (half up), on an invoice dated August 11."""
    sub, outcome = started().cancel(datetime(2024, 8, 11, tzinfo=UTC))
    assert outcome.invoice is None
    ended, invoices = sub.bill_through(datetime(2024, 12, 31, tzinfo=UTC))
    assert [i.issued_at.date().isoformat() for i in invoices] == [
        "2024-07-01",
        "2024-08-01",
        "2024-08-11",
    ]
    expected = round_money(Fraction(30 * 21, 31), usd("0"), "half-up")
    assert invoices[-1].subtotal == -expected == usd("-20.32")
    assert ended.ended


def test_a_cancellation_can_be_withdrawn_before_it_takes_effect() -> None:
    sub, _ = started().cancel(at_period_end=True)
    kept = sub.withdraw_cancellation()
    assert kept.ends_at is None
    assert kept.bill()[1].amount_due == usd("30")


# -- scheduled changes -----------------------------------------------------


def test_a_change_scheduled_for_the_period_end_bills_at_renewal() -> None:
    """$20 -> $5 scheduled at June 10 for the period end: no lines now;
    the July 1 invoice bills $5.00; replaced by -> $10 it bills $10.00;
    withdrawn, $20.00."""
    sub = started(P20)
    scheduled = sub.schedule_change(P5)
    assert scheduled.pending_change is not None
    assert scheduled.pending_change.at == JULY_1
    assert scheduled.deferred == ()
    assert scheduled.preview_invoice().amount_due == usd("5.00")
    after, invoice = scheduled.bill()
    assert invoice.amount_due == usd("5.00")
    assert after.plan == P5
    assert after.pending_change is None
    assert scheduled.schedule_change(P10).bill()[1].amount_due == usd("10.00")
    assert scheduled.withdraw_change().bill()[1].amount_due == usd("20.00")
    assert after.bill()[1].amount_due == usd("5.00")  # and stays


def test_a_change_scheduled_on_a_date_is_prorated_then() -> None:
    """Scheduled for June 16, $30 -> $60 in advance: billing through July 1
    makes it (15 of 30 days: -$15.00 + $30.00, deferred) and the July 1
    invoice bills the net and July at $60: $75.00."""
    sub = started().schedule_change(P60, june(16))
    with pytest.raises(PendingChangeError, match="bill_through"):
        sub.record_usage("visits", 1, june(20), unmetered=True)
    _, invoices = sub.bill_through(JULY_1)
    assert [i.amount_due for i in invoices] == [usd("75.00")]


def test_a_scheduled_change_of_interval_opens_a_new_cycle() -> None:
    """Monthly -> yearly at the period end: July 1 bills the year, and the
    next billing date is a year on."""
    yearly = Plan(id="y", price=usd("300"), interval=ANNUAL, rank=2)
    sub = started().schedule_change(yearly)
    after, invoice = sub.bill()
    assert invoice.amount_due == usd("300")
    assert after.next_billing_date == datetime(2025, 7, 1, tzinfo=UTC)


# -- bill through a date -----------------------------------------------------


def test_billing_through_a_date_issues_each_invoice_in_order() -> None:
    """From June 1 in advance, billed through 2024-12-31: the six invoices
    of July 1 to December 1, equal to six calls of bill()."""
    sub = started()
    through, invoices = sub.bill_through(datetime(2024, 12, 31, tzinfo=UTC))
    assert [i.issued_at.date().isoformat() for i in invoices] == [
        f"2024-{month:02d}-01" for month in range(7, 13)
    ]
    one_by_one = sub
    for invoice in invoices:
        one_by_one, billed = one_by_one.bill()
        assert billed == invoice
    assert through == one_by_one


def test_after_billing_through_a_later_period_takes_changes() -> None:
    """A change two months out is made once billed up to it."""
    sub, _ = started().bill_through(datetime(2024, 8, 15, tzinfo=UTC))
    _, outcome = sub.change_plan(P60, datetime(2024, 8, 16, tzinfo=UTC))
    assert outcome.net > usd("0")


# -- properties --------------------------------------------------------------

_MOMENTS = st.integers(1, 30 * 86400 - 1).map(
    lambda s: JUNE_1 + timedelta(seconds=s)
)


@given(at=_MOMENTS, credit=st.sampled_from(list(CancelCredit)))
def test_a_cancelled_subscription_never_bills_after_its_end(
    at: datetime, credit: CancelCredit
) -> None:
    sub, outcome = started().cancel(at, credit=credit)
    assert sub.ended
    with pytest.raises(SubscriptionEndedError):
        sub.bill()
    with pytest.raises(SubscriptionEndedError):
        sub.bill_through(datetime(2030, 1, 1, tzinfo=UTC))
    assert outcome.invoice is None or outcome.invoice.issued_at == at


@given(at=_MOMENTS, credit=st.sampled_from(["credit", "refund"]))
def test_cancel_now_costs_the_time_used(at: datetime, credit: str) -> None:
    """Cancel now and nothing more: the customer's cost (paid, less paid
    back, less balance kept) is the $30 billed less the unused time
    returned, $30 - round($30 x unused / period), from the definition."""
    start, first = Subscription.start(P30, JUNE_1)
    assert first is not None
    ended, outcome = start.cancel(at, credit=credit)  # type: ignore[arg-type]
    invoices = [first] + ([outcome.invoice] if outcome.invoice else [])
    cost = paid_by_customer(invoices) - ended.credit_balance
    unused = Fraction(int((JULY_1 - at).total_seconds()), 30 * 86400)
    assert cost == usd("30") - round_money(30 * unused, usd("0"), "half-up")
    assert outcome.returned == usd("30") - cost


@given(
    credited=st.integers(0, 3000),
    at=_MOMENTS,
    refunded=st.booleans(),
)
def test_refunds_never_exceed_what_was_paid(
    credited: int,
    at: datetime,
    refunded: bool,  # noqa: FBT001 - drawn by Hypothesis
) -> None:
    """Credits issued by hand and the cancellation's refund together never
    return more than the $30 paid."""
    sub, first = Subscription.start(P30, JUNE_1)
    assert first is not None
    invoices = [first]
    if credited:
        amount = Money(f"{credited // 100}.{credited % 100:02d}", "USD")
        sub, note = sub.issue_credit(amount, JUNE_1, refund=refunded)
        invoices.append(note)
    ended, outcome = sub.cancel(at, credit="refund")
    invoices += [outcome.invoice] if outcome.invoice else []
    refunds = sum((i.refund for i in invoices), Money.zero("USD"))
    assert refunds + ended.credit_balance <= first.amount_due
    seconds = int((at - JUNE_1).total_seconds())
    # The time used counts toward the cap rounded down: rounded half up,
    # $0.005 used and $29.995 unused would together cost a cent more than
    # the $30 paid (and the test above, cost = $30 - round(unused), fail).
    used = round_money(Fraction(30 * seconds, 30 * 86400), usd("0"), "floor")
    unused = round_money(
        Fraction(30 * (30 * 86400 - seconds), 30 * 86400), usd("0"), "half-up"
    )
    credit = sum((i.subtotal for i in invoices[1:2] if credited), usd("0"))
    cap = max(usd("30") - used + credit, usd("0"))
    assert outcome.returned == min(unused, cap)


@given(
    old=st.sampled_from([P5, P10, P20, P30, P60]),
    new=st.sampled_from([P5, P10, P20, P30, P60]),
    timing=st.sampled_from(["in-advance", "in-arrears"]),
)
def test_a_scheduled_change_bills_what_the_change_at_period_end_would(
    old: Plan, new: Plan, timing: str
) -> None:
    """Scheduled for the renewal, or made at the renewal by hand: the two
    invoices after it add up to the same amount."""
    policy = BillingPolicy(timing=timing)  # type: ignore[arg-type]
    sub = started(old, policy)
    scheduled, _ = sub.schedule_change(new, assisted=True).bill_through(
        datetime(2024, 8, 1, tzinfo=UTC)
    )
    by_hand, first = sub.bill()
    by_hand, _ = by_hand.change_plan(new, JULY_1, assisted=True)
    by_hand, second = by_hand.bill()
    _, invoices = sub.schedule_change(new, assisted=True).bill_through(
        datetime(2024, 8, 1, tzinfo=UTC)
    )
    assert sum((i.subtotal for i in invoices), usd("0")) == (
        first.subtotal + second.subtotal
    )
    assert scheduled.plan == by_hand.plan == new


# -- bad input ---------------------------------------------------------------


def test_cancelling_twice_is_refused() -> None:
    sub, _ = started().cancel(at_period_end=True)
    with pytest.raises(AlreadyCancelledError, match="withdraw_cancellation"):
        sub.cancel(june(20))
    ended, _ = started().cancel(june(20))
    with pytest.raises(SubscriptionEndedError, match="new subscription"):
        ended.cancel(june(21))


def test_scheduling_on_an_ended_or_ending_subscription_is_refused() -> None:
    ended, _ = started().cancel(june(20))
    with pytest.raises(SubscriptionEndedError):
        ended.schedule_change(P60)
    ending, _ = started().cancel(at_period_end=True)
    with pytest.raises(SubscriptionEndedError, match="withdraw"):
        ending.schedule_change(P60)


def test_a_date_before_what_is_billed_is_refused() -> None:
    strict = BillingPolicy(backdating_limit=None)  # no backdating (#14)
    sub, _ = started(policy=strict).bill_through(
        datetime(2024, 8, 1, tzinfo=UTC)
    )
    for call in (
        lambda: sub.cancel(june(20)),
        lambda: sub.bill_through(june(20)),
        lambda: sub.schedule_change(P60, june(20)),
        lambda: sub.change_plan(P60, june(20)),
    ):
        with pytest.raises(BilledMomentError, match="already billed"):
            call()


def test_unknown_option_names_are_refused_with_the_allowed_ones() -> None:
    sub = started()
    with pytest.raises(InvalidPolicyError, match="always_invoice"):
        sub.change_plan(P60, june(10), proration_behavior="always")  # type: ignore[arg-type]
    with pytest.raises(InvalidPolicyError, match="refund"):
        sub.cancel(june(10), credit="refunded")  # type: ignore[arg-type]
    with pytest.raises(InvalidPolicyError, match="now"):
        sub.change_plan(P60, june(10), billing_anchor="today")  # type: ignore[arg-type]


def test_other_misuse_is_refused() -> None:
    sub = started()
    with pytest.raises(NothingPendingError):
        sub.withdraw_change()
    with pytest.raises(NothingPendingError):
        sub.withdraw_cancellation()
    with pytest.raises(ArgumentTypeError):
        sub.cancel()
    with pytest.raises(ArgumentTypeError):
        sub.cancel(june(20), at_period_end=True)
    with pytest.raises(InvalidAmountError, match="at most"):
        sub.issue_credit(usd("31"), june(2))
    with pytest.raises(ChangeRefusedError):
        sub.schedule_change(Plan(id="x", price=usd("1"), sales_only=True))
    with pytest.raises(BillingLimitError, match="limit"):
        sub.bill_through(datetime(2300, 1, 1, tzinfo=UTC))
    ending, _ = started().cancel(june(25))
    with pytest.raises(SubscriptionEndedError):
        ending.change_plan(P60, june(26))


# -- found in review ---------------------------------------------------------

LEAD = BillingPolicy(
    proration=ProrationPolicy(basis="days"), calculation_lead=timedelta(days=3)
)


def test_nothing_is_dated_in_a_period_already_billed_in_advance() -> None:
    """Billed on its calculation date (June 28, three days before July 1),
    July is paid for: a cancellation, a schedule or a credit dated June
    28-30 is refused (it refunded $32.00 of a $31.00 invoice)."""
    plan = Plan(id="p", price=usd("31"))
    sub, july = Subscription.start(plan, JUNE_1, policy=LEAD)[0].bill()
    assert july.calculated_at == june(28)
    for call in (
        lambda: sub.cancel(june(30), credit="refund"),
        lambda: sub.schedule_change(P5, june(30), assisted=True),
        lambda: sub.issue_credit(usd("5"), june(30)),
    ):
        with pytest.raises(BilledMomentError, match="2024-07-01"):
            call()


def test_a_credit_is_dated_inside_the_period() -> None:
    with pytest.raises(OutsidePeriodError):
        started().issue_credit(usd("5"), datetime(2025, 6, 10, tzinfo=UTC))


def test_the_preview_shows_a_scheduled_changes_own_invoice() -> None:
    """A change of interval scheduled for June 16 invoices at once then:
    the preview is that invoice, not next year's renewal."""
    yearly = Plan(id="y", price=usd("300"), interval=ANNUAL, rank=2)
    sub = started(P60).schedule_change(yearly, june(16))
    preview = sub.preview_invoice()
    assert preview.issued_at == june(16)
    assert preview == sub.bill_through(june(16))[1][0]


def test_a_per_change_policy_cannot_change_the_timing() -> None:
    with pytest.raises(InvalidPolicyError, match="timing"):
        started().change_plan(
            P60, june(11), policy=BillingPolicy(timing="in-arrears")
        )


def test_a_cancellation_credits_what_was_paid_under_the_paid_basis() -> None:
    """Days basis, credit on what was paid, charges in full: $30 from June
    1, -> $45 on June 16 (charged $45 for the 15 days left), cancelled on
    June 21: 10 of those 15 days unused, $45 x 10/15 = $30.00, as a change
    then would credit; the final invoice nets $0.00."""
    paid = BillingPolicy(
        proration=ProrationPolicy(
            basis="days", credit_basis="paid", charge="full"
        )
    )
    p45 = Plan(id="p45", price=usd("45"), rank=2)
    sub, _ = started(P30, paid).change_plan(p45, june(16))
    _, change = sub.change_plan(P5, june(21))
    assert change.lines[0].amount == usd("-30.00")
    _, outcome = sub.cancel(june(21), credit="none")
    _, cancelled = sub.cancel(june(21))
    assert outcome.invoice is not None
    assert cancelled.invoice is not None
    assert cancelled.invoice.subtotal - outcome.invoice.subtotal == usd("-30")
    assert cancelled.returned == usd("30.00")


def test_what_a_cancellation_returns_is_what_it_credits() -> None:
    """A change at the same instant leaves a deferred credit that is not
    the cancellation's: $30 -> $60 on June 21, cancelled then, returns the
    $60 plan's 10 days, $20.00."""
    sub, _ = started().change_plan(P60, june(21))
    _, outcome = sub.cancel(june(21), credit="refund")
    assert outcome.returned == usd("20.00")


def test_flags_are_bools_and_notes_are_text() -> None:
    sub = started()
    for call in (
        lambda: sub.issue_credit(usd("5"), june(2), refund="no"),  # type: ignore[arg-type]
        lambda: sub.issue_credit(usd("5"), june(2), note=3),  # type: ignore[arg-type]
        lambda: sub.cancel(at_period_end="no"),  # type: ignore[arg-type]
        lambda: sub.schedule_change(P5, assisted="yes"),  # type: ignore[arg-type]
        lambda: sub.bill_through(JULY_1, limit=0),
    ):
        with pytest.raises(ArgumentTypeError):
            call()


def test_a_schedule_checks_the_add_ons_against_the_new_plan() -> None:
    """An add-on priced by the year cannot follow a monthly plan: refused
    when scheduled, not at the renewal."""
    seats = AddOn(id="seats", price=usd("120"), interval=ANNUAL)
    yearly = Plan(id="y", price=usd("300"), interval=ANNUAL, rank=2)
    sub, _ = Subscription.start(yearly, JUNE_1, items=[Item(seats)])
    with pytest.raises(InvalidPlanError):
        sub.schedule_change(P30, assisted=True)


def test_the_limit_counts_billing_dates() -> None:
    """A scheduled change's own invoice is not one of the ``limit``."""
    policy_now = BillingPolicy(charge_now_above=usd("0"))
    sub = started(policy=policy_now).schedule_change(P60, june(10))
    _, invoices = sub.bill_through(JULY_1, limit=1)
    assert len(invoices) == 2


def test_used_time_billing_names_the_two_choices() -> None:
    with pytest.raises(InvalidPolicyError) as error:
        BillingPolicy(used_time_billing="never")
    assert "never" not in str(error.value).split("choose")[-1]
