"""Annual plans, discounts, lifetime allowances and change rules (#4).

Hosting page: ``002_440c7b3f4171c8ae.txt``; SaaS page:
``000_9f3ea20e269377cb.txt`` (both in ``shared/seeds``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prorata import (
    Basis,
    BillingPolicy,
    BillingTiming,
    ChangeRefusedError,
    InvoiceLineKind,
    Plan,
    ProrationPolicy,
    RefusalReason,
    Settlement,
    Subscription,
)
from tests.common import JUNE_1, migrations, usd

STARTER = Plan(
    id="starter",
    name="Starter",
    price=usd("35"),
    rank=1,
    lifetime=migrations(1),
)
PRO = Plan(
    id="pro", name="Pro", price=usd("70"), rank=2, lifetime=migrations(2)
)
BUSINESS_1 = Plan(id="business-1", name="Business 1", price=usd("115"), rank=3)
BUSINESS_2 = Plan(id="business-2", name="Business 2", price=usd("225"), rank=4)
ENTERPRISE = Plan(
    id="enterprise",
    name="Enterprise",
    price=usd("0"),
    rank=9,
    sales_only=True,
)
THIRTY = ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH)
HOSTING = BillingPolicy(proration=THIRTY, charge_now_above=usd("100"))


class TestMonthlyToAnnual:
    def test_monthly_closed_annual_opened_with_the_credit(self) -> None:
        """'your monthly plan will be closed and a new annual plan opened.
        The system automatically calculates a credit based on the time left
        on your monthly plan and applies the credit toward the amount due'."""
        sub, _ = Subscription.start(BUSINESS_1, JUNE_1, policy=HOSTING)
        at = JUNE_1 + timedelta(days=10)
        sub, outcome = sub.change_plan(BUSINESS_1.annual(months_free=2), at)
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
        sub, _ = Subscription.start(BUSINESS_1, JUNE_1, policy=HOSTING)
        at = JUNE_1 + timedelta(days=10, hours=3)
        _, outcome = sub.change_plan(BUSINESS_1.annual(months_free=2), at)
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
            BUSINESS_1.annual(months_free=2), JUNE_1, policy=HOSTING
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
        sub, outcome = sub.change_plan(STARTER.annual(months_free=2), at)
        assert outcome.invoice is not None
        assert outcome.proration.credit == usd("2250")
        assert outcome.invoice.amount_due == usd("0")
        assert sub.credit_balance == usd("2250") - usd("350")

    def test_annual_to_monthly_also_resets(self) -> None:
        """Not on the pages; as Stripe does for any change of interval, the
        annual plan is closed and the monthly one starts at the change."""
        sub, _ = Subscription.start(
            PRO.annual(months_free=2), JUNE_1, policy=HOSTING
        )
        at = datetime(2024, 9, 1, tzinfo=UTC)
        sub, outcome = sub.change_plan(PRO, at)
        assert outcome.invoice is not None
        assert sub.period.start == at
        assert sub.credit_balance == outcome.proration.credit - usd("70")

    def test_in_arrears_reset_bills_the_used_time(self) -> None:
        """Billed in arrears, a reset charges the time used so far."""
        policy = BillingPolicy(
            proration=THIRTY, timing=BillingTiming.IN_ARREARS
        )
        sub, _ = Subscription.start(BUSINESS_1, JUNE_1, policy=policy)
        _, outcome = sub.change_plan(
            BUSINESS_1.annual(months_free=2), JUNE_1 + timedelta(days=10)
        )
        assert outcome.invoice is not None
        (line,) = outcome.invoice.lines
        assert line.kind is InvoiceLineKind.SUBSCRIPTION
        assert line.amount == usd("38.33")


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
