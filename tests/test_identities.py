"""Identities every option must keep, and the figures of issue #11.

- A change to the same plan nets zero under every combination of options.
- An invoice bills the net the proration states, under every rounding
  stage.
- A quote (``prorate``) and the change it previews
  (``Subscription.change_plan``) agree, for every kind of change.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    MONTHLY,
    Basis,
    BillingCycle,
    BillingPolicy,
    ChangeDay,
    CreditBasis,
    DayCount,
    InvoiceLineKind,
    Money,
    Plan,
    PlanChange,
    ProrationPolicy,
    RoundingMode,
    RoundingStage,
    Subscription,
    Treatment,
    builtin_catalog,
    prorate,
    prorate_timeline,
)
from tests.common import usd
from tests.strategies import currencies, moments_in, periods, plans, policies

JUNE_1 = datetime(2024, 6, 1, tzinfo=UTC)


@st.composite
def every_option(draw: st.DrawFn) -> ProrationPolicy:
    """Every option, with the credit and the charge treated alike."""
    basis = draw(st.sampled_from(tuple(Basis)))
    treatment = draw(st.sampled_from(tuple(Treatment)))
    options: dict[str, object] = {
        "basis": basis,
        "rounding": draw(st.sampled_from(tuple(RoundingMode))),
        "rounding_stage": draw(st.sampled_from(tuple(RoundingStage))),
        "credit_basis": draw(st.sampled_from(tuple(CreditBasis))),
        "credit": treatment,
        "charge": treatment,
    }
    if basis not in {Basis.SECONDS, Basis.MINUTES}:
        options["change_day"] = draw(st.sampled_from(tuple(ChangeDay)))
        options["months_first"] = draw(st.booleans())
        counts: tuple[DayCount, ...] = (DayCount.ACTUAL, DayCount.THIRTY_360)
        if basis is not Basis.THIRTY_DAY_MONTH:
            counts += (DayCount.FIXED_MONTH,)
        count = draw(st.sampled_from(counts))
        options["day_count"] = count
        if basis is Basis.THIRTY_DAY_MONTH or count is not DayCount.ACTUAL:
            options["month_days"] = draw(st.sampled_from((30, 31)))
    return ProrationPolicy(**options)  # type: ignore[arg-type]


@st.composite
def whole_months(draw: st.DrawFn) -> tuple[BillingCycle, int]:
    """A monthly cycle anchored on any day, and a period index."""
    anchor = draw(
        st.datetimes(
            min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - made aware below
            max_value=datetime(2030, 12, 31),  # noqa: DTZ001
        )
    ).replace(tzinfo=UTC)
    return BillingCycle(anchor, MONTHLY), draw(st.integers(0, 24))


@settings(max_examples=1000)
@given(data=st.data())
def test_a_same_plan_change_nets_zero_under_every_option(
    data: st.DataObject,
) -> None:
    """Issue #11, 4: -$0.10 on a $10 plan in June under the paid credit
    basis with a daily rate or a fixed month; zero now, for every option."""
    currency = data.draw(currencies())
    plan = data.draw(plans(currency))
    cycle, index = data.draw(whole_months())
    period = cycle.period(index)
    policy = data.draw(every_option())
    at = data.draw(moments_in(period))
    change = PlanChange(plan, plan, at=at)
    quote = prorate(change, period, policy)
    assert quote.net == Money.zero(currency)
    assert quote.net_exact == 0
    chain = prorate_timeline(plan, [change], period, policy)
    assert chain.net == Money.zero(currency)


def test_the_paid_basis_same_plan_examples() -> None:
    """Issue #11, 4: the two examples, on a $10 plan in June and July."""
    plan = Plan(id="ten", price=usd("10"))
    for month in (6, 7):
        period = BillingCycle(JUNE_1, MONTHLY).period(month - 6)
        for policy in (
            ProrationPolicy(
                basis=Basis.DAILY_RATE, credit_basis=CreditBasis.PAID
            ),
            ProrationPolicy(
                basis=Basis.DAYS,
                day_count=DayCount.FIXED_MONTH,
                credit_basis=CreditBasis.PAID,
            ),
        ):
            at = period.start + timedelta(days=1)
            assert prorate(
                PlanChange(plan, plan, at=at), period, policy
            ).net == usd("0.00")


def test_net_stage_rounding_is_what_is_invoiced() -> None:
    """Issue #11, 3: $10 -> $20 on June 2, net stage: the net is $9.67, and
    the next invoice bills $9.67 (-9.67 + 19.33 + a 0.01 rounding line)
    with the $20.00 renewal: $29.67 due."""
    ten, twenty = Plan(id="a", price=usd("10")), Plan(id="b", price=usd("20"))
    policy = BillingPolicy(
        proration=ProrationPolicy(rounding_stage=RoundingStage.NET)
    )
    sub, _ = Subscription.start(ten, JUNE_1, policy=policy)
    sub, outcome = sub.change_plan(twenty, datetime(2024, 6, 2, tzinfo=UTC))
    assert outcome.net == usd("9.67")
    assert [line.amount for line in outcome.lines] == [
        usd("-9.67"),
        usd("19.33"),
        usd("0.01"),
    ]
    assert outcome.lines[-1].kind is InvoiceLineKind.ROUNDING
    _, invoice = sub.bill()
    assert invoice.amount_due == usd("29.67")


