"""Invoice rounding to a cash increment (``BillingPolicy.invoice_rounding``).

Sources:

- Zuora, docs.zuora.com/en/zuora-billing/bill-your-customer/invoice-
  management/invoice-level-rounding/invoice-level-rounding-example (the
  scrape chrisesposito92/zuca-v2 @ 8da193a6, zuora-docs-scrapper/output/
  zuora-billing/bill-your-customer_invoice-management_invoice-level-
  rounding_invoice-level-rounding-example.md): Rounding Increment 0.05,
  Rounding Mode Up, items of 1 (tax 0.11) and 1.01 (tax 0), "the invoice
  total amount is rounded from 2.12 to 2.15. As a result, a 0.03 rounding
  invoice item is created", its Tax 0; the Rounding Amount item is dated
  the invoice date and carries no tax (.../invoice-level-rounding/
  rounding-amount-invoice-item-object: "ServiceStartDate Set to the
  invoice date", "TaxAmount No value"). The Customize Currencies page
  (set-up-zuora-billing/billing-settings-configuration/system-settings/
  customization-of-currencies) lists the modes Down, Up and Half Up.
- Odoo, odoo/odoo addons/account/tests/test_account_move_cash_rounding.py
  (``test_create_cash_rounding_flow``): 999.99 taxed 15%, rounding 0.05
  ``UP`` by ``add_invoice_line``: a line of credit 0.01 without tax,
  "amount_untaxed 1000.0", "amount_tax 150.0", "amount_total 1150.0";
  rounded ``DOWN`` (there by the tax line, ``biggest_tax``): "amount_total
  1149.95", the tax lowered by "debit 0.04".
- Swiss 5-rappen rounding, half up (github.com/craftcms/commerce/
  discussions/3216): "9.99 must be rounded to 10.00 ... 9.97 must be
  rounded to 9.95 ... 9.93 must be rounded to 9.95, 9.92 must be rounded
  to 9.90".

The property's oracle is ``Decimal.quantize`` with the mode's ``decimal``
rounding, not prorata.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    AddOn,
    ArgumentTypeError,
    BillingPolicy,
    ChangeBilling,
    FloatAmountError,
    InvalidPolicyError,
    Invoice,
    InvoiceLine,
    InvoiceLineKind,
    InvoiceRounding,
    Item,
    Money,
    Plan,
    ProrataError,
    RoundingMode,
    Subscription,
    TaxRate,
    TaxRounding,
    settle,
)
from prorata.presets import CONVENTIONS
from tests.common import DECIMAL_ROUNDING

AT = datetime(2024, 1, 1, tzinfo=UTC)
CHF = "CHF"
TAX_11 = TaxRate(name="Tax", percent=11)
UP_005 = InvoiceRounding(increment=Money("0.05", CHF), mode=RoundingMode.UP)


def chf(amount: str) -> Money:
    return Money(amount, CHF)


def line(amount: Money, *taxes: TaxRate) -> InvoiceLine:
    return InvoiceLine(
        kind=InvoiceLineKind.SUBSCRIPTION,
        description="Item",
        amount=amount,
        start=AT,
        end=AT,
        calculation=str(amount),
        taxes=taxes,
    )


def settled(
    lines: list[InvoiceLine],
    rounding: InvoiceRounding | None,
    balance: Money | None = None,
    tax_rounding: TaxRounding = TaxRounding.PER_LINE,
) -> Invoice:
    currency = lines[0].amount.currency
    return settle(
        lines,
        currency=currency,
        issued_at=AT,
        calculated_at=AT,
        credit_balance=Money.zero(currency) if balance is None else balance,
        tax_rounding=tax_rounding,
        rounding=rounding,
    )


def zd2_invoice(policy: BillingPolicy) -> Invoice:
    """Zuora's two items through a subscription: 1 (tax 11%) and 1.01."""
    _, invoice = Subscription.start(
        Plan(id="item-1", price=chf("1"), taxes=(TAX_11,)),
        AT,
        policy=policy,
        items=(Item(AddOn(id="item-2", price=chf("1.01")), 1),),
    )
    assert invoice is not None
    return invoice


# ------------------------------------------------------- the sources' cases


