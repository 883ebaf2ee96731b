"""Published platform cases of an eighth audit (a), by each convention alone.

New cases (IDs KH, LH), none among the cases, tests or figures of
``docs/research/`` or the platform-case test modules that
``docs/research/audit-2026-12-03a.md`` lists. Each is built through the
public API with ``presets.CONVENTIONS[name]`` (or, for an invoice outside
a subscription, ``settle`` with the convention's ``tax_rounding``) and
asserts the figures as the source prints them; a case that needs a
documented option names it in its docstring. The audit file has the table
per platform. Zuora, Chargebee, Paddle and Orb gave no new case in the
time (see the audit file).

Sources (mirrors fetched 2026):

- Kill Bill: killbill/killbill @ cb60779c, invoice/src/test/java/org/
  killbill/billing/invoice/proRations/inAdvance/ (monthly/, annual/,
  quarterly/: TestDoubleProRation.java, TestLeadingProRation.java,
  TestTrailingProRation.java), which assert the number of billing cycles
  ``FixedAndRecurringInvoiceItemGenerator`` bills, each fraction a
  BigDecimal to 9 places (``KillBillMoney.MAX_SCALE``), half-up.
- Lago: getlago/lago-api @ 1b1c24a6, spec/scenarios/credit_notes/
  credit_note_spec.rb, spec/scenarios/commitments/minimum/
  on_termination_spec.rb and spec/scenarios/commitments/minimum/
  in_advance/calendar/quarterly_spec.rb.

Passed only with a documented option when audited: LH2, LH3 and LH4
(``tax_rounding`` ``per-invoice``: Lago rounds each tax once on the
invoice, ``app/services/invoices/apply_taxes_service.rb``; the ``lago``
conventions then rounded each line's tax). Since, the ``lago``
conventions take ``per-document`` (each tax rounded once on the invoice,
and on a change's credit note apart) and the three pass by the
convention alone.

Failed when audited: LH8 (the commitment fee 2_150.82 EUR, 215_082, the
one-time charges paid in advance not counted toward the minimum; Lago's
true-up subtracts every fee of the period, ``fees_total_amount_cents`` in
app/services/commitments/minimum/calculate_true_up_fee_service.rb). Since,
the period's one-time charges count toward a minimum commitment, and LH8
passes by the convention alone: 14 of 14.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from prorata import (
    ANNUAL,
    AddOn,
    Charge,
    Coupon,
    Discount,
    Interval,
    IntervalUnit,
    Invoice,
    InvoiceLine,
    InvoiceLineKind,
    Item,
    Money,
    Plan,
    Subscription,
    TaxRate,
    UsageAllowance,
    presets,
    settle,
)
from tests.cases import amounts, cents, started
from tests.common import eur, usd, utc

if TYPE_CHECKING:
    from datetime import datetime

C = presets.CONVENTIONS
MONTHLY = Interval(IntervalUnit.MONTH, 1)
QUARTERLY = Interval(IntervalUnit.MONTH, 3)


def taxed(percent: str, name: str = "Tax") -> TaxRate:
    """One exclusive tax rate."""
    return TaxRate(name=name, percent=Decimal(percent))


def shares(invoice: Invoice, price: Money) -> list[Fraction]:
    """Each line's amount as a share of ``price``, exact."""
    out = []
    for line in invoice.lines:
        exact = line.exact
        if exact is None:
            exact = Fraction(line.amount.amount)
        out.append(Fraction(exact) / Fraction(price.amount))
    return out


def of_kind(invoice: Invoice, kind: InvoiceLineKind) -> list[str]:
    """The amounts of an invoice's lines of one kind, as printed."""
    return amounts(invoice.lines_of(kind))


# ------------------------------------------------------------- Kill Bill


