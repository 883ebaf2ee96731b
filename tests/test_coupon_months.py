"""Coupons that last a number of months: ``Coupon(months=...)``.

A coupon for months discounts whole each line it covers, a yearly period
starting inside them too; ``BillingPolicy.coupon_months`` says which lines
(``CouponMonths``). Sources:

- Stripe: a Stripe engineer in Stripe's developer chat (archived at
  doublepost.link/guild/841573134531821608/thread/912171663616004117):
  "a coupon with a four month duration applies to the first four months
  of a customer's monthly subscription. If the subscription is yearly, the
  coupon is applied to the full invoice for the first year. e.g. if you
  have a $100/year subscription, and you apply a 50% coupon with a four
  month duration. The amount the customer would pay would be $50 for that
  first year. And for a weekly subscription, a four month coupon applies
  to every invoice in the first four months." Stripe's docs
  (stripe.com/docs/billing/subscriptions/discounts): ``duration_in_months``
  is "the number of months for which the coupon should repeatedly apply";
  a discount's ``end``: "If the coupon has a duration of repeating, the
  date that this discount will end". TryGhost/Ghost pull 26741: a
  repeating offer of 3 months redeemed on Mar 1, billing on the 3rd:
  "Stripe will set discount start to Mar 1 and discount end to Jun 1",
  "Bob's next 3 payments will be discounted: Mar 3, Apr 3 and May 3".
- Polar (polarsource/polar @ c6c3645e): server/polar/models/discount.py
  ``is_repetition_expired`` ("end_at = discount_applied_at +
  relativedelta(months=self.duration_in_months - 1)"; expired when
  "current_period_start > end_at"), ``discount_applied_at`` the start of
  the first cycle it is used in (models/subscription.py, subscription/
  service.py); server/tests/subscription/test_service_charge_preview.py
  ``test_pending_interval_update_keeps_repeating_discount``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    ANNUAL,
    BillingPolicy,
    Coupon,
    CouponMonths,
    Discount,
    DiscountTermError,
    Interval,
    InvalidPolicyError,
    Invoice,
    InvoiceLineKind,
    Plan,
    Subscription,
    from_dict,
    presets,
    to_dict,
)
from tests.cases import amounts, cents, started
from tests.common import usd

C = presets.CONVENTIONS
STRIPE = C["stripe-classic"]
POLAR = C["polar"]
JAN_1 = datetime(2024, 1, 1, tzinfo=UTC)
SECOND = timedelta(seconds=1)

YEARLY = Plan(id="yearly", name="Yearly", price=usd("100"), interval=ANNUAL)
MONTHLY_10 = Plan(id="monthly", name="Monthly", price=usd("10"))
WEEKLY = Plan(
    id="weekly", name="Weekly", price=usd("10"), interval=Interval.weeks(1)
)


def coupon(percent: int, months: int) -> Coupon:
    """``percent`` off for ``months`` months."""
    return Coupon(discount=Discount.percent_off(percent), months=months)


def discounted(invoice: Invoice) -> bool:
    """Whether ``invoice`` has a discount line."""
    return bool(invoice.lines_of(InvoiceLineKind.DISCOUNT))


def discounted_starts(
    sub: Subscription, first: Invoice, until: datetime
) -> list[datetime]:
    """The starts of the periods billed up to ``until`` with a discount."""
    _, invoices = sub.bill_through(until)
    return [
        invoice.lines[0].start
        for invoice in (first, *invoices)
        if discounted(invoice)
    ]


# -- the audit's cases --------------------------------------------------------


def test_sf2_stripe_discounts_the_whole_first_year() -> None:
    """SF2 (the Stripe engineer's answer): "$100/year subscription, ...
    50% coupon with a four month duration. The amount the customer would
    pay would be $50 for that first year"; the second year, after the
    months, is billed in full."""
    sub, first = started(YEARLY, JAN_1, STRIPE, coupons=[coupon(50, months=4)])
    assert amounts(first.lines) == ["$100.00", "-$50.00"]
    assert str(first.amount_due) == "$50.00"
    _, renewal = sub.bill()
    assert amounts(renewal.lines) == ["$100.00"]


def test_yf3_polar_discounts_the_yearly_period_it_moves_to() -> None:
    """YF3 (test_pending_interval_update_keeps_repeating_discount): 25%
    ``repeating`` for 2 months on a 1000 monthly product from 2024-01-01,
    changed to a 10000 yearly product at the period's end
    (``next_period``): base "10000", discount "2500", net "7500". The
    yearly period starts 2024-02-01, no later than the start of the last
    month (2024-01-01 + 1 month)."""
    annual = Plan(
        id="annual", name="Annual", price=usd("100"), interval=ANNUAL
    )
    sub, first = started(
        MONTHLY_10, JAN_1, POLAR, coupons=[coupon(25, months=2)]
    )
    assert cents(first.lines) == [1000, -250]
    preview = sub.schedule_change(annual).preview_invoice()
    assert cents(preview.lines) == [10000, -2500]
    assert preview.amount_due.minor_units == 7500
    assert preview.lines[0].start == datetime(2024, 2, 1, tzinfo=UTC)


@pytest.mark.parametrize("name", ["stripe-classic", "polar"])
def test_both_rules_agree_on_the_audit_cases(name: str) -> None:
    """SF2 and YF3 by either convention: a yearly period starting on the
    coupon's first day, or one month in for two months, is discounted
    whole under both rules."""
    policy = C[name]
    _, first = started(YEARLY, JAN_1, policy, coupons=[coupon(50, 4)])
    assert str(first.amount_due) == "$50.00"
    annual = Plan(
        id="annual", name="Annual", price=usd("100"), interval=ANNUAL
    )
    sub, _ = started(MONTHLY_10, JAN_1, policy, coupons=[coupon(25, 2)])
    preview = sub.schedule_change(annual).preview_invoice()
    assert str(preview.amount_due) == "$75.00"


# -- monthly and weekly plans -------------------------------------------------


@pytest.mark.parametrize("policy", [STRIPE, POLAR])
def test_a_four_month_coupon_discounts_four_monthly_invoices(
    policy: BillingPolicy,
) -> None:
    """The Stripe engineer: "a coupon with a four month duration applies
    to the first four months of a customer's monthly subscription": the
    invoices of January to April, not May's; Polar's months - 1 gives the
    same four (periods starting by 2024-04-01)."""
    sub, first = started(
        MONTHLY_10, JAN_1, policy, coupons=[coupon(50, months=4)]
    )
    starts = discounted_starts(sub, first, datetime(2024, 8, 1, tzinfo=UTC))
    assert starts == [datetime(2024, m, 1, tzinfo=UTC) for m in (1, 2, 3, 4)]


def test_a_four_month_coupon_on_a_weekly_plan() -> None:
    """The Stripe engineer: "for a weekly subscription, a four month coupon
    applies to every invoice in the first four months": from Monday
    2024-01-01, the 18 weeks starting before 2024-05-01 (the last on
    2024-04-29). Polar's rule stops at the periods starting by the start
    of the last month, 2024-04-01: 14 weeks (the last on 2024-04-01)."""
    for policy, count, last in (
        (STRIPE, 18, datetime(2024, 4, 29, tzinfo=UTC)),
        (POLAR, 14, datetime(2024, 4, 1, tzinfo=UTC)),
    ):
        sub, first = started(WEEKLY, JAN_1, policy, coupons=[coupon(20, 4)])
        starts = discounted_starts(
            sub, first, datetime(2024, 6, 1, tzinfo=UTC)
        )
        assert len(starts) == count
        assert starts[-1] == last


@pytest.mark.parametrize("policy", [STRIPE, POLAR])
def test_a_coupon_applied_before_the_billing_day(
    policy: BillingPolicy,
) -> None:
    """TryGhost/Ghost pull 26741: a 3-month repeating offer redeemed on
    Mar 1 by a subscription billing on the 3rd: "Bob's next 3 payments
    will be discounted: Mar 3, Apr 3 and May 3" (discount end Jun 1).
    Polar counts the months from the first cycle it discounts, Mar 3: the
    same three."""
    start = datetime(2026, 2, 3, tzinfo=UTC)
    sub, first = started(MONTHLY_10, start, policy)
    sub = sub.apply_coupon(coupon(20, 3), datetime(2026, 3, 1, tzinfo=UTC))
    starts = discounted_starts(sub, first, datetime(2026, 8, 3, tzinfo=UTC))
    assert starts == [datetime(2026, m, 3, tzinfo=UTC) for m in (3, 4, 5)]


# -- the boundary -------------------------------------------------------------


def boundary_starts(policy: BillingPolicy, anchor: datetime) -> list[datetime]:
    """The discounted periods of a monthly plan from 2024-01-01 anchored on
    ``anchor``, a 3-month coupon at sign-up."""
    sub, first = Subscription.start(
        MONTHLY_10,
        JAN_1,
        policy=policy,
        anchor=anchor,
        coupons=[coupon(20, months=3)],
    )
    assert first is not None
    return discounted_starts(sub, first, datetime(2024, 7, 1, tzinfo=UTC))


def test_stripe_stops_at_the_end_of_the_months() -> None:
    """Stripe's discount ends at its start plus the months (2024-04-01
    here): a period starting exactly then is billed in full, one starting
    a second before it is discounted."""
    on = boundary_starts(STRIPE, JAN_1)
    assert on[-1] == datetime(2024, 3, 1, tzinfo=UTC)
    assert len(on) == 3
    # Anchored a second before the 1st: the period of 2024-03-31 23:59:59
    # starts one second before the end; April's one second after is not.
    before = boundary_starts(
        STRIPE, datetime(2024, 1, 31, 23, 59, 59, tzinfo=UTC)
    )
    assert before[-1] == datetime(2024, 3, 31, 23, 59, 59, tzinfo=UTC)
    after = boundary_starts(STRIPE, datetime(2024, 2, 1, 0, 0, 1, tzinfo=UTC))
    assert after[-1] == datetime(2024, 3, 1, 0, 0, 1, tzinfo=UTC)


def test_polar_stops_at_the_start_of_the_last_month() -> None:
    """Polar's end_at is the start plus months - 1 (2024-03-01 here), and
    a period starting then is still discounted ("current_period_start >
    end_at" expires it): one starting a second later is not."""
    on = boundary_starts(POLAR, JAN_1)
    assert on[-1] == datetime(2024, 3, 1, tzinfo=UTC)
    before = boundary_starts(
        POLAR, datetime(2024, 1, 31, 23, 59, 59, tzinfo=UTC)
    )
    assert before[-1] == datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC)
    after = boundary_starts(POLAR, datetime(2024, 2, 1, 0, 0, 1, tzinfo=UTC))
    assert after[-1] == datetime(2024, 2, 1, 0, 0, 1, tzinfo=UTC)