class TestZuora:
    def test_zd2_rounding_item_of_003_to_215(self) -> None:
        """ZD2: the zuora convention with the documented option (Rounding
        Increment 0.05, Rounding Mode Up): items 1 (tax 0.11) and 1.01,
        "a 0.03 rounding invoice item", "Invoice Total Amount 2.15"; the
        rounding item's tax is 0."""
        policy = replace(
            CONVENTIONS["zuora-actual-days"], invoice_rounding=UP_005
        )
        invoice = zd2_invoice(policy)
        (rounding,) = invoice.lines_of(InvoiceLineKind.ROUNDING)
        assert rounding.amount == chf("0.03")
        assert invoice.total == chf("2.15")
        assert invoice.tax == chf("0.11")
        assert rounding.taxes == ()
        assert rounding.product is None
        assert (rounding.start, rounding.end) == (AT, AT)
        assert invoice.amount_due == chf("2.15")
        assert invoice.lines[-1] is rounding

    def test_zd1_without_the_option_stays_212(self) -> None:
        """ZD1, the same items before the feature: "2.12 (1+0.11+1.01+0)",
        no rounding item."""
        invoice = zd2_invoice(CONVENTIONS["zuora-actual-days"])
        assert invoice.total == chf("2.12")
        assert not invoice.lines_of(InvoiceLineKind.ROUNDING)

    def test_zd2_by_settle(self) -> None:
        """ZD2 by ``settle(rounding=...)``: the same 0.03 and 2.15."""
        invoice = settled([line(chf("1"), TAX_11), line(chf("1.01"))], UP_005)
        assert invoice.lines[-1].amount == chf("0.03")
        assert invoice.subtotal == chf("2.04")  # 1 + 1.01 + 0.03
        assert invoice.total == chf("2.15")


class TestOdoo:
    FIFTEEN = TaxRate(name="Tax 15%", percent=15)

    def invoice(self, mode: RoundingMode) -> Invoice:
        rounding = InvoiceRounding(increment=Money("0.05", "USD"), mode=mode)
        return settled([line(Money("999.99", "USD"), self.FIFTEEN)], rounding)

    def test_up_adds_an_untaxed_line_of_001(self) -> None:
        """test_create_cash_rounding_flow, add_invoice_line, UP: the
        rounding line "credit 0.01", "tax_ids []"; "amount_untaxed 1000.0",
        "amount_tax 150.0", "amount_total 1150.0"."""
        invoice = self.invoice(RoundingMode.UP)
        (rounding,) = invoice.lines_of(InvoiceLineKind.ROUNDING)
        assert rounding.amount == Money("0.01", "USD")
        assert rounding.taxes == ()
        assert invoice.subtotal == Money("1000.00", "USD")
        assert invoice.tax == Money("150.00", "USD")
        assert invoice.total == Money("1150.00", "USD")

    def test_down_totals_114995(self) -> None:
        """The same, DOWN: "amount_total 1149.95", 0.04 taken off (Odoo
        takes it off the tax line, ``biggest_tax``; prorata bills it as
        the rounding line, the tax left at 150.00)."""
        invoice = self.invoice(RoundingMode.DOWN)
        assert invoice.total == Money("1149.95", "USD")
        (rounding,) = invoice.lines_of(InvoiceLineKind.ROUNDING)
        assert rounding.amount == Money("-0.04", "USD")
        assert invoice.tax == Money("150.00", "USD")


SWISS = [
    ("9.99", "10.00"),
    ("9.98", "10.00"),
    ("9.97", "9.95"),
    ("9.96", "9.95"),
    ("9.95", "9.95"),
    ("9.94", "9.95"),
    ("9.93", "9.95"),
    ("9.92", "9.90"),
    ("9.91", "9.90"),
]


@pytest.mark.parametrize(("total", "expected"), SWISS)
def test_swiss_five_rappen_half_up(total: str, expected: str) -> None:
    """craftcms/commerce discussion 3216, rounding to 5 rappen: each
    total as the discussion rounds it."""
    rounding = InvoiceRounding(increment=chf("0.05"))
    invoice = settled([line(chf(total))], rounding)
    assert invoice.total == chf(expected)
    assert len(invoice.lines_of(InvoiceLineKind.ROUNDING)) == (
        total != expected
    )


# ------------------------------------------------- each mode, by hand


# (total, increment, mode, rounded), worked by hand: 2.12 is 42.4
# increments of 0.05; 2.15 and 2.25 are ties (21.5, 22.5) of 0.10.
BY_HAND = [
    ("2.12", "0.05", "up", "2.15"),
    ("2.12", "0.05", "down", "2.10"),
    ("2.12", "0.05", "half-up", "2.10"),
    ("2.13", "0.05", "half-up", "2.15"),
    ("2.12", "0.05", "ceiling", "2.15"),
    ("2.12", "0.05", "floor", "2.10"),
    ("-2.12", "0.05", "up", "-2.15"),
    ("-2.12", "0.05", "down", "-2.10"),
    ("-2.12", "0.05", "ceiling", "-2.10"),
    ("-2.12", "0.05", "floor", "-2.15"),
    ("-2.13", "0.05", "half-up", "-2.15"),
    ("2.15", "0.10", "half-up", "2.20"),
    ("2.15", "0.10", "half-down", "2.10"),
    ("2.15", "0.10", "half-even", "2.20"),
    ("2.25", "0.10", "half-even", "2.20"),
    ("2.25", "0.10", "half-up", "2.30"),
    ("-2.15", "0.10", "half-up", "-2.20"),
    ("-2.15", "0.10", "half-down", "-2.10"),
    ("-2.25", "0.10", "half-even", "-2.20"),
    ("2.10", "0.05", "up", "2.10"),
    ("0.01", "1.00", "up", "1.00"),
    ("0.50", "1.00", "half-even", "0.00"),
]


