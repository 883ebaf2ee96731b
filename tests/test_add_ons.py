"""Add-ons: items beside the plan, prorated like plans (#4).

The hosting page names add-ons ("including add-ons") but prices none; the
$20 extra site below is illustrative.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prorata import (
    AddOn,
    ArgumentTypeError,
    Basis,
    BillingPolicy,
    BillingTiming,
    CurrencyMismatchError,
    InvalidPlanError,
    Item,
    Money,
    Plan,
    ProrationPolicy,
    Settlement,
    Subscription,
    presets,
)
from tests.common import JUNE_1, day, usd

SITE = AddOn(id="extra-site", name="Extra site", price=usd("20"))
B1 = Plan(id="business-1", name="Business 1", price=usd("115"), rank=3)
B2 = Plan(id="business-2", name="Business 2", price=usd("225"), rank=4)
POLICY = BillingPolicy(
    proration=ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH),
    charge_now_above=usd("100"),
)


def test_signup_bills_plan_and_add_ons() -> None:
    """The first invoice charges the plan and each add-on in advance."""
    _, invoice = Subscription.start(
        B1, JUNE_1, policy=POLICY, items=(Item(SITE, 3),)
    )
    assert invoice is not None
    assert [str(line) for line in invoice.lines] == [
        "Price for 1 month of Business 1 = $115.00",
        "Price for 1 month of 3 x Extra site = $60.00",
    ]


def test_more_sites_prorate_like_a_plan_change() -> None:
    """3 -> 5 sites 10 days in: credit 3 x $20 x 20/30, charge 5 x ..."""
    sub, _ = Subscription.start(
        B1, JUNE_1, policy=POLICY, items=(Item(SITE, 3),)
    )
    sub, outcome = sub.change_quantity(SITE, 5, day(10))
    assert [line.amount for line in outcome.lines] == [
        usd("-40"),
        usd("66.67"),
    ]
    assert outcome.net == usd("26.67")
    assert outcome.settlement is Settlement.NEXT_INVOICE
    assert outcome.lines[1].description == (
        "Remaining time on 5 x Extra site (20 days)"
    )
    invoice = sub.preview_invoice()
    assert [line.amount for line in invoice.lines] == [
        usd("-40"),
        usd("66.67"),
        usd("115"),
        usd("100"),
    ]
    assert sub.items == (Item(SITE, 5),)


def test_removing_all_sites_credits_them() -> None:
    """Down to zero: only the credit, and the renewal drops the add-on."""
    sub, _ = Subscription.start(
        B1, JUNE_1, policy=POLICY, items=(Item(SITE, 2),)
    )
    sub, outcome = sub.change_quantity(SITE, 0, day(15))
    assert [line.amount for line in outcome.lines] == [usd("-20")]
    assert sub.items == ()
    assert len(sub.preview_invoice().lines) == 2  # credit + B1 renewal


def test_add_ons_move_with_a_plan_change() -> None:
    """A monthly plan change leaves the add-ons' time untouched."""
    sub, _ = Subscription.start(
        B1, JUNE_1, policy=POLICY, items=(Item(SITE, 1),)
    )
    sub, outcome = sub.change_plan(B2, day(10))
    assert outcome.net == usd("73.33")
    assert sub.items == (Item(SITE, 1),)


def test_annual_switch_carries_add_ons() -> None:
    """'will cancel the plan and create a new plan with a new billing date,
    including add-ons': the sites' unused month is credited, and a year of
    them (12 x $20) charged with the annual plan."""
    sub, _ = Subscription.start(
        B1, JUNE_1, policy=POLICY, items=(Item(SITE, 2),)
    )
    sub, outcome = sub.change_plan(B1.annual(months_free=2), day(10))
    assert outcome.invoice is not None
    assert [str(line.amount) for line in outcome.invoice.lines] == [
        "-$76.67",
        "-$26.67",
        "$1,150.00",
        "$480.00",
    ]
    assert outcome.invoice.amount_due == usd("1526.66")
    assert sub.items == (Item(SITE, 2),)
    assert sub.next_billing_date == datetime(2025, 6, 11, tzinfo=UTC)


def test_in_arrears_add_ons_are_billed_for_their_time() -> None:
    """Billed in arrears, each quantity is charged for its time."""
    policy = BillingPolicy(
        proration=ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH),
        timing=BillingTiming.IN_ARREARS,
    )
    sub, _ = Subscription.start(
        B1, JUNE_1, policy=policy, items=(Item(SITE, 1),)
    )
    sub, outcome = sub.change_quantity(SITE, 4, day(15))
    assert outcome.lines == ()
    invoice = sub.preview_invoice()
    assert [str(line) for line in invoice.lines] == [
        "Used time on Business 1 (30 days) = $115.00",
        "Used time on Extra site (15 days) = $10.00",
        "Used time on 4 x Extra site (15 days) = $40.00",
    ]


