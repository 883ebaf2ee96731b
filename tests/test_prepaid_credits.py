"""Prepaid credit: a wallet bought untaxed, drawn on after tax (issue #16).

Lago's rule, from its own pages and code:

- A credit purchase is an advance payment and is not taxed: "the tax rate
  no longer applies to the purchase of credits" (getlago/lago-docs @
  502a9e78, changelog/invoice-calculation-method.md).
- An invoice is taxed first, then reduced by the credit notes, then by
  the prepaid credits, each at its face amount (lago-docs
  docs/guide/12_credit_notes.md, "EXAMPLE OF INVOICE"; getlago/lago-api @
  1b1c24a6, app/services/invoices/calculate_fees_service.rb ``call``:
  ``ComputeTaxesAndTotalsService``, then ``create_credit_note_credit``,
  then ``create_applied_prepaid_credit``).
- The wallets draw at most what the total still leaves due, and only on
  a positive total (app/services/credits/
  allocate_prepaid_credits_by_wallets_service.rb: ``[remaining_amount,
  remaining_wallet_balance, remaining_invoice_amount].min``;
  calculate_fees_service.rb ``should_create_applied_prepaid_credit?``);
  a wallet pays only invoices of its own currency
  (applied_prepaid_credits_service.rb ``wallets``: ``balance_currency:
  invoice.currency``).

The other engines with wallets draw differently and are not this rule:
Flexprice takes wallet credit off the usage lines' amounts after
discounts, its tax still on the amount before the wallet ("Wallet credits
reduce the amount owed but do not reduce the taxable base",
docs.flexprice.io/docs/invoices/calculation; flexprice/flexprice @
e4b5303f, internal/ee/service/credit_adjustment.go
``CalculateCreditAdjustments``: usage lines only, each up to ``Amount -
LineItemDiscount - InvoiceLevelDiscount``), so the tax is always owed;
Orb deducts its prepaid credits before tax (docs.withorb.com/invoicing/
invoice-calculation-examples, step 4 "Prepurchase" before step 7 "Tax";
docs.withorb.com/product-catalog/credit-systems: prepaid credits "Before
taxes", the customer balance "After taxes"), its customer balance being
prorata's credit balance.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    ArgumentTypeError,
    BillingPolicy,
    Charge,
    Coupon,
    CurrencyMismatchError,
    Discount,
    FinalBalance,
    InvalidAmountError,
    Invoice,
    InvoiceLine,
    InvoiceLineKind,
    Money,
    Plan,
    Subscription,
    SubscriptionEndedError,
    TaxRate,
    UsageAllowance,
    from_dict,
    invoice_record,
    presets,
    settle,
    to_dict,
)
from prorata.__main__ import main
from tests.common import eur, usd, usd_cents, utc
from tests.strategies import billing_policies, metered_plans

C = presets.CONVENTIONS


def taxed(percent: str) -> tuple[TaxRate, ...]:
    """One tax rate, as a plan's or a charge's ``taxes``."""
    return (TaxRate(name="VAT", percent=Decimal(percent)),)


# A plan of $50 a month taxed at 10%: $55.00 an invoice.
FIFTY = Plan(id="fifty", price=usd("50"), taxes=taxed("10"))


def fifty(
    policy: BillingPolicy | None = None,
) -> tuple[Subscription, Invoice]:
    """FIFTY from 2024-06-01 in advance, and its sign-up invoice."""
    sub, first = Subscription.start(
        FIFTY, utc(2024, 6, 1), policy=policy or C["lago"]
    )
    assert first is not None
    return sub, first


# ---------------------------------------------------------------- Lago


class TestLago:
    def test_ld3_credit_notes_then_prepaid_credits_after_tax(self) -> None:
        """LD3 (getlago/lago-docs @ 502a9e78, docs/guide/12_credit_notes.md,
        "EXAMPLE OF INVOICE"): "All subscriptions = $50", "All usage-based
        fees = $20", "Coupons = $10", "Subtotal (excl. tax) = $60", "Tax
        (10%) = $6", "Subtotal (incl. tax) = $66", "Credit notes = $20",
        "Prepaid credits = $30", "Total due = $16".

        By the ``lago`` convention: the $50 plan billed in advance with the
        $20 of July's usage in arrears on August 1st, a $10 coupon. The
        credit note wallet is a credit issued in July: a Lago credit note
        credits "the full invoice amount (tax included)", so its $20 are
        $18.18 and their $1.82 of tax. The prepaid credits are $30 topped
        up, untaxed.
        """
        plan = Plan(
            id="subscriptions",
            price=usd("50"),
            taxes=taxed("10"),
            allowances=(
                UsageAllowance(
                    metric="api", included=0, overage_price=usd("1")
                ),
            ),
        )
        sub, _ = Subscription.start(plan, utc(2023, 7, 1), policy=C["lago"])
        sub, note = sub.issue_credit(usd("18.18"), utc(2023, 7, 10))
        assert note.total == usd("-20.00")
        sub = sub.record_usage("api", 20, utc(2023, 7, 15))
        coupon = Coupon(discount=Discount(amount=usd("10")), periods=2)
        sub = sub.apply_coupon(coupon, utc(2023, 7, 20))
        sub = sub.top_up(usd("30"))
        assert sub.credit_balance == usd("20.00")
        assert sub.prepaid_balance == usd("30")  # untaxed: not $33
        sub, invoice = sub.bill()
        assert invoice.issued_at == utc(2023, 8, 1)
        assert invoice.subtotal == usd("60.00")
        assert invoice.tax == usd("6.00")
        assert invoice.total == usd("66.00")
        assert invoice.credit_applied == usd("20.00")
        assert invoice.prepaid_applied == usd("30.00")
        assert invoice.amount_due == usd("16.00")
        text = invoice.explain()
        assert "Credit balance applied: -$20.00 (of $20.00)" in text
        assert "Prepaid credit applied: -$30.00 (of $30.00)" in text
        # In Lago's order: the credit notes, then the prepaid credits.
        assert text.index("Credit balance applied") < text.index(
            "Prepaid credit applied"
        )
        assert sub.credit_balance == sub.prepaid_balance == usd("0")

    def test_wallet_pays_pay_in_advance_charges_with_their_tax(self) -> None:
        """lago-api @ 1b1c24a6, spec/scenarios/invoices/
        invoicing_with_prepaid_credits_spec.rb, "invoices a customer with
        prepaid credits": a wallet of "39.00" credits at rate 1 EUR, tax
        24%, a pay-in-advance charge "14.29": "sub_total_including_taxes_
        amount ... 17.72", "prepaid_credit_amount ... 17.72", total 0,
        wallet "21.28"; then a charge "14.27": "17.69", "17.69", wallet
        "3.59".

        Each pay-in-advance fee as a one-time charge on a free plan, billed
        at once (the spec's wallet limits itself to those two metrics; the
        third, untaxed one is not modelled).
        """
        free = Plan(id="usage", price=eur("0"))
        sub, _ = Subscription.start(free, utc(2025, 1, 1), policy=C["lago"])
        sub = sub.top_up(eur("39.00"))
        for price, at, shown, left in [
            ("14.29", utc(2025, 1, 2), "17.72", "21.28"),
            ("14.27", utc(2025, 1, 3), "17.69", "3.59"),
        ]:
            charge = Charge(id="count", price=eur(price), taxes=taxed("24"))
            sub, invoice = sub.add_charge(charge, at)
            assert invoice.total == eur(shown)
            assert invoice.prepaid_applied == eur(shown)
            assert invoice.amount_due == eur("0")
            assert invoice.prepaid_balance_after == eur(left)
            assert sub.prepaid_balance == eur(left)

    def test_preview_with_a_credit_note_or_a_wallet(self) -> None:
        """lago-api @ 1b1c24a6, spec/services/invoices/
        preview_service_spec.rb, "with calendar billing": a monthly plan
        of 100 cents EUR (spec/factories/plans.rb, in arrears), tax 50%,
        from 30 Mar 2024, previewed for 2024-04-01: "fees_amount_cents ...
        6", "taxes_amount_cents ... 3", "sub_total_including_taxes_amount_
        cents ... 9". "with credit note credits" (2 cents):
        "credit_notes_amount_cents ... 2", "total_amount_cents ... 7";
        "with wallet credits" (balance "0.03"): "prepaid_credit_amount_
        cents ... 3", "total_amount_cents ... 6".

        By ``lago-in-arrears``, anchored on the calendar's 1st; the credit
        note wallet as the subscription's credit balance.
        """
        plan = Plan(id="monthly", price=eur("1.00"), taxes=taxed("50"))
        sub, first = Subscription.start(
            plan,
            utc(2024, 3, 30),
            policy=C["lago-in-arrears"],
            anchor=utc(2024, 4, 1),
        )
        assert first is None
        credited = replace(sub, credit_balance=eur("0.02")).preview_invoice()
        prepaid = sub.top_up(eur("0.03")).preview_invoice()
        for invoice in (credited, prepaid):
            assert invoice.issued_at == utc(2024, 4, 1)
            assert invoice.subtotal.minor_units == 6
            assert invoice.tax.minor_units == 3
            assert invoice.total.minor_units == 9
        assert credited.credit_applied.minor_units == 2
        assert credited.amount_due.minor_units == 7
        assert prepaid.prepaid_applied.minor_units == 3
        assert prepaid.amount_due.minor_units == 6


# ---------------------------------------------------------- by hand


class TestByHand:
    def test_a_wallet_larger_than_the_total_is_carried_over(self) -> None:
        """$100 topped up, two invoices of $55.00 ($50 + 10%): the first
        draws $55.00 and carries $45.00; the second draws the $45.00 and
        leaves $10.00 due."""
        sub, _ = fifty()
        sub = sub.top_up(usd("100"))
        sub, july = sub.bill()
        assert (july.total, july.prepaid_applied) == (usd("55"), usd("55"))
        assert july.amount_due == usd("0")
        assert july.prepaid_balance_after == usd("45.00")
        sub, august = sub.bill()
        assert august.prepaid_balance_before == usd("45.00")
        assert august.prepaid_applied == usd("45.00")
        assert august.amount_due == usd("10.00")
        assert sub.prepaid_balance == usd("0")
        assert "Prepaid credit carried forward: $0.00" in august.explain()

    def test_the_credit_balance_is_drawn_before_the_wallet(self) -> None:
        """$40 of credit balance and $30 of prepaid credit on a $55.00
        invoice: the credit balance goes first ($40), the wallet pays the
        $15 left and keeps $15."""
        sub, _ = fifty()
        sub = replace(sub, credit_balance=usd("40")).top_up(usd("30"))
        sub, invoice = sub.bill()
        assert invoice.credit_applied == usd("40.00")
        assert invoice.prepaid_applied == usd("15.00")
        assert invoice.amount_due == usd("0")
        assert (sub.credit_balance, sub.prepaid_balance) == (
            usd("0"),
            usd("15.00"),
        )

    def test_the_wallet_does_not_change_the_tax(self) -> None:
        """The $5.00 of tax on $50 is the same with $30 of prepaid credit:
        it is drawn on the total, after tax."""
        sub, _ = fifty()
        plain = sub.preview_invoice()
        drawn = sub.top_up(usd("30")).preview_invoice()
        assert plain.tax == drawn.tax == usd("5.00")
        assert drawn.amount_due == usd("25.00")

    def test_a_credit_invoice_leaves_the_wallet_alone(self) -> None:
        """A $10 credit issued (-$11.00 with tax) goes to the credit
        balance; the $30 of prepaid credit is not drawn and not added to."""
        sub, _ = fifty()
        sub = sub.top_up(usd("30"))
        sub, note = sub.issue_credit(usd("10"), utc(2024, 6, 10))
        assert note.total == usd("-11.00")
        assert note.prepaid_applied == usd("0")
        assert note.prepaid_balance_after == usd("30.00")
        assert sub.credit_balance == usd("11.00")
        assert sub.prepaid_balance == usd("30.00")

    def test_the_wallet_outlives_the_subscription(self) -> None:
        """Cancelled on June 11 (credit forfeited on the final invoice by
        ``final_balance="forfeit"``): the $20 of prepaid credit is the
        customer's and stays; a top-up after the end is refused."""
        sub, _ = fifty(BillingPolicy(final_balance=FinalBalance.FORFEIT))
        sub = sub.top_up(usd("20"))
        sub, outcome = sub.cancel(utc(2024, 6, 11))
        assert outcome.invoice is not None
        assert outcome.invoice.forfeited > usd("0")
        assert outcome.invoice.prepaid_balance_after == usd("20.00")
        assert sub.prepaid_balance == usd("20.00")
        with pytest.raises(SubscriptionEndedError, match="top up"):
            sub.top_up(usd("5"))

    def test_a_trial_end_and_a_resume_draw_in_order(self) -> None:
        """Starter ($35) with a 14-day trial and $20 topped up in it: the
        trial's end bills $35.00, $20.00 from the wallet, $15.00 due. Under
        ``kill-bill``, $50 topped up, paused on June 11 (20/30 of $35
        credited, $23.33) and resumed on the 21st (10 days to July 1,
        $11.67): the resume is paid from the credit balance, the wallet
        untouched."""
        starter = Plan(id="starter", price=usd("35"))
        sub, _ = Subscription.start(
            starter, utc(2024, 6, 1), trial=timedelta(days=14)
        )
        sub, end = sub.top_up(usd("20")).bill()
        assert (end.total, end.prepaid_applied) == (usd("35"), usd("20"))
        assert end.amount_due == usd("15.00")
        sub, _ = Subscription.start(
            starter, utc(2024, 6, 1), policy=C["kill-bill"]
        )
        sub, paused = sub.top_up(usd("50")).pause(utc(2024, 6, 11))
        assert paused is not None
        assert paused.credit_balance_after == usd("23.33")
        sub, resumed = sub.resume(utc(2024, 6, 21))
        assert resumed is not None
        assert resumed.total == resumed.credit_applied == usd("11.67")
        assert resumed.prepaid_applied == usd("0")
        assert sub.prepaid_balance == usd("50.00")

    def test_top_ups_add_up(self) -> None:
        """$10 and $2.50 topped up hold $12.50; the repr says so."""
        sub, _ = fifty()
        sub = sub.top_up(usd("10")).top_up(usd("2.50"))
        assert sub.prepaid_balance == usd("12.50")
        assert "prepaid=$12.50" in repr(sub)
        assert "prepaid" not in repr(fifty()[0])

    @pytest.mark.parametrize(
        ("amount", "error", "said"),
        [
            (30.0, ArgumentTypeError, "pass a Money"),
            ("30", ArgumentTypeError, "pass a Money"),
            (eur("30"), CurrencyMismatchError, "EUR and USD"),
            (usd("-5"), InvalidAmountError, "cannot be negative"),
            (usd("0"), InvalidAmountError, "above zero"),
            (usd("0.005"), InvalidAmountError, "minor unit"),
        ],
    )
    def test_bad_top_ups_are_refused(
        self, amount: object, error: type[Exception], said: str
    ) -> None:
        sub, _ = fifty()
        with pytest.raises(error, match=said):
            sub.top_up(amount)  # type: ignore[arg-type]

    def test_settle_refuses_bad_prepaid_credit(self) -> None:
        at = utc(2024, 6, 1)
        line = _line(usd("10"))
        for prepaid, error in [
            (eur("1"), CurrencyMismatchError),
            (usd("-1"), InvalidAmountError),
            (1.5, ArgumentTypeError),
        ]:
            with pytest.raises(error):
                settle(
                    [line],
                    currency="USD",
                    issued_at=at,
                    calculated_at=at,
                    credit_balance=usd("0"),
                    prepaid_balance=prepaid,  # type: ignore[arg-type]
                )

    def test_records_and_round_trips_carry_the_wallet(self) -> None:
        """The invoice record lists the three prepaid figures; a
        subscription and an invoice come back from to_dict equal."""
        sub, _ = fifty()
        sub = sub.top_up(usd("70"))
        sub, invoice = sub.bill()
        row = invoice_record(invoice)
        assert row["prepaid_balance_before"] == Decimal("70.00")
        assert row["prepaid_applied"] == Decimal("55.00")
        assert row["prepaid_balance_after"] == Decimal("15.00")
        assert row["amount_due"] == Decimal("0.00")
        assert from_dict(to_dict(sub), Subscription) == sub
        assert from_dict(to_dict(invoice), Invoice) == invoice
        assert "Prepaid credit applied" in invoice._repr_html_()


