"""Coupons that discount one-time charges (``Coupon.one_time_charges``).

A coupon flagged ``one_time_charges`` also discounts the one-time
``Charge`` lines (a setup fee aside) billed while it applies: a
percentage its share of each, a fixed amount only what the subscription's
charges leave of it for the period (issue #16). RF1 and RF5 of the sixth
audit (Recurly.js checkout) are in ``tests/test_audit6_cases.py``.

Sources:

- recurly/recurly-js @ b3edb322, test/unit/pricing/checkout/
  checkout.test.js, with the fixtures of packages/public-api-fixture-
  server/fixtures/ (plan ``basic``: 19.99 a month, setup fee 2.00;
  coupons ``coop-pct-*`` 15% off, ``coop-pct-50`` 50% off, the
  ``*-adjustments*`` and ``*-all*`` ones ``applies_to_non_plan_charges``);
  the rule: lib/recurly/pricing/checkout/calculations.js
  ``discountableSubtotals`` (the adjustments count only when
  ``coupon.applies_to_non_plan_charges``, whatever the plan codes).
- support.recurly.com, "What are coupon settings?": "By default,
  Recurly's coupons only discount plan charges: setup, plan, and add-on
  fees ... allow coupons to be created with a discount that applies to
  one-time charges".
- support.recurly.com, "What are fixed amount discounts?": "One-time
  charges are listed before subscription charges on the invoice, but are
  discounted after subscription charges. If you have a coupon that
  discounts both subscription and one-time charges, and a fixed amount
  discount that is less than the total subscription charges, it will not
  discount the one-time charges on the invoice."
- support.recurly.com, "How Do Coupons Apply to One-Time Charges and
  Standalone Invoices": "When the Add Charge or Purchase operation
  generates the next invoice, the active coupon will automatically
  discount the relevant line items".

The other figures are computed by hand in each test's docstring.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    ArgumentTypeError,
    Charge,
    Coupon,
    Discount,
    Invoice,
    InvoiceLineKind,
    Money,
    Plan,
    Subscription,
    TaxRate,
)
from prorata.presets import CONVENTIONS as C

START = datetime(2024, 1, 1, tzinfo=UTC)
RECURLY = C["recurly"]
RATE = (TaxRate(name="Tax", percent=Decimal("8.75")),)


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def pct(percent: int, *, flagged: bool = True) -> Coupon:
    """A percentage coupon forever, on one-time charges when ``flagged``."""
    return Coupon(
        discount=Discount.percent_off(percent), one_time_charges=flagged
    )


def fixed(amount: str, **fields: object) -> Coupon:
    """A fixed coupon forever that discounts one-time charges too."""
    return Coupon(
        discount=Discount.amount_off(usd(amount)),
        one_time_charges=True,
        **fields,  # type: ignore[arg-type]
    )


def cents(invoice: Invoice | None) -> list[int]:
    """Each line's amount in cents, in order."""
    assert invoice is not None
    return [line.amount.minor_units for line in invoice.lines]


def discount(invoice: Invoice | None) -> Money:
    """What an invoice's discount lines take off."""
    assert invoice is not None
    return -sum(
        (
            line.amount
            for line in invoice.lines
            if line.kind is InvoiceLineKind.DISCOUNT
        ),
        usd("0"),
    )


def basic(**start: object) -> tuple[Subscription, Invoice | None]:
    """The ``basic`` plan (19.99 a month) signed up under ``recurly``."""
    fields: dict[str, object] = {"policy": RECURLY, **start}
    return Subscription.start(
        Plan(id="basic", price=usd("19.99"), taxes=RATE),
        START,
        **fields,  # type: ignore[arg-type]
    )


class TestRecurlyJs:
    def test_fixed_coupon_on_adjustments_and_one_plan(self) -> None:
        """checkout.test.js, "applies to adjustments and specific
        subscriptions on the checkout instance"
        (``coop-fixed-adjustments-plan-basic-500``, $500 off ``basic`` and
        adjustments; adjustments of 10 and 22.44): now discount "54.43"
        ("19.99 + 2 (setup fee) + 32.44"), next "19.99". The setup fee
        first (2.00), the plan (19.99), then the adjustments from the
        478.01 left. The checkout's other subscription, on a plan the
        coupon does not name, is not discounted and left out."""
        sub, now = basic(
            charges=[
                Charge(id="setup", price=usd("2"), setup_fee=True),
                Charge(id="adjustment-1", price=usd("10")),
                Charge(id="adjustment-2", price=usd("22.44")),
            ],
            coupons=[fixed("500", products=("basic",))],
        )
        _, following = sub.bill()
        assert discount(now) == usd("54.43")
        assert discount(following) == usd("19.99")


