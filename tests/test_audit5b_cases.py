"""Published platform cases of the fifth audit (b), by each convention alone.

New cases (IDs KD, LD, YD, MD, FD, OD), none among the cases, tests or
figures of ``docs/research/`` (every file), ``tests/test_platform_cases.py``,
``tests/test_audit_cases.py``, ``tests/test_audit3_cases.py``, ``tests/
test_audit4_cases.py``, ``tests/test_presets.py``, ``tests/test_kill_bill_
alignment.py``, ``tests/test_move_anchor.py`` or ``tests/test_pause.py``.
Each is built through the public API with ``presets.CONVENTIONS[name]``
alone and asserts the figures as the source prints them; ``docs/research/
audit-2026-12-02e.md`` has the table (33 cases, 27 passed by the
convention alone when audited).

Sources (mirrors fetched 2026):

- killbill/killbill @ cb60779c, beatrix integration tests
  (TestWithPriceOverride, TestBundleTransfer, TestCatalogFixedTerm).
- getlago/lago-docs @ 502a9e78, docs/guide/.
- polarsource/polar @ c6c3645e, server/tests/subscription/.
- meteroid-oss/meteroid @ 6a27ef61, modules/meteroid/tests/integration/.
- flexprice/flexprice-docs @ d7a86376 and flexprice/flexprice @ e4b5303f.
- openmeterio/openmeter @ 7e57a394, test/billing/ and openmeter/billing/.

Now reproduced
--------------

- YD2, YD3 (polar server/tests/subscription/test_service.py,
  TestUpdateSeats.test_proration_reset_success[5-10] and [10-5]): seats
  at 1000, period 2025-06-01 to 07-01, set on 06-16 with
  proration_behavior reset: one debit for the new period 06-16 to 07-16,
  10000 and 5000, no credit. Left out when audited (prorata's
  ``billing_anchor="now"`` credited the unused time, [-2500, 10000] and
  [-5000, 5000]); they now pass by ``presets.POLAR_BEHAVIORS["reset"]``
  alone (``BillingPolicy.billing_anchor`` ``now``, with the proration's
  ``credit`` ``none``): tests/test_polar_behaviors.py
  ``TestReset.test_yd2_yd3_seats_reset_the_cycle``.
- LD3 (lago-docs docs/guide/12_credit_notes.md, "EXAMPLE OF INVOICE": "Total
  due = $16"), left out when audited (prorata's credits carried the
  period's tax, $11.00 due), now passes by the ``lago`` convention with the
  $30 of prepaid credits as ``Subscription.top_up``, untaxed, drawn after
  the $20 of credit notes: ``tests/test_prepaid_credits.py``.

KD4 and KD9 failed when audited and pass since: KD4 as
``test_kd4_annual_bundle_transferred`` (the account's billing day as
``Subscription.start``'s ``account_day``, which a yearly plan under the
conventions' ``yearly_alignment="subscription"`` leaves for its own first
day), KD9 as ``test_kd9_discount_phase_then_evergreen`` (a change
scheduled inside a period billed in advance is a known end of its plan
under ``known_end="bill-to-end"``); more cases of both rules in
``tests/test_account_day.py`` and ``tests/test_known_change.py``.

None is left out: every case of this audit passes by its convention
alone; none is an artefact.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from prorata import (
    ANNUAL,
    AddOn,
    BillingPeriod,
    BillingPolicy,
    BillingTiming,
    Charge,
    Coupon,
    Discount,
    Interval,
    Invoice,
    Item,
    Plan,
    PlanChange,
    Subscription,
    TaxRate,
    UsageAllowance,
    presets,
    prorate,
)
from tests.cases import amounts, cents, invoiced, started
from tests.common import eur, usd, utc

C = presets.CONVENTIONS


def taxed(name: str, percent: str) -> tuple[TaxRate, ...]:
    """One tax rate, as a plan's or an add-on's ``taxes``."""
    return (TaxRate(name=name, percent=Decimal(percent)),)


def span(invoice: Invoice) -> list[tuple[datetime, datetime]]:
    """Each line's service period."""
    return [(line.start, line.end) for line in invoice.lines]


