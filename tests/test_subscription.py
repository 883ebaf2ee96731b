"""Invoices, credit balance, overage, the charge-now threshold, the schedule.

Worked examples state their page and section; expected cents are written as
the page prints them. Hosting page: ``002_440c7b3f4171c8ae.txt``; SaaS page:
``000_9f3ea20e269377cb.txt`` (both in ``shared/seeds``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prorata import (
    AllowanceProration,
    Basis,
    BillingPolicy,
    ChangeOrderError,
    CreditHandling,
    CurrencyMismatchError,
    InvoiceLineKind,
    Money,
    OutsidePeriodError,
    OverageBilling,
    Plan,
    ProrationPolicy,
    Settlement,
    Subscription,
    UnknownMetricError,
    builtin_catalog,
)
from tests.common import (
    BUSINESS_1,
    BUSINESS_2,
    HOSTING,
    JUNE_1,
    PRO,
    STARTER,
    day,
    usd,
)


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

    def test_overage_is_not_retroactive(self) -> None:
        """'Upgrades Are Not Applied Retroactively': 100,000 visits on
        Starter (25k included), upgrade on the 30th day: the $75 overage
        ('$1 / 1,000 visits') lands on the next invoice under Starter's
        terms, on top of the $37.76 the period cost before overage."""
        policy = BillingPolicy(
            proration=ProrationPolicy(basis=Basis.DAILY_RATE),
            charge_now_above=usd("100"),
        )
        sub, _ = Subscription.start(STARTER, JUNE_1, policy=policy)
        sub = sub.record_usage("visits", 100_000, day(28))
        sub, outcome = sub.change_plan(BUSINESS_1, day(29))
        assert outcome.proration.period_cost == usd("37.76")
        invoice = sub.preview_invoice()
        (overage,) = invoice.lines_of(InvoiceLineKind.OVERAGE)
        assert overage.amount == usd("75")
        assert "Starter" in overage.description
        assert outcome.proration.period_cost + overage.amount == usd("112.76")
        # -1.17 + 3.83 + 115 (B1 renewal) + 75
        assert invoice.amount_due == usd("192.66")

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


class TestOverage:
    def test_allowance_prorated_option(self) -> None:
        """PRORATED gives a 29-day Starter segment 29/30 of 25,000."""
        policy = BillingPolicy(
            proration=ProrationPolicy(basis=Basis.DAYS),
            allowance=AllowanceProration.PRORATED,
        )
        sub, _ = Subscription.start(STARTER, JUNE_1, policy=policy)
        sub = sub.record_usage("visits", 100_000, day(28))
        sub, _ = sub.change_plan(BUSINESS_1, day(29))
        (overage,) = sub.preview_invoice().lines_of(InvoiceLineKind.OVERAGE)
        # 100,000 - 24,166.67 = 75,833.33 over: 76 started blocks
        assert overage.amount == usd("76")

    def test_pro_rata_option(self) -> None:
        """PRO_RATA prices 75,500 visits over at $75.50, not $76."""
        policy = BillingPolicy(overage=OverageBilling.PRO_RATA)
        sub, _ = Subscription.start(STARTER, JUNE_1, policy=policy)
        sub = sub.record_usage("visits", 100_500, day(3))
        (overage,) = sub.preview_invoice().lines_of(InvoiceLineKind.OVERAGE)
        assert overage.amount == usd("75.50")

    def test_per_started_block_default(self) -> None:
        """By default a started block of 1,000 costs the whole $1."""
        sub, _ = Subscription.start(STARTER, JUNE_1)
        sub = sub.record_usage("visits", 25_001, day(3))
        (overage,) = sub.preview_invoice().lines_of(InvoiceLineKind.OVERAGE)
        assert overage.amount == usd("1")

    def test_usage_within_allowance_bills_nothing(self) -> None:
        """25,000 visits on Starter cost nothing beyond the plan."""
        sub, _ = Subscription.start(STARTER, JUNE_1)
        sub = sub.record_usage("visits", 20_000, day(3))
        sub = sub.record_usage("visits", 5_000, day(4))
        assert not sub.preview_invoice().lines_of(InvoiceLineKind.OVERAGE)

    def test_usage_after_the_upgrade_uses_the_new_terms(self) -> None:
        """Usage after an upgrade counts against the new plan's allowance."""
        sub, _ = Subscription.start(STARTER, JUNE_1, policy=HOSTING)
        sub, _ = sub.change_plan(BUSINESS_1, day(10))
        sub = sub.record_usage("visits", 90_000, day(12))
        assert not sub.preview_invoice().lines_of(InvoiceLineKind.OVERAGE)


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
