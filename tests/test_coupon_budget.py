"""A fixed-amount coupon as a budget for the billing period (issue #16).

``BillingPolicy.fixed_coupon_budget``: ``each-invoice`` (the default)
takes a fixed coupon's amount off each invoice's lines for the share of
the period each bills; ``period`` (the ``chargebee-*`` conventions) spends
it across the period's invoices, a line billed for the period discounted
by what the earlier ones left, a credit's reversal giving nothing back,
the next period starting with the whole amount.

Sources:

- chargebee.com/docs/2.0/coupons.html, "Fixed Amount Coupons": "Fixed
  Amount coupons can be applied only once in a billing cycle. However, if
  there is a surplus in the discount after applying the coupon once, the
  surplus discount will be applied again when there is a change in
  subscription within the same billing cycle"; "a $50 worth fixed amount
  coupon, but the total invoice amount is $10", "$10(the coupon is left
  with a balance of $40)", then a plan "that costs $100": "$40", "$60"
  (the sixth audit's CF2, docs/research/audit-2026-12-02f.md).
- chargebee.com/docs/billing/2.0/kb/billing/coupon-not-included-in-
  proration-calculation, "Fixed-amount coupon (on invoice amount)": "The
  fixed amount is applied to the total invoice amount for the billing
  period, not to every invoice. Once that fixed amount is fully used in
  the period, later invoices in the same period do not get the coupon
  again"; "If the first invoice was smaller than the coupon amount, the
  remainder is applied to the next invoice in that billing period".
- support.recurly.com, "What are fixed amount discounts?": "If the fixed
  amount discount is larger than the eligible charges on the invoice, the
  remaining discount will not be returned to the coupon redemption and
  will not carry over to other invoices" (``each-invoice``); Stripe's
  ``amount_off``: "Amount ... that will be taken off the subtotal of any
  invoices for this customer" (stripe-node types/Coupons.d.ts).

The other figures are computed by hand in each test.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    BillingPolicy,
    Coupon,
    Discount,
    FixedCouponBudget,
    InvalidPolicyError,
    Invoice,
    InvoiceLineKind,
    Plan,
    ProrataError,
    Subscription,
    presets,
)
from tests.cases import amounts, invoiced, started
from tests.common import usd, utc

if TYPE_CHECKING:
    from datetime import datetime

CHARGEBEE = presets.CONVENTIONS["chargebee-day"]
SMALL = Plan(id="small", price=usd("10"))
BIG = Plan(id="big", price=usd("100"))
FIFTY = Coupon(discount=Discount.amount_off(usd("50")))
EACH = replace(CHARGEBEE, fixed_coupon_budget=FixedCouponBudget.EACH_INVOICE)


def _small(
    policy: BillingPolicy = CHARGEBEE, coupon: Coupon = FIFTY
) -> Subscription:
    """$10 a month from 1 January 2024 under ``coupon``."""
    return started(SMALL, utc(2024, 1, 1), policy, coupons=[coupon])[0]


def _change(sub: Subscription, at: datetime, plan: Plan = BIG) -> list[str]:
    """The lines of the invoice a change to ``plan`` at ``at`` raises."""
    return amounts(invoiced(sub.change_plan(plan, at)[1]).lines)


class TestChargebee:
    def test_cf2_the_balance_goes_to_the_change(self) -> None:
        """CF2 by the ``chargebee-day`` convention alone: invoice #1 $10,
        discount $10 ("the coupon is left with a balance of $40"), $0;
        invoice #2, the change to the $100 plan at once in the same billing
        cycle: "$100", "$40", "$60". The $10 plan's unused time comes back
        net of its discount: -$10.00 and $10.00."""
        sub, first = started(
            SMALL, utc(2024, 1, 1), CHARGEBEE, coupons=[FIFTY]
        )
        assert amounts(first.lines) == ["$10.00", "-$10.00"]
        assert first.total == usd("0")
        second = invoiced(sub.change_plan(BIG, utc(2024, 1, 1))[1])
        assert amounts(second.lines) == [
            "-$10.00",
            "$10.00",
            "$100.00",
            "-$40.00",
        ]
        assert second.total == usd("60")

    def test_each_invoice_takes_the_full_amount(self) -> None:
        """``each-invoice`` (the default) in the same convention: the $100
        plan gets the whole $50 again, $50 due, as when audited."""
        lines = _change(_small(EACH), utc(2024, 1, 1))
        assert lines == ["-$10.00", "$10.00", "$100.00", "-$50.00"]

    def test_every_chargebee_convention_takes_the_budget(self) -> None:
        for name, policy in presets.CONVENTIONS.items():
            budget = policy.fixed_coupon_budget
            assert (budget is FixedCouponBudget.PERIOD) == name.startswith(
                "chargebee-"
            ), name


class TestPeriods:
    def test_not_carried_to_the_next_period(self) -> None:
        """The period after the change has the whole $50 again: $100 less
        $50, not the $10 the change left."""
        sub, _ = _small().change_plan(BIG, utc(2024, 1, 1))
        renewal = sub.bill()[1]
        assert amounts(renewal.lines) == ["$100.00", "-$50.00"]
        assert renewal.total == usd("50")

    def test_a_renewal_draws_on_its_period(self) -> None:
        """February's renewal takes $10 of February's $50; a change on 1
        February gets the $40 left, as the sign-up's period did."""
        sub, renewal = _small().bill()
        assert amounts(renewal.lines) == ["$10.00", "-$10.00"]
        lines = _change(sub, utc(2024, 2, 1))
        assert lines == ["-$10.00", "$10.00", "$100.00", "-$40.00"]

    def test_mid_period_change_prorates_what_is_left(self) -> None:
        """On 16 January, 16 of 31 days left: $100 x 16/31 = $51.61, the
        $40 left x 16/31 = $20.65 off (20.6452); the $10 plan's 16/31,
        $5.16, credited net of its $5.16 discount. Due: $30.96."""
        outcome = _small().change_plan(BIG, utc(2024, 1, 16))[1]
        invoice = invoiced(outcome)
        assert amounts(invoice.lines) == [
            "-$5.16",
            "$5.16",
            "$51.61",
            "-$20.65",
        ]
        assert invoice.total == usd("30.96")

    def test_a_spent_budget_gives_nothing_more(self) -> None:
        """A $5 coupon spent by the $10 plan: the $100 plan gets no
        discount line in the same period ("later invoices in the same
        period do not get the coupon again"); the credit reverses the $5
        its time was billed with. Due: $100 - $10 + $5 = $95."""
        five = Coupon(discount=Discount.amount_off(usd("5")))
        invoice = invoiced(
            _small(coupon=five).change_plan(BIG, utc(2024, 1, 1))[1]
        )
        assert amounts(invoice.lines) == ["-$10.00", "$5.00", "$100.00"]
        assert invoice.total == usd("95")

    def test_two_changes_share_one_budget(self) -> None:
        """Sign-up $10 off, the first change $40 off: the $50 is spent, so
        a second change to a $200 plan that day gets no discount. (Its
        credit reverses $50 of the $100 plan, billed with $40: a limit
        ``FixedCouponBudget.PERIOD`` documents.)"""
        sub, _ = _small().change_plan(BIG, utc(2024, 1, 1))
        huge = Plan(id="huge", price=usd("200"))
        lines = _change(sub, utc(2024, 1, 1), huge)
        assert lines[-1] == "$200.00"

    def test_state_does_not_grow_with_history(self) -> None:
        """A year of renewals and changes keeps one record per coupon."""
        sub = _small()
        for month in range(2, 13):
            sub, _ = sub.bill()
            plan = BIG if month % 2 else SMALL
            sub, _ = sub.change_plan(plan, utc(2024, month, 10))
        (window,) = sub.coupons
        assert window.budget is not None
        assert window.budget[0] == sub.period.end