# ---------------------------------------------------------------- Kill Bill


class TestKillBill:
    SHOTGUN = Plan(id="shotgun-monthly", price=usd("249.95"), rank=2)
    SHOTGUN_Y = Plan(
        id="shotgun-annual", price=usd("2399.95"), interval=ANNUAL, rank=3
    )
    BIENNIAL = Interval.years(2)

    @staticmethod
    def out_of_trial(
        plan: Plan, anchor: datetime | None = None
    ) -> tuple[Subscription, Invoice]:
        """From 2012-04-01 in a 30-day trial, and the trial's end invoice."""
        sub, first = Subscription.start(
            plan,
            utc(2012, 4, 1),
            trial=timedelta(days=30),
            anchor=anchor,
            policy=C["kill-bill"],
        )
        assert first is None
        return sub.bill()

    def test_kd1_fixed_price_override_on_the_trial(self) -> None:
        """KD1 (killbill/killbill @ cb60779c, beatrix TestWithPriceOverride.
        testCreateWithFixedPriceOverride; catalog catalogs/default/
        catalogTest.xml, Shotgun monthly, ACCOUNT alignment, BCD 1): the
        30-day trial's fixed price overridden to 1, created 2012-04-01:
        invoice 1 FIXED 04-01 to 05-01 "1". The trial's fixed price is a
        one-time charge here."""
        _, first = Subscription.start(
            self.SHOTGUN,
            utc(2012, 4, 1),
            trial=timedelta(days=30),
            charges=[Charge(id="shotgun-monthly-trial", price=usd("1"))],
            policy=C["kill-bill"],
        )
        assert first is not None
        assert amounts(first.lines) == ["$1.00"]

    def test_kd2_recurring_price_override(self) -> None:
        """KD2 (TestWithPriceOverride.testCreateWithRecurringPriceOverride;
        catalogTest.xml, ACCOUNT alignment, BCD 1): Shotgun monthly with its
        evergreen price overridden to 10, from 2012-04-01, 30-day trial:
        RECURRING 2012-05-01 to 06-01 "10", then 06-01 to 07-01 "10"."""
        sub, may = self.out_of_trial(replace_price(self.SHOTGUN, "10"))
        assert amounts(may.lines) == ["$10.00"]
        assert span(may) == [(utc(2012, 5, 1), utc(2012, 6, 1))]
        _, june = sub.bill()
        assert amounts(june.lines) == ["$10.00"]
        assert span(june) == [(utc(2012, 6, 1), utc(2012, 7, 1))]

    def test_kd3_change_to_an_overridden_price_on_the_billing_day(
        self,
    ) -> None:
        """KD3 (TestWithPriceOverride.testChangePlanWithRecurringPrice
        Override; catalogTest.xml, ACCOUNT alignment, BCD 1): Shotgun
        monthly from 2012-04-01, trial to 05-01: RECURRING 05-01 to 06-01
        "249.95"; on 05-01 changed IMMEDIATE to Shotgun at 279.95: invoice
        3 RECURRING 05-01 to 06-01 "279.95" and REPAIR_ADJ 05-01 to 06-01
        "-249.95"; then 06-01 to 07-01 "279.95"."""
        sub, may = self.out_of_trial(self.SHOTGUN)
        assert amounts(may.lines) == ["$249.95"]
        dearer = replace_price(self.SHOTGUN, "279.95")
        sub, outcome = sub.change_plan(dearer, utc(2012, 5, 1))
        assert sorted(amounts(outcome.lines)) == ["$279.95", "-$249.95"]
        assert {line.end for line in outcome.lines} == {utc(2012, 6, 1)}
        _, june = sub.bill()
        assert amounts(june.lines) == ["$279.95"]

    def test_kd4_annual_bundle_transferred(self) -> None:
        """KD4 (TestBundleTransfer.testBundleTransferWithBPAnnualOnly;
        catalogTest.xml, ANNUAL aligned on SUBSCRIPTION): Shotgun annual
        transferred on 2012-05-11 to an account of BCD 17 (getAccountData
        (17)): one item 2012-05-11 to 2013-05-11 "2399.9500". Failed when
        audited ($39.34 to the 17th); the account's day is since
        ``account_day``, which the yearly plan leaves for its own first
        day (BillCycleDayCalculator ``calculateBcdForAlignment``)."""
        _, first = Subscription.start(
            self.SHOTGUN_Y,
            utc(2012, 5, 11),
            policy=C["kill-bill"],
            account_day=17,
        )
        assert first is not None
        assert amounts(first.lines) == ["$2,399.95"]
        assert span(first) == [(utc(2012, 5, 11), utc(2013, 5, 11))]

    def test_kd5_monthly_bundle_transferred(self) -> None:
        """KD5 (TestBundleTransfer.testBundleTransferWithBPMonthlyOnly;
        catalogTest.xml, monthly ACCOUNT alignment): Shotgun monthly
        transferred on 2012-05-03 to a new account, whose BCD becomes "Day
        of the transfer" 3: one item 2012-05-03 to 06-03 "249.95"."""
        _, first = started(self.SHOTGUN, utc(2012, 5, 3), C["kill-bill"])
        assert amounts(first.lines) == ["$249.95"]
        assert span(first) == [(utc(2012, 5, 3), utc(2012, 6, 3))]

    def test_kd6_transfer_with_immediate_cancellation(self) -> None:
        """KD6 (TestBundleTransfer.testBundleTransferWithBPMonthlyOnlyWIth
        CancellationImm; catalogTest.xml, ACCOUNT alignment): old account
        BCD 9, Shotgun monthly from 2012-04-01, trial to 05-01: RECURRING
        05-01 to 05-09 "66.65" (8/30); transferred on 05-03 with the old
        subscription cancelled at once: REPAIR_ADJ 05-03 to 05-09 "-49.99"
        (6/30); new account BCD 15: RECURRING 05-03 to 05-15 "99.98"
        (12/30)."""
        sub, stub = self.out_of_trial(self.SHOTGUN, anchor=utc(2012, 4, 9))
        assert amounts(stub.lines) == ["$66.65"]
        _, end = sub.cancel(utc(2012, 5, 3))
        assert amounts(invoiced(end).lines) == ["-$49.99"]
        _, new = started(
            self.SHOTGUN,
            utc(2012, 5, 3),
            C["kill-bill"],
            anchor=utc(2012, 5, 15),
        )
        assert amounts(new.lines) == ["$99.98"]
        assert span(new) == [(utc(2012, 5, 3), utc(2012, 5, 15))]

    def fixed_term(self, name: str) -> Subscription:
        """pistol-biennial, 40 every two years, from 2021-12-01, its
        FIXEDTERM phase ending after 36 months."""
        sub, _ = Subscription.start(
            Plan(
                id="pistol-biennial", price=usd("40"), interval=self.BIENNIAL
            ),
            utc(2021, 12, 1),
            policy=C[name],
        )
        return sub

    def test_kd7_fixed_term_in_advance(self) -> None:
        """KD7 (TestCatalogFixedTerm.testFixedTermPhaseInAdvanceBilling,
        issue #1533; pistol-biennial-inadvance: FIXEDTERM 36 months,
        BIENNIAL 40): on 2023-12-01 RECURRING 2023-12-01 to 2024-12-01
        "20.03" (366/731), the term's end known. Failed when audited; the
        ``kill-bill`` conventions since bill a period in advance only up
        to a known end (``known_end`` ``bill-to-end``;
        BillingIntervalDetail, the end date capping the service period)."""
        sub, _ = self.fixed_term("kill-bill").cancel(utc(2024, 12, 1))
        sub, last = sub.bill()
        assert amounts(last.lines) == ["$20.03"]
        assert span(last) == [(utc(2023, 12, 1), utc(2024, 12, 1))]

    def test_kd8_fixed_term_in_arrears(self) -> None:
        """KD8 (TestCatalogFixedTerm.testFixedTermPhaseInArrearBilling;
        pistol-biennial-inarrear, IN_ARREAR): on 2023-12-01 RECURRING
        2021-12-01 to 2023-12-01 "40.00"; then RECURRING 2023-12-01 to
        2024-12-01 "20.03"."""
        sub, _ = self.fixed_term("kill-bill-in-arrears").cancel(
            utc(2024, 12, 1)
        )
        sub, first = sub.bill()
        assert amounts(first.lines) == ["$40.00"]
        assert span(first) == [(utc(2021, 12, 1), utc(2023, 12, 1))]
        _, last = sub.bill()
        assert amounts(last.lines) == ["$20.03"]
        assert span(last) == [(utc(2023, 12, 1), utc(2024, 12, 1))]

    def test_kd9_discount_phase_then_evergreen(self) -> None:
        """KD9 (TestCatalogFixedTerm.testDiscountAndRecurringPhaseIn
        AdvanceBilling; pistol-biennial-inadvance-discountandrecurring:
        DISCOUNT 36 months BIENNIAL 40, then EVERGREEN BIENNIAL 100), the
        phase a change scheduled for 2024-12-01: RECURRING 2021-12-01 to
        2023-12-01 "40.00", 2023-12-01 to 2024-12-01 "20.03", 2024-12-01
        to 2026-12-01 "100.00", 2026-12-01 to 2028-12-01 "100.00". Failed
        when audited ($40.00, then -$19.97 and $100.00); a scheduled
        change is since a known end of the plan under ``known_end``
        ``bill-to-end`` (FixedAndRecurringInvoiceItemGenerator: the next
        billing event ends the item)."""
        sub, first = Subscription.start(
            Plan(id="discount", price=usd("40"), interval=self.BIENNIAL),
            utc(2021, 12, 1),
            policy=C["kill-bill"],
        )
        evergreen = Plan(
            id="evergreen", price=usd("100"), interval=self.BIENNIAL
        )
        sub = sub.schedule_change(evergreen, utc(2024, 12, 1), assisted=True)
        _, invoices = sub.bill_through(utc(2026, 12, 1))
        assert first is not None
        billed = (first, *invoices)
        assert [amounts(i.lines) for i in billed] == [
            ["$40.00"],
            ["$20.03"],
            ["$100.00"],
            ["$100.00"],
        ]
        ends = [(2021, 2023), (2023, 2024), (2024, 2026), (2026, 2028)]
        assert [span(i) for i in billed] == [
            [(utc(start, 12, 1), utc(end, 12, 1))] for start, end in ends
        ]