@pytest.mark.parametrize(("total", "step", "mode", "rounded"), BY_HAND)
def test_each_mode_by_hand(
    total: str, step: str, mode: str, rounded: str
) -> None:
    """The total rounded as the mode says, the rounding line the
    difference (none when it is zero)."""
    rounding = InvoiceRounding(increment=chf(step), mode=RoundingMode(mode))
    invoice = settled([line(chf(total))], rounding)
    assert invoice.total == chf(rounded)
    lines = invoice.lines_of(InvoiceLineKind.ROUNDING)
    difference = Decimal(rounded) - Decimal(total)
    assert [x.amount.amount for x in lines] == (
        [difference] if difference else []
    )


def test_other_minor_units() -> None:
    """Yen to 10 (no decimals) and dinars to 0.005 (three), by hand:
    1234 down is 1230, 1.234 KWD half up is 1.235."""
    yen = InvoiceRounding(increment=Money("10", "JPY"), mode="down")
    assert settled([line(Money("1234", "JPY"))], yen).total == Money(
        "1230", "JPY"
    )
    dinar = InvoiceRounding(increment=Money("0.005", "KWD"))
    assert settled([line(Money("1.234", "KWD"))], dinar).total == Money(
        "1.235", "KWD"
    )


# ------------------------------------------------------ the settlement


def test_credit_balance_applies_to_the_rounded_total() -> None:
    """ZD2's 2.15 less a balance of 1.00: 1.15 due, nothing carried."""
    invoice = settled(
        [line(chf("1"), TAX_11), line(chf("1.01"))], UP_005, chf("1.00")
    )
    assert invoice.total == chf("2.15")
    assert invoice.credit_applied == chf("1.00")
    assert invoice.amount_due == chf("1.15")


def test_a_credit_larger_than_the_total_carries_it_forward() -> None:
    """A balance of 5 on ZD2's 2.15: all of 2.15 applied, 2.85 carried."""
    invoice = settled(
        [line(chf("1"), TAX_11), line(chf("1.01"))], UP_005, chf("5")
    )
    assert invoice.credit_applied == chf("2.15")
    assert invoice.credit_balance_after == chf("2.85")


def test_the_rounding_line_is_untaxed_under_per_invoice_tax() -> None:
    """Per invoice, the 11% is still on CHF 1 alone: 0.11."""
    invoice = settled(
        [line(chf("1"), TAX_11), line(chf("1.01"), TAX_11)],
        UP_005,
        tax_rounding=TaxRounding.PER_INVOICE,
    )
    # 2.01 x 11% = 0.2211 -> 0.22; 2.01 + 0.22 = 2.23 -> 2.25.
    assert invoice.tax == chf("0.22")
    assert invoice.total == chf("2.25")


def test_every_invoice_of_a_subscription_is_rounded() -> None:
    """The sign-up, a change billed at once, the renewal and the
    cancellation (a credit) are each settled to a multiple of CHF 0.05,
    up (away from zero): their lines and tax without the rounding line
    fall short of it, in size, by less."""
    policy = replace(
        CONVENTIONS["zuora-actual-days"],
        invoice_rounding=UP_005,
        charge_billing=ChangeBilling.INVOICE_NOW,
    )
    first = Plan(id="a", price=chf("10.01"), taxes=(TAX_11,))
    second = Plan(id="b", price=chf("20.03"), rank=1)
    sub, signup = Subscription.start(first, AT, policy=policy)
    sub, changed = sub.change_plan(second, AT + timedelta(days=9))
    sub, renewal = sub.bill()
    _, cancelled = sub.cancel(AT + timedelta(days=40))
    invoices = [signup, changed.invoice, renewal, cancelled.invoice]
    for invoice in invoices:
        assert invoice is not None
        assert invoice.total.minor_units % 5 == 0, invoice
        before = invoice.total - sum(
            (x.amount for x in invoice.lines_of(InvoiceLineKind.ROUNDING)),
            chf("0"),
        )
        assert chf("0") <= abs(invoice.total) - abs(before) < chf("0.05")
    assert signup is not None
    # 10.01 + 1.10 of tax = 11.11, up to 11.15.
    assert signup.total == chf("11.15")


