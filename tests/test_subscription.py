"""Subscriptions (``prorata._subscription``): start, change, preview, bill.

Worked examples state their page and section; expected cents are written
as the page prints them. Hosting page: ``002_440c7b3f4171c8ae.txt``; SaaS
page: ``000_9f3ea20e269377cb.txt`` (both in ``shared/seeds``). Where a
change's lines go (``_routing``), what a subscription's plan and add-ons
bill (``_charges``) and what was in force when (``_history``) are tested
here, through the subscription: invoices on the hosting page's flows, the
charge-now threshold, add-ons (#4), annual resets (#4), the change rules
enforced, and billing runs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    AddOn,
    ArgumentTypeError,
    Basis,
    BillingPolicy,
    BillingTiming,
    ChangeOrderError,
    ChangeRefusedError,
    CurrencyMismatchError,
    InvalidPlanError,
    InvoiceLineKind,
    Item,
    Money,
    OutsidePeriodError,
    Plan,
    ProrationPolicy,
    RefusalReason,
    Settlement,
    Subscription,
    UnknownMetricError,
    bill_all,
    builtin_catalog,
    presets,
)
from tests.common import (
    BUSINESS_1,
    BUSINESS_2,
    ENTERPRISE,
    HOSTING,
    JUNE_1,
    LIFETIME_PRO,
    LIFETIME_STARTER,
    PRO,
    STARTER,
    day,
    recorded,
    usd,
    usd_cents,
)
from tests.strategies import monthly_plans, started, usage_records

SITE = AddOn(id="extra-site", name="Extra site", price=usd("20"))
B1 = Plan(id="business-1", name="Business 1", price=usd("115"), rank=3)
B2 = Plan(id="business-2", name="Business 2", price=usd("225"), rank=4)
POLICY = BillingPolicy(
    proration=ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH),
    charge_now_above=usd("100"),
)
THIRTY = ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH)


# -- the hosting page's invoices ----------------------------------------------


class TestHostingPageInvoices:
    def test_signup_is_paid_in_advance(self) -> None:
        """'plans are always paid for in advance': the first month at once."""
        _, invoice = Subscription.start(BUSINESS_1, JUNE_1, policy=HOSTING)
        assert invoice is not None
        assert invoice.amount_due == usd("115")
        assert invoice.issued_at == JUNE_1

    def test_business_1_to_business_2_next_invoice(self) -> None:
        """'Monthly Plans': -$76.67 + $150 + $225 = 'Total: $298.33'."""
        sub, _ = Subscription.start(BUSINESS_1, JUNE_1, policy=HOSTING)
        sub, outcome = sub.change_plan(BUSINESS_2, day(10))
        assert outcome.settlement is Settlement.NEXT_INVOICE
        invoice = sub.preview_invoice()
        assert [line.amount for line in invoice.lines] == [
            usd("-76.67"),
            usd("150"),
            usd("225"),
        ]
        assert [line.kind for line in invoice.lines] == [
            InvoiceLineKind.UNUSED_TIME,
            InvoiceLineKind.REMAINING_TIME,
            InvoiceLineKind.SUBSCRIPTION,
        ]
        assert invoice.subtotal == usd("298.33")
        assert invoice.amount_due == usd("298.33")
        assert invoice.issued_at == day(30)

    def test_pro_to_starter_next_invoice(self) -> None:
        """'Monthly Plans': -$39.67 + $19.83 + $35 = 'Total: $15.16'."""
        sub, _ = Subscription.start(PRO, JUNE_1, policy=HOSTING)
        sub, outcome = sub.change_plan(STARTER, day(13))
        assert outcome.invoice is None
        assert "never paid out" in outcome.reason
        invoice = sub.preview_invoice()
        assert [line.amount for line in invoice.lines] == [
            usd("-39.67"),
            usd("19.83"),
            usd("35"),
        ]
        assert invoice.amount_due == usd("15.16")

    def test_upgrade_under_the_threshold_waits(self) -> None:
        """'As long as the difference ... is lower than $100 there are no
        payments made at this time': $73.33 goes on the next invoice."""
        sub, _ = Subscription.start(BUSINESS_1, JUNE_1, policy=HOSTING)
        sub, outcome = sub.change_plan(BUSINESS_2, day(10))
        assert outcome.proration.net == usd("73.33")
        assert outcome.settlement is Settlement.NEXT_INVOICE
        assert outcome.invoice is None
        assert "not above the $100.00 threshold" in outcome.reason

    def test_upgrade_over_the_threshold_is_charged_at_once(self) -> None:
        """'If the total amount due is increased by more than $100 we may
        charge the amount automatically': Starter -> B2 on day 10 nets
        $150 - $23.33 = $126.67, invoiced at the change."""
        sub, _ = Subscription.start(STARTER, JUNE_1, policy=HOSTING)
        sub, outcome = sub.change_plan(BUSINESS_2, day(10))
        assert outcome.settlement is Settlement.INVOICE_NOW
        assert outcome.invoice is not None
        assert outcome.invoice.amount_due == usd("126.67")
        assert outcome.invoice.issued_at == day(10)
        assert "above the $100.00 threshold" in outcome.reason
        # Nothing of it is billed twice: the next invoice is the renewal.
        assert sub.preview_invoice().amount_due == usd("225")

    def test_exactly_at_the_threshold_waits(self) -> None:
        """Only an increase of *more than* the threshold is charged now."""
        policy = BillingPolicy(
            proration=ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH),
            charge_now_above=usd("73.33"),
        )
        sub, _ = Subscription.start(BUSINESS_1, JUNE_1, policy=policy)
        _, outcome = sub.change_plan(BUSINESS_2, day(10))
        assert outcome.settlement is Settlement.NEXT_INVOICE