def replace_price(plan: Plan, price: str) -> Plan:
    """The plan at another price (a Kill Bill price override)."""
    return Plan(
        id=plan.id, price=usd(price), interval=plan.interval, rank=plan.rank
    )


# ---------------------------------------------------------------- Lago


class TestLago:
    PREMIUM = Plan(id="premium", price=usd("50"))

    def test_ld1_calendar_start_mid_month(self) -> None:
        """LD1 (getlago/lago-docs @ 502a9e78, docs/guide/05_plans/
        subscription.md, "Calendar billing period"): "Premium plan ($50
        monthly) on August 10th", "22 days left until the end of the month
        (including August 10th)": "22 days x $50 / 31 days = $35.48"."""
        _, first = started(
            self.PREMIUM, utc(2023, 8, 10), C["lago"], anchor=utc(2023, 9, 1)
        )
        assert amounts(first.lines) == ["$35.48"]

    def test_ld2_trial_then_calendar_stub(self) -> None:
        """LD2 (lago-docs @ 502a9e78, docs/guide/05_plans/plan-model.md,
        "Trial period"): "$50 [monthly] paid in advance, with a trial
        period of 5 days", starting April 1st: "an invoice for the period
        April 6th to April 30th", "$50 x 25 days due / 30 days in April =
        $41.67" (calendar billing)."""
        sub, signup = Subscription.start(
            self.PREMIUM,
            utc(2023, 4, 1),
            trial=timedelta(days=5),
            anchor=utc(2023, 5, 1),
            policy=C["lago"],
        )
        assert signup is None
        _, first = sub.bill()
        assert amounts(first.lines) == ["$41.67"]
        assert span(first) == [(utc(2023, 4, 6), utc(2023, 5, 1))]


