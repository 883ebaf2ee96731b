"""Tax: rates, tax lines, rounding order, credits taxed as their debits.

Worked figures are issue #15's acceptance list; the rounding-order rules
and their platforms are in docs/research/invoice-features.md (Stripe rounds
each line's tax, Chargebee taxes the precise amount; Zuora rounds the net
of an inclusive price). The reference below computes tax from the published
definition with ``Decimal.quantize``, not through prorata.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    BillingPolicy,
    InvalidPolicyError,
    InvalidTaxError,
    Invoice,
    InvoiceLine,
    InvoiceLineKind,
    Money,
    Plan,
    Subscription,
    TaxBase,
    TaxRate,
    TaxRounding,
    settle,
)

AT = datetime(2024, 6, 1, tzinfo=UTC)
TEN = TaxRate(name="Sales tax", percent=10)
CENT = Decimal("0.01")


def line(
    amount: str, *rates: TaxRate, exact: Fraction | None = None
) -> InvoiceLine:
    return InvoiceLine(
        kind=InvoiceLineKind.SUBSCRIPTION,
        description="Item",
        amount=Money(amount, "USD"),
        start=AT,
        end=AT,
        calculation=amount,
        exact=exact,
        taxes=rates,
    )


def invoice_of(lines: list[InvoiceLine], **options: str) -> Invoice:
    return settle(
        lines,
        currency="USD",
        issued_at=AT,
        calculated_at=AT,
        credit_balance=Money("0", "USD"),
        **options,  # type: ignore[arg-type]
    )


def reference_tax(amount: Decimal, percent: Decimal) -> Decimal:
    """Exclusive tax on a rounded amount, half up: the published rule."""
    return (amount * percent / 100).quantize(CENT, ROUND_HALF_UP)


# -- acceptance (issue #15) ---------------------------------------------------


def test_three_five_cent_lines_round_per_line_and_per_invoice() -> None:
    """Three $0.05 lines at 10%: $0.03 rounded per line, $0.02 per invoice."""
    lines = [line("0.05", TEN)] * 3
    per_line = invoice_of(lines)
    assert per_line.tax == Money("0.03", "USD")
    assert [t.amount for t in per_line.taxes] == [Money("0.01", "USD")] * 3
    per_invoice = invoice_of(lines, tax_rounding="per-invoice")
    assert per_invoice.tax == Money("0.02", "USD")
    assert per_invoice.total == Money("0.17", "USD")


def test_two_thirds_of_100_on_the_rounded_or_the_precise_amount() -> None:
    """$100 x 2/3 at 10%: $73.34 on the rounded line, $73.33 on the exact."""
    two_thirds = line("66.67", TEN, exact=Fraction(200, 3))
    rounded = invoice_of([two_thirds])
    assert (rounded.tax, rounded.total) == (
        Money("6.67", "USD"),
        Money("73.34", "USD"),
    )
    precise = invoice_of([two_thirds], tax_base="precise")
    assert (precise.tax, precise.total) == (
        Money("6.66", "USD"),
        Money("73.33", "USD"),
    )


def test_inclusive_tax_is_taken_out_of_the_price() -> None:
    """$12.00 including 20% is $10.00 + $2.00; half of it $5.00 + $1.00."""
    vat = TaxRate(name="VAT", percent=20, inclusive=True)
    whole = invoice_of([line("12.00", vat)])
    assert (whole.net, whole.tax, whole.total) == (
        Money("10.00", "USD"),
        Money("2.00", "USD"),
        Money("12.00", "USD"),
    )
    half = invoice_of([line("6.00", vat)])
    assert (half.net, half.tax) == (Money("5.00", "USD"), Money("1.00", "USD"))
    assert half.amount_due == Money("6.00", "USD")


def test_two_rates_on_a_line_each_on_the_line_amount() -> None:
    """A state and a city rate: each on the line, not on the other tax."""
    state = TaxRate(name="State", percent=Decimal("6.25"))
    city = TaxRate(name="City", percent=Decimal("2.5"))
    invoice = invoice_of([line("80.00", state, city)])
    assert [str(t.amount) for t in invoice.taxes] == ["$5.00", "$2.00"]
    assert invoice.amount_due == Money("87.00", "USD")


def test_a_credit_is_taxed_at_the_rate_of_the_plan_it_credits() -> None:
    """The rate changed since the debit: the credit keeps the old rate."""
    old = Plan(id="pro", name="Pro", price=Money("30", "USD"), taxes=(TEN,))
    twenty = TaxRate(name="Sales tax", percent=20)
    new = Plan(
        id="max",
        name="Max",
        price=Money("60", "USD"),
        rank=1,
        taxes=(twenty,),
    )
    sub, first = Subscription.start(old, AT)
    assert first is not None
    assert (first.tax, first.amount_due) == (
        Money("3.00", "USD"),
        Money("33.00", "USD"),
    )
    sub, _ = sub.change_plan(new, datetime(2024, 6, 16, tzinfo=UTC))
    _, invoice = sub.bill()
    credit, charge = (
        t for t in invoice.taxes if t.taxable.amount != Decimal(60)
    )
    # June 16 of a 30-day June: 15/30 of $30 credited at 10%, of $60
    # charged at 20%; then July's $60 at 20%.
    assert (str(credit.taxable), str(credit.amount)) == ("-$15.00", "-$1.50")
    assert (str(charge.taxable), str(charge.amount)) == ("$30.00", "$6.00")
    assert invoice.tax == Money("16.50", "USD")  # -1.50 + 6.00 + 12.00
    assert invoice.amount_due == Money("91.50", "USD")  # 75.00 + 16.50
    assert "Tax: Sales tax 10% on -$15.00 = -$1.50" in invoice.explain()


def test_tax_follows_the_billing_policy() -> None:
    """The policy names the rounding order for a subscription's invoices."""
    cheap = Plan(id="s", price=Money("0.05", "USD"), taxes=(TEN,))
    policy = BillingPolicy(tax_rounding="per-invoice", tax_base="precise")
    _, invoice = Subscription.start(cheap, AT, policy=policy)
    assert invoice is not None
    assert invoice.taxes[0].line is None
    assert policy.tax_rounding is TaxRounding.PER_INVOICE
    assert policy.tax_base is TaxBase.PRECISE


