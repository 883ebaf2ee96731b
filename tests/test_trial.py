"""Free trials (issue #14): nothing billed until the trial's end.

Each figure is worked out from its definition: the first period's price,
or the stub to a kept anchor as remaining seconds over the period's. A
plan change in the trial keeps it, or under ``trial_change="end-trial"``
(Meteroid's, meteroid-oss/meteroid @ 6a27ef61, services/subscriptions/
plan_change.rs) ends it and bills the new plan's first period at once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    ANNUAL,
    AddOn,
    BackdatingError,
    BillingPolicy,
    Coupon,
    DatetimeRangeError,
    Discount,
    Interval,
    InvalidPlanError,
    InvalidPolicyError,
    Invoice,
    InvoiceLineKind,
    Money,
    OutsidePeriodError,
    Plan,
    Settlement,
    Subscription,
    TrialChange,
    TrialError,
    UsageAllowance,
    presets,
)
from tests.cases import invoiced
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


# -- a change in the trial, by trial_change (issue #16, Meteroid's MA6) ------

END = BillingPolicy(trial_change="end-trial")
JUNE_10 = datetime(2024, 6, 10, tzinfo=UTC)


def june(day: int) -> datetime:
    return datetime(2024, 6, day, tzinfo=UTC)


def test_trial_change_takes_its_strings_and_refuses_others() -> None:
    assert BillingPolicy().trial_change is TrialChange.KEEP_TRIAL
    assert END.trial_change is TrialChange.END_TRIAL
    with pytest.raises(InvalidPolicyError, match="trial_change"):
        BillingPolicy(trial_change="end")  # type: ignore[arg-type]


def test_a_trial_change_under_a_fixed_month_day_count_prices_nothing() -> None:
    """Zuora's Actual/360 counts a period by its whole months, which a
    14-day trial is not: the change in it was refused with
    PeriodTooShortError. Nothing is priced in a trial, so its days count
    as they are: credit and charge zero, the trial kept."""
    policy = presets.CONVENTIONS["zuora-actual-360"]
    sub, outcome = trial(policy=policy).change_plan(P60, JUNE_10)
    quote = outcome.proration
    assert (quote.credit, quote.charge, outcome.net) == (usd("0"),) * 3
    assert (sub.plan, sub.in_trial, sub.next_billing_date) == (
        P60,
        True,
        JUNE_15,
    )


ENDING = {"meteroid": TrialChange.END_TRIAL, "polar": TrialChange.BY_PLAN}


@pytest.mark.parametrize("name", sorted(presets.CONVENTIONS))
def test_which_conventions_end_the_trial_at_a_change(name: str) -> None:
    """Every other convention keeps the trial through a change (Stripe
    without trial_end=now, Kill Bill, Lago, Paddle, Recurly...): no
    invoice, the trial to June 15; Meteroid's ends it and invoices, and
    so does Polar's, the new plan having no trial of its own."""
    convention = presets.CONVENTIONS[name]
    sub, outcome = trial(policy=convention).change_plan(P60, JUNE_10)
    if name in ENDING:
        assert convention.trial_change is ENDING[name]
        assert not sub.in_trial
        assert invoiced(outcome).issued_at == JUNE_10
        return
    assert convention.trial_change is TrialChange.KEEP_TRIAL
    assert (outcome.invoice, outcome.settlement) == (None, "not-billed")
    assert (sub.in_trial, sub.next_billing_date) == (True, JUNE_15)


def test_by_plan_the_new_plan_s_own_trial_decides() -> None:
    """``trial_change="by-plan"`` (Polar's ``_resolve_trial_end``): a 14-day
    trial from June 1; a change on June 10 to a plan with a 30-day trial
    of its own keeps the trial, to July 1 (30 days from June 1), billing
    nothing; one to a plan with a 7-day trial, run out by June 10, ends
    it there, $60.00 invoiced for June 10 to July 10."""
    policy = BillingPolicy(trial_change="by-plan")
    longer = Plan(id="p60", price=usd("60"), rank=2, trial=Interval.days(30))
    sub, outcome = trial(policy=policy).change_plan(longer, JUNE_10)
    assert outcome.invoice is None
    july_1 = datetime(2024, 7, 1, tzinfo=UTC)
    assert (sub.in_trial, sub.trial_end, sub.next_billing_date) == (
        True,
        july_1,
        july_1,
    )
    shorter = replace(longer, trial=Interval.days(7))
    sub, outcome = trial(policy=policy).change_plan(shorter, JUNE_10)
    assert not sub.in_trial
    assert invoiced(outcome).subtotal == usd("60.00")