# ---------------------------------------------------------------- Polar


class TestPolar:
    START = utc(2025, 1, 1)
    SEAT = AddOn(id="seat", price=usd("10"))

    def seats(
        self, count: int, coupon: Coupon | None = None
    ) -> tuple[Subscription, Invoice]:
        """A seat product at $10 a seat (the plan itself free)."""
        return started(
            Plan(id="seat-product", price=usd("0")),
            self.START,
            C["polar"],
            items=[Item(self.SEAT, count)],
            coupons=[coupon] if coupon else [],
        )

    def test_yd1_to_a_unit_product_at_its_minimum(self) -> None:
        """YD1 (polarsource/polar @ c6c3645e, server/tests/subscription/
        test_service_change_preview.py, test_non_unit_to_unit_quotes_the_
        minimum_units): the 1000 product, period 2025-01-01 to 02-01,
        changed at 01-16T12:00Z to a unit product (1000 a unit,
        minimum_units 3): prorations [-500, 1500], total_amount 1000. The
        three minimum units are a 3000 plan here."""
        sub, _ = started(
            Plan(id="product", price=usd("10"), rank=1), self.START, C["polar"]
        )
        _, outcome = sub.change_plan(
            Plan(id="three-units", price=usd("30"), rank=2),
            utc(2025, 1, 16, 12),
        )
        assert sorted(cents(outcome.lines)) == [-500, 1500]
        assert outcome.net.minor_units == 1000

    def test_yd4_seat_increase_under_a_fixed_discount(self) -> None:
        """YD4 (test_service.py, test_seat_increase_with_fixed_discount): 5
        seats at $10 with a $10 fixed discount, "$50 ... - $10 discount =
        $40" (subscription.amount 4000); at once 10 seats: one
        subscription_seats_increase entry, amount 5000, discount_amount
        None ("the incremental charge is the full $50")."""
        coupon = Coupon(
            discount=Discount.amount_off(usd("10")), products=("seat-product",)
        )
        sub, first = self.seats(5, coupon)
        assert first.subtotal == usd("40")
        _, outcome = sub.change_quantity(self.SEAT, 10, self.START)
        assert outcome.net.minor_units == 5000

    def test_yd5_seat_increase_under_a_percentage_discount(self) -> None:
        """YD5 (test_seat_increase_with_percentage_discount): 5 seats at
        $10, 20% off; at once 10 seats: discount_amount 1000 ("20% of
        $50"), amount 4000."""
        coupon = Coupon(
            discount=Discount.percent_off(20), products=("seat-product",)
        )
        sub, _ = self.seats(5, coupon)
        _, outcome = sub.change_quantity(self.SEAT, 10, self.START)
        assert outcome.net.minor_units == 4000

    def test_yd6_seat_decrease_under_a_fixed_discount(self) -> None:
        """YD6 (test_seat_decrease_with_discount): 10 seats at $10 with $10
        off; at once 5 seats: one credit entry, amount 5000, no discount
        ("the full $50 difference in base amount")."""
        coupon = Coupon(
            discount=Discount.amount_off(usd("10")), products=("seat-product",)
        )
        sub, _ = self.seats(10, coupon)
        _, outcome = sub.change_quantity(self.SEAT, 5, self.START)
        assert outcome.net.minor_units == -5000

    def test_yd7_seat_increase_under_a_full_discount(self) -> None:
        """YD7 (test_seat_increase_with_100_percent_discount_prorate): 1
        seat at $10, 100% off forever; 2 seats with prorate: no
        subscription_seats_increase entry (nothing to bill)."""
        coupon = Coupon(
            discount=Discount.percent_off(100), products=("seat-product",)
        )
        sub, _ = self.seats(1, coupon)
        _, outcome = sub.change_quantity(self.SEAT, 2, self.START)
        assert outcome.net.minor_units == 0