def test_preview_is_the_real_change() -> None:
    """A preview is the same computation: bill() issues what it showed."""
    sub, _ = Subscription.start(BUSINESS_1, JUNE_1, policy=HOSTING)
    sub, _ = sub.change_plan(BUSINESS_2, day(10))
    preview = sub.preview_invoice()
    _, issued = sub.bill()
    assert preview == issued


def test_partial_first_period_with_an_anchor() -> None:
    """Starting mid-cycle charges the rest of the anchored period."""
    _, invoice = Subscription.start(
        STARTER, day(10), anchor=JUNE_1, policy=HOSTING
    )
    assert invoice is not None
    assert invoice.amount_due == usd("23.33")  # 35 / 30 * 20


def test_change_at_the_first_instant_of_a_period() -> None:
    """A change at a period's very start, then another: the second leaves
    the plan the first entered (found by the invoice properties)."""
    sub, _ = Subscription.start(STARTER, JUNE_1, policy=HOSTING)
    sub, _ = sub.bill()
    sub, first = sub.change_plan(PRO, day(30))
    sub, second = sub.change_plan(BUSINESS_1, day(40))
    assert first.proration.credit == usd("35")
    assert second.proration.change.old == PRO


class TestChargeAndCreditBilling:
    def test_upgrades_charged_now_credits_at_renewal(self) -> None:
        """'merchants often charge upgrades at once but settle credits only
        at renewal': the $150 charge is invoiced at the change, the $76.67
        credit waits for the next invoice."""
        from prorata import ChangeBilling  # noqa: PLC0415

        policy = BillingPolicy(
            proration=ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH),
            charge_billing=ChangeBilling.INVOICE_NOW,
        )
        sub, _ = Subscription.start(BUSINESS_1, JUNE_1, policy=policy)
        sub, outcome = sub.change_plan(BUSINESS_2, day(10))
        assert outcome.settlement is Settlement.SPLIT
        assert outcome.invoice is not None
        assert outcome.invoice.amount_due == usd("150")
        assert outcome.reason == (
            "credits: on the next invoice; charges: invoiced at once"
        )
        assert [x.amount for x in sub.preview_invoice().lines] == [
            usd("-76.67"),
            usd("225"),
        ]

    def test_credits_never_billed(self) -> None:
        """With credit billing NEVER a downgrade's credit is shown, not
        billed: the next invoice is the renewal alone."""
        from prorata import ChangeBilling  # noqa: PLC0415

        policy = BillingPolicy(
            proration=ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH),
            credit_billing=ChangeBilling.NEVER,
        )
        sub, _ = Subscription.start(PRO, JUNE_1, policy=policy)
        sub, outcome = sub.change_plan(STARTER, day(13))
        assert outcome.proration.credit == usd("39.67")
        assert [x.amount for x in outcome.lines] == [usd("19.83")]
        assert sub.preview_invoice().amount_due == usd("54.83")


