"""Issue #15's terms across the lifecycle: backdating, re-anchoring, pauses.

Each test is a case the review reproduced as wrong, with the figure the
definition gives, computed here (the docstring says how).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

from prorata import (
    AddOn,
    BackdatingError,
    BillingPolicy,
    Charge,
    Coupon,
    CurrencyMismatchError,
    Discount,
    InvoiceLine,
    InvoiceLineKind,
    Item,
    Money,
    OutsidePeriodError,
    Plan,
    ProrataError,
    Subscription,
    TaxRate,
    UnknownCurrencyError,
    UsageAllowance,
    settle,
)

JUNE_1 = datetime(2024, 6, 1, tzinfo=UTC)


def usd(text: str) -> Money:
    return Money(text, "USD")


def june(day: int) -> datetime:
    return datetime(2024, 6, day, tzinfo=UTC)


def kinds(lines: tuple[InvoiceLine, ...], kind: InvoiceLineKind) -> list[str]:
    return [str(line.amount) for line in lines if line.kind is kind]


def test_backdating_does_not_reach_past_a_coupon_or_a_charge() -> None:
    """A replay cannot redo a coupon or a one-time charge: a record dated
    before them and before the last invoice is refused, not corrected by
    reversing them."""
    metered = Plan(
        id="m",
        price=usd("100"),
        allowances=(
            UsageAllowance(metric="calls", included=0, overage_price=usd("1")),
        ),
    )
    sub, _ = Subscription.start(metered, JUNE_1)
    sub, _ = sub.bill()
    sub = sub.apply_coupon(
        Coupon(discount=Discount.percent_off(20)),
        datetime(2024, 7, 5, tzinfo=UTC),
    )
    with pytest.raises(BackdatingError):
        sub.record_usage("calls", 5, june(20))
    sub, _ = Subscription.start(metered, JUNE_1)
    sub, _ = sub.bill()
    sub, _ = sub.add_charge(
        Charge(id="fee", price=usd("50")), datetime(2024, 7, 5, tzinfo=UTC)
    )
    with pytest.raises(BackdatingError):
        sub.record_usage("calls", 5, june(20))


def test_a_re_anchoring_change_is_capped_too() -> None:
    """$20 billed, $15 credited by hand, then billing_anchor="now" on June
    16: the $10 unused is capped at the $5 left, as any change."""
    twenty = Plan(id="b", price=usd("20"), rank=2)
    ten = Plan(id="a", price=usd("10"), rank=1)
    sub, _ = Subscription.start(twenty, JUNE_1)
    sub, _ = sub.issue_credit(usd("15"), june(5))
    _, outcome = sub.change_plan(ten, june(16), billing_anchor="now")
    assert kinds(outcome.lines, InvoiceLineKind.CREDIT_CAP) == ["$5.00"]


def test_a_pause_does_not_credit_back_a_set_up_fee() -> None:
    """Credit-and-restart returns the unused time, not one-time charges:
    those come back only when the subscription ends."""
    plan = Plan(id="p", price=usd("30"))
    fee = Charge(id="fee", price=usd("50"), credit_back=True)
    sub, _ = Subscription.start(plan, JUNE_1, charges=[fee])
    _, invoice = sub.pause(june(21), mode="credit-and-restart")
    assert invoice is not None
    assert not kinds(invoice.lines, InvoiceLineKind.ONE_TIME)


METERED = Plan(
    id="metered",
    price=usd("0"),
    minimum=usd("100"),
    allowances=(
        UsageAllowance(metric="calls", included=0, overage_price=usd("1")),
    ),
)


def test_the_final_invoice_trues_up_the_minimum() -> None:
    """Cancelled at the period's end, $20 of usage: the $100 minimum is
    trued up by $80 on the last invoice, as on a renewal; cancelled on June
    16 (15 of 30 days): $50 of it, less the $20, $30."""
    for timing in ("in-arrears", "in-advance"):
        policy = BillingPolicy(timing=timing)
        sub, _ = Subscription.start(METERED, JUNE_1, policy=policy)
        sub = sub.record_usage("calls", 20, june(5))
        ended, _ = sub.cancel(at_period_end=True)
        _, (last,) = ended.bill_through(datetime(2024, 7, 1, tzinfo=UTC))
        assert kinds(last.lines, InvoiceLineKind.COMMITMENT) == ["$80.00"]
    _, now = sub.cancel(june(16))
    assert now.invoice is not None
    assert kinds(now.invoice.lines, InvoiceLineKind.COMMITMENT) == ["$30.00"]


def test_high_water_marks_restart_with_a_re_anchored_period() -> None:
    """12 seats at the peak, 8 when the plan is re-anchored on June 11: the
    new period's peak is the 8 it opened with, so 15 bills 7 seats."""
    seat = AddOn(id="seat", price=usd("10"), quantity_mode="high-water-mark")
    plan = Plan(id="p", price=usd("0"))
    other = Plan(id="q", price=usd("0"), rank=1)
    sub, _ = Subscription.start(plan, JUNE_1, items=[Item(seat, 10)])
    sub, _ = sub.change_quantity(seat, 12, june(5))
    sub, _ = sub.change_quantity(seat, 8, june(8))
    sub, _ = sub.change_plan(other, june(11), billing_anchor="now")
    assert sub.peaks == ()
    _, outcome = sub.change_quantity(seat, 15, june(21))
    assert [line.quantity for line in outcome.lines] == [7]