def test_a_plan_s_trial_starts_a_subscription_and_is_checked() -> None:
    """``start(trial=plan.trial)``: 14 days from June 1 end on June 15;
    a trial that is not an Interval is refused, naming the field."""
    plan = Plan(id="p30", price=usd("30"), trial=Interval.days(14))
    sub, first = Subscription.start(plan, JUNE_1, trial=plan.trial)
    assert (first, sub.trial_end) == (None, JUNE_15)
    with pytest.raises(InvalidPlanError, match="trial"):
        Plan(
            id="x",
            price=usd("1"),
            trial=timedelta(days=3),  # type: ignore[arg-type]
        )


def test_ending_the_trial_bills_the_new_plan_from_the_change() -> None:
    """$30 -> $60 on June 10 of a trial to June 15: the trial ends, $60.00
    for June 10 to July 10 invoiced at once, nothing prorated; the next
    billing date is July 10, then August 10."""
    sub, outcome = trial(policy=END).change_plan(P60, JUNE_10)
    first = invoiced(outcome)
    assert (first.issued_at, first.subtotal) == (JUNE_10, usd("60.00"))
    assert [(line.start, line.end) for line in first.lines] == [
        (JUNE_10, datetime(2024, 7, 10, tzinfo=UTC))
    ]
    assert outcome.settlement is Settlement.INVOICE_NOW
    assert outcome.net == usd("60.00")
    assert outcome.proration.net == 0
    assert "ends the free trial" in outcome.reason
    assert (sub.in_trial, sub.plan) == (False, P60)
    sub, second = sub.bill()
    assert (second.issued_at, second.amount_due) == (
        datetime(2024, 7, 10, tzinfo=UTC),
        usd("60.00"),
    )
    assert sub.next_billing_date == datetime(2024, 8, 10, tzinfo=UTC)


def test_a_change_at_the_trials_first_instant_ends_it_at_once() -> None:
    """A change at the start itself: the first period runs from June 1,
    billed then ($60.00), the next date July 1."""
    sub, outcome = trial(policy=END).change_plan(P60, JUNE_1)
    assert invoiced(outcome).issued_at == JUNE_1
    assert invoiced(outcome).subtotal == usd("60.00")
    assert sub.next_billing_date == datetime(2024, 7, 1, tzinfo=UTC)


def test_the_anchor_moves_to_the_change_and_so_does_an_interval() -> None:
    """Anchored on the 1st, the trial's end would bill a stub; the change
    anchors on June 10 instead (Meteroid resets the billing day). To a
    yearly $300 plan: the year from June 10 billed, next 2025-06-10."""
    anchored = trial(policy=END, anchor=JUNE_1)
    sub, outcome = anchored.change_plan(P60, JUNE_10)
    assert invoiced(outcome).subtotal == usd("60.00")
    assert sub.next_billing_date == datetime(2024, 7, 10, tzinfo=UTC)
    yearly = Plan(id="y", price=usd("300"), interval=ANNUAL, rank=3)
    sub, outcome = trial(policy=END).change_plan(yearly, JUNE_10)
    assert invoiced(outcome).subtotal == usd("300.00")
    assert sub.next_billing_date == datetime(2025, 6, 10, tzinfo=UTC)


def test_in_arrears_the_ended_trials_first_period_is_billed_at_its_end() -> (
    None
):
    policy = BillingPolicy(timing="in-arrears", trial_change="end-trial")
    sub, outcome = trial(policy=policy).change_plan(P60, JUNE_10)
    assert (outcome.invoice, outcome.settlement) == (None, "not-billed")
    assert not sub.in_trial
    sub, first = sub.bill()
    assert (first.issued_at, first.amount_due) == (
        datetime(2024, 7, 10, tzinfo=UTC),
        usd("60.00"),
    )


def test_a_second_change_after_the_trial_ended_is_prorated() -> None:
    """After the trial ended on June 10 ($60, to July 10), $60 -> $90 on
    June 25: 15 of the period's 30 days left, -$30.00 and +$45.00 on the
    next invoice; a change dated back into the trial is refused."""
    p90 = Plan(id="p90", price=usd("90"), rank=3)
    sub, _ = trial(policy=END).change_plan(P60, JUNE_10)
    later, outcome = sub.change_plan(p90, june(25))
    assert [line.amount for line in outcome.lines] == [
        usd("-30.00"),
        usd("45.00"),
    ]
    assert outcome.settlement is Settlement.NEXT_INVOICE
    assert later.bill()[1].amount_due == usd("105.00")
    with pytest.raises(BackdatingError, match="trial's end"):
        sub.change_plan(p90, june(5))


def test_only_a_plan_change_ends_the_trial() -> None:
    seat = AddOn(id="seat", price=usd("5"))
    sub, outcome = trial(policy=END).change_quantity(seat, 2, JUNE_10)
    assert (sub.in_trial, outcome.invoice) == (True, None)
    _, first = sub.bill()
    assert first.subtotal == usd("40.00")