def test_the_trial_end_ledger_leaves_the_rounding_out() -> None:
    """After a trial, the period's ledger (``paid``, which caps what a
    cancellation returns) holds what the plan's line bills, CHF 10.01,
    not the total rounded up to 11.15 (10.01 + 1.10 of tax, 11.11)."""
    policy = replace(CONVENTIONS["zuora-actual-days"], invoice_rounding=UP_005)
    plan = Plan(id="a", price=chf("10.01"), taxes=(TAX_11,))
    sub, _ = Subscription.start(plan, AT, policy=policy, trial=timedelta(7))
    sub, invoice = sub.end_trial(AT + timedelta(days=3))
    assert invoice is not None
    assert invoice.total == chf("11.15")
    assert sub.paid == chf("10.01")
    assert invoice.lines[-1].kind is InvoiceLineKind.ROUNDING


# -------------------------------------------------------- the property




@given(
    cents=st.integers(-(10**9), 10**9),
    step=st.integers(1, 500),
    mode=st.sampled_from(list(RoundingMode)),
)
def test_rounded_total_is_a_multiple_within_one_increment(
    cents: int, step: int, mode: RoundingMode
) -> None:
    """The settled total is a whole number of increments, less than one
    increment from the total before, on the side the mode says, and the
    one ``Decimal.quantize`` gives."""
    total = Money.from_minor_units(cents, CHF)
    increment = Money.from_minor_units(step, CHF)
    rounding = InvoiceRounding(increment=increment, mode=mode)
    rounded = settled([line(total)], rounding).total
    units = rounded.minor_units
    assert units % step == 0
    assert abs(units - cents) < step
    if mode is RoundingMode.UP:
        assert abs(units) >= abs(cents)
    elif mode is RoundingMode.DOWN:
        assert abs(units) <= abs(cents)
    elif mode is RoundingMode.CEILING:
        assert units >= cents
    elif mode is RoundingMode.FLOOR:
        assert units <= cents
    else:  # half modes: the nearest multiple
        assert 2 * abs(units - cents) <= step
    quotient = (Decimal(cents) / Decimal(step)).quantize(
        Decimal(1), rounding=DECIMAL_ROUNDING[mode]
    )
    assert units == int(quotient) * step
    assert rounding.rounded(total) == rounded


# ------------------------------------------------------------ refusals


def test_a_float_increment_is_refused() -> None:
    with pytest.raises(FloatAmountError, match="float"):
        InvoiceRounding(increment=0.05)  # type: ignore[arg-type]


def test_an_increment_not_a_money_is_refused() -> None:
    with pytest.raises(ArgumentTypeError, match="pass a Money"):
        InvoiceRounding(increment=Decimal("0.05"))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "increment",
    [
        Money("0", CHF),
        Money("-0.05", CHF),
        Money("0.001", CHF),
        Money("0.025", CHF),
        Money("0.5", "JPY"),
    ],
)
def test_an_increment_not_a_positive_multiple_of_the_minor_unit(
    increment: Money,
) -> None:
    with pytest.raises(InvalidPolicyError, match="whole minor units"):
        InvoiceRounding(increment=increment)


def test_a_mode_outside_the_rounding_modes_is_refused() -> None:
    with pytest.raises(InvalidPolicyError, match="half-up"):
        InvoiceRounding(
            increment=chf("0.05"),
            mode="nearest",  # type: ignore[arg-type]
        )


def test_an_increment_of_another_currency_is_refused() -> None:
    """At ``settle``, and at ``Subscription.start``, before any invoice."""
    with pytest.raises(InvalidPolicyError, match="increment is in USD"):
        settled([line(Money("2.12", "USD"))], UP_005)
    policy = BillingPolicy(invoice_rounding=UP_005)
    with pytest.raises(InvalidPolicyError, match="increment is in USD"):
        Subscription.start(
            Plan(id="usd", price=Money("1", "USD")), AT, policy=policy
        )
    with pytest.raises(InvalidPolicyError):
        UP_005.rounded(Money("2.12", "USD"))


def test_a_rounding_option_of_another_type_is_refused() -> None:
    with pytest.raises(InvalidPolicyError, match="an InvoiceRounding"):
        BillingPolicy(invoice_rounding="0.05")  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="an InvoiceRounding"):
        settled([line(chf("1"))], "0.05")  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="a Money"):
        UP_005.rounded("2.12")  # type: ignore[arg-type]


def test_refusals_are_prorata_errors() -> None:
    """Each refusal above is one a caller can catch as ProrataError."""
    assert issubclass(FloatAmountError, ProrataError)
    assert issubclass(InvalidPolicyError, ProrataError)
    assert issubclass(ArgumentTypeError, ProrataError)


def test_mode_strings_are_coerced() -> None:
    rounding = InvoiceRounding(increment=chf("0.05"), mode="up")
    assert rounding.mode is RoundingMode.UP
    assert str(rounding) == "CHF 0.05, up"