def _line(amount: Money, taxes: tuple[TaxRate, ...] = ()) -> InvoiceLine:
    at = datetime(2024, 6, 1, tzinfo=UTC)
    return InvoiceLine(
        kind=InvoiceLineKind.SUBSCRIPTION,
        description="By hand",
        amount=amount,
        start=at,
        end=at,
        calculation="",
        taxes=taxes,
    )


# ---------------------------------------------------------- properties

CENTS = st.integers(min_value=-50_000, max_value=50_000)
HELD = st.integers(min_value=0, max_value=50_000)


@settings(max_examples=200)
@given(
    lines=st.lists(CENTS, min_size=0, max_size=4),
    percent=st.sampled_from(["0", "7.5", "10", "20", "24"]),
    credit=HELD,
    prepaid=HELD,
)
def test_due_is_what_is_left_after_both_balances(
    lines: list[int], percent: str, credit: int, prepaid: int
) -> None:
    """amount due = max(0, total - credit balance - prepaid credit), the
    credit balance drawn first; each balance conserved: what it held is
    what was drawn plus what is carried (plus a credit invoice's amount,
    for the credit balance)."""
    at = utc(2024, 6, 1)
    invoice = settle(
        [
            _line(Money.from_minor_units(c, "USD"), taxed(percent))
            for c in lines
        ],
        currency="USD",
        issued_at=at,
        calculated_at=at,
        credit_balance=Money.from_minor_units(credit, "USD"),
        prepaid_balance=Money.from_minor_units(prepaid, "USD"),
    )
    total = invoice.total.minor_units
    due = invoice.amount_due.minor_units
    assert due == max(0, total - credit - prepaid)
    drawn_credit = invoice.credit_applied.minor_units
    drawn_prepaid = invoice.prepaid_applied.minor_units
    assert drawn_credit == max(0, min(credit, total))
    assert drawn_prepaid == max(0, min(prepaid, total - drawn_credit))
    assert prepaid == drawn_prepaid + invoice.prepaid_balance_after.minor_units
    assert (
        credit + max(0, -total)
        == drawn_credit + invoice.credit_balance_after.minor_units
    )
    if total >= 0:
        assert total == drawn_credit + drawn_prepaid + due


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=9_000), max_size=6))
def test_every_cent_topped_up_is_drawn_or_held(top_ups: list[int]) -> None:
    """Over months of $55.00 invoices, a top-up (in cents, zero none)
    before each: what was topped up is what the invoices drew plus what is
    held; each invoice's due is its total less what the wallet paid."""
    sub, _ = fifty()
    drawn = 0
    for cents in top_ups:
        if cents:
            sub = sub.top_up(Money.from_minor_units(cents, "USD"))
        sub, invoice = sub.bill()
        drawn += invoice.prepaid_applied.minor_units
        assert invoice.amount_due == invoice.total - invoice.prepaid_applied
    assert sum(top_ups) == drawn + sub.prepaid_balance.minor_units


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(
            ["invoice", "--plan", "starter", "--start", "2024-06-01", *args]
        )
    return code, out.getvalue(), err.getvalue()