class TestUsageMetrics:
    """Issue #11, 8 and 11: no usage vanishes; lifetime use is kept."""

    PLANS = builtin_catalog()
    JUNE = datetime(2024, 6, 1, tzinfo=UTC)

    def test_a_typo_in_a_metric_is_refused(self) -> None:
        """500,000 'vists' on Pro billed $70.00 and said nothing."""
        sub, _ = Subscription.start(self.PLANS["pro"], self.JUNE)
        with pytest.raises(UnknownMetricError, match=r"'vists'.*visits"):
            sub.record_usage("vists", 500_000, self.JUNE + timedelta(days=1))

    def test_unmetered_usage_is_recorded_when_asked(self) -> None:
        """Opting in records it; no plan bills it."""
        sub, _ = Subscription.start(self.PLANS["pro"], self.JUNE)
        sub = sub.record_usage(
            "vists", 500_000, self.JUNE + timedelta(days=1), unmetered=True
        )
        _, invoice = sub.bill()
        assert invoice.subtotal == Money("70.00", "USD")

    def test_lifetime_use_carries_across_a_change(self) -> None:
        """The hosting page: Starter with its one migration used, upgraded
        to Pro with two, has one available: "one extra migration added to
        your account, not two"."""
        sub, _ = Subscription.start(self.PLANS["starter"], self.JUNE)
        sub = sub.record_usage("migrations", 1, self.JUNE + timedelta(days=2))
        assert sub.lifetime_usage == {"migrations": 1}
        sub, outcome = sub.change_plan(
            self.PLANS["pro"], self.JUNE + timedelta(days=10)
        )
        (carry,) = outcome.allowances
        assert (carry.used, carry.available_before, carry.available_after) == (
            1,
            0,
            1,
        )
        assert "migrations: 1 used, 0 available before, 1 after (+1)" in (
            outcome.explain()
        )
        # Kept on the next period's subscription, and never billed.
        sub, invoice = sub.bill()
        assert sub.lifetime_usage == {"migrations": 1}
        assert all(line.kind.value != "overage" for line in invoice.lines)
        sub = sub.record_usage("migrations", 1, sub.period.start)
        assert sub.lifetime_usage == {"migrations": 2}


class TestBadInput:
    def test_usage_outside_the_period(self) -> None:
        """Usage after the current period must wait for bill()."""
        sub, _ = Subscription.start(STARTER, JUNE_1)
        with pytest.raises(OutsidePeriodError, match="2024-07-01"):
            sub.record_usage("visits", 1, day(30))

    def test_usage_before_the_start(self) -> None:
        """Usage before the subscription started is refused."""
        sub, _ = Subscription.start(STARTER, JUNE_1)
        with pytest.raises(OutsidePeriodError, match="2024-05-31"):
            sub.record_usage("visits", 1, JUNE_1 - timedelta(days=1))

    def test_changes_out_of_order(self) -> None:
        """A change dated before the previous one is refused."""
        sub, _ = Subscription.start(STARTER, JUNE_1)
        sub, _ = sub.change_plan(PRO, day(10))
        with pytest.raises(ChangeOrderError, match="2024-06-06"):
            sub.change_plan(BUSINESS_1, day(5))

    def test_change_before_the_subscription_starts(self) -> None:
        """A change dated before the start is refused."""
        sub, _ = Subscription.start(STARTER, day(10), anchor=JUNE_1)
        with pytest.raises(ChangeOrderError, match="before the subscription"):
            sub.change_plan(PRO, day(5))

    def test_mixed_currencies(self) -> None:
        """A plan priced in euros cannot replace one in dollars."""
        euro = Plan(id="euro", price=Money("10", "EUR"))
        sub, _ = Subscription.start(STARTER, JUNE_1)
        with pytest.raises(CurrencyMismatchError, match="EUR"):
            sub.change_plan(euro, day(3))