# -- changes inside and after the months --------------------------------------

BIG = Plan(id="big", name="Big", price=usd("200"), interval=ANNUAL)


def change_lines(policy: BillingPolicy, at: datetime) -> list[str]:
    """The lines of a change from $100 to $200 a year at ``at``, a 50%
    four-month coupon from 2024-01-01."""
    sub, _ = started(YEARLY, JAN_1, policy, coupons=[coupon(50, months=4)])
    _, outcome = sub.change_plan(BIG, at)
    return amounts(outcome.lines)


@pytest.mark.parametrize("policy", [STRIPE, POLAR])
def test_a_change_inside_the_months_is_discounted(
    policy: BillingPolicy,
) -> None:
    """A change on 2024-03-01, inside the months: its remaining time is
    discounted whole (50% of $167.21, 306 of 366 days of $200) and the
    credit for the unused time ($83.61) reverses the 50% it was billed
    with (Stripe: prorations made while the discount lasts are discounted;
    Polar: update.py prices the prorations with the subscription's
    discount)."""
    lines = change_lines(policy, datetime(2024, 3, 1, tzinfo=UTC))
    assert lines == ["-$83.61", "$41.80", "$167.21", "-$83.61"]


def test_a_change_after_the_months() -> None:
    """On 2024-07-01, after the months: Stripe's discount has ended (its
    end 2024-05-01), so the remaining time is charged in full, while the
    credit still reverses the 50% the year was billed with (a credit never
    returns more than was paid). Polar keeps the discount through the
    yearly cycle it covered, so it discounts the remaining time too."""
    july = datetime(2024, 7, 1, tzinfo=UTC)
    assert change_lines(STRIPE, july) == ["-$50.27", "$25.14", "$100.55"]
    assert change_lines(POLAR, july) == [
        "-$50.27",
        "$25.14",
        "$100.55",
        "-$50.27",
    ]