def test_the_cli_tops_up_and_lists_the_prepaid_figures() -> None:
    """``prorata invoice --top-up 50@2024-06-10``, Starter ($35) from June
    1: July's $35.00 drawn from the $50 (due $0.00, $15.00 kept),
    August's $15.00 of it (due $20.00); the JSON carries the record's
    three figures, zero with no wallet."""
    code, out, _ = _cli(
        "--top-up", "50@2024-06-10", "--through", "2024-08-02", "--json"
    )
    assert code == 0
    signup, july, august = json.loads(out)["invoiced_before"]
    assert signup["prepaid_balance_before"] == "0.00"
    assert signup["prepaid_applied"] == signup["prepaid_balance_after"]
    assert (july["prepaid_applied"], july["amount_due"]) == ("35.00", "0.00")
    assert july["prepaid_balance_after"] == "15.00"
    assert (august["prepaid_applied"], august["amount_due"]) == (
        "15.00",
        "20.00",
    )
    assert (
        "Prepaid credit applied: -$15.00 (of $15.00)"
        in (august["explanation"])
    )


@pytest.mark.parametrize(
    ("top_up", "said"),
    [
        ("30", "is not AMOUNT@MOMENT"),
        ("1e3@2024-06-10", "is not AMOUNT@MOMENT"),
        ("0@2024-06-10", "not a positive amount in whole USD"),
        ("0.001@2024-06-10", "not a positive amount in whole USD"),
        ("30@2024-13-01", "--top-up"),
    ],
)
def test_the_cli_names_a_bad_top_up(top_up: str, said: str) -> None:
    code, out, err = _cli("--top-up", top_up)
    assert (code, out) == (1, "")
    assert said in err
    assert err.count("\n") == 1


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_the_wallet_chains_through_every_transition(
    data: st.DataObject,
) -> None:
    """Random plans, policies, changes, usage and top-ups over 1-4 periods:
    each invoice starts from the wallet the last one left plus the top-ups
    since; what was topped up is what was drawn plus what is held; and the
    invoices' totals are what was paid, less refunds, plus what the wallet
    paid, less the credit balance still held."""
    catalog = data.draw(metered_plans())
    sub, signup = Subscription.start(
        data.draw(st.sampled_from(catalog)),
        utc(2024, 1, 31),
        policy=data.draw(billing_policies),
    )
    wallet = Wallet()
    wallet.seen(signup)
    for _ in range(data.draw(st.integers(1, 4))):
        period = sub.period
        offsets = data.draw(
            st.lists(st.integers(0, period.seconds - 1), max_size=4)
        )
        for offset in sorted(offsets):
            at = period.start + timedelta(seconds=offset)
            event = data.draw(st.sampled_from(["usage", "change", "top-up"]))
            if event == "usage":
                sub = sub.record_usage(
                    "visits", data.draw(st.integers(0, 80_000)), at
                )
            elif event == "change":
                sub, outcome = sub.change_plan(
                    data.draw(st.sampled_from(catalog)), at
                )
                wallet.seen(outcome.invoice)
            else:
                amount = usd_cents(data.draw(st.integers(1, 30_000)))
                sub = sub.top_up(amount)
                wallet.held += amount
                wallet.topped += amount
        sub, invoice = sub.bill()
        wallet.seen(invoice)
    assert sub.prepaid_balance == wallet.held
    assert wallet.topped == wallet.drawn + wallet.held
    invoices = wallet.invoices
    paid = sum((i.amount_due - i.refund for i in invoices), usd("0"))
    totals = sum((i.total for i in invoices), usd("0"))
    assert paid + wallet.drawn - sub.credit_balance == totals


@dataclass
class Wallet:
    """The prepaid credit a test expects, followed invoice by invoice."""

    held: Money = field(default_factory=lambda: usd("0"))
    topped: Money = field(default_factory=lambda: usd("0"))
    drawn: Money = field(default_factory=lambda: usd("0"))
    invoices: list[Invoice] = field(default_factory=list)

    def seen(self, invoice: Invoice | None) -> None:
        """An invoice issued: it starts from the wallet held, and draws."""
        if invoice is None:
            return
        assert invoice.prepaid_balance_before == self.held
        assert invoice.prepaid_balance_after == (
            self.held - invoice.prepaid_applied
        )
        self.drawn += invoice.prepaid_applied
        self.held = invoice.prepaid_balance_after
        self.invoices.append(invoice)