class TestKillBill:
    """invoice/.../proRations/inAdvance/: a plan billed in advance from
    ``startDate`` on billing-cycle day ``billingCycleDay``, up to
    ``endDate`` when there is one; the tests sum the cycles billed up to
    ``targetDate``. Here the billing day is the subscription's ``anchor``,
    an end date a cancellation scheduled for it, and each invoice's lines
    are compared as shares of the plan's price, one line a cycle."""

    def billed(
        self,
        interval: Interval,
        start: datetime,
        anchor: datetime | None,
        end: datetime | None,
        invoices: int,
    ) -> list[list[Fraction]]:
        """The shares of the price each invoice bills, the first at the
        start, then ``invoices`` more."""
        price = usd("1000")
        sub, first = started(
            Plan(id="plan", price=price, interval=interval),
            start,
            C["kill-bill"],
            anchor=anchor,
        )
        if end is not None:
            sub, _ = sub.cancel(end)
        billed = [shares(first, price)]
        for _ in range(invoices):
            sub, invoice = sub.bill()
            billed.append(shares(invoice, price))
        return billed

    def test_kh1_monthly_double_proration(self) -> None:
        """KH1 (monthly/TestDoubleProRation.java,
        testDoubleProRation_TargetDateOnSecondBillingCycleDate): start
        2011-01-01, billing day 15, end 2011-02-27: "FOURTEEN.divide(
        THIRTY_ONE)" + ONE + "TWELVE.divide(TWENTY_EIGHT)": the leading
        stub over 15 December to 15 January, the trailing one over 15
        February to 15 March."""
        billed = self.billed(
            MONTHLY, utc(2011, 1, 1), utc(2011, 1, 15), utc(2011, 2, 27), 2
        )
        assert billed == [
            [Fraction(14, 31)],
            [Fraction(1)],
            [Fraction(12, 28)],
        ]

    def test_kh2_annual_leading_proration(self) -> None:
        """KH2 (annual/TestLeadingProRation.java,
        testLeadingProRation_Evergreen_TargetDateOnFirstBillingDate):
        start 2011-02-01, billing day 13, no end: "TWELVE.divide(
        THREE_HUNDRED_AND_SIXTY_FIVE)" + ONE (the stub over the year
        ending 2011-02-13)."""
        billed = self.billed(
            ANNUAL, utc(2011, 2, 1), utc(2011, 2, 13), None, 1
        )
        assert billed == [[Fraction(12, 365)], [Fraction(1)]]

    def test_kh3_annual_trailing_proration(self) -> None:
        """KH3 (annual/TestTrailingProRation.java,
        testTargetDateOnEndDate): start 2010-06-17, billing day 17, end
        2011-06-25: ONE + "EIGHT.divide(THREE_HUNDRED_AND_SIXTY_SIX)" (the
        trailing stub over the year from 2011-06-17, a leap day in it)."""
        billed = self.billed(
            ANNUAL, utc(2010, 6, 17), None, utc(2011, 6, 25), 1
        )
        assert billed == [[Fraction(1)], [Fraction(8, 366)]]

    def test_kh4_annual_double_proration(self) -> None:
        """KH4 (annual/TestDoubleProRation.java,
        testDoubleProRation_TargetDateOnSecondBillingCycleDate): start
        2011-01-01, billing day 15, end 2012-01-27: "FOURTEEN.divide(
        THREE_HUNDRED_AND_SIXTY_FIVE)" + ONE + "TWELVE.divide(
        THREE_HUNDRED_AND_SIXTY_SIX)"."""
        billed = self.billed(
            ANNUAL, utc(2011, 1, 1), utc(2011, 1, 15), utc(2012, 1, 27), 2
        )
        assert billed == [
            [Fraction(14, 365)],
            [Fraction(1)],
            [Fraction(12, 366)],
        ]

    def test_kh5_quarterly_leading_proration(self) -> None:
        """KH5 (quarterly/TestLeadingProRation.java,
        testLeadingProRation_Evergreen_TargetDateAfterFirstBillingPeriod):
        start 2011-02-01, billing day 13, target 2011-06-13:
        "TWELVE.divide(NINETY_TWO)" + TWO (the stub over 13 November to 13
        February, 92 days)."""
        billed = self.billed(
            QUARTERLY, utc(2011, 2, 1), utc(2011, 2, 13), None, 2
        )
        assert billed == [[Fraction(12, 92)], [Fraction(1)], [Fraction(1)]]

    def test_kh6_quarterly_trailing_proration(self) -> None:
        """KH6 (quarterly/TestTrailingProRation.java,
        testTargetDateOnEndDate): start 2010-06-17, billing day 17, end
        2010-09-25: ONE + "EIGHT.divide(NINETY_ONE)" (the trailing stub
        over 17 September to 17 December)."""
        billed = self.billed(
            QUARTERLY, utc(2010, 6, 17), None, utc(2010, 9, 25), 1
        )
        assert billed == [[Fraction(1)], [Fraction(8, 91)]]