def test_an_invoice_now_in_arrears_counts_toward_the_minimum() -> None:
    """In arrears with the time used invoiced at a change: the $100
    minimum of June is trued up once, over the whole period."""
    policy = BillingPolicy(
        timing="in-arrears", used_time_billing="invoice-now"
    )
    other = Plan(id="other", price=usd("0"), minimum=usd("100"), rank=1)
    sub, _ = Subscription.start(METERED, JUNE_1, policy=policy)
    sub, _ = sub.change_plan(other, june(16))
    _, july = sub.bill()
    assert kinds(july.lines, InvoiceLineKind.COMMITMENT) == ["$100.00"]


def test_usage_by_time_over_the_period_not_the_window() -> None:
    """Signed up on April 21, anchored on the 1st, 300 units of a charge
    prorated by time: 10 of 30 days, 100 units, also with a calculation
    lead that stops the usage window early."""
    storage = Plan(
        id="storage",
        price=usd("0"),
        allowances=(
            UsageAllowance(
                metric="gb",
                included=0,
                overage_price=usd("1"),
                prorate_by_time=True,
            ),
        ),
    )
    for lead in (timedelta(0), timedelta(days=3)):
        sub, _ = Subscription.start(
            storage,
            datetime(2024, 4, 21, tzinfo=UTC),
            anchor=datetime(2024, 4, 1, tzinfo=UTC),
            policy=BillingPolicy(overage="pro-rata", calculation_lead=lead),
        )
        sub = sub.record_usage("gb", 300, datetime(2024, 4, 22, tzinfo=UTC))
        _, invoice = sub.bill()
        assert Fraction(300 * 10, 30) == 100
        assert kinds(invoice.lines, InvoiceLineKind.OVERAGE) == ["$100.00"]


def test_a_fixed_coupon_in_another_currency_is_refused() -> None:
    euro = Coupon(discount=Discount.amount_off(Money("10", "EUR")))
    with pytest.raises(CurrencyMismatchError):
        Subscription.start(
            Plan(id="p", price=usd("30")), JUNE_1, coupons=[euro]
        )
    sub, _ = Subscription.start(Plan(id="p", price=usd("30")), JUNE_1)
    with pytest.raises(CurrencyMismatchError):
        sub.apply_coupon(euro, june(5))


def test_an_exclusive_rate_beside_an_inclusive_one_is_on_the_net() -> None:
    """$12.00 including 20% VAT, plus a 10% exclusive levy: the levy is on
    the $10.00 net, $1.00, not on the $12.00."""
    vat = TaxRate(name="VAT", percent=20, inclusive=True)
    levy = TaxRate(name="Levy", percent=10)
    line = InvoiceLine(
        kind=InvoiceLineKind.SUBSCRIPTION,
        description="Box",
        amount=usd("12.00"),
        start=JUNE_1,
        end=JUNE_1,
        calculation="",
        taxes=(vat, levy),
    )
    invoice = settle(
        [line],
        currency="USD",
        issued_at=JUNE_1,
        calculated_at=JUNE_1,
        credit_balance=usd("0"),
    )
    assert [str(t.amount) for t in invoice.taxes] == ["$2.00", "$1.00"]
    assert invoice.total == usd("13.00")


def test_a_charge_after_the_end_or_in_a_pause_is_refused() -> None:
    sub, _ = Subscription.start(Plan(id="p", price=usd("30")), JUNE_1)
    fee = Charge(id="fee", price=usd("5"))
    with pytest.raises(OutsidePeriodError):
        sub.add_charge(fee, datetime(2030, 1, 1, tzinfo=UTC))
    paused, _ = sub.pause(june(10))
    with pytest.raises(ProrataError):
        paused.add_charge(fee, june(12))


def test_settle_refuses_a_line_with_a_bad_exact_amount() -> None:
    line = InvoiceLine(
        kind=InvoiceLineKind.SUBSCRIPTION,
        description="x",
        amount=usd("1"),
        start=JUNE_1,
        end=JUNE_1,
        calculation="",
        exact="1/3",  # type: ignore[arg-type]
        taxes=(TaxRate(name="T", percent=10),),
    )
    with pytest.raises(ProrataError, match="exact"):
        settle(
            [line],
            currency="USD",
            issued_at=JUNE_1,
            calculated_at=JUNE_1,
            credit_balance=usd("0"),
            tax_base="precise",
        )


