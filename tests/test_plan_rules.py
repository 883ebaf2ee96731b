"""Annual plans, discounts, lifetime allowances and change rules (#4).

Hosting page: ``002_440c7b3f4171c8ae.txt``; SaaS page:
``000_9f3ea20e269377cb.txt`` (both in ``shared/seeds``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from prorata import (
    ANNUAL,
    Basis,
    BillingPeriod,
    BillingPolicy,
    BillingTiming,
    ChangeRefusedError,
    Discount,
    InvalidPlanError,
    InvoiceLineKind,
    Plan,
    PlanChange,
    ProrationPolicy,
    RefusalReason,
    Settlement,
    Subscription,
    carry_allowances,
    check_change,
    prorate,
    require_self_serve,
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
CUSTOM = Plan(id="custom", name="Custom", price=usd("500"), custom=True)
LEGACY = Plan(id="legacy", name="Legacy", price=usd("30"), legacy=True)
THIRTY = ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH)
HOSTING = BillingPolicy(proration=THIRTY, charge_now_above=usd("100"))


class TestAnnualPricing:
    def test_two_months_free(self) -> None:
        """'annual discount (two months free)': ten times the monthly."""
        annual = BUSINESS_1.annual(months_free=2)
        assert annual.price == usd("1150")
        assert annual.interval == ANNUAL
        assert annual.rank == BUSINESS_1.rank

    def test_explicit_price(self) -> None:
        """An annual price may be set outright."""
        assert BUSINESS_1.annual(price=usd("999")).price == usd("999")

    def test_only_monthly_plans(self) -> None:
        """An annual plan has no annual version."""
        with pytest.raises(InvalidPlanError, match="not monthly"):
            BUSINESS_1.annual().annual()


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


class TestDiscounts:
    def test_fifteen_percent_on_business_1_to_2(self) -> None:
        """'15% discounts on all plans for charities and nonprofits':
        Business 1 -> Business 2 after 10 of 30 days at 15% off."""
        fifteen = Discount.percent_off(15)
        period = BillingPeriod.of_days(JUNE_1, 30)
        at = JUNE_1 + timedelta(days=10)
        q = prorate(
            PlanChange(
                BUSINESS_1.with_discount(fifteen),
                BUSINESS_2.with_discount(fifteen),
                at=at,
            ),
            period,
            THIRTY,
        )
        # $97.75 / 30 * 20 = $65.17; $191.25 / 30 * 20 = $127.50
        assert (q.credit, q.charge, q.net) == (
            usd("65.17"),
            usd("127.50"),
            usd("62.33"),
        )
        full = prorate(
            PlanChange(BUSINESS_1, BUSINESS_2, at=at), period, THIRTY
        )
        assert full.net - q.net == usd("11.00")  # 15% of 73.33, to the cent

    def test_fixed_discount_never_below_zero(self) -> None:
        """A fixed discount larger than the price leaves it free."""
        assert Discount.amount_off(usd("50")).apply(usd("35")) == usd("0")

    @pytest.mark.parametrize("bad", [Decimal(101), Decimal(-1)])
    def test_percent_out_of_range(self, bad: Decimal) -> None:
        """A percentage outside 0-100 is refused, naming the value."""
        with pytest.raises(InvalidPlanError, match=str(bad)):
            Discount.percent_off(bad)

    def test_float_percent_refused(self) -> None:
        """Floats are refused here too."""
        with pytest.raises(InvalidPlanError, match=r"0\.15"):
            Discount.percent_off(0.15)  # type: ignore[arg-type]


class TestLifetimeAllowances:
    def test_migrations_do_not_reset(self) -> None:
        """'say you're currently on a Starter plan, and you used your one
        included migration ... If you later upgrade to Pro (which comes with
        two migrations), you'll get one extra migration added to your
        account, not two'."""
        (carry,) = carry_allowances(STARTER, PRO, {"migrations": 1})
        assert (carry.available_before, carry.available_after) == (0, 1)
        assert carry.delta == 1

    def test_never_below_zero(self) -> None:
        """Downgrading after using more than the new plan includes leaves
        none available, not a negative count."""
        (carry,) = carry_allowances(PRO, STARTER, {"migrations": 2})
        assert carry.available_after == 0
        assert carry.delta == 0


class TestRules:
    @pytest.mark.parametrize(
        ("old", "new"),
        [(STARTER, ENTERPRISE), (ENTERPRISE, PRO)],
        ids=["to-enterprise", "from-enterprise"],
    )
    def test_enterprise_needs_sales(self, old: Plan, new: Plan) -> None:
        """'There is no self-serve upgrade option for Enterprise plans';
        'There is no self-serve downgrade option for Enterprise plans'."""
        decision = check_change(old, new)
        assert not decision
        assert decision.reason is RefusalReason.SALES_CONTACT
        with pytest.raises(ChangeRefusedError, match="sales") as caught:
            require_self_serve(old, new)
        assert caught.value.reason == "sales-contact"

    @pytest.mark.parametrize(
        ("old", "new"), [(CUSTOM, PRO), (PRO, CUSTOM)], ids=["from", "to"]
    )
    def test_custom_plans_need_a_request(self, old: Plan, new: Plan) -> None:
        """'If you're on a custom plan, you'll see a form to send a custom
        plan change request instead'."""
        with pytest.raises(
            ChangeRefusedError, match="change request"
        ) as caught:
            require_self_serve(old, new)
        assert caught.value.reason == "custom-plan-request"

    def test_no_way_back_to_legacy(self) -> None:
        """'once you switch from our legacy plans to our new plans, you
        can't switch back'."""
        assert check_change(LEGACY, PRO)
        with pytest.raises(ChangeRefusedError, match="Legacy") as caught:
            require_self_serve(PRO, LEGACY)
        assert caught.value.reason == "legacy-one-way"

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

    def test_every_pair_is_decided(self) -> None:
        """Each pair of a catalog is allowed, or refused with a reason and a
        message; nothing crashes."""
        catalog = [STARTER, PRO, BUSINESS_1, ENTERPRISE, CUSTOM, LEGACY]
        for old in catalog:
            for new in catalog:
                decision = check_change(old, new)
                assert decision.allowed == (decision.reason is None)
                assert decision.message