# ---------------------------------------------------------------- Meteroid


class TestMeteroid:
    LEETCODE_START = utc(2024, 1, 1)

    def leetcode(self, rate: str, coupons: list[Coupon]) -> Invoice:
        """The LeetCode plan (35.00 EUR a month) from 2024-01-01 and its
        invoice of 2024-02-01."""
        sub, _ = started(
            Plan(id="leetcode", price=eur("35"), taxes=taxed("vat", rate)),
            self.LEETCODE_START,
            C["meteroid"],
            coupons=coupons,
        )
        _, february = sub.bill()
        assert february.issued_at == utc(2024, 2, 1)
        return february

    def test_md1_eu_vat(self) -> None:
        """MD1 (meteroid-oss/meteroid @ 6a27ef61, modules/meteroid/tests/
        integration/test_invoice_computation.rs, test_compute_invoice_with_
        eu_vat): LeetCode from 2024-01-01, invoice of 2024-02-01, French B2B
        VAT 20%: subtotal 3500, tax_amount 700, total 4200."""
        invoice = self.leetcode("20", [])
        assert invoice.subtotal.minor_units == 3500
        assert invoice.tax.minor_units == 700
        assert invoice.total.minor_units == 4200

    def test_md2_reverse_charge(self) -> None:
        """MD2 (test_compute_invoice_with_reverse_charge): FR to DE B2B,
        reverse charge: subtotal 3500, total 3500, tax_amount 0 (the rate
        0% here)."""
        invoice = self.leetcode("0", [])
        assert invoice.subtotal.minor_units == 3500
        assert invoice.tax.minor_units == 0
        assert invoice.total.minor_units == 3500

    def test_md3_manual_tax_after_a_coupon(self) -> None:
        """MD3 (test_compute_invoice_with_manual_tax_and_coupon): a custom
        8.25% rate and coupon TEST10 (10%): subtotal 3500 "before
        discount", discount 350, tax "8.25% of [3150] taxable amount"
        (259.875, rounded: 260), total subtotal - discount + tax = 3410."""
        invoice = self.leetcode(
            "8.25", [Coupon(discount=Discount.percent_off(10))]
        )
        assert cents(invoice.lines) == [3500, -350]
        assert invoice.tax.minor_units == 260
        assert invoice.total.minor_units == 3410

    def four_components(self, coupons: list[Coupon], at: datetime) -> Invoice:
        """CreditNoteTestPlan: four monthly rates of 10, 20, 30 and 40 EUR,
        a customer tax of 10%; the invoice at the start."""
        vat = taxed("vat", "10")
        _, first = started(
            Plan(id="component-1", price=eur("10"), taxes=vat),
            at,
            C["meteroid"],
            items=[
                Item(
                    AddOn(
                        id=f"component-{n}", price=eur(str(10 * n)), taxes=vat
                    ),
                    1,
                )
                for n in (2, 3, 4)
            ],
            coupons=coupons,
        )
        return first

    def test_md4_invoice_with_a_coupon_and_tax(self) -> None:
        """MD4 (test_credit_note.rs, test_credit_note_partial_credits):
        four components 1000, 2000, 3000, 4000, coupon CREDIT10 (10%), tax
        10%, from 2024-01-01: "Subtotal: 10000", "Discount: 10% = 1000",
        "Tax: 10% of 9000 = 900", "Total: 9900"; per line discount 100,
        200, 300, 400 and tax 90, 180, 270, 360."""
        invoice = self.four_components(
            [Coupon(discount=Discount.percent_off(10))], utc(2024, 1, 1)
        )
        fees = sorted(c for c in cents(invoice.lines) if c > 0)
        off = sorted(-c for c in cents(invoice.lines) if c < 0)
        assert fees == [1000, 2000, 3000, 4000]
        assert off == [100, 200, 300, 400]
        assert invoice.tax.minor_units == 900
        assert invoice.total.minor_units == 9900

    def test_md5_invoice_taxed_line_by_line(self) -> None:
        """MD5 (test_credit_note_partial_amounts): the four components from
        2024-04-01, tax 10%, no coupon: lines 1000/100/1100, 2000/200/2200,
        3000/300/3300, 4000/400/4400, "Total: 10000 + 1000 tax = 11000"."""
        invoice = self.four_components([], utc(2024, 4, 1))
        assert sorted(t.amount.minor_units for t in invoice.taxes) == [
            100,
            200,
            300,
            400,
        ]
        assert invoice.total.minor_units == 11000

    def usage_plan(self) -> Subscription:
        """The usage plan: Rate 20 EUR a month and bandwidth at 0.10 EUR a
        unit in arrears, from 2024-01-01, 100 units in each period."""
        sub, first = started(
            Plan(
                id="usage",
                price=eur("20"),
                allowances=(
                    UsageAllowance(
                        metric="bandwidth",
                        included=0,
                        overage_price=eur("0.10"),
                    ),
                ),
            ),
            utc(2024, 1, 1),
            C["meteroid"],
        )
        assert first.total.minor_units == 2000
        return sub.record_usage("bandwidth", 100, utc(2024, 1, 15))

    def test_md6_usage_billed_with_the_renewal(self) -> None:
        """MD6 (modules/meteroid/tests/integration/subscription/usage.rs,
        test_usage_invoice_includes_arrear_charges): invoice 1 has_total
        2000 (rate only); the renewal of 2024-02-01 "rate + arrear usage
        from period 0": 2000 + "100 units x 10 cents" 1000 = 3000."""
        _, renewal = self.usage_plan().bill()
        assert renewal.issued_at == utc(2024, 2, 1)
        assert renewal.total.minor_units == 3000

    def test_md7_final_usage_at_the_cancellation(self) -> None:
        """MD7 (usage.rs, test_cancel_with_usage_produces_final_arrear_
        invoice): after the 3000 renewal, cancelled effective 2024-03-01
        (the period's end), 100 units used in February: invoice 3
        has_total 1000 (the usage only)."""
        sub, renewal = self.usage_plan().bill()
        assert renewal.total.minor_units == 3000
        sub = sub.record_usage("bandwidth", 100, utc(2024, 2, 15))
        sub, _ = sub.cancel(utc(2024, 3, 1))
        _, final = sub.bill()
        assert final.issued_at == utc(2024, 3, 1)
        assert final.total.minor_units == 1000


