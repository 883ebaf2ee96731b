"""A plan's setup fee discounted by fixed-amount coupons (issue #16).

``Charge(setup_fee=True)`` marks a plan's setup fee; the policy's
``setup_fee_discount`` ``fixed-first`` (the ``recurly`` convention's) lets
a fixed-amount coupon take the sign-up invoice's setup fees first, what
they take coming off the amount the period's lines share; a percentage
never discounts one; a single-use coupon that took a trial's setup fee is
spent.

Sources:

- recurly/recurly-js @ b3edb322, test/unit/pricing/subscription/
  subscription.test.js (plan ``basic``: 19.99 a month, setup fee 2.00;
  ``free-trial``: 49.00, a 7-day trial, setup fee 2.00; coupon ``coop``
  $20 off, ``coop-single-use`` the same, single use); ``price.now`` is
  the sign-up invoice, ``price.next`` the first renewal. The rule:
  lib/recurly/pricing/subscription/calculations.js ``discount()``.
- support.recurly.com, "What are fixed amount discounts?": "Fixed amount
  discounts will discount plan setup fees", "the setup fee is always the
  first subscription line item on the invoice".
- recurly/recurly-docs @ 38cfcc4c, docs/PLANS, PRICING & PROMOTIONS/
  promotions/coupons/index.md ("Percentage discounts": they "will never
  discount a plan setup fee", with its example; docs.recurly.com/coupons
  says the same).

The other figures are computed by hand in each test's docstring.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from prorata import (
    AddOn,
    BillingPolicy,
    BillingTiming,
    Charge,
    Coupon,
    Discount,
    InvalidPlanError,
    InvalidPolicyError,
    Invoice,
    Item,
    Money,
    Plan,
    SetupFeeDiscount,
    Subscription,
)
from prorata.presets import CONVENTIONS as C

START = datetime(2024, 1, 1, tzinfo=UTC)
RECURLY = C["recurly"]


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def fee(price: str = "2", *, credit_back: bool = False) -> Charge:
    """A plan's setup fee of ``price``."""
    return Charge(
        id="setup_fee",
        price=usd(price),
        setup_fee=True,
        credit_back=credit_back,
    )


def off(amount: str, periods: int | None = None) -> Coupon:
    """A fixed coupon of ``amount`` for ``periods`` (forever: ``None``)."""
    return Coupon(discount=Discount.amount_off(usd(amount)), periods=periods)


def discount(invoice: Invoice | None) -> Money:
    """What an invoice's discount lines take off."""
    if invoice is None:
        return usd("0")
    return -sum(
        (line.amount for line in invoice.lines if line.amount < 0),
        usd("0"),
    )


def cents(invoice: Invoice) -> list[int]:
    """Each line's amount in cents, in order."""
    return [line.amount.minor_units for line in invoice.lines]


def checkout(
    coupon: Coupon,
    *,
    price: str = "19.99",
    trial: timedelta | None = None,
    charges: tuple[Charge, ...] = (fee(),),
    policy: BillingPolicy = RECURLY,
    plan_id: str = "basic",
) -> tuple[Subscription, Invoice | None, Invoice]:
    """A sign-up and its first renewal (Recurly.js ``now`` and ``next``)."""
    sub, now = Subscription.start(
        Plan(id=plan_id, price=usd(price)),
        START,
        policy=policy,
        trial=trial,
        charges=list(charges),
        coupons=[coupon],
    )
    sub, following = sub.bill()
    return sub, now, following


class TestRecurlyJs:
    """The recurly-js cases by the ``recurly`` convention alone."""

    def test_rd7_multi_use_coupon_takes_the_setup_fee_first(self) -> None:
        """RD7 ("should apply a multi-use coupon correctly"): coop on
        basic with its 2.00 setup fee: now discount "20.00", next
        "19.99"."""
        _, now, following = checkout(off("20"))
        assert (discount(now), discount(following)) == (
            usd("20.00"),
            usd("19.99"),
        )
        assert now is not None
        # The fee takes 2.00 first, the plan what is left: 18.00.
        assert cents(now) == [1999, -1800, 200, -200]

    def test_rd8_single_use_coupon(self) -> None:
        """RD8 ("should apply a single-use coupon correctly"):
        coop-single-use: now discount "20.00", next "0.00"."""
        _, now, following = checkout(off("20", periods=1))
        assert (discount(now), discount(following)) == (
            usd("20.00"),
            usd("0.00"),
        )

    def test_rd9_single_use_coupon_spent_on_a_trials_setup_fee(self) -> None:
        """RD9 ("when the plan has a free trial period with a set-up
        fee"): free-trial with coop-single-use: now discount "2.00",
        total "0.00"; next discount "0.00", total "49.00"."""
        _, now, following = checkout(
            off("20", periods=1),
            price="49",
            trial=timedelta(days=7),
            plan_id="free-trial",
        )
        assert now is not None
        assert (discount(now), now.total) == (usd("2.00"), usd("0.00"))
        assert (discount(following), following.total) == (
            usd("0.00"),
            usd("49.00"),
        )