# -- bad input ----------------------------------------------------------------


@pytest.mark.parametrize("percent", [-1, 101, Decimal("NaN"), 0.5, True])
def test_a_rate_outside_0_to_100_is_refused(percent: object) -> None:
    with pytest.raises(InvalidTaxError, match="percent"):
        TaxRate(name="Bad", percent=percent)  # type: ignore[arg-type]


def test_bad_tax_lists_and_options_are_refused() -> None:
    with pytest.raises(InvalidTaxError, match="twice"):
        Plan(id="p", price=Money("1", "USD"), taxes=(TEN, TEN))
    with pytest.raises(InvalidTaxError, match="not a TaxRate"):
        Plan(id="p", price=Money("1", "USD"), taxes=("10%",))  # type: ignore[arg-type]
    with pytest.raises(InvalidTaxError, match="name"):
        TaxRate(name=" ", percent=5)
    with pytest.raises(InvalidPolicyError, match="per-line"):
        BillingPolicy(tax_rounding="per-cent")  # type: ignore[arg-type]
    with pytest.raises(InvalidPolicyError, match="tax_base"):
        invoice_of([line("1", TEN)], tax_base="exact")


# -- properties ---------------------------------------------------------------

amounts = st.integers(min_value=-100_000, max_value=100_000).map(
    lambda cents: Decimal(cents).scaleb(-2)
)
percents = st.decimals(min_value=0, max_value=30, places=3)


@given(st.lists(amounts, min_size=1, max_size=8), percents)
def test_per_line_tax_is_the_sum_of_the_reference_line_taxes(
    values: list[Decimal], percent: Decimal
) -> None:
    rate = TaxRate(name="T", percent=percent)
    invoice = invoice_of([line(f"{v:f}", rate) for v in values])
    expected = sum(reference_tax(v, percent) for v in values)
    assert invoice.tax.amount == expected
    assert invoice.total.amount == sum(values) + expected


@given(st.lists(amounts, min_size=1, max_size=8), percents)
def test_per_invoice_tax_is_within_a_cent_a_line_of_per_line(
    values: list[Decimal], percent: Decimal
) -> None:
    rate = TaxRate(name="T", percent=percent)
    lines = [line(f"{v:f}", rate) for v in values]
    per_invoice = invoice_of(lines, tax_rounding="per-invoice")
    total = sum(values, Decimal(0))
    assert per_invoice.tax.amount == reference_tax(total, percent)
    per_line = invoice_of(lines)
    gap = abs(per_invoice.tax.amount - per_line.tax.amount)
    assert gap <= CENT * len(values)