def test_one_change_may_keep_the_trial_or_restart_at_now() -> None:
    """A policy given to one change decides for it: keep-trial keeps it;
    billing_anchor="now" under end-trial bills what the change alone does
    (the period restarts at the change anyway), and under keep-trial it is
    refused, pointing at end_trial() and the option."""
    keep = BillingPolicy(trial_change="keep-trial")
    sub, outcome = trial(policy=END).change_plan(P60, JUNE_10, policy=keep)
    assert (sub.in_trial, outcome.invoice) == (True, None)
    now, restarted = trial(policy=END).change_plan(
        P60, JUNE_10, billing_anchor="now"
    )
    plain, outcome = trial(policy=END).change_plan(P60, JUNE_10)
    assert invoiced(restarted).lines == invoiced(outcome).lines
    assert now.next_billing_date == plain.next_billing_date
    with pytest.raises(TrialError, match='trial_change="end-trial"'):
        trial().change_plan(P60, JUNE_10, billing_anchor="now")


def test_a_change_at_or_after_the_trials_end_is_refused() -> None:
    """The trial is the current period: a change at its end is outside it
    until the end is billed."""
    with pytest.raises(OutsidePeriodError):
        trial(policy=END).change_plan(P60, JUNE_15)


def test_a_coupons_periods_start_at_the_change() -> None:
    """A one-period 50% coupon given at sign-up: the invoice at the change
    takes it ($30.00 of $60), the next does not."""
    half = Coupon(discount=Discount.percent_off(50), periods=1)
    sub, _ = Subscription.start(
        P30, JUNE_1, trial=TWO_WEEKS, policy=END, coupons=[half]
    )
    sub, outcome = sub.change_plan(P60, JUNE_10)
    assert invoiced(outcome).amount_due == usd("30.00")
    assert sub.bill()[1].amount_due == usd("60.00")


# -- a change scheduled for the trial's end --------------------------------


def test_a_change_scheduled_in_the_trial_is_made_at_its_end() -> None:
    """Meteroid's schedule_plan_change in a trial takes effect at the
    period's end, the trial's (test_schedule_plan_change_during_trial;
    period_transitions.rs applies it, then bills the new prices): $30
    until June 15, then $60 from June 15, next July 15."""
    sub = trial(policy=END).schedule_change(P60)
    assert sub.pending_change is not None
    assert (sub.pending_change.at, sub.plan, sub.in_trial) == (
        JUNE_15,
        P30,
        True,
    )
    assert sub.preview_invoice().amount_due == usd("60.00")
    sub, first = sub.bill()
    assert (first.issued_at, first.amount_due) == (JUNE_15, usd("60.00"))
    assert (sub.plan, sub.pending_change) == (P60, None)
    assert sub.next_billing_date == datetime(2024, 7, 15, tzinfo=UTC)


def test_a_scheduled_change_follows_the_trials_end() -> None:
    """Converted on June 8, or extended to June 20, the change scheduled
    for the end comes with it; a change made meanwhile withdraws it."""
    scheduled = trial(policy=END).schedule_change(P60)
    _, first = scheduled.end_trial(june(8))
    assert first is not None
    assert (first.issued_at, first.amount_due) == (june(8), usd("60.00"))
    longer = scheduled.extend_trial(june(20))
    assert longer.pending_change is not None
    assert longer.pending_change.at == june(20)
    p90 = Plan(id="p90", price=usd("90"), rank=3)
    sub, outcome = scheduled.change_plan(p90, JUNE_10)
    assert sub.pending_change is None
    assert "withdrawn" in outcome.reason
    assert sub.bill()[1].amount_due == usd("90.00")


def test_a_schedule_in_the_trial_is_refused_but_for_its_end() -> None:
    with pytest.raises(TrialError, match="change_plan"):
        trial().schedule_change(P60)  # keep-trial: a change now waits
    with pytest.raises(TrialError, match="its end"):
        trial(policy=END).schedule_change(P60, june(10))
    with pytest.raises(TrialError, match="move_anchor"):
        trial(policy=END).schedule_change(P60, anchor=JUNE_1)
    assert trial(policy=END).schedule_change(P60, JUNE_15).pending_change


# -- coupons given at sign-up when the first period moves -------------------
# Review findings 5 and 6 (h-review@61d8983, tests/test_review_findings.py).
# Coupon's rule (src/prorata/_discount.py): ``periods`` counts "billing
# periods ..., counting the one it is applied in"; given at sign-up, a
# coupon applies from the first period billed (``_trial._windows``).


def _off(invoice: Invoice, product: str) -> list[str]:
    return [
        str(line.amount)
        for line in invoice.lines
        if line.kind is InvoiceLineKind.DISCOUNT
        and line.product is not None
        and line.product.id == product
    ]