# -- add-ons (#4) -------------------------------------------------------------


def test_signup_bills_plan_and_add_ons() -> None:
    """The first invoice charges the plan and each add-on in advance."""
    _, invoice = Subscription.start(
        B1, JUNE_1, policy=POLICY, items=(Item(SITE, 3),)
    )
    assert invoice is not None
    assert [str(line) for line in invoice.lines] == [
        "Price for 1 month of Business 1 = $115.00",
        "Price for 1 month of 3 x Extra site = $60.00",
    ]


def test_more_sites_prorate_like_a_plan_change() -> None:
    """3 -> 5 sites 10 days in: credit 3 x $20 x 20/30, charge 5 x ..."""
    sub, _ = Subscription.start(
        B1, JUNE_1, policy=POLICY, items=(Item(SITE, 3),)
    )
    sub, outcome = sub.change_quantity(SITE, 5, day(10))
    assert [line.amount for line in outcome.lines] == [
        usd("-40"),
        usd("66.67"),
    ]
    assert outcome.net == usd("26.67")
    assert outcome.settlement is Settlement.NEXT_INVOICE
    assert outcome.lines[1].description == (
        "Remaining time on 5 x Extra site (20 days)"
    )
    invoice = sub.preview_invoice()
    assert [line.amount for line in invoice.lines] == [
        usd("-40"),
        usd("66.67"),
        usd("115"),
        usd("100"),
    ]
    assert sub.items == (Item(SITE, 5),)


def test_removing_all_sites_credits_them() -> None:
    """Down to zero: only the credit, and the renewal drops the add-on."""
    sub, _ = Subscription.start(
        B1, JUNE_1, policy=POLICY, items=(Item(SITE, 2),)
    )
    sub, outcome = sub.change_quantity(SITE, 0, day(15))
    assert [line.amount for line in outcome.lines] == [usd("-20")]
    assert sub.items == ()
    assert len(sub.preview_invoice().lines) == 2  # credit + B1 renewal


def test_add_ons_move_with_a_plan_change() -> None:
    """A monthly plan change leaves the add-ons' time untouched."""
    sub, _ = Subscription.start(
        B1, JUNE_1, policy=POLICY, items=(Item(SITE, 1),)
    )
    sub, outcome = sub.change_plan(B2, day(10))
    assert outcome.net == usd("73.33")
    assert sub.items == (Item(SITE, 1),)


def test_annual_switch_carries_add_ons() -> None:
    """'will cancel the plan and create a new plan with a new billing date,
    including add-ons': the sites' unused month is credited, and a year of
    them (12 x $20) charged with the annual plan."""
    sub, _ = Subscription.start(
        B1, JUNE_1, policy=POLICY, items=(Item(SITE, 2),)
    )
    sub, outcome = sub.change_plan(B1.annual(months_free=2), day(10))
    assert outcome.invoice is not None
    assert [str(line.amount) for line in outcome.invoice.lines] == [
        "-$76.67",
        "-$26.67",
        "$1,150.00",
        "$480.00",
    ]
    assert outcome.invoice.amount_due == usd("1526.66")
    assert sub.items == (Item(SITE, 2),)
    assert sub.next_billing_date == datetime(2025, 6, 11, tzinfo=UTC)