class TestRecurlyDocs:
    def test_percentage_never_discounts_the_setup_fee(self) -> None:
        """recurly-docs, "Percentage discounts", Example: 10% off Plan A,
        a $50.00 setup fee, a $15.00 plan fee, a $7.00 add-on: "The setup
        fee of $50.00 for Plan A will not be discounted", "($1.50)",
        "($0.70)", "The total discount on the invoice is ($2.20), making
        the final payable amount $69.80" (here with the fee marked a
        setup fee, which fixed amounts would discount)."""
        _, invoice = Subscription.start(
            Plan(id="plan-a", price=usd("15")),
            START,
            items=[Item(AddOn(id="add-on", price=usd("7")), 1)],
            coupons=[Coupon(discount=Discount.percent_off(10))],
            charges=[fee("50")],
            policy=RECURLY,
        )
        assert invoice is not None
        assert cents(invoice) == [1500, -150, 700, -70, 5000]
        assert (discount(invoice), invoice.total) == (
            usd("2.20"),
            usd("69.80"),
        )


class TestByHand:
    def test_a_fee_above_the_amount_takes_all_of_it(self) -> None:
        """$1.50 off, the 2.00 fee first: the fee takes 1.50, the plan
        nothing; the renewal takes 1.50 off the plan."""
        _, now, following = checkout(off("1.50"))
        assert now is not None
        assert cents(now) == [1999, 200, -150]
        assert cents(following) == [1999, -150]

    def test_fees_share_the_amount_in_order(self) -> None:
        """$6 off, fees of 2.00 and 5.00: 2.00 and 4.00, the plan
        nothing."""
        second = Charge(id="onboarding", price=usd("5"), setup_fee=True)
        _, now, _ = checkout(off("6"), charges=(fee(), second))
        assert now is not None
        assert cents(now) == [1999, 200, -200, 500, -400]

    def test_what_the_fee_takes_comes_off_a_prorated_stub(self) -> None:
        """Anchored on the 16th, a sign-up on January 1 bills 15 of the 31
        days of a 31.00 plan: 15.00. $20 off, the 2.00 fee first: the
        stub takes 18.00 x 15/31 = 8.709... -> 8.71."""
        _, now = Subscription.start(
            Plan(id="basic", price=usd("31")),
            START,
            anchor=datetime(2024, 1, 16, tzinfo=UTC),
            policy=RECURLY,
            charges=[fee()],
            coupons=[off("20")],
        )
        assert now is not None
        assert cents(now) == [1500, -871, 200, -200]

    def test_percentage_coupon_after_a_trial_is_not_spent(self) -> None:
        """A single-use 10% coupon on a trial with a 2.00 fee: nothing
        off the fee (total 2.00), then 10% of 49.00 = 4.90."""
        _, now, following = checkout(
            Coupon(discount=Discount.percent_off(10), periods=1),
            price="49",
            trial=timedelta(days=7),
        )
        assert now is not None
        assert (discount(now), now.total) == (usd("0"), usd("2.00"))
        assert discount(following) == usd("4.90")

    def test_two_periods_after_a_trial_count_the_fees_invoice(self) -> None:
        """$20 off for 2 periods on a trial with a 2.00 fee: 2.00 at
        sign-up (its first period), 20.00 on the first paid period, then
        nothing."""
        sub, now, following = checkout(
            off("20", periods=2), price="49", trial=timedelta(days=7)
        )
        _, third = sub.bill()
        assert (discount(now), discount(following), discount(third)) == (
            usd("2.00"),
            usd("20.00"),
            usd("0"),
        )

    def test_a_spent_coupon_stays_spent_when_the_trial_is_extended(
        self,
    ) -> None:
        """Single use, spent on the 2.00 fee: extending the 7-day trial to
        14 days leaves the first paid period undiscounted (49.00)."""
        sub, now = Subscription.start(
            Plan(id="free-trial", price=usd("49")),
            START,
            policy=RECURLY,
            trial=timedelta(days=7),
            charges=[fee()],
            coupons=[off("20", periods=1)],
        )
        sub = sub.extend_trial(START + timedelta(days=14))
        _, first = sub.bill()
        assert discount(now) == usd("2.00")
        assert (discount(first), first.total) == (usd("0"), usd("49.00"))

    def test_in_arrears_the_fees_invoice_is_the_first(self) -> None:
        """Billed in arrears, the sign-up invoice bills the 2.00 fee
        alone: a single-use $20 coupon takes 2.00 there and nothing off
        the first period's 19.99 at its end."""
        policy = replace(RECURLY, timing=BillingTiming.IN_ARREARS)
        _, now, following = checkout(off("20", periods=1), policy=policy)
        assert discount(now) == usd("2.00")
        assert (discount(following), following.total) == (
            usd("0"),
            usd("19.99"),
        )

    def test_a_coupon_for_another_plan_leaves_the_fee(self) -> None:
        """A fee is covered when the coupon covers the plan: $20 off plan
        "other" takes nothing from basic's fee; $20 off "basic" takes
        2.00 of it."""
        other = Coupon(
            discount=Discount.amount_off(usd("20")), products=("other",)
        )
        mine = replace(other, products=("basic",))
        _, now, _ = checkout(other)
        _, covered, _ = checkout(mine)
        assert now is not None
        assert covered is not None
        assert discount(now) == usd("0")
        assert cents(covered) == [1999, -1800, 200, -200]

    def test_a_credit_in_the_first_period_reverses_what_was_taken(
        self,
    ) -> None:
        """A 30.00 plan (April, 30 days) with a 2.00 fee, $20 off: the
        plan takes 18.00. Cancelled on the 16th, 15 of 30 days unused:
        15.00 credited, 18.00 x 15/30 = 9.00 reversed, 6.00 returned
        (half the 12.00 paid for the plan). Terminated with a prorated
        credit (Recurly's ``refund_type`` ``partial``; its default
        returns nothing)."""
        sub, _ = Subscription.start(
            Plan(id="basic", price=usd("30")),
            datetime(2024, 4, 1, tzinfo=UTC),
            policy=RECURLY,
            charges=[fee()],
            coupons=[off("20")],
        )
        _, outcome = sub.cancel(
            datetime(2024, 4, 16, tzinfo=UTC), credit="credit"
        )
        assert outcome.invoice is not None
        assert cents(outcome.invoice) == [-1500, 900]
        assert outcome.returned == usd("6.00")

    def test_a_change_in_the_first_period_shares_what_is_left(
        self,
    ) -> None:
        """The same, changed to a 60.00 plan on the 16th: 15.00 credited
        with 9.00 reversed, 30.00 charged with 18.00 x 15/30 = 9.00 off;
        the next period takes the whole 20.00 off 60.00."""
        sub, _ = Subscription.start(
            Plan(id="basic", price=usd("30")),
            datetime(2024, 4, 1, tzinfo=UTC),
            policy=RECURLY,
            charges=[fee()],
            coupons=[off("20")],
        )
        sub, change = sub.change_plan(
            Plan(id="pro", price=usd("60")),
            datetime(2024, 4, 16, tzinfo=UTC),
        )
        _, renewal = sub.bill()
        assert [line.amount.minor_units for line in change.lines] == [
            -1500,
            900,
            3000,
            -900,
        ]
        assert cents(renewal)[-2:] == [6000, -2000]

    def test_a_fee_credited_back_returns_what_was_paid(self) -> None:
        """A 2.00 fee with credit-back, discounted 2.00 at sign-up:
        cancelled at once, its credit (-2.00) comes with the discount
        reversed (+2.00), so it returns nothing for the fee."""
        sub, _ = Subscription.start(
            Plan(id="basic", price=usd("19.99")),
            START,
            policy=RECURLY,
            charges=[fee(credit_back=True)],
            coupons=[off("20")],
        )
        _, outcome = sub.cancel(START + timedelta(days=1))
        assert outcome.invoice is not None
        fees = [
            line.amount.minor_units
            for line in outcome.invoice.lines
            if "setup_fee" in line.description
        ]
        assert fees == [-200, 200]

    def test_only_recurly_discounts_setup_fees(self) -> None:
        """Under any other convention a setup fee is not discounted:
        $20 off takes 19.99 off the plan, nothing off the 2.00 fee."""
        others = [
            name
            for name, policy in C.items()
            if policy.setup_fee_discount is not SetupFeeDiscount.NONE
        ]
        assert others == ["recurly"]
        _, now, _ = checkout(off("20"), policy=C["stripe-flexible"])
        assert now is not None
        assert cents(now) == [1999, -1999, 200]


class TestRefusals:
    def test_a_setup_fee_flag_must_be_a_bool(self) -> None:
        flag: object = "yes"
        with pytest.raises(InvalidPlanError, match="setup_fee"):
            Charge(
                id="setup_fee",
                price=usd("2"),
                setup_fee=flag,  # type: ignore[arg-type]
            )

    def test_a_setup_fee_is_billed_with_the_sign_up_only(self) -> None:
        sub, _ = Subscription.start(
            Plan(id="basic", price=usd("19.99")), START, policy=RECURLY
        )
        with pytest.raises(InvalidPlanError, match="with the sign-up only"):
            sub.add_charge(fee(), START + timedelta(days=1))

    def test_an_unknown_option_is_refused(self) -> None:
        name: object = "percent-first"
        with pytest.raises(InvalidPolicyError, match="setup_fee_discount"):
            BillingPolicy(
                setup_fee_discount=name,  # type: ignore[arg-type]
            )

    def test_the_option_as_its_string(self) -> None:
        policy = BillingPolicy(setup_fee_discount="fixed-first")
        assert policy.setup_fee_discount is SetupFeeDiscount.FIXED_FIRST