def test_quantity_change_over_the_threshold_is_invoiced() -> None:
    """The $100 rule applies to add-ons too."""
    sub, _ = Subscription.start(B1, JUNE_1, policy=POLICY)
    _, outcome = sub.change_quantity(SITE, 10, day(1))
    assert outcome.settlement is Settlement.INVOICE_NOW
    assert outcome.invoice is not None
    assert outcome.invoice.amount_due == usd("193.33")


class TestBadAddOns:
    def test_other_currency(self) -> None:
        """An add-on in euros cannot join a dollar subscription."""
        euro_site = AddOn(id="site-eur", price=Money("20", "EUR"))
        sub, _ = Subscription.start(B1, JUNE_1)
        with pytest.raises(CurrencyMismatchError, match="EUR"):
            sub.change_quantity(euro_site, 1, day(2))

    def test_annual_add_on_on_a_monthly_plan(self) -> None:
        """A yearly add-on price is never split into months."""
        yearly = AddOn(
            id="yearly", price=usd("100"), interval=B1.annual().interval
        )
        with pytest.raises(InvalidPlanError, match="does not divide"):
            Subscription.start(B1, JUNE_1, items=(Item(yearly, 1),))

    def test_items_not_a_tuple(self) -> None:
        """A wrong type for items is a ProrataError, not a crash."""
        with pytest.raises(ArgumentTypeError, match="items"):
            Subscription.start(B1, JUNE_1, items=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("new", "due", "balance"),
    [
        # Upgrade at half-year: credit 575 + 240 (2 sites x $240 a year x
        # 180/360), charge 2,250 + 480: due 1,915.
        (B2, "1915", "0"),
        # Downgrade to a free plan with its sites: credit 815, charge 480:
        # nothing due, 335 carried as credit balance.
        (Plan(id="free", name="Free", price=usd("0")), "0", "335"),
    ],
    ids=["upgrade", "downgrade"],
)
def test_annual_to_annual_with_add_ons(
    new: Plan, due: str, balance: str
) -> None:
    """'Any changes to an annual plan (upgrades or downgrades) will cancel
    the plan and create a new plan with a new billing date, including
    add-ons. The system will apply the remaining balance on the previous
    plan to the new one': the base plan and the sites are both credited
    for the unused half-year and both charged on the new annual cycle."""
    sub, _ = Subscription.start(
        B1.annual(months_free=2), JUNE_1, policy=POLICY, items=(Item(SITE, 2),)
    )
    at = datetime(2024, 12, 1, tzinfo=UTC)
    sub, outcome = sub.change_plan(new.annual(months_free=2), at)
    assert outcome.invoice is not None
    unused = [
        line.amount for line in outcome.invoice.lines if line.amount < usd("0")
    ]
    assert unused == [usd("-575"), usd("-240")]
    assert outcome.invoice.amount_due == usd(due)
    assert sub.credit_balance == usd(balance)
    assert sub.items == (Item(SITE, 2),)
    assert sub.next_billing_date == datetime(2025, 12, 1, tzinfo=UTC)


SEAT = AddOn(id="seat", name="Seat", price=usd("10"))


@pytest.mark.parametrize(
    ("policy", "amounts"),
    [
        # Stripe's proration_behavior=none credits and charges nothing now.
        (presets.STRIPE_BEHAVIORS["none"], []),
        # Paddle's full_next_billing_period: no credit, the full new price.
        (
            presets.PADDLE_MODES["full_next_billing_period"],
            [usd("0.00"), usd("30.00")],
        ),
        (presets.PADDLE_MODES["do_not_bill"], []),
        # Prorated (Stripe's default): half of June left of 30 days.
        (
            presets.STRIPE_BEHAVIORS["create_prorations"],
            [usd("-5.00"), usd("15.00")],
        ),
    ],
    ids=["stripe-none", "paddle-full-next", "paddle-do-not-bill", "stripe"],
)
def test_quantity_changes_follow_the_policy_treatments(
    policy: BillingPolicy, amounts: list[Money]
) -> None:
    """Issue #11: 1 -> 3 seats at $10 mid-June under Stripe's ``none`` billed
    -$5.00 / +$15.00 whatever the policy said; the treatments now apply."""
    sub, _ = Subscription.start(
        B1, JUNE_1, policy=policy, items=(Item(SEAT, 1),)
    )
    _, outcome = sub.change_quantity(SEAT, 3, day(15))
    assert [line.amount for line in outcome.lines if line.amount] == [
        amount for amount in amounts if amount
    ]
    assert outcome.net == sum(amounts, usd("0.00"))