def test_a_trial_ending_change_keeps_a_forever_coupon_on_its_period() -> None:
    """Meteroid, 10% off forever from sign-up; the change to $60 on June 5
    ends the trial and bills June 5 to July 5 at once: 10% x $60 = $6.00
    off, $54.00, as a once coupon gives (it was -$4.00: the window still
    began at the old trial end, June 15, so 20/30 x $6.00)."""
    ten = Coupon(discount=Discount.percent_off(10))
    sub, _ = Subscription.start(
        P30,
        JUNE_1,
        policy=presets.CONVENTIONS["meteroid"],
        trial=TWO_WEEKS,
        coupons=[ten],
    )
    _, outcome = sub.change_plan(P60, june(5))
    first = invoiced(outcome)
    assert _off(first, "p60") == ["-$6.00"]
    assert first.subtotal == usd("54.00")


def test_ending_the_trial_early_moves_forever_and_until_coupons() -> None:
    """end_trial on June 5 bills June 5 to July 5, $30 (30 days). 10% off
    forever: $3.00 off, $27.00 (it was 20/30 x $3.00 = $2.00). 10% off
    until July 1 covers June 5 to July 1, 26 of the 30 days: $3.00 x
    26/30 = $2.60, $27.40 (it was June 15 to July 1, 16/30 x $3 = $1.60)."""
    ten = Discount.percent_off(10)
    for coupon, off, due in (
        (Coupon(discount=ten), "-$3.00", "27.00"),
        (
            Coupon(discount=ten, until=june(1).replace(month=7)),
            "-$2.60",
            "27.40",
        ),
    ):
        sub, _ = Subscription.start(
            P30, JUNE_1, trial=TWO_WEEKS, coupons=[coupon]
        )
        _, first = sub.end_trial(june(5))
        assert first is not None
        assert _off(first, "p30") == [off]
        assert first.subtotal == usd(due)


YEARLY = Plan(id="yearly", price=usd("300"), rank=3, interval=ANNUAL)
HALF_ONCE = Coupon(discount=Discount.percent_off(50), periods=1)


def test_a_change_scheduled_for_the_trial_end_counts_coupon_periods_anew() -> (
    None
):
    """Meteroid, 50% off once from sign-up, a change to $300 a year
    scheduled for the trial's end: June 15 bills the first period,
    2024-06-15 to 2025-06-15, and once covers it: 50% x $300 = $150.00
    off, $150.00, as the change made at once does (it was 30/365 x $150 =
    -$12.33: the once window counted on the monthly cycle, to July 15)."""
    sub, _ = Subscription.start(
        P30,
        JUNE_1,
        policy=presets.CONVENTIONS["meteroid"],
        trial=TWO_WEEKS,
        coupons=[HALF_ONCE],
    )
    _, at_once = sub.change_plan(YEARLY, june(5))
    assert invoiced(at_once).subtotal == usd("150.00")
    scheduled = sub.schedule_change(YEARLY)
    assert scheduled.preview_invoice().subtotal == usd("150.00")
    _, first = scheduled.bill()
    assert first.issued_at == JUNE_15
    assert _off(first, "yearly") == ["-$150.00"]
    assert first.subtotal == usd("150.00")
    _, converted = scheduled.end_trial(june(5))  # the schedule moves too
    assert converted is not None
    assert _off(converted, "yearly") == ["-$150.00"]


def test_a_trial_kept_through_a_change_of_interval_recounts_coupons() -> None:
    """keep-trial (the default): $30 a month -> $300 a year on June 5 in
    the trial; June 15 bills the year 2024-06-15 to 2025-06-15, $300, and
    the once coupon covers it: -$150.00, $150.00 (it was -$12.33). A
    coupon for 2 periods still covers the second year: -$150.00 again."""
    sub, _ = Subscription.start(
        P30, JUNE_1, trial=TWO_WEEKS, coupons=[HALF_ONCE]
    )
    sub, _ = sub.change_plan(YEARLY, june(5))
    after, first = sub.bill()
    assert (first.issued_at, first.subtotal) == (JUNE_15, usd("150.00"))
    assert _off(first, "yearly") == ["-$150.00"]
    assert after.bill()[1].subtotal == usd("300.00")
    twice = replace(HALF_ONCE, periods=2)
    sub, _ = Subscription.start(P30, JUNE_1, trial=TWO_WEEKS, coupons=[twice])
    sub, _ = sub.change_plan(YEARLY, june(5))
    sub, _ = sub.bill()
    sub, second = sub.bill()
    assert _off(second, "yearly") == ["-$150.00"]
    assert sub.bill()[1].subtotal == usd("300.00")