# ---------------------------------------------------------------- Flexprice


class TestFlexprice:
    def test_fd1_two_tax_rates_on_one_base(self) -> None:
        """FD1 (flexprice/flexprice-docs @ d7a86376, docs/invoices/
        calculation.mdx, "Multiple tax rates"): "Taxable amount: $100.00",
        "State tax (6%): + $6.00", "Federal tax (2%): + $2.00", "Total tax:
        $8.00 (not $8.12 from compounding)"."""
        rates = (
            TaxRate(name="State tax", percent=Decimal(6)),
            TaxRate(name="Federal tax", percent=Decimal(2)),
        )
        _, invoice = started(
            Plan(id="p", price=usd("100"), taxes=rates),
            utc(2024, 1, 1),
            C["flexprice"],
        )
        assert sorted(str(t.amount) for t in invoice.taxes) == [
            "$2.00",
            "$6.00",
        ]
        assert invoice.tax == usd("8.00")

    def test_fd2_coupons_above_the_subtotal(self) -> None:
        """FD2 (calculation.mdx, "Zero-floor rule"): "Subtotal: $50.00",
        "Coupon A: -$30.00", "Coupon B: -$30.00", "Taxable: $0.00 (clamped,
        not -$10.00)", "Tax: $0.00". The page gives no rate: 10% here."""
        thirty = Coupon(discount=Discount.amount_off(usd("30")))
        _, invoice = started(
            Plan(id="p", price=usd("50"), taxes=taxed("Tax", "10")),
            utc(2024, 1, 1),
            C["flexprice"],
            coupons=[thirty, thirty],
        )
        assert invoice.subtotal == usd("0")
        assert invoice.tax == usd("0")

    def flat_fee(self, name: str, price: str, interval: Interval) -> Invoice:
        """A flat fee x 3 (a quantity) from 2025-01-01 and its invoice for
        the first period (the start in advance, its end in arrears)."""
        fee = AddOn(id="flat-fee", price=usd(price), interval=interval)
        sub, first = Subscription.start(
            Plan(id="plan", price=usd("0"), interval=interval),
            utc(2025, 1, 1),
            items=[Item(fee, 3 if interval != ANNUAL else 1)],
            policy=C[name] if name != "arrears" else arrears(),
        )
        if first is not None:
            return first
        _, invoice = sub.bill()
        return invoice

    def test_fd3_flat_fee_in_advance(self) -> None:
        """FD3 (flexprice/flexprice @ e4b5303f, internal/ee/service/
        fixed_charge_billing_test.go, TestFlatFee_Advance_Monthly): FLAT_FEE
        100 monthly, quantity 3, ADVANCE, period 2025-01-01 to 02-01:
        "expected $100 x 3 = $300", TotalAmount 300."""
        invoice = self.flat_fee("flexprice", "100", Interval.months(1))
        assert invoice.total == usd("300")

    def test_fd4_flat_fee_in_arrears(self) -> None:
        """FD4 (TestFlatFee_Arrear_Monthly): the same fee ARREAR: "$100 x 3
        = $300 for arrear", TotalAmount 300, billed at 2025-02-01."""
        invoice = self.flat_fee("arrears", "100", Interval.months(1))
        assert invoice.issued_at == utc(2025, 2, 1)
        assert invoice.total == usd("300")

    def test_fd5_annual_flat_fee_in_advance(self) -> None:
        """FD5 (TestFlatFee_Annual_Advance): 1200 annual, quantity 1, period
        2025-01-01 to 2026-01-01: "expected full annual amount $1200"."""
        invoice = self.flat_fee("flexprice", "1200", ANNUAL)
        assert invoice.total == usd("1200")


