"""Published platform cases of a seventh audit, by each convention alone.

New cases (IDs LG, KG, ...), none among the cases, tests or figures of
``docs/research/`` or the platform-case test modules listed in
``docs/research/audit-2026-12-02g.md``. Each is built through the public
API with ``presets.CONVENTIONS[name]`` and asserts the figures as the
source prints them; ``docs/research/audit-2026-12-02g.md`` has the table.

Sources (mirrors fetched 2026):

- Lago: getlago/lago-api @ 1b1c24a6, spec/scenarios/billing/
  billing_monthly_spec.rb and spec/scenarios/fixed_charges/
  pay_in_advance_units_change_spec.rb.
- Kill Bill: killbill/killbill @ cb60779c, beatrix/src/test/java/org/
  killbill/billing/beatrix/integration/TestIntegrationInvoice.java.

Left out
--------

(Printed figure vs prorata's, and the platform's rule prorata does not
follow.)

- LG4 (pay_in_advance_units_change_spec.rb, "when decreasing then
  increasing units (10 -> 5 -> 15)"): a fixed charge of $10 a unit, not
  prorated, paid in advance: 10 units ($100), lowered to 5 (nothing
  returned), raised to 15: "we should only charge for 5 units (15 - 10)":
  5000 cents. prorata, with the add-on's ``quantity_mode`` ``full``
  (units added billed whole, none returned): $100.00, the 10 units added
  to 5; with ``high-water-mark`` (units above the period's peak) the 5
  units but prorated, $41.94. Lago's unprorated fixed charge bills the
  units above what the period has paid for, at their whole price.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from prorata import (
    AddOn,
    Basis,
    BillingPeriod,
    Charge,
    Coupon,
    Discount,
    Item,
    LineKind,
    Plan,
    PlanChange,
    Proration,
    Subscription,
    TaxRate,
    presets,
    prorate,
)
from tests.cases import amounts, invoiced, started
from tests.common import eur, usd, utc

C = presets.CONVENTIONS


def taxed(percent: str) -> tuple[TaxRate, ...]:
    """One exclusive tax rate, as a product's ``taxes``."""
    return (TaxRate(name="Tax", percent=Decimal(percent)),)


def charged(quote: Proration) -> Decimal:
    """The exact amount of a proration's charge line, to 8 places."""
    (line,) = [x for x in quote.lines if x.kind is LineKind.REMAINING_TIME]
    exact = Decimal(line.exact.numerator) / line.exact.denominator
    return exact.quantize(Decimal("1e-8")).normalize()


# ------------------------------------------------------------------ Lago


class TestLago:
    def test_lg1_calendar_stub_billed_in_arrears(self) -> None:
        """LG1 (billing_monthly_spec.rb, "with calendar billing", "work the
        whole year"): a monthly plan of 5_000_000 cents in arrears, calendar
        billing, subscribed 4 February 2024 (a leap February), with a
        fixed charge of 10 units at 200, prorated: the 1 March invoice has
        the subscription fee "(26.0 / 29 * 5_000_000).ceil" (4_482_759)
        and the prorated fixed charge 179_310 ("2000 * 100 * 10 *
        26/29")."""
        charge = AddOn(id="fixed", price=usd("200"))
        sub, first = Subscription.start(
            Plan(id="monthly", price=usd("50000")),
            utc(2024, 2, 4),
            policy=C["lago-in-arrears"],
            anchor=utc(2024, 3, 1),
            items=[Item(charge, 10)],
        )
        assert first is None
        _, invoice = sub.bill()
        assert [line.amount.minor_units for line in invoice.lines] == [
            4_482_759,
            179_310,
        ]
        assert invoice.lines[0].end == utc(2024, 3, 1)

    def units(self) -> tuple[Subscription, AddOn]:
        """The spec's plan: $0 a month in advance, calendar billing from 1
        March 2024, with a fixed charge of $10 a unit, 10 units, not
        prorated (Lago's ``prorated: false``: the add-on's
        ``quantity_mode`` ``full``)."""
        charge = AddOn(id="fixed", price=usd("10"), quantity_mode="full")
        sub, first = started(
            Plan(id="base", price=usd("0")),
            utc(2024, 3, 1),
            C["lago"],
            items=[Item(charge, 10)],
        )
        # printed: 10 units at $10, 10000 cents
        assert first.subtotal == usd("100")
        return sub, charge

    def test_lg2_more_units_billed_whole(self) -> None:
        """LG2 (pay_in_advance_units_change_spec.rb, "when increasing
        units from 10 to 15", five days in): "an invoice for the 5
        additional units only: 5 * $10 = $50 = 5000 cents"."""
        sub, charge = self.units()
        _, outcome = sub.change_quantity(charge, 15, utc(2024, 3, 6))
        assert invoiced(outcome).amount_due.minor_units == 5_000

    def test_lg3_two_increases_each_billed_whole(self) -> None:
        """LG3 (the same spec, "when increasing units multiple times (10
        -> 15 -> 20)"): "First increase invoice (5 units delta: 15 - 10,
        $50)", "Second increase invoice (5 units delta: 20 - 15, $50)"."""
        sub, charge = self.units()
        sub, one = sub.change_quantity(charge, 15, utc(2024, 3, 6))
        _, two = sub.change_quantity(charge, 20, utc(2024, 3, 7))
        assert amounts(invoiced(one).lines) == ["$50.00"]
        assert amounts(invoiced(two).lines) == ["$50.00"]