def test_in_arrears_add_ons_are_billed_for_their_time() -> None:
    """Billed in arrears, each quantity is charged for its time."""
    policy = BillingPolicy(
        proration=ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH),
        timing=BillingTiming.IN_ARREARS,
    )
    sub, _ = Subscription.start(
        B1, JUNE_1, policy=policy, items=(Item(SITE, 1),)
    )
    sub, outcome = sub.change_quantity(SITE, 4, day(15))
    assert outcome.lines == ()
    invoice = sub.preview_invoice()
    assert [str(line) for line in invoice.lines] == [
        "Used time on Business 1 (30 days) = $115.00",
        "Used time on Extra site (15 days) = $10.00",
        "Used time on 4 x Extra site (15 days) = $40.00",
    ]


def test_quantity_change_over_the_threshold_is_invoiced() -> None:
    """The $100 rule applies to add-ons too."""
    sub, _ = Subscription.start(B1, JUNE_1, policy=POLICY)
    _, outcome = sub.change_quantity(SITE, 10, day(1))
    assert outcome.settlement is Settlement.INVOICE_NOW
    assert outcome.invoice is not None
    assert outcome.invoice.amount_due == usd("193.33")


class TestBadAddOns:
    def test_other_currency(self) -> None:
        """An add-on in euros cannot join a dollar subscription."""
        euro_site = AddOn(id="site-eur", price=Money("20", "EUR"))
        sub, _ = Subscription.start(B1, JUNE_1)
        with pytest.raises(CurrencyMismatchError, match="EUR"):
            sub.change_quantity(euro_site, 1, day(2))

    def test_annual_add_on_on_a_monthly_plan(self) -> None:
        """A yearly add-on price is never split into months."""
        yearly = AddOn(
            id="yearly", price=usd("100"), interval=B1.annual().interval
        )
        with pytest.raises(InvalidPlanError, match="does not divide"):
            Subscription.start(B1, JUNE_1, items=(Item(yearly, 1),))

    def test_items_not_a_tuple(self) -> None:
        """A wrong type for items is a ProrataError, not a crash."""
        with pytest.raises(ArgumentTypeError, match="items"):
            Subscription.start(B1, JUNE_1, items=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("new", "due", "balance"),
    [
        # Upgrade at half-year: credit 575 + 240 (2 sites x $240 a year x
        # 180/360), charge 2,250 + 480: due 1,915.
        (B2, "1915", "0"),
        # Downgrade to a free plan with its sites: credit 815, charge 480:
        # nothing due, 335 carried as credit balance.
        (Plan(id="free", name="Free", price=usd("0")), "0", "335"),
    ],
    ids=["upgrade", "downgrade"],
)
def test_annual_to_annual_with_add_ons(
    new: Plan, due: str, balance: str
) -> None:
    """'Any changes to an annual plan (upgrades or downgrades) will cancel
    the plan and create a new plan with a new billing date, including
    add-ons. The system will apply the remaining balance on the previous
    plan to the new one': the base plan and the sites are both credited
    for the unused half-year and both charged on the new annual cycle."""
    sub, _ = Subscription.start(
        B1.annual(months_free=2), JUNE_1, policy=POLICY, items=(Item(SITE, 2),)
    )
    at = datetime(2024, 12, 1, tzinfo=UTC)
    sub, outcome = sub.change_plan(new.annual(months_free=2), at)
    assert outcome.invoice is not None
    unused = [
        line.amount for line in outcome.invoice.lines if line.amount < usd("0")
    ]
    assert unused == [usd("-575"), usd("-240")]
    assert outcome.invoice.amount_due == usd(due)
    assert sub.credit_balance == usd(balance)
    assert sub.items == (Item(SITE, 2),)
    assert sub.next_billing_date == datetime(2025, 12, 1, tzinfo=UTC)


SEAT = AddOn(id="seat", name="Seat", price=usd("10"))