class TestByHand:
    def test_percentage_on_a_charge_added_later(self) -> None:
        """20% forever, a 45.00 charge added on January 10: 9.00 off."""
        sub, _ = basic(coupons=[pct(20)])
        _, invoice = sub.add_charge(
            Charge(id="install", price=usd("45")), START + timedelta(days=9)
        )
        assert cents(invoice) == [4500, -900]

    def test_without_the_flag_a_charge_is_left_alone(self) -> None:
        """The same 20% coupon without ``one_time_charges``: the 45.00
        charge is billed whole, on the sign-up invoice as on its own; the
        plan still takes 20% of 19.99 = 3.998 -> 4.00."""
        sub, now = basic(
            coupons=[pct(20, flagged=False)],
            charges=[Charge(id="install", price=usd("45"))],
        )
        _, later = sub.add_charge(
            Charge(id="extra", price=usd("45")), START + timedelta(days=9)
        )
        assert cents(now) == [1999, -400, 4500]
        assert cents(later) == [4500]

    def test_fixed_amount_spent_by_the_plan_first(self) -> None:
        """$15 off, a 19.99 plan and a 10.00 charge at sign-up: the plan
        takes all 15.00 (the subscription's charges first), the charge
        nothing, though it is listed after the plan."""
        _, now = basic(
            coupons=[fixed("15")],
            charges=[Charge(id="install", price=usd("10"))],
        )
        assert cents(now) == [1999, -1500, 1000]

    def test_fixed_amount_left_by_the_plan(self) -> None:
        """$25 off: the plan takes 19.99, the 10.00 charge the 5.01
        left."""
        _, now = basic(
            coupons=[fixed("25")],
            charges=[Charge(id="install", price=usd("10"))],
        )
        assert cents(now) == [1999, -1999, 1000, -501]

    def test_fixed_amount_shared_by_the_periods_charges(self) -> None:
        """$25 off, two 4.00 charges added in January: the first takes
        4.00 of the 5.01 the plan leaves, the second the 1.01 left; in
        February the amount is whole again: 4.00."""
        sub, _ = basic(coupons=[fixed("25")])
        sub, first = sub.add_charge(
            Charge(id="a", price=usd("4")), START + timedelta(days=3)
        )
        sub, second = sub.add_charge(
            Charge(id="b", price=usd("4")), START + timedelta(days=4)
        )
        sub, _ = sub.bill()
        _, third = sub.add_charge(
            Charge(id="c", price=usd("4")), START + timedelta(days=34)
        )
        assert (cents(first), cents(second), cents(third)) == (
            [400, -400],
            [400, -101],
            [400, -400],
        )

    def test_a_charge_after_the_coupon_ends_is_billed_whole(self) -> None:
        """50% for one period from January 1: a charge on February 5 (the
        second period) is billed whole."""
        sub, _ = basic(coupons=[replace(pct(50), periods=1)])
        sub, _ = sub.bill()
        _, invoice = sub.add_charge(
            Charge(id="late", price=usd("8")), START + timedelta(days=35)
        )
        assert cents(invoice) == [800]

    def test_credit_back_reverses_the_charges_discount(self) -> None:
        """$25 off with a 10.00 charge credited back on cancellation: at
        sign-up the charge takes 5.01; cancelled the next day, its credit
        (-10.00) comes with the 5.01 reversed, returning the 4.99 paid."""
        sub, _ = basic(
            coupons=[fixed("25")],
            charges=[
                Charge(id="install", price=usd("10"), credit_back=True)
            ],
        )
        _, outcome = sub.cancel(START + timedelta(days=1))
        assert outcome.invoice is not None
        charge = [
            line.amount.minor_units
            for line in outcome.invoice.lines
            if "install" in line.description
        ]
        assert charge == [-1000, 501]

    def test_percentage_leaves_a_setup_fee_alone(self) -> None:
        """15% with ``one_time_charges``: a setup fee is a plan charge,
        never discounted by a percentage ("Percentage discounts will never
        discount a plan setup fee", docs.recurly.com/coupons); the 20.00
        charge takes 3.00."""
        _, now = basic(
            coupons=[pct(15)],
            charges=[
                Charge(id="setup", price=usd("2"), setup_fee=True),
                Charge(id="install", price=usd("20")),
            ],
        )
        assert cents(now) == [1999, -300, 200, 2000, -300]

    def test_other_conventions_unchanged_without_the_flag(self) -> None:
        """Under every convention an unflagged 25% coupon leaves the
        12.00 charge whole, and no discount line after it."""
        for name, policy in C.items():
            _, now = Subscription.start(
                Plan(id="basic", price=usd("19.99")),
                START,
                policy=policy,
                coupons=[pct(25, flagged=False)],
                charges=[Charge(id="install", price=usd("12"))],
            )
            assert now is not None, name
            charge = [
                line
                for line in now.lines
                if line.kind is InvoiceLineKind.ONE_TIME
            ]
            assert [line.amount for line in charge] == [usd("12")], name
            assert now.lines[-1].kind is InvoiceLineKind.ONE_TIME, name


class TestProperties:
    @given(
        amount=st.integers(0, 4000),
        prices=st.lists(st.integers(1, 3000), min_size=1, max_size=3),
    )
    def test_a_periods_charges_share_what_the_plan_leaves(
        self, amount: int, prices: list[int]
    ) -> None:
        """A fixed amount of ``amount`` cents: the charges added in one
        period take, together, what the 19.99 plan leaves of it, as far
        as they go, each never more than itself."""
        coupon = fixed(str(Decimal(amount) / 100))
        sub, _ = basic(coupons=[coupon])
        taken = 0
        for day, price in enumerate(prices, start=2):
            sub, invoice = sub.add_charge(
                Charge(id=f"c{day}", price=usd(str(Decimal(price) / 100))),
                START + timedelta(days=day),
            )
            off = cents(invoice)[1:]
            assert sum(off) >= -price
            taken -= sum(off)
        assert taken == min(max(amount - 1999, 0), sum(prices))


class TestRefusals:
    def test_the_flag_must_be_a_bool(self) -> None:
        flag: object = "yes"
        with pytest.raises(ArgumentTypeError, match="one_time_charges"):
            Coupon(
                discount=Discount.percent_off(10),
                one_time_charges=flag,  # type: ignore[arg-type]
            )

    def test_the_flag_is_shown_in_the_repr(self) -> None:
        assert "one_time_charges=True" in repr(pct(10))
        assert "one_time_charges" not in repr(pct(10, flagged=False))