# ------------------------------------------------------------- Kill Bill


class TestKillBill:
    def test_kg1_free_plan_changed_mid_month(self) -> None:
        """KG1 (TestIntegrationInvoice.java,
        testIntegrationWithRecurringFreePlan, killbill issue 783):
        Blowdart monthly "notrial" overridden to 0, from 1 January 2017;
        changed on 2017-02-15 to the catalog's Blowdart: "2017-02-15 to
        2017-03-01 RECURRING 14.98", then "2017-03-01 to 2017-04-01
        RECURRING 29.95"."""
        sub, _ = started(
            Plan(id="blowdart-free", price=usd("0")),
            utc(2017, 1, 1),
            C["kill-bill"],
        )
        sub, _ = sub.bill()
        sub, change = sub.change_plan(
            Plan(id="blowdart", price=usd("29.95")), utc(2017, 2, 15)
        )
        charged = invoiced(change).lines[-1]
        assert (charged.start, charged.end) == (
            utc(2017, 2, 15),
            utc(2017, 3, 1),
        )
        assert str(charged.amount) == "$14.98"
        _, march = sub.bill()
        assert amounts(march.lines) == ["$29.95"]


# -------------------------------------------------------------- Meteroid


class TestMeteroid:
    def test_mg1_percentage_coupon_then_tax(self) -> None:
        """MG1 (modules/meteroid/tests/integration/test_credit_note.rs,
        test_credit_note_partial_credits, the invoice before its credit
        notes): four monthly rate components of 1000, 2000, 3000 and 4000
        cents, a customer tax of 10% and a 10% coupon: "Subtotal should be
        10000 cents", discount 1000, tax_amount 900, "Total should be 9900
        cents"."""
        tax = taxed("10")
        components = [
            Item(AddOn(id=f"component-{n}", price=usd(f"{n}0"), taxes=tax), 1)
            for n in (2, 3, 4)
        ]
        _, first = started(
            Plan(id="component-1", price=usd("10"), taxes=tax),
            utc(2024, 1, 1),
            C["meteroid"],
            items=components,
            coupons=[Coupon(discount=Discount.percent_off(10))],
        )
        lines = [line.amount.minor_units for line in first.lines]
        assert sum(x for x in lines if x > 0) == 10_000
        assert sum(x for x in lines if x < 0) == -1_000
        assert sum(t.amount.minor_units for t in first.taxes) == 900
        assert first.total.minor_units == 9_900

    def test_mg2_free_trial_invoices_nothing(self) -> None:
        """MG2 (modules/meteroid/tests/integration/subscription/
        activation.rs, test_onstart_free_trial_starts_trial): "$49/month
        with free trial", started with a 14-day trial: "TrialActive, no
        invoice yet" (invoices ``assert_empty``)."""
        sub, first = Subscription.start(
            Plan(id="paid-free-trial", price=usd("49")),
            utc(2024, 1, 1),
            policy=C["meteroid"],
            trial=timedelta(days=14),
        )
        assert first is None
        assert sub.in_trial


