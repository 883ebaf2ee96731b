"""The public API as users write it, checked by ``mypy --strict`` (#12).

This file is never run: tests/conftest.py keeps pytest from collecting it,
and mypy checks it with the rest of tests/. ``assert_type`` pins what a call
returns. A call marked ``# type: ignore[code]`` must stay that error: strict
turns on ``warn_unused_ignores``, so the run fails once such a call starts
to type-check. Every call with string options in README.md and docs/ has
its pattern here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import assert_type

from prorata import (
    DEFAULT_POLICY,
    AddOn,
    AllowanceProration,
    AllowanceProrationName,
    Basis,
    BasisName,
    BillingPeriod,
    BillingPolicy,
    BillingTiming,
    BillingTimingName,
    ChangeBilling,
    ChangeBillingName,
    ChangeDay,
    ChangeDayName,
    ChangeDirection,
    ChangeOutcome,
    CreditBasis,
    CreditBasisName,
    CreditHandling,
    CreditHandlingName,
    DayCount,
    DayCountName,
    Invoice,
    Money,
    OverageBilling,
    OverageBillingName,
    Plan,
    PlanChange,
    Proration,
    ProrationLine,
    ProrationPolicy,
    QuantityMode,
    RoundingMode,
    RoundingModeName,
    RoundingStage,
    RoundingStageName,
    Settlement,
    StubPeriod,
    Subscription,
    TaxBase,
    TaxRounding,
    Timeline,
    Treatment,
    TreatmentName,
    TrialChange,
    UsageAllowance,
    presets,
    prorate,
    prorate_timeline,
    round_exact,
)

# -- money ------------------------------------------------------------------

price = Money("70", "USD")
assert_type(price, Money)
assert_type(price + Money("1.50", "USD"), Money)
assert_type(price.amount, Decimal)
assert_type(price.exact, Fraction)
assert_type(price.round(RoundingMode.HALF_EVEN), Money)
assert_type(price.allocate([1, 2]), tuple[Money, ...])
assert_type(round_exact(Fraction(70 * 17, 30), "USD", RoundingMode.UP), Money)
Money(0.1, "USD")  # type: ignore[arg-type]

# -- plans, periods, changes --------------------------------------------------

starter = Plan(id="starter", name="Starter", price=Money("35", "USD"), rank=1)
pro = Plan(id="pro", name="Pro", price=price, rank=2)
june = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
assert_type(june, BillingPeriod)
assert_type(june.start, datetime)
downgrade = PlanChange(pro, starter, at=june.start + timedelta(days=13))
assert_type(downgrade.direction, ChangeDirection)

# -- proration policies: enum members or their strings ----------------------

# docs/design.md, "Conventions are data"
policy = ProrationPolicy(
    basis="days", rounding="half-even", rounding_stage="net"
)
assert_type(policy, ProrationPolicy)
assert_type(policy.basis, Basis)
assert_type(policy.rounding, RoundingMode)
assert_type(policy.rounding_stage, RoundingStage)
assert_type(policy.describe(), str)

# docs/design.md (30/360) and docs/api.md (a period too short for days;
# options read back as enum members)
thirty = ProrationPolicy(basis="thirty-day-month")
assert_type(ProrationPolicy(basis="days").basis, Basis)
read_back = ProrationPolicy(basis="days", rounding_stage="net")
assert_type(read_back.rounding_stage, RoundingStage)
# README.md and most of docs/: the enum members themselves
assert_type(ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH), ProrationPolicy)
ProrationPolicy(basis=Basis.DAYS, rounding_stage=RoundingStage.NET)

# Every option by its string; each reads back as its enum.
every = ProrationPolicy(
    basis="days",
    day_count="30/360",
    month_days=28,
    change_day="old-plan",
    months_first=True,
    credit="full",
    charge="none",
    credit_basis="paid",
    rounding="floor",
    rounding_stage="line",
)
assert_type(every.day_count, DayCount)
assert_type(every.month_days, int)
assert_type(every.change_day, ChangeDay)
assert_type(every.months_first, bool)
assert_type(every.credit, Treatment)
assert_type(every.charge, Treatment)
assert_type(every.credit_basis, CreditBasis)
assert_type(every.effective_day_count, DayCount)
assert_type(DEFAULT_POLICY, ProrationPolicy)


def policy_from_config(
    basis: BasisName,
    day_count: DayCountName,
    change_day: ChangeDayName,
    treatment: TreatmentName,
    credit_basis: CreditBasisName,
    rounding: RoundingModeName,
    stage: RoundingStageName,
) -> ProrationPolicy:
    """The aliases type values read from elsewhere, e.g. a config file."""
    return ProrationPolicy(
        basis=basis,
        day_count=day_count,
        change_day=change_day,
        credit=treatment,
        charge=treatment,
        credit_basis=credit_basis,
        rounding=rounding,
        rounding_stage=stage,
    )


def policy_from_text(text: str) -> ProrationPolicy:
    """A plain ``str`` is not known to be a basis: convert it first."""
    ProrationPolicy(basis=text)  # type: ignore[arg-type]
    return ProrationPolicy(basis=Basis(text))


# replace() and the presets keep the enum types.
assert_type(replace(thirty, credit=Treatment.NONE), ProrationPolicy)
assert_type(presets.HOSTING_PAGE, ProrationPolicy)
assert_type(presets.HOSTING_PAGE.basis, Basis)
assert_type(presets.PRESETS["lago"], ProrationPolicy)
assert_type(presets.STRIPE_BEHAVIORS["always_invoice"], BillingPolicy)
assert_type(presets.PADDLE_MODES["do_not_bill"], BillingPolicy)

# Strings that are not the options' values, and positional options, are
# refused (docs/tutorial.md shows the run-time error of basis="weeks").
ProrationPolicy(basis="dayz")  # type: ignore[arg-type]
ProrationPolicy(basis="weeks")  # type: ignore[arg-type]
ProrationPolicy(basis="DAYS")  # type: ignore[arg-type]
ProrationPolicy(day_count="actual/actual")  # type: ignore[arg-type]
ProrationPolicy(change_day="new_plan")  # type: ignore[arg-type]
ProrationPolicy(credit="partial")  # type: ignore[arg-type]
ProrationPolicy(charge="prorate")  # type: ignore[arg-type]
ProrationPolicy(credit_basis="list")  # type: ignore[arg-type]
ProrationPolicy(rounding="bankers")  # type: ignore[arg-type]
ProrationPolicy(rounding_stage="total")  # type: ignore[arg-type]
ProrationPolicy(rounding=Basis.DAYS)  # type: ignore[arg-type]
ProrationPolicy("days")  # type: ignore[call-arg]

# -- prorations ---------------------------------------------------------------

q = prorate(downgrade, june, thirty)
assert_type(q, Proration)
assert_type(q.credit, Money)
assert_type(q.charge, Money)
assert_type(q.net, Money)
assert_type(q.net_exact, Fraction)
assert_type(q.lines, tuple[ProrationLine, ProrationLine])
assert_type(q.unused.amount, Money)
assert_type(q.explain(), str)
assert_type(prorate(downgrade, june).net, Money)
prorate(downgrade, june, "days")  # type: ignore[arg-type]

timeline = prorate_timeline(
    starter,
    [
        PlanChange(starter, pro, at=june.start + timedelta(days=10)),
        PlanChange(pro, starter, at=june.start + timedelta(days=20)),
    ],
    june,
    ProrationPolicy(basis="daily-rate"),
)
assert_type(timeline, Timeline)
assert_type(timeline.net, Money)
assert_type(timeline.prorations, tuple[Proration, ...])
assert_type(timeline.segments, tuple[ProrationLine, ...])

# -- billing policies: enum members or their strings --------------------------

hosting = BillingPolicy(
    proration=ProrationPolicy(basis="thirty-day-month"),
    charge_now_above=Money("100", "USD"),
)
saas = BillingPolicy(
    proration=presets.SAAS_PAGE,
    timing="in-arrears",
    calculation_lead=timedelta(days=3),
)
assert_type(saas.timing, BillingTiming)
billing = BillingPolicy(
    timing="in-advance",
    charge_billing="invoice-now",
    credit_billing="never",
    credits="refund",
    allowance="prorated",
    overage="pro-rata",
)
assert_type(billing.proration, ProrationPolicy)
assert_type(billing.charge_now_above, Money | None)
assert_type(billing.charge_billing, ChangeBilling)
assert_type(billing.credit_billing, ChangeBilling)
assert_type(billing.credits, CreditHandling)
assert_type(billing.allowance, AllowanceProration)
assert_type(billing.overage, OverageBilling)
assert_type(billing.calculation_lead, timedelta)
# Issue #15's and #16's options, as strings, read back as their enums.
terms = BillingPolicy(
    tax_rounding="per-invoice",
    tax_base="precise",
    discount_credit="used-first",
    stub_period="from-start",
    cancel_change_day="old-plan",
    trial_change="end-trial",
)
assert_type(terms.tax_rounding, TaxRounding)
assert_type(terms.tax_base, TaxBase)
assert_type(terms.stub_period, StubPeriod)
assert_type(terms.trial_change, TrialChange)
assert_type(terms.cancel_change_day, ChangeDay | None)
seat = AddOn(id="seat", price=Money("10", "USD"), quantity_mode="delta")
assert_type(seat.quantity_mode, QuantityMode)
assert_type(ProrationPolicy(share_places=5).share_places, int | None)
BillingPolicy(stub_period="later")  # type: ignore[arg-type]
BillingPolicy(timing=BillingTiming.IN_ARREARS, overage=OverageBilling.PRO_RATA)


def billing_from_config(
    timing: BillingTimingName,
    changes: ChangeBillingName,
    handling: CreditHandlingName,
    allowance: AllowanceProrationName,
    overage: OverageBillingName,
) -> BillingPolicy:
    """The billing aliases type values read from elsewhere."""
    return BillingPolicy(
        timing=timing,
        charge_billing=changes,
        credit_billing=changes,
        credits=handling,
        allowance=allowance,
        overage=overage,
    )


BillingPolicy(timing="in_arrears")  # type: ignore[arg-type]
BillingPolicy(charge_billing="now")  # type: ignore[arg-type]
BillingPolicy(credit_billing="later")  # type: ignore[arg-type]
BillingPolicy(credits="carry")  # type: ignore[arg-type]
BillingPolicy(allowance="none")  # type: ignore[arg-type]
BillingPolicy(overage="per-block")  # type: ignore[arg-type]
BillingPolicy(proration="days")  # type: ignore[arg-type]
BillingPolicy(charge_now_above="100")  # type: ignore[arg-type]

# -- subscriptions and invoices -----------------------------------------------

visits = UsageAllowance(
    metric="visits",
    included=100_000,
    overage_price=Money("1", "USD"),
    per=1_000,
)
b1 = Plan(
    id="business-1",
    name="Business 1",
    price=Money("115", "USD"),
    rank=3,
    allowances=(visits,),
)
b2 = Plan(
    id="business-2", name="Business 2", price=Money("225", "USD"), rank=4
)
sub, signup = Subscription.start(b1, june.start, policy=hosting)
assert_type(sub, Subscription)
assert_type(signup, Invoice | None)
sub, outcome = sub.change_plan(b2, june.start + timedelta(days=10))
assert_type(outcome, ChangeOutcome)
assert_type(outcome.net, Money)
assert_type(outcome.settlement, Settlement)
assert_type(outcome.reason, str)
assert_type(outcome.invoice, Invoice | None)
assert_type(outcome.proration, Proration)
assert_type(sub.preview_invoice().amount_due, Money)
sub, invoice = sub.bill()
assert_type(invoice, Invoice)
assert_type(invoice.amount_due, Money)
assert_type(invoice.credit_balance_after, Money)
sub.change_plan(b1, "2024-06-11")  # type: ignore[arg-type]
line = invoice.lines[0]
assert_type(line.description, str)
assert_type(line.calculation, str)
line.descripton  # type: ignore[attr-defined]  # noqa: B018 - a typo stays an error
moved = sub.move_anchor(june.start + timedelta(days=15))
assert_type(moved, Subscription)
assert_type(sub.extend_trial(june.end), Subscription)  # Self, inherited
assert_type(sub.pause(june.end), tuple[Subscription, Invoice | None])
assert_type(sub.top_up(Money("30", "USD")), Subscription)  # Self, inherited
assert_type(
    sub.issue_credit(Money("5", "USD"), june.start + timedelta(days=20)),
    tuple[Subscription, Invoice],
)
assert_type(sub.prepaid_balance, Money)
assert_type(invoice.prepaid_applied, Money)
sub.top_up(30.0)  # type: ignore[arg-type]