@pytest.mark.parametrize(
    ("policy", "amounts"),
    [
        # Stripe's proration_behavior=none credits and charges nothing now.
        (presets.STRIPE_BEHAVIORS["none"], []),
        # Paddle's full_next_billing_period: no credit, the full new price.
        (
            presets.PADDLE_MODES["full_next_billing_period"],
            [usd("0.00"), usd("30.00")],
        ),
        (presets.PADDLE_MODES["do_not_bill"], []),
        # Prorated (Stripe's default): half of June left of 30 days.
        (
            presets.STRIPE_BEHAVIORS["create_prorations"],
            [usd("-5.00"), usd("15.00")],
        ),
    ],
    ids=["stripe-none", "paddle-full-next", "paddle-do-not-bill", "stripe"],
)
def test_quantity_changes_follow_the_policy_treatments(
    policy: BillingPolicy, amounts: list[Money]
) -> None:
    """Issue #11: 1 -> 3 seats at $10 mid-June under Stripe's ``none`` billed
    -$5.00 / +$15.00 whatever the policy said; the treatments now apply."""
    sub, _ = Subscription.start(
        B1, JUNE_1, policy=policy, items=(Item(SEAT, 1),)
    )
    _, outcome = sub.change_quantity(SEAT, 3, day(15))
    assert [line.amount for line in outcome.lines if line.amount] == [
        amount for amount in amounts if amount
    ]
    assert outcome.net == sum(amounts, usd("0.00"))


# -- annual plans (#4) --------------------------------------------------------


class TestMonthlyToAnnual:
    def test_monthly_closed_annual_opened_with_the_credit(self) -> None:
        """'your monthly plan will be closed and a new annual plan opened.
        The system automatically calculates a credit based on the time left
        on your monthly plan and applies the credit toward the amount due'."""
        sub, _ = Subscription.start(B1, JUNE_1, policy=HOSTING)
        at = JUNE_1 + timedelta(days=10)
        sub, outcome = sub.change_plan(B1.annual(months_free=2), at)
        assert outcome.settlement is Settlement.INVOICE_NOW
        invoice = outcome.invoice
        assert invoice is not None
        assert [line.amount for line in invoice.lines] == [
            usd("-76.67"),
            usd("1150"),
        ]
        assert invoice.amount_due == usd("1073.33")
        # The new billing date is the moment of the switch.
        assert sub.schedule.cycle.anchor == at
        assert sub.next_billing_date == datetime(2025, 6, 11, tzinfo=UTC)

    def test_no_second_charged_twice_or_left_out(self) -> None:
        """The monthly plan is credited from the switch on, and the annual
        plan is charged from that same instant."""
        sub, _ = Subscription.start(B1, JUNE_1, policy=HOSTING)
        at = JUNE_1 + timedelta(days=10, hours=3)
        _, outcome = sub.change_plan(B1.annual(months_free=2), at)
        assert outcome.invoice is not None
        credit, annual = outcome.invoice.lines
        assert credit.start == at == annual.start
        assert outcome.proration.used.end == at