# ------------------------------------------------------------- Flexprice


class TestFlexprice:
    """internal/domain/proration/creditgrant_proration_test.go,
    TestCalculateCreditGrantProration: credits granted for the part of a
    January 2025 period left, priced as a flat price's proration
    ("both must derive from the same coefficient",
    TestCalculateCreditGrantProration_MatchesPriceProrationCoefficient)."""

    JANUARY = BillingPeriod(utc(2025, 1, 1), utc(2025, 2, 1))

    def grant(
        self, amount: str, at: datetime, *, seconds: bool = False
    ) -> Decimal:
        """The credits granted at ``at``, exact to 8 places."""
        proration = C["flexprice"].proration
        if seconds:
            proration = replace(proration, basis=Basis.SECONDS)
        grant = Plan(id="grant", price=usd(amount))
        quote = prorate(
            PlanChange(grant, grant, at=at), self.JANUARY, proration
        )
        return charged(quote)

    def test_fg1_mid_period_remaining_fraction(self) -> None:
        """FG1 ("mid period grants the remaining fraction"): 100 credits
        on 20 January: wantCoefficient "0.3870967741935484", wantCredits
        "38.70967742"."""
        assert self.grant("100", utc(2025, 1, 20)) == Decimal("38.70967742")

    def test_fg2_half_a_period_by_seconds(self) -> None:
        """FG2 ("mid period halves the credits", StrategySecondBased):
        100 credits at noon on 16 January: wantCredits "50". With the
        documented option ``basis`` ``seconds`` (Flexprice's
        ``second_based`` strategy; the convention counts days)."""
        at = utc(2025, 1, 16, 12)
        assert self.grant("100", at, seconds=True) == Decimal(50)

    def test_fg3_a_stub_of_thirty_seconds(self) -> None:
        """FG3 ("a stub of a few seconds still grants something"): 1
        credit granted 30 seconds before 1 February, second based:
        wantCredits "0.0000112". With ``basis`` ``seconds``, as FG2."""
        at = utc(2025, 2, 1) - timedelta(seconds=30)
        assert self.grant("1", at, seconds=True) == Decimal("0.0000112")


# ------------------------------------------------------------- OpenMeter


class TestOpenMeter:
    def test_og1_anchor_on_the_31st(self) -> None:
        """OG1 (openmeter/billing/worker/subscriptionsync/service/
        syncbillinganchor_test.go, TestBillingAnchorMultiPhase): a monthly
        plan, "billing anchor is at 2025-01-31T15:00:00Z", its billed
        phase from 2025-08-10T15:00:00Z: "the gathering invoice should
        have the following service periods: 2025-08-10T15:00:00Z -
        2025-08-31T15:00:00Z", "2025-08-31T15:00:00Z -
        2025-09-30T15:00:00Z"."""
        sub, first = started(
            Plan(id="billed", price=usd("100")),
            utc(2025, 8, 10, 15),
            C["openmeter"],
            anchor=utc(2025, 1, 31, 15),
        )
        _, second = sub.bill()
        assert [(line.start, line.end) for line in first.lines] == [
            (utc(2025, 8, 10, 15), utc(2025, 8, 31, 15))
        ]
        assert [(line.start, line.end) for line in second.lines] == [
            (utc(2025, 8, 31, 15), utc(2025, 9, 30, 15))
        ]


# ----------------------------------------------------------------- Polar