@settings(max_examples=1000)
@given(data=st.data())
def test_an_invoice_bills_the_net_the_proration_states(
    data: st.DataObject,
) -> None:
    """Under every rounding stage and mode, what a change puts on the next
    invoice adds up to the proration's net."""
    currency = data.draw(currencies())
    old = data.draw(plans(currency))
    new = data.draw(plans(currency))
    proration = data.draw(policies())
    policy = BillingPolicy(proration=proration)
    sub, first = Subscription.start(old, JUNE_1, policy=policy)
    assert first is not None
    at = data.draw(moments_in(sub.period))
    sub, outcome = sub.change_plan(new, at, assisted=True)
    billed = sum((line.amount for line in outcome.lines), Money.zero(currency))
    # A credit beyond what was paid for the period (the daily-rate basis
    # rounds each day up: 30 x round(195/30) = 210 credited of 195 paid)
    # is taken back by a cap line, by the definition of the cap.
    paid = first.subtotal
    credit = outcome.proration.credit
    over = max(credit - paid, Money.zero(currency))
    assert billed == outcome.proration.net + over == outcome.net
    invoice = sub.preview_invoice()
    renewal = [
        line
        for line in invoice.lines
        if line.kind is InvoiceLineKind.SUBSCRIPTION
    ]
    assert invoice.subtotal == outcome.net + sum(
        (line.amount for line in renewal), Money.zero(currency)
    )


CATALOG = builtin_catalog()
SELF_SERVE = [plan for plan in CATALOG if plan.price.amount > 0]


@settings(max_examples=300)
@given(
    old=st.sampled_from(SELF_SERVE),
    new=st.sampled_from(SELF_SERVE),
    day=st.integers(0, 29),
    stage=st.sampled_from(tuple(RoundingStage)),
)
def test_a_quote_equals_the_change_it_previews(
    old: Plan, new: Plan, day: int, stage: RoundingStage
) -> None:
    """Issue #11, 6: Pro $70 monthly -> Pro annual on day 9 was quoted at
    $441.00 ($700 priced over the month) while the change billed $651.00.
    Every change kind, same interval or not: quote net == change net."""
    proration = ProrationPolicy(rounding_stage=stage)
    sub, _ = Subscription.start(
        old, JUNE_1, policy=BillingPolicy(proration=proration)
    )
    at = JUNE_1 + timedelta(days=day, hours=5)
    quote = prorate(PlanChange(old, new, at=at), sub.period, proration)
    _, outcome = sub.change_plan(new, at, assisted=True)
    assert quote.net == outcome.net == outcome.proration.net
    assert quote == outcome.proration


def test_an_interval_change_is_quoted_as_it_is_billed() -> None:
    """Issue #11, 6: Pro $70 -> Pro annual $700 on day 9 of a 30-day June:
    credit $49.00, the annual $700.00, $651.00, as the change bills."""
    pro, annual = CATALOG["pro"], CATALOG["pro-annual"]
    sub, _ = Subscription.start(pro, JUNE_1)
    at = JUNE_1 + timedelta(days=9)
    quote = prorate(PlanChange(pro, annual, at=at), sub.period)
    assert (quote.credit, quote.charge, quote.net) == (
        usd("49.00"),
        usd("700.00"),
        usd("651.00"),
    )
    _, outcome = sub.change_plan(annual, at)
    assert outcome.invoice is not None
    assert outcome.invoice.amount_due == usd("651.00")


def test_whole_periods_follow_the_rounding_mode() -> None:
    """Issue #11, 7: a $9.995 plan under FLOOR billed $10.00 at sign-up
    while prorate gave $9.99 for the same whole period."""
    plan = Plan(id="odd", price=Money("9.995", "USD"))
    floor = ProrationPolicy(rounding=RoundingMode.FLOOR)
    sub, invoice = Subscription.start(
        plan, JUNE_1, policy=BillingPolicy(proration=floor)
    )
    assert invoice is not None
    assert invoice.subtotal == usd("9.99")
    quote = prorate(PlanChange(plan, plan, at=JUNE_1), sub.period, floor)
    assert quote.charge == invoice.subtotal


@given(data=st.data())
def test_both_counts_the_change_day_inclusively(data: st.DataObject) -> None:
    """Issue #11, 10: ChangeDay.BOTH as its docstring says: the old plan's
    used time and the time after the change both hold the change day, the
    old plan is credited and the new one charged for it, so a same-plan
    change nets zero and a mid-day change counts one day twice."""
    period = data.draw(periods())
    at = data.draw(moments_in(period))
    plan = Plan(id="p", price=usd("30"))
    both = ProrationPolicy(basis=Basis.DAYS, change_day=ChangeDay.BOTH)
    new_plan = ProrationPolicy(basis=Basis.DAYS)
    q = prorate(PlanChange(plan, plan, at=at), period, both)
    p = prorate(PlanChange(plan, plan, at=at), period, new_plan)
    assert q.net == usd("0.00")
    assert (q.credit, q.charge) == (p.credit, p.charge)
    days = q.used.portion.units + q.unused.portion.units
    total = q.used.portion.total
    assert days in {total, total + 1}
    assert (days == total) == (p.used.portion.units == q.used.portion.units)
