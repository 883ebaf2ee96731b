"""Changes within a period with options of their own, and in arrears.

Issue #13's per-change options (Stripe's ``proration_behavior`` and
``billing_anchor``, the change day) and Kill Bill's immediate invoicing of
the time used in arrears, each figure worked out from its definition.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    ANNUAL,
    BillingPolicy,
    ChangeBilling,
    InvoiceLineKind,
    Plan,
    ProrationBehavior,
    ProrationPolicy,
    Settlement,
    Subscription,
    Treatment,
)
from tests.common import usd

JUNE_1 = datetime(2024, 6, 1, tzinfo=UTC)
JUNE_13 = datetime(2024, 6, 13, tzinfo=UTC)
P50 = Plan(id="p50", name="Fifty", price=usd("50"), rank=1)
P200 = Plan(id="p200", name="Two hundred", price=usd("200"), rank=2)
P30 = Plan(id="p30", price=usd("30"), rank=1)
P60 = Plan(id="p60", price=usd("60"), rank=2)


def started(plan: Plan, policy: BillingPolicy | None = None) -> Subscription:
    return Subscription.start(plan, JUNE_1, policy=policy)[0]


def test_an_anchor_reset_credits_the_old_month_and_bills_a_new_one() -> None:
    """$50 -> $200 at June 13 with ``billing_anchor="now"``: 18 of June's
    30 days unused, $50 x 18/30 = $30.00 credited; a new month from June 13
    at $200.00; $170.00 invoiced at once; next billing date July 13."""
    sub, outcome = started(P50).change_plan(
        P200, JUNE_13, billing_anchor="now"
    )
    assert [line.amount for line in outcome.lines] == [
        usd("-30.00"),
        usd("200.00"),
    ]
    assert outcome.settlement is Settlement.INVOICE_NOW
    assert outcome.invoice is not None
    assert outcome.invoice.amount_due == usd("170.00")
    assert sub.next_billing_date == datetime(2024, 7, 13, tzinfo=UTC)


def test_proration_behavior_none_makes_no_lines() -> None:
    """``proration_behavior="none"``: no credit and no charge now; the new
    price applies from the next period (Stripe)."""
    sub, outcome = started(P50).change_plan(
        P200, JUNE_13, proration_behavior="none"
    )
    assert outcome.lines == ()
    assert outcome.invoice is None
    assert sub.preview_invoice().amount_due == usd("200.00")


def test_behavior_none_with_an_anchor_reset_credits_nothing() -> None:
    """With the anchor reset too, the old month's unused time is not
    credited; the new month is billed at once (Stripe's
    ``billing_cycle_anchor=now`` always invoices the new period)."""
    _, outcome = started(P50).change_plan(
        P200, JUNE_13, proration_behavior="none", billing_anchor="now"
    )
    assert [line.kind for line in outcome.lines] == [
        InvoiceLineKind.SUBSCRIPTION
    ]
    assert outcome.invoice is not None
    assert outcome.invoice.amount_due == usd("200.00")


def test_always_invoice_bills_the_change_at_once() -> None:
    """$50 -> $200 at June 13, ``always_invoice``: -$30.00 + $120.00 (18
    days of $200) = $90.00 invoiced at once."""
    sub, outcome = started(P50).change_plan(
        P200, JUNE_13, proration_behavior="always_invoice"
    )
    assert outcome.invoice is not None
    assert outcome.invoice.amount_due == usd("90.00")
    assert sub.deferred == ()


def test_create_prorations_defers_whatever_the_threshold() -> None:
    """A policy that invoices changes above $10 at once; the change's own
    ``create_prorations`` puts the $90.00 on the next invoice."""
    policy = BillingPolicy(charge_now_above=usd("10"))
    sub, outcome = started(P50, policy).change_plan(
        P200, JUNE_13, proration_behavior="create_prorations"
    )
    assert outcome.invoice is None
    assert outcome.settlement is Settlement.NEXT_INVOICE
    assert sub.policy == policy  # the options were for that change alone


def test_the_change_day_can_be_given_to_the_old_plan() -> None:
    """Days basis, $30 -> $60 at noon on June 16: the new plan owns the
    day by default (15 days of each: -$15.00 + $30.00); given to the old
    plan, 14 days of each: -$14.00 + $28.00."""
    policy = BillingPolicy(proration=ProrationPolicy(basis="days"))
    noon = datetime(2024, 6, 16, 12, tzinfo=UTC)
    _, default = started(P30, policy).change_plan(P60, noon)
    _, old_day = started(P30, policy).change_plan(
        P60, noon, change_day="old-plan"
    )
    assert default.net == usd("15.00")
    assert old_day.net == usd("14.00")


def test_in_arrears_a_change_can_invoice_the_time_used_at_once() -> None:
    """$30/month in arrears from June 1, -> $60 at June 16 with
    ``used_time_billing="invoice-now"`` (Kill Bill's IMMEDIATE): $15.00
    (15 of 30 days at $30) at June 16, then $30.00 (15 days at $60) on
    July 1."""
    policy = BillingPolicy(
        timing="in-arrears", used_time_billing="invoice-now"
    )
    sub = started(P30, policy)
    sub, outcome = sub.change_plan(P60, datetime(2024, 6, 16, tzinfo=UTC))
    assert outcome.invoice is not None
    assert outcome.invoice.amount_due == usd("15.00")
    assert outcome.settlement is Settlement.INVOICE_NOW
    _, july = sub.bill()
    assert july.amount_due == usd("30.00")
    assert july.lines[0].start == datetime(2024, 6, 16, tzinfo=UTC)


def test_in_arrears_always_invoice_invoices_the_time_used() -> None:
    """The per-change ``always_invoice`` does the same for one change."""
    sub = started(P30, BillingPolicy(timing="in-arrears"))
    _, outcome = sub.change_plan(
        P60,
        datetime(2024, 6, 16, tzinfo=UTC),
        proration_behavior="always_invoice",
    )
    assert outcome.invoice is not None
    assert outcome.invoice.amount_due == usd("15.00")


# -- properties --------------------------------------------------------------


@given(
    seconds=st.integers(1, 30 * 86400 - 1),
    behavior=st.sampled_from(list(ProrationBehavior)),
    timing=st.sampled_from(["in-advance", "in-arrears"]),
    threshold=st.none() | st.sampled_from(["0", "25"]),
)
def test_per_change_options_equal_a_policy_with_them(
    seconds: int,
    behavior: ProrationBehavior,
    timing: str,
    threshold: str | None,
) -> None:
    """A change with a behaviour bills what the same change bills on a
    subscription whose policy says the same, built by hand from the
    behaviour's documented meaning."""
    base = BillingPolicy(
        timing=timing,  # type: ignore[arg-type]
        charge_now_above=None if threshold is None else usd(threshold),
    )
    if behavior is ProrationBehavior.NONE:
        spelled = replace(
            base,
            proration=ProrationPolicy(
                credit=Treatment.NONE, charge=Treatment.NONE
            ),
        )
    else:
        billing = (
            ChangeBilling.INVOICE_NOW
            if behavior is ProrationBehavior.ALWAYS_INVOICE
            else ChangeBilling.NEXT_INVOICE
        )
        spelled = replace(
            base,
            charge_now_above=None,
            charge_billing=billing,
            credit_billing=billing,
            used_time_billing=billing,
        )
    at = JUNE_1 + timedelta(seconds=seconds)
    with_option, outcome = started(P50, base).change_plan(
        P200, at, proration_behavior=behavior
    )
    by_policy, expected = started(P50, spelled).change_plan(P200, at)
    # The same lines and amounts (a change made with "none" also carries
    # the treatments on itself, for a replay).
    seen = (outcome.lines, outcome.net, outcome.settlement, outcome.invoice)
    assert seen == (
        expected.lines,
        expected.net,
        expected.settlement,
        expected.invoice,
    )
    assert outcome.proration.net == expected.proration.net
    # The same state but for the policy (kept in its history's start too).
    assert with_option.origin is not None
    assert by_policy.origin is not None
    assert replace(with_option.origin, policy=spelled) == by_policy.origin
    assert (
        replace(
            with_option,
            policy=spelled,
            origin=by_policy.origin,
            changes=by_policy.changes,  # "none" is on the change, too
        )
        == by_policy
    )
    assert with_option.preview_invoice() == by_policy.preview_invoice()


def test_a_change_credits_no_more_than_is_left_of_what_was_billed() -> None:
    """$20 billed for June, $15.00 credited, downgrade on June 16 whose
    prorated credit is $10.00: $5.00 credited, $5.00 over the cap."""
    twenty = Plan(id="b", name="B", price=usd("20"), rank=2)
    ten = Plan(id="a", name="A", price=usd("10"), rank=1)
    sub, _ = Subscription.start(twenty, JUNE_1)
    sub, _ = sub.issue_credit(usd("15.00"), datetime(2024, 6, 5, tzinfo=UTC))
    sub, outcome = sub.change_plan(ten, datetime(2024, 6, 16, tzinfo=UTC))
    unused = outcome.lines[0]
    assert (unused.kind, unused.amount) == (
        InvoiceLineKind.UNUSED_TIME,
        usd("-10.00"),
    )
    (cap,) = [
        line
        for line in outcome.lines
        if line.kind is InvoiceLineKind.CREDIT_CAP
    ]
    assert cap.amount == usd("5.00")
    assert "$5.00 over the cap" in cap.calculation
    credited = unused.amount + cap.amount
    assert credited == usd("-5.00")
    _, july = sub.bill()
    # July: the change's lines (-10 + 5 remaining + 5 cap) and $10 for July.
    assert july.subtotal == usd("10.00")


def test_no_cap_when_nothing_was_credited_before() -> None:
    pro = Plan(id="pro", price=usd("100"), rank=2)
    lite = Plan(id="lite", price=usd("50"), rank=1)
    days = BillingPolicy(proration=ProrationPolicy(basis="days"))
    sub, _ = Subscription.start(pro, JUNE_1, policy=days)
    _, outcome = sub.change_plan(lite, datetime(2024, 6, 16, tzinfo=UTC))
    assert not [
        line
        for line in outcome.lines
        if line.kind is InvoiceLineKind.CREDIT_CAP
    ]


@given(
    st.integers(min_value=1, max_value=2_000),
    st.integers(min_value=0, max_value=2_000),
    st.integers(min_value=0, max_value=29),
    st.sampled_from(["seconds", "days", "daily-rate", "thirty-day-month"]),
)
def test_a_change_never_credits_more_than_is_left_to_credit(
    price: int, noted: int, day: int, basis: str
) -> None:
    """Whatever the basis (the daily rate rounds each day up) and the
    credit notes issued first, what a change credits for unused time,
    after its cap, is at most what the period was billed less what was
    credited against it; and the cap takes back exactly the excess."""
    old = Plan(id="old", price=usd(str(price)), rank=2)
    new = Plan(id="new", price=usd("0"), rank=1)
    policy = BillingPolicy(proration=ProrationPolicy(basis=basis))  # type: ignore[arg-type]
    sub, first = Subscription.start(old, JUNE_1, policy=policy)
    assert first is not None
    paid = first.subtotal
    note = min(usd(str(noted)), paid)
    if note.amount > 0:
        sub, _ = sub.issue_credit(note, JUNE_1)
    else:
        note = usd("0")
    _, outcome = sub.change_plan(new, JUNE_1 + timedelta(days=day))
    unused = sum(
        (
            line.amount
            for line in outcome.lines
            if line.kind is InvoiceLineKind.UNUSED_TIME
        ),
        usd("0"),
    )
    capped = sum(
        (
            line.amount
            for line in outcome.lines
            if line.kind is InvoiceLineKind.CREDIT_CAP
        ),
        usd("0"),
    )
    left = paid - note
    assert -(unused + capped) <= left
    assert capped == max(-unused - left, usd("0"))


@given(
    start=st.dates(date(2021, 1, 1), date(2027, 12, 31)),
    offset=st.integers(0, 27),
    to_yearly=st.booleans(),
)
def test_a_kept_billing_day_bills_the_new_interval_to_it(
    start: date,
    offset: int,
    to_yearly: bool,  # noqa: FBT001 - a drawn argument
) -> None:
    """``anchor_reset="never"``: a change of interval keeps the anchor; the
    new plan is charged, by actual days, from the change to the next date
    of its own interval counted from the anchor. Checked against plain
    date arithmetic (the period holding the change, its days, one half-up
    rounding), not the library's cycle."""
    anchor = datetime(start.year, start.month, start.day, tzinfo=UTC)
    monthly = Plan(id="m", price=usd("30"), rank=1)
    yearly = Plan(id="y", price=usd("365"), interval=ANNUAL, rank=2)
    old, new = (monthly, yearly) if to_yearly else (yearly, monthly)
    policy = BillingPolicy(
        proration=ProrationPolicy(basis="days", anchor_reset="never")
    )
    sub, _ = Subscription.start(old, anchor, policy=policy)
    at = anchor + timedelta(days=offset)
    sub, outcome = sub.change_plan(new, at)
    months = 12 if to_yearly else 1
    first = anchor.date()
    step = relativedelta(months=months)
    end = first + step  # the change lies in the anchor's first period
    days_left, days_in = (end - at.date()).days, (end - first).days
    price = Decimal(365 if to_yearly else 30)
    expected = (price * days_left / days_in).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    assert outcome.lines[-1].amount == usd(str(expected))
    assert sub.next_billing_date.date() == end