def test_a_fixed_amount_for_months_is_the_whole_period_s() -> None:
    """A fixed $30 for four months takes the full $30 off the year (the
    amount per period, not the months' share of it), and a change on
    2024-03-01 takes and reverses its share of the period: 306/366 of $30,
    $25.08."""
    fixed = Coupon(discount=Discount.amount_off(usd("30")), months=4)
    sub, first = started(YEARLY, JAN_1, STRIPE, coupons=[fixed])
    assert amounts(first.lines) == ["$100.00", "-$30.00"]
    _, outcome = sub.change_plan(BIG, datetime(2024, 3, 1, tzinfo=UTC))
    assert amounts(outcome.lines) == [
        "-$83.61",
        "$25.08",
        "$167.21",
        "-$25.08",
    ]


# -- the coupon itself --------------------------------------------------------


def test_a_coupon_for_months_reads_and_round_trips() -> None:
    four = coupon(50, months=4)
    assert str(four) == "50% off for 4 months"
    assert str(coupon(50, months=1)) == "50% off for 1 month"
    assert from_dict(to_dict(four), Coupon) == four
    assert BillingPolicy(
        coupon_months="period-by-last-month"
    ).coupon_months is (CouponMonths.PERIOD_BY_LAST_MONTH)
    assert POLAR.coupon_months is CouponMonths.PERIOD_BY_LAST_MONTH
    assert STRIPE.coupon_months is CouponMonths.BILLED_BEFORE_END


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ({"months": 3, "periods": 3}, "not both periods and months"),
        ({"months": 3, "until": JAN_1}, "not both until and months"),
        ({"months": 0}, "months 0 is not a whole number of months"),
        ({"months": 1201}, "from 1 to 1,200"),
        ({"months": True}, "months True"),
        ({"months": 1.5}, "months 1.5"),
        ({"months": "3"}, "months '3'"),
    ],
)
def test_bad_months_are_refused(
    terms: dict[str, object], message: str
) -> None:
    with pytest.raises(DiscountTermError, match=message):
        Coupon(discount=Discount.percent_off(10), **terms)  # type: ignore[arg-type]


def test_a_bad_coupon_months_option_is_refused() -> None:
    with pytest.raises(InvalidPolicyError, match="coupon_months"):
        BillingPolicy(coupon_months="by-invoice")  # type: ignore[arg-type]


# -- the property -------------------------------------------------------------


@given(
    st.integers(min_value=1, max_value=24),
    st.integers(min_value=1, max_value=28),
    st.integers(min_value=0, max_value=23),
    st.sampled_from(["stripe-classic", "polar"]),
)
def test_n_months_discount_n_monthly_invoices(
    months: int, day: int, hour: int, name: str
) -> None:
    """A monthly plan with an N-month coupon from its first day has
    exactly N discounted invoices, the first N, under either rule (the
    Stripe engineer's "first four months of a customer's monthly
    subscription"; Polar's months - 1 on periods a month apart)."""
    start = datetime(2024, 1, day, hour, tzinfo=UTC)
    sub, first = started(
        MONTHLY_10, start, C[name], coupons=[coupon(20, months)]
    )
    _, invoices = sub.bill_through(start + timedelta(days=31 * (months + 2)))
    flags = [discounted(invoice) for invoice in (first, *invoices)]
    assert flags[:months] == [True] * months
    assert not any(flags[months:])
    assert len(flags) > months