def _given(invoice: Invoice) -> int:
    """What ``invoice``'s discount lines give, in cents (reversals aside)."""
    return -sum(
        line.amount.minor_units
        for line in invoice.lines
        if line.kind is InvoiceLineKind.DISCOUNT
        and line.amount.minor_units < 0
    )


class TestProperties:
    @given(
        amount=st.integers(1, 40_000),
        prices=st.lists(st.integers(1, 20_000), min_size=1, max_size=4),
    )
    def test_a_periods_invoices_share_the_amount(
        self, amount: int, prices: list[int]
    ) -> None:
        """Changes on the sign-up's instant, each to a plan of ``prices``
        cents: the period's lines take, together, the amount as far as
        they go (each takes what is left, at most itself); the renewal
        has the whole amount again for the last plan."""
        coupon = Coupon(
            discount=Discount.amount_off(usd(str(Decimal(amount) / 100)))
        )
        sub, first = started(
            SMALL, utc(2024, 1, 1), CHARGEBEE, coupons=[coupon]
        )
        given = _given(first)
        for number, price in enumerate(prices):
            plan = Plan(id=f"p{number}", price=usd(str(Decimal(price) / 100)))
            sub, outcome = sub.change_plan(plan, utc(2024, 1, 1))
            given += _given(invoiced(outcome))
        assert given == min(amount, 1000 + sum(prices))
        assert _given(sub.bill()[1]) == min(amount, prices[-1])


class TestPercentage:
    def test_a_percentage_coupon_is_unaffected(self) -> None:
        """10% off: each invoice 10% of its lines, under either rule."""
        ten = Coupon(discount=Discount.percent_off(10))
        got = [
            _change(_small(policy, ten), utc(2024, 1, 16))
            for policy in (CHARGEBEE, EACH)
        ]
        assert got[0] == got[1]
        assert got[0][2:] == ["$51.61", "-$5.16"]


class TestOption:
    def test_accepts_its_strings(self) -> None:
        policy = BillingPolicy(fixed_coupon_budget="period")
        assert policy.fixed_coupon_budget is FixedCouponBudget.PERIOD
        assert BillingPolicy().fixed_coupon_budget is (
            FixedCouponBudget.EACH_INVOICE
        )

    @pytest.mark.parametrize("value", ["per-period", 3, None, "PERIOD "])
    def test_refuses_anything_else(self, value: object) -> None:
        with pytest.raises(InvalidPolicyError, match="fixed_coupon_budget"):
            BillingPolicy(fixed_coupon_budget=value)  # type: ignore[arg-type]
        assert issubclass(InvalidPolicyError, ProrataError)