class TestAnnualToAnnual:
    def test_upgrade_new_billing_date_and_balance(self) -> None:
        """'Any changes to an annual plan ... will cancel the plan and
        create a new plan with a new billing date ... The system will apply
        the remaining balance on the previous plan to the new one'."""
        sub, _ = Subscription.start(
            B1.annual(months_free=2), JUNE_1, policy=HOSTING
        )
        at = datetime(2024, 12, 1, tzinfo=UTC)  # half the 360-day year
        sub, outcome = sub.change_plan(BUSINESS_2.annual(months_free=2), at)
        assert outcome.invoice is not None
        assert outcome.proration.credit == usd("575")  # 1,150 x 180/360
        assert outcome.invoice.amount_due == usd("1675")  # 2,250 - 575
        assert sub.next_billing_date == datetime(2025, 12, 1, tzinfo=UTC)

    def test_downgrade_leaves_credit_balance(self) -> None:
        """A credit above the new plan's price becomes credit balance."""
        sub, _ = Subscription.start(
            BUSINESS_2.annual(months_free=2), JUNE_1, policy=HOSTING
        )
        at = datetime(2024, 6, 1, 12, tzinfo=UTC)  # same day: all unused
        sub, outcome = sub.change_plan(
            LIFETIME_STARTER.annual(months_free=2), at
        )
        assert outcome.invoice is not None
        assert outcome.proration.credit == usd("2250")
        assert outcome.invoice.amount_due == usd("0")
        assert sub.credit_balance == usd("2250") - usd("350")

    def test_annual_to_monthly_also_resets(self) -> None:
        """Not on the pages; as Stripe does for any change of interval, the
        annual plan is closed and the monthly one starts at the change."""
        sub, _ = Subscription.start(
            LIFETIME_PRO.annual(months_free=2), JUNE_1, policy=HOSTING
        )
        at = datetime(2024, 9, 1, tzinfo=UTC)
        sub, outcome = sub.change_plan(LIFETIME_PRO, at)
        assert outcome.invoice is not None
        assert sub.period.start == at
        assert sub.credit_balance == outcome.proration.credit - usd("70")

    def test_in_arrears_reset_bills_the_used_time(self) -> None:
        """Billed in arrears, a reset charges the time used so far."""
        policy = BillingPolicy(
            proration=THIRTY, timing=BillingTiming.IN_ARREARS
        )
        sub, _ = Subscription.start(B1, JUNE_1, policy=policy)
        _, outcome = sub.change_plan(
            B1.annual(months_free=2), JUNE_1 + timedelta(days=10)
        )
        assert outcome.invoice is not None
        (line,) = outcome.invoice.lines
        assert line.kind is InvoiceLineKind.SUBSCRIPTION
        assert line.amount == usd("38.33")


START = datetime(2024, 1, 31, 9, 30, tzinfo=UTC)
YEAR_SECONDS = 366 * 86_400  # 2024-01-31 to 2025-01-31 spans Feb 29


@settings(max_examples=150)
@given(
    old=monthly_plans,
    new=monthly_plans,
    months_free=st.integers(0, 3),
    offset=st.integers(0, 29 * 86_400 - 1),
    basis=st.sampled_from([Basis.SECONDS, Basis.DAYS]),
)
def test_a_reset_covers_every_second_once(
    old: Plan, new: Plan, months_free: int, offset: int, basis: Basis
) -> None:
    """Monthly -> annual: the old plan is credited exactly from the switch,
    the new cycle starts exactly there, and the old plan's used time ends
    there: no second charged twice, none left uncharged."""
    policy = BillingPolicy(proration=ProrationPolicy(basis=basis))
    sub, _ = Subscription.start(old, START, policy=policy)
    at = START + timedelta(seconds=offset)
    annual = new.annual(months_free=months_free)
    sub, outcome = sub.change_plan(annual, at)
    assert outcome.invoice is not None
    credit, charge = outcome.invoice.lines
    assert credit.kind is InvoiceLineKind.UNUSED_TIME
    assert outcome.proration.used.end == credit.start == at
    assert charge.start == sub.period.start == at
    assert credit.end == outcome.proration.period.end
    # the used and unused parts of the old month add up to all of it
    used, unused = outcome.proration.used, outcome.proration.unused
    assert used.portion.units + unused.portion.units == used.portion.total