@pytest.mark.parametrize("currency", [None, "XYZ", 840])
def test_settle_refuses_a_currency_that_is_no_code(currency: object) -> None:
    """settle() with no lines totals nothing in ``currency``: a code that
    is not one is refused with UnknownCurrencyError, a ProrataError (the
    fuzz found currency=None escaping as a KeyError)."""
    with pytest.raises(UnknownCurrencyError):
        settle(
            [],
            currency=currency,  # type: ignore[arg-type]
            issued_at=JUNE_1,
            calculated_at=JUNE_1,
            credit_balance=usd("0"),
        )


def test_coupon_periods_follow_the_trial_and_a_pause() -> None:
    """A three-period 20% coupon given at sign-up with a 14-day trial: the
    trial extended by a week, or ended early, or the subscription paused
    keeping its paid time, three invoices of $80.00 still follow, then
    $100.00."""
    pro = Plan(id="pro", price=usd("100"))
    coupon = Coupon(discount=Discount.percent_off(20), periods=3)

    def dues(sub: Subscription, first: object) -> list[str]:
        out = [] if first is None else [str(first.amount_due)]  # type: ignore[attr-defined]
        while len(out) < 4:
            sub, invoice = sub.bill()
            out.append(str(invoice.amount_due))
        return out

    expected = ["$80.00", "$80.00", "$80.00", "$100.00"]
    sub, _ = Subscription.start(
        pro, JUNE_1, trial=timedelta(days=14), coupons=[coupon]
    )
    assert dues(sub.extend_trial(june(22)), None) == expected
    ended, first = sub.end_trial(june(5))
    assert dues(ended, first) == expected
    sub, first = Subscription.start(pro, JUNE_1, coupons=[coupon])
    paused, _ = sub.pause(june(10))
    resumed, _ = paused.resume(june(20))
    assert dues(resumed, first) == expected


def test_the_cancellation_day_counts_the_same_in_the_cap() -> None:
    """Chargebee's day mode with the cancellation's day given to the new
    side: the $16.00 of 16 unused days is returned whole, the cap counting
    the time used the same way (found in review of #16)."""
    from prorata import presets  # noqa: PLC0415

    policy = BillingPolicy(
        proration=presets.CHARGEBEE_DAY, cancel_change_day="new-plan"
    )
    sub, _ = Subscription.start(
        Plan(id="p", price=usd("30")), JUNE_1, policy=policy
    )
    _, end = sub.cancel(datetime(2024, 6, 15, 9, 30, tzinfo=UTC))
    assert end.returned == usd("16.00")  # 30 x 16/30, June 15 to 30


def test_lago_termination_in_arrears_bills_its_day() -> None:
    """L12 (lago-api invoices_spec, terminated with a grace period): 1000
    cents a month in arrears, 20% tax, created 2022-12-15, terminated
    2022-12-20T06:00: the used days include the termination day (15 to 20
    December, 6 of 31): fee 194, tax 39, total 233 cents."""

    from prorata import presets  # noqa: PLC0415

    vat = TaxRate(name="VAT", percent=20)
    monthly = Plan(id="m", price=Money("10", "EUR"), taxes=(vat,))
    policy = presets.CONVENTIONS["lago-in-arrears"]
    sub, _ = Subscription.start(
        monthly,
        datetime(2022, 12, 15, tzinfo=UTC),
        anchor=datetime(2022, 12, 1, tzinfo=UTC),
        policy=policy,
    )
    _, end = sub.cancel(datetime(2022, 12, 20, 6, tzinfo=UTC))
    assert end.invoice is not None
    assert end.invoice.total.minor_units == 233


def test_a_stated_share_prices_a_credit_of_what_was_paid_too() -> None:
    """share_places with credit_basis="paid": the credit follows the
    stated 5-place share, as the charge does (found in review of #16)."""
    from prorata import (  # noqa: PLC0415
        BillingPeriod,
        PlanChange,
        ProrationPolicy,
        prorate,
    )

    policy = ProrationPolicy(basis="days", share_places=5, credit_basis="paid")
    period = BillingPeriod(JUNE_1, datetime(2024, 7, 1, tzinfo=UTC))
    old = Plan(id="a", price=usd("100000"))
    new = Plan(id="b", price=usd("100000"), rank=1)
    q = prorate(PlanChange(old, new, at=june(11)), period, policy)
    # 20 of 30 days: the share stated as 0.66667 prices both sides.
    assert q.charge == usd("66667.00")
    assert q.credit == usd("66667.00")