# ------------------------------------------------------------------ Lago


class TestLagoCreditNoteInvoices:
    """spec/scenarios/credit_notes/credit_note_spec.rb: the invoices the
    credit notes are taken from (the credit notes themselves, on a part of
    one fee, have no counterpart: prorata credits time, not an amount of a
    fee)."""

    def test_lh1_fixed_coupon_limited_to_one_plan(self) -> None:
        """LH1 ("Allows creation of partial credit note"): two monthly
        subscriptions in advance, anniversary from 2022-12-19, of 17_900
        (the billing entity's 10% tax) and 39_900 ("Plan Tax" 10% and the
        10% tax), with a fixed coupon limited to the second plan, applied
        for 250_00; the 2023-10-19 invoice: fees_amount_cents 578_00,
        coupons_amount_cents 250_00, taxes_amount_cents 47_70,
        total_amount_cents 375_70. One invoice for both: the second
        subscription is an add-on of the first; the renewal of 19 October
        is the second invoice of a subscription from 19 September."""
        plan2 = AddOn(
            id="plan2",
            price=usd("399"),
            taxes=(taxed("10", "Plan Tax"), taxed("10")),
        )
        sub, _ = started(
            Plan(id="plan1", price=usd("179"), taxes=(taxed("10"),)),
            utc(2023, 9, 19, 12),
            C["lago"],
            items=[Item(plan2, 1)],
            coupons=[
                Coupon(
                    discount=Discount.amount_off(usd("250")),
                    products=("plan2",),
                )
            ],
        )
        _, invoice = sub.bill()
        fees = of_kind(invoice, InvoiceLineKind.SUBSCRIPTION)
        assert fees == ["$179.00", "$399.00"]
        assert of_kind(invoice, InvoiceLineKind.DISCOUNT) == ["-$250.00"]
        assert invoice.tax == usd("47.70")
        assert invoice.total == usd("375.70")

    def test_lh2_one_coupon_applied_twice(self) -> None:
        """LH2 ("when applying multiple time the same coupon"): a plan of
        1_999 in arrears, anniversary from 2022-12-19, with five charges
        whose spending minimums are 99_290, 299_770, 3_130, 6_460 and
        3_130 (no usage: each billed its minimum), a reusable coupon of
        10_00 applied twice, a 10% tax; the 2023-10-19 invoice:
        fees_amount_cents 413_779, coupons_amount_cents 2_000,
        taxes_rate 10, taxes_amount_cents 41_178, total_amount_cents
        452_957. The charges are add-ons at their minimums, billed in
        arrears with the plan; the invoice is the one closing the period
        from 19 September. The convention's ``tax_rounding``
        ``per-document`` (``per-invoice`` when audited; Lago's
        app/services/invoices/apply_taxes_service.rb rounds each tax once
        on the invoice's taxable total; per line: 411.76 and 4,529.55).
        """
        tax = (taxed("10"),)
        minimums = [99_290, 299_770, 3_130, 6_460, 3_130]
        charges = [
            Item(
                AddOn(
                    id=f"charge-{n}",
                    price=Money.from_minor_units(cents_, "USD"),
                    taxes=tax,
                ),
                1,
            )
            for n, cents_ in enumerate(minimums, start=1)
        ]
        coupon = Coupon(discount=Discount.amount_off(usd("10")))
        policy = C["lago-in-arrears"]
        sub, first = Subscription.start(
            Plan(id="plan", price=usd("19.99"), taxes=tax),
            utc(2023, 9, 19),
            policy=policy,
            items=charges,
            coupons=[coupon, coupon],
        )
        assert first is None
        _, invoice = sub.bill()
        fees = cents(invoice.lines_of(InvoiceLineKind.SUBSCRIPTION))
        assert sum(fees) == 413_779
        assert sum(cents(invoice.lines_of(InvoiceLineKind.DISCOUNT))) == (
            -2_000
        )
        assert invoice.tax.minor_units == 41_178
        assert invoice.total.minor_units == 452_957

    def one_off(self, count: int) -> Invoice:
        """A one-off invoice of ``count`` add-ons of 68_33 at a 20% tax,
        with the ``lago`` convention's ``tax_rounding``."""
        at = utc(2025, 1, 1)
        lines = [
            InvoiceLine(
                kind=InvoiceLineKind.ONE_TIME,
                description=f"Add-on {n}",
                amount=usd("68.33"),
                start=at,
                end=at,
                calculation="68_33",
                taxes=(taxed("20"),),
            )
            for n in range(count)
        ]
        return settle(
            lines,
            currency="USD",
            issued_at=at,
            calculated_at=at,
            credit_balance=usd("0"),
            tax_rounding=C["lago"].tax_rounding,
        )

    def test_lh3_one_off_invoice_of_two_add_ons(self) -> None:
        """LH3 ("when two similar items are refunded separately"): a
        one-off invoice of two add-ons of 68_33, a 20% tax: "invoice
        amount should be with taxes calculated on items sum":
        total_amount_cents 163_99, taxes_amount_cents 27_33. Lago's
        one-off invoice is outside a subscription, so the lines are
        settled directly, with the convention's ``tax_rounding`` (as
        LH2: per-line rounding gives 27.34 and 164.00)."""
        invoice = self.one_off(2)
        assert invoice.total.minor_units == 163_99
        assert invoice.tax.minor_units == 27_33

    def test_lh4_one_off_invoice_of_four_add_ons(self) -> None:
        """LH4 ("when four items are refunded separately, some whole, some
        in parts"): four add-ons of 68_33 at 20%: total_amount_cents
        327_98, taxes_amount_cents 54_66. As LH3 (per line: 54.68 and
        328.00)."""
        invoice = self.one_off(4)
        assert invoice.total.minor_units == 327_98
        assert invoice.tax.minor_units == 54_66