@settings(max_examples=150)
@given(
    old=monthly_plans,
    new=monthly_plans,
    offset=st.integers(0, YEAR_SECONDS - 1),
)
def test_annual_to_annual_carries_the_unused_share(
    old: Plan, new: Plan, offset: int
) -> None:
    """Annual -> annual: the balance carried is the unused share of what was
    paid, to the cent, and whatever exceeds the new price stays as credit
    balance."""
    paid_plan = old.annual(months_free=2)
    sub, signup = Subscription.start(paid_plan, START)
    assert signup is not None
    at = START + timedelta(seconds=offset)
    sub, outcome = sub.change_plan(new.annual(months_free=2), at)
    share = Fraction((sub.period.start - START) // timedelta(seconds=1))
    unused = 1 - share / YEAR_SECONDS
    expected = (signup.amount_due.exact * unused).limit_denominator(10**12)
    assert abs(outcome.proration.credit.exact - expected) <= Fraction(1, 200)
    invoice = outcome.invoice
    assert invoice is not None
    excess = outcome.proration.credit - invoice.lines[-1].amount
    if excess > usd_cents(0):
        assert sub.credit_balance == excess
        assert invoice.amount_due == usd_cents(0)


# -- the change rules ---------------------------------------------------------


class TestRules:
    def test_subscription_enforces_the_rules(self) -> None:
        """A self-serve change to Enterprise is refused before any billing;
        staff may make it with assisted=True."""
        sub, _ = Subscription.start(BUSINESS_2, JUNE_1, policy=HOSTING)
        at = JUNE_1 + timedelta(days=3)
        with pytest.raises(ChangeRefusedError) as caught:
            sub.change_plan(ENTERPRISE, at)
        assert caught.value.reason == RefusalReason.SALES_CONTACT.value
        moved, _ = sub.change_plan(ENTERPRISE, at, assisted=True)
        assert moved.plan == ENTERPRISE


# -- billing runs -------------------------------------------------------------


@given(st.data())
def test_a_billing_run_bills_each_the_same_in_any_order(
    data: st.DataObject,
) -> None:
    subs = [
        recorded(started(data), data.draw(usage_records()))
        for _ in range(data.draw(st.integers(1, 6)))
    ]
    order = data.draw(st.permutations(range(len(subs))))
    in_order = [invoice for _, invoice in bill_all(subs)]
    reordered = [invoice for _, invoice in bill_all(subs[i] for i in order)]
    assert [in_order[i] for i in order] == reordered


def test_a_sign_up_stub_is_billed_whatever_the_change_treatments() -> None:
    """Stripe's ``proration_behavior=none`` is about changes: a sign-up on
    June 16 anchored on the 1st still bills the 15 days left of June's 30,
    $30 x 15/30 = $15.00, under a policy that credits and charges nothing
    for changes."""
    policy = BillingPolicy(
        proration=ProrationPolicy(credit="none", charge="none")
    )
    plan = Plan(id="p", price=Money("30", "USD"))
    _, signup = Subscription.start(
        plan,
        datetime(2024, 6, 16, tzinfo=UTC),
        policy=policy,
        anchor=datetime(2024, 6, 1, tzinfo=UTC),
    )
    assert signup is not None
    assert signup.amount_due == Money("15.00", "USD")


def test_a_rolled_state_is_what_dataclasses_replace_builds() -> None:
    """The compiled evolve of a bill's next state equals
    ``dataclasses.replace`` field for field, keeps the Subscription type,
    and refuses a name that is no field, as replace does."""
    import dataclasses  # noqa: PLC0415

    from prorata._state import _evolve  # noqa: PLC0415

    catalog = builtin_catalog()
    start = datetime(2024, 6, 1, tzinfo=UTC)
    sub, _ = Subscription.start(catalog["pro"], start)
    sub = sub.record_usage("visits", 70_000, start + timedelta(days=3))
    sub, _ = sub.change_plan(catalog["business-1"], start + timedelta(days=9))
    changes: dict[str, object] = {
        "next_index": 7,
        "usage": (),
        "credit_balance": usd("5"),
    }
    made = _evolve(sub, **changes)
    assert type(made) is Subscription
    assert made == dataclasses.replace(
        sub, next_index=7, usage=(), credit_balance=usd("5")
    )
    for item in dataclasses.fields(sub):
        expected = changes.get(item.name, getattr(sub, item.name))
        assert getattr(made, item.name) == expected, item.name
    with pytest.raises(TypeError, match=r"unexpected keyword .*nxt_index"):
        _evolve(sub, nxt_index=1)