def arrears() -> BillingPolicy:
    """Flexprice's convention for a price whose own InvoiceCadence is
    ARREAR (the request's setting, not a second convention)."""
    return replace(C["flexprice"], timing=BillingTiming.IN_ARREARS)


# ---------------------------------------------------------------- OpenMeter


class TestOpenMeter:
    def test_od1_flat_fee_in_arrears_half_off(self) -> None:
        """OD1 (openmeterio/openmeter @ 7e57a394, test/billing/
        ubpflatfee_test.go, TestPercentageDiscount): a flat fee line "test
        in arrears", PerUnitAmount 200, InArrears, period 2025-01-01 to 24
        hours later, 50% rate card discount: amount discount 100, totals
        Amount 200, DiscountsTotal 100, Total 100."""
        sub, signup = Subscription.start(
            Plan(id="flat", price=usd("200"), interval=Interval.days(1)),
            utc(2025, 1, 1),
            coupons=[Coupon(discount=Discount.percent_off(50))],
            policy=C["openmeter-in-arrears"],
        )
        assert signup is None
        _, invoice = sub.bill()
        assert invoice.issued_at == utc(2025, 1, 2)
        assert cents(invoice.lines) == [20000, -10000]
        assert invoice.total == usd("100")

    def test_od2_prorated_on_whole_seconds(self) -> None:
        """OD2 (openmeter/billing/charges/service/truncation_test.go,
        TestCreateTruncatesFlatFeeIntentAndProrationInputs): a flat fee of
        90 in advance, prorate prices, service period 2026-01-01T00:00:
        01.600Z to 03.400Z of a full service period from 00.400Z to 03.400Z:
        the periods truncated to whole seconds (01 to 03 of 00 to 03),
        AmountAfterProration 60."""
        moment = datetime(2026, 1, 1, tzinfo=UTC)
        full = BillingPeriod(
            moment + timedelta(milliseconds=400),
            moment + timedelta(milliseconds=3400),
        )
        fee = Plan(id="flat-fee", price=usd("90"))
        quote = prorate(
            PlanChange(fee, fee, at=moment + timedelta(milliseconds=1600)),
            full,
            C["openmeter"].proration,
        )
        assert quote.charge == usd("60")