@given(amounts, st.decimals(min_value=0, max_value=100, places=2))
def test_inclusive_tax_and_net_add_up_to_the_price(
    value: Decimal, percent: Decimal
) -> None:
    rate = TaxRate(name="VAT", percent=percent, inclusive=True)
    invoice = invoice_of([line(f"{value:f}", rate)])
    share = value * percent / (100 + percent)
    expected = share.quantize(CENT, ROUND_HALF_UP)
    assert invoice.tax.amount == expected
    assert invoice.net.amount + invoice.tax.amount == value
    assert invoice.total.amount == value


# -- per item: a line and the discounts on it taxed as one -------------------


def discount(amount: str, *rates: TaxRate) -> InvoiceLine:
    return InvoiceLine(
        kind=InvoiceLineKind.DISCOUNT,
        description="Coupon",
        amount=Money(amount, "USD"),
        start=AT,
        end=AT,
        calculation=amount,
        taxes=rates,
    )


NYC = TaxRate(name="NYC", percent=Decimal("8.875"))


def test_per_item_taxes_a_line_less_its_discount_once() -> None:
    """Paddle (paddle-go-sdk testdata/transactions_paginated_pg2.json,
    txn_01hv8m0mnx3sj85e7gxc6kga03): 199.00 less 19.90 at 8.875%, tax
    "1590" (8.875% of 179.10 = 15.895125); per line 17.66 - 1.77."""
    lines = [line("199.00", NYC), discount("-19.90", NYC)]
    per_item = invoice_of(lines, tax_rounding="per-item")
    assert str(per_item.tax) == "$15.90"
    assert per_item.tax.amount == reference_tax(Decimal("179.10"), NYC.percent)
    assert [t.line for t in per_item.taxes] == [0]
    assert str(invoice_of(lines, tax_rounding="per-line").tax) == "$15.89"


def test_per_item_groups_each_discount_with_the_line_before_it() -> None:
    lines = [
        line("10.05", TEN),
        discount("-1.00", TEN),
        line("0.05", TEN),
        line("0.05", TEN),
        discount("-0.01", TEN),
    ]
    taxes = invoice_of(lines, tax_rounding="per-item").taxes
    assert [(t.line, str(t.amount)) for t in taxes] == [
        (0, "$0.91"),  # 10% of 9.05 = 0.905
        (2, "$0.01"),  # 10% of 0.05 = 0.005
        (3, "$0.00"),  # 10% of 0.04 = 0.004
    ]
    per_line = invoice_of(lines, tax_rounding="per-line").tax
    assert str(per_line) == "$0.93"  # 1.01 - 0.10 + 0.01 + 0.01 - 0.00


def test_per_document_rounds_each_tax_once_on_invoice_and_note() -> None:
    """Lago (getlago/lago-api @ 1b1c24a6, spec/scenarios/credit_notes/
    credit_note_spec.rb, "when two similar items are refunded
    separately"): two fees of 68_33 at 20% carry taxes_amount_cents 27_33
    (20% of 136.66 = 27.332), not twice 13.67. A change's credit (with
    the discount on it) is its credit note's: that tax is rounded there
    on its own sum, never netted against the charges'."""
    twenty = TaxRate(name="VAT", percent=20)
    fees = [line("68.33", twenty), line("68.33", twenty)]
    both = invoice_of(fees, tax_rounding="per-document")
    assert [str(t.amount) for t in both.taxes] == ["$27.33"]
    assert both.tax.amount == reference_tax(Decimal("136.66"), twenty.percent)
    assert str(invoice_of(fees, tax_rounding="per-line").tax) == "$27.34"
    mixed = [
        line("-0.05", TEN),
        discount("0.01", TEN),
        line("-0.05", TEN),
        line("0.05", TEN),
        discount("-0.01", TEN),
        line("0.05", TEN),
    ]
    taxes = invoice_of(mixed, tax_rounding="per-document").taxes
    assert [(t.line, str(t.taxable), str(t.amount)) for t in taxes] == [
        (None, "-$0.09", "-$0.01"),  # the note: 10% of -0.09 = -0.009
        (None, "$0.09", "$0.01"),  # the invoice: 10% of 0.09 = 0.009
    ]
    netted = invoice_of(mixed, tax_rounding="per-invoice").taxes
    assert [str(t.amount) for t in netted] == ["$0.00"]