class TestPolar:
    """server/tests/discount/test_model.py: a discount allocated across a
    subscription's prices (here a plan and an add-on, both monthly, on the
    sign-up invoice), amounts in cents."""

    def discounts(self, first: str, second: str, coupon: Coupon) -> list[int]:
        """The discount lines, in cents, of two prices under ``coupon``."""
        _, invoice = started(
            Plan(id="base", price=usd(first)),
            utc(2025, 1, 1),
            C["polar"],
            items=[Item(AddOn(id="extra", price=usd(second)), 1)],
            coupons=[coupon],
        )
        return [
            -line.amount.minor_units
            for line in invoice.lines
            if line.amount.minor_units < 0
        ]

    def test_yg1_fixed_discount_split_in_proportion(self) -> None:
        """YG1 (TestDiscountFixedAllocateDiscountAmounts,
        test_distributes_proportionally): "1500 over [1000, 1000]":
        [750, 750]."""
        coupon = Coupon(discount=Discount.amount_off(usd("15")))
        assert self.discounts("10", "10", coupon) == [750, 750]

    def test_yg2_leftover_cent_to_the_largest_remainder(self) -> None:
        """YG2 (test_rounding_leftover_goes_to_largest_remainder): "100 over
        [100, 200]: proportional shares are 33.33 and 66.67; the unit lost
        to flooring goes to the larger remainder": [33, 67]."""
        coupon = Coupon(discount=Discount.amount_off(usd("1")))
        assert self.discounts("1", "2", coupon) == [33, 67]

    def test_yg3_percentage_taken_off_each_price(self) -> None:
        """YG3 (TestDiscountPercentageAllocateDiscountAmounts,
        test_accepted_rounding_drift): "33.33% over [100, 100]: each share
        rounds to 33 (sum 66)"."""
        coupon = Coupon(discount=Discount.percent_off(Decimal("33.33")))
        assert self.discounts("1", "1", coupon) == [33, 33]


# ---------------------------------------------------------------- Stripe


class TestStripe:
    def test_sg1_upgrade_halfway_per_device(self) -> None:
        """SG1 (docs.datacake.de/portal/billing/unused-time-and-remaining-
        time-in-invoices-prorations, Stripe-generated invoices): from the
        Light subscription "(1 € per month per device)" to Standard "(3 €
        per month per device)" "halfway through the billing period": "-0.5
        € for unused time on the initial price, and 1.5 € for the
        remaining time on the new price", "billed an additional 1 €" on
        the next invoice. Here April 2024 from the 1st, changed at its
        exact half, 16 April."""
        sub, _ = started(
            Plan(id="light", price=eur("1"), rank=1),
            utc(2024, 4, 1),
            C["stripe-classic"],
        )
        sub, change = sub.change_plan(
            Plan(id="standard", price=eur("3"), rank=2), utc(2024, 4, 16)
        )
        assert change.invoice is None
        _, following = sub.bill()
        assert amounts(following.lines)[:2] == ["-€0.50", "€1.50"]
        assert (
            sum(
                x.minor_units
                for x in [line.amount for line in following.lines[:2]]
            )
            == 100
        )


# --------------------------------------------------------------- Recurly


class TestRecurly:
    """recurly/recurly-js, test/unit/pricing/subscription/
    subscription.test.js, with the plans of packages/public-api-fixture-
    server/fixtures/plans/ (no tax: no address or postal code "NoTax")."""

    def test_rg1_plan_quantity_of_three(self) -> None:
        """RG1 ("should preserve price segments when plan quantity
        changes"): plan ``multiple-currencies`` (19.99 a month) at quantity
        3: ``price.now.plan`` "59.97", ``price.next.plan`` "59.97". The
        quantity is an add-on of 19.99 at 3 beside a $0 plan."""
        unit = AddOn(id="multiple-currencies", price=usd("19.99"))
        sub, first = started(
            Plan(id="base", price=usd("0")),
            utc(2024, 1, 1),
            C["recurly"],
            items=[Item(unit, 3)],
        )
        _, following = sub.bill()
        assert amounts(first.lines)[-1] == "$59.97"
        assert amounts(following.lines)[-1] == "$59.97"

    def test_rg2_setup_fee_now_only(self) -> None:
        """RG2 ("removes coupons which are incompatible with the new
        plan", after the change to ``basic-2``: unit_amount 90.09,
        setup_fee 5.0): ``price.now.total`` "95.09", ``price.next.total``
        "90.09"."""
        sub, first = Subscription.start(
            Plan(id="basic-2", price=usd("90.09")),
            utc(2024, 1, 1),
            policy=C["recurly"],
            charges=[Charge(id="setup-fee", price=usd("5"), setup_fee=True)],
        )
        assert first is not None
        _, following = sub.bill()
        assert first.total == usd("95.09")
        assert following.total == usd("90.09")