class TestLagoMinimumCommitment:
    """spec/scenarios/commitments/minimum/: a plan's minimum commitment,
    the shortfall billed as a true-up fee (prorata's ``Plan.minimum``)."""

    def enterprise(self) -> Subscription:
        """on_termination_spec.rb: "Enterprise", 10_000 EUR cents a month
        in arrears, calendar billing from 1 March 2024, a minimum
        commitment of 1_000_000."""
        sub, first = Subscription.start(
            Plan(id="enterprise", price=eur("100"), minimum=eur("10000")),
            utc(2024, 3, 1),
            policy=C["lago-in-arrears"],
        )
        assert first is None
        return sub

    def test_lh5_monthly_in_arrears_true_up(self) -> None:
        """LH5 (on_termination_spec.rb, "bills March and April with a
        minimum commitment true-up fee"): the 1 April and 1 May invoices
        each have one commitment fee and total_amount_cents 1_000_000."""
        sub = self.enterprise()
        sub, april = sub.bill()
        _, may = sub.bill()
        for invoice in (april, may):
            assert len(invoice.lines_of(InvoiceLineKind.COMMITMENT)) == 1
            assert invoice.total.minor_units == 1_000_000

    def test_lh6_downgrade_bills_the_old_plan_to_its_period_end(
        self,
    ) -> None:
        """LH6 (on_termination_spec.rb, "when the subscription is
        downgraded and the downgrade is applied on June 1st"): downgraded
        on 15 May to a plan of 1_000; the termination invoice covers
        2024-05-01 to 2024-05-31T23:59:59Z: subscription fee 10_000,
        commitment fee 990_000, total_amount_cents 1_000_000 ("A full
        period was consumed, so the whole commitment is due")."""
        sub = self.enterprise()
        sub, _ = sub.bill()
        sub, _ = sub.bill()
        sub, change = sub.change_plan(
            Plan(id="cheaper", price=eur("10")), utc(2024, 5, 15)
        )
        assert change.invoice is None
        sub, june = sub.bill()
        (fee,) = june.lines_of(InvoiceLineKind.SUBSCRIPTION)
        assert (fee.start, fee.end) == (utc(2024, 5, 1), utc(2024, 6, 1))
        assert fee.amount.minor_units == 10_000
        assert cents(june.lines_of(InvoiceLineKind.COMMITMENT)) == [990_000]
        assert june.total.minor_units == 1_000_000
        assert sub.plan.id == "cheaper"

    def test_lh7_quarterly_in_advance_true_up(self) -> None:
        """LH7 (in_advance/calendar/quarterly_spec.rb, "when subscription
        is billed for the third period", with or without the coupon): a
        quarterly plan of 10_000 in advance, calendar billing, from
        2024-03-12T10:00, a minimum commitment of 1_000_000, and a
        recurring charge paid in advance, 15 units at 1: the 1 July
        invoice's commitment fee 988_500 (the second quarter's fees,
        10_000 and 1_500, short of 1_000_000). The recurring charge is
        an add-on of 1 EUR a quarter set to 15 units at the second
        quarter's start; the first quarter's usage charges, which bill
        only that quarter, are left out (they are LH8's, left out)."""
        plan = Plan(
            id="in_advance",
            price=eur("100"),
            interval=QUARTERLY,
            minimum=eur("10000"),
        )
        recurring = AddOn(
            id="advance_recurring",
            price=eur("1"),
            interval=QUARTERLY,
            quantity_mode="full",
        )
        start = utc(2024, 3, 12, 10)
        sub, _ = started(
            plan,
            start,
            C["lago"],
            anchor=utc(2024, 4, 1),
        )
        sub, april = sub.bill()
        assert len(april.lines_of(InvoiceLineKind.COMMITMENT)) == 1
        sub, _ = sub.change_quantity(recurring, 15, utc(2024, 4, 1))
        _, july = sub.bill()
        (commitment,) = july.lines_of(InvoiceLineKind.COMMITMENT)
        assert (commitment.start, commitment.end) == (
            utc(2024, 4, 1),
            utc(2024, 7, 1),
        )
        assert commitment.amount.minor_units == 988_500

    def test_lh8_fees_paid_in_advance_count_toward_the_minimum(self) -> None:
        """LH8 (in_advance/calendar/quarterly_spec.rb, "when subscription
        is billed for the second period", with or without the coupon): a
        quarterly plan of 10_000 in advance, calendar billing, from
        2024-03-12T10:00, a minimum commitment of 1_000_000, and three
        usage charges of 1 a unit: 25 units in arrears, 30 units paid in
        advance, 15 units of a recurring metric paid in advance. Printed:
        the 1 April invoice's commitment fee 210_582 (the commitment
        prorated to 20 of Q1's 91 days, 219_780, less the stub fee 2_198
        and the three charges' 7_000). The charges paid in advance are
        one-time charges, the one in arrears a usage allowance of none
        included at 1 EUR a unit."""
        plan = Plan(
            id="in_advance",
            price=eur("100"),
            interval=QUARTERLY,
            minimum=eur("10000"),
            allowances=(
                UsageAllowance(
                    metric="arrears", included=0, overage_price=eur("1")
                ),
            ),
        )
        sub, first = started(
            plan, utc(2024, 3, 12, 10), C["lago"], anchor=utc(2024, 4, 1)
        )
        assert cents(first.lines) == [2_198]
        sub = sub.record_usage("arrears", 25, utc(2024, 3, 15))
        for charge, price in (("advance", "30"), ("recurring", "15")):
            sub, _ = sub.add_charge(
                Charge(id=charge, price=eur(price)), utc(2024, 3, 15)
            )
        _, april = sub.bill()
        assert cents(april.lines_of(InvoiceLineKind.OVERAGE)) == [2_500]
        assert cents(april.lines_of(InvoiceLineKind.COMMITMENT)) == [210_582]
