"""Discounts: a percentage or a fixed amount off a price, applied exactly.

A :class:`Discount` folds into a price (``Plan.with_discount``); a
:class:`Coupon` puts it on invoices as lines of its own, for a duration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Final, Literal, TypeAlias, final

from dateutil.relativedelta import relativedelta

from prorata._display import displayed
from prorata._money import EXACT, Money
from prorata._period import require_aware, to_utc
from prorata.errors import (
    ArgumentTypeError,
    DiscountTermError,
    InvalidPlanError,
    shown,
)

__all__ = [
    "Coupon",
    "CouponMonths",
    "CouponMonthsName",
    "CouponProducts",
    "CouponProductsName",
    "Discount",
    "DiscountCredit",
    "DiscountCreditName",
    "DiscountSplit",
    "DiscountSplitName",
    "PercentRounding",
    "PercentRoundingName",
    "PercentStacking",
    "PercentStackingName",
    "SetupFeeDiscount",
    "SetupFeeDiscountName",
    "months_cover",
]

_HUNDRED: Final = Decimal(100)
#: The most periods a coupon may last: beyond it, it lasts forever.
_LONGEST: Final = 100_000
#: The most months a coupon may last (a hundred years): beyond, forever.
_LONGEST_MONTHS: Final = 1_200


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class Discount:
    """A discount on a price: a percentage off, or a fixed amount off.

    It applies to the price before proration, exactly (no rounding), so the
    discounted proration is rounded once like any other; the discount on a
    proration then equals the proration of the discount within one minor
    unit. Build one with :meth:`percent_off` or :meth:`amount_off`.

    Args:
        percent: The percentage off, 0 to 100, e.g. ``Decimal(15)``.
        amount: A fixed amount off each interval's price.

    Raises:
        InvalidPlanError: Neither or both given, a percentage outside 0-100
            or a float, or a negative amount.

    >>> fifteen = Discount.percent_off(15)
    >>> fifteen.apply(Money("115", "USD"))
    Money('97.75', 'USD')
    >>> str(fifteen)
    '15% off'
    """

    percent: Decimal | None = None
    amount: Money | None = None

    def __post_init__(self) -> None:
        """Validate: exactly one of percent and amount."""
        if (self.percent is None) == (self.amount is None):
            raise InvalidPlanError(
                "discount",
                "percent/amount",
                (self.percent, self.amount),
                "must name exactly one; use Discount.percent_off(15) or "
                "Discount.amount_off(Money('10', 'USD'))",
            )
        value: object = self.percent
        if value is not None:
            if not isinstance(value, Decimal) or not value.is_finite():
                raise InvalidPlanError(
                    "discount",
                    "percent",
                    value,
                    "is not a finite Decimal; use Discount.percent_off(15)",
                )
            if not 0 <= value <= 100:  # noqa: PLR2004
                raise InvalidPlanError(
                    "discount", "percent", value, "is not in 0-100"
                )
        elif not isinstance(self.amount, Money) or self.amount.amount < 0:
            raise InvalidPlanError(
                "discount",
                "amount",
                self.amount,
                "is not a Money of zero or more",
            )

    @classmethod
    def percent_off(cls, percent: int | Decimal) -> Discount:
        """Return a discount of ``percent`` percent (15 for the page's 15%).

        Raises:
            InvalidPlanError: A float, a bool, or a value outside 0-100.
        """
        if isinstance(percent, bool) or not isinstance(percent, int | Decimal):
            raise InvalidPlanError(
                "discount",
                "percent",
                percent,
                "is not an int or Decimal; pass e.g. 15 or Decimal('12.5')",
            )
        return cls(percent=Decimal(percent))

    @classmethod
    def amount_off(cls, amount: Money) -> Discount:
        """Return a discount of a fixed ``amount`` off each price."""
        return cls(amount=amount)

    def apply(self, price: Money) -> Money:
        """Return the discounted price, exact and never below zero.

        Raises:
            ArgumentTypeError: ``price`` is not a :class:`Money`.
            CurrencyMismatchError: A fixed amount in another currency.
        """
        if not isinstance(price, Money):
            raise ArgumentTypeError("price", price, "a Money")
        if self.percent is not None:
            # Exact whatever the caller's decimal context: Money's own.
            share = EXACT.scaleb(EXACT.subtract(_HUNDRED, self.percent), -2)
            return price * share
        assert self.amount is not None  # noqa: S101 - checked in __post_init__
        return max(price - self.amount, Money.zero(price.currency))

    def __str__(self) -> str:
        """``'15% off'`` or ``'$10.00 off'``."""
        if self.percent is not None:
            return f"{self.percent.normalize():f}% off"
        return f"{self.amount} off"


class DiscountCredit(StrEnum):
    """How a credit for unused time reverses a fixed-amount discount.

    Zuora's billing rule "Credit for Prorated Discounts (Fixed-amount
    Discount Charge Only)"; a percentage discount is always reversed in
    proportion, a percentage of the credit.
    """

    PRORATED = "prorated"
    """The discount is reversed in proportion to the unused time: a $720
    discount on $1,200 a year, 9 months unused, reverses $540 (the rule's
    "Yes"). The default."""
    USED_FIRST = "used-first"
    """The discount stays with the time used as far as it covers it, and
    only what is left of it is reversed: the same case reverses
    max($720 - $300 used, 0) = $420 (the rule's "No", Zuora's default)."""


#: The values of :class:`DiscountCredit`, accepted as plain strings.
DiscountCreditName: TypeAlias = Literal["prorated", "used-first"]


class DiscountSplit(StrEnum):
    """How a fixed-amount coupon applies to several products' lines.

    A coupon ``Discount.amount_off`` on a subscription with a plan and
    add-ons (a base fee and seats, say); a percentage discount is always a
    share of each line.
    """

    PER_PRODUCT = "per-product"
    """The fixed amount comes off each product it covers, in full, never
    more than that product costs: $90 off a $100 plan with $200 of seats
    takes $90 off each. The default."""
    PROPORTIONAL = "proportional"
    """The fixed amount is split across the products it covers in force at
    the line's start, in proportion to what each costs for the line's
    period (a plan's price, an add-on's price for that period times its
    quantity), in minor units: each share rounded down and the units left
    over given one each to the largest remainders (``Money.allocate``), so
    the shares add up to the amount exactly, never to more than the
    products cost together. $90 off a $100 plan with $200 of seats takes
    $30 and $60; a change re-splits it across what is then in force. A
    line of only the units a change adds or removes (an add-on's
    ``quantity_mode`` other than prorated) takes the difference they make
    to the add-on's share at the quantity in force, and a credit reverses
    the share its time was billed with. Polar's
    ``DiscountFixed.allocate_discount_amounts`` (polarsource/polar,
    server/polar/models/discount.py; a seat change's share difference,
    server/polar/subscription/update.py)."""
    IN_ORDER = "in-order"
    """The fixed amount fills the products it covers in order, the plan
    first, then each add-on as given: each takes what it costs for the
    period, as far as the amount goes, and what is left goes on to the
    next; never more than the products cost together. $20 off a $15 plan
    with a $7 add-on takes $15 and $5. Recurly's: "A fixed amount discount
    is distributed across eligible charges starting with the first
    subscription line item" (recurly/recurly-docs, docs/PLANS, PRICING &
    PROMOTIONS/promotions/coupons/index.md, "Fixed amount discounts"). As
    under ``PROPORTIONAL``, each line's share is of the products in force
    for its period, a change re-fills it, a line of the units a change adds
    or removes takes the difference they make, and a credit reverses the
    share its time was billed with."""


#: The values of :class:`DiscountSplit`, accepted as plain strings.
DiscountSplitName: TypeAlias = Literal[
    "per-product", "proportional", "in-order"
]


class PercentStacking(StrEnum):
    """How several percentage coupons on one line add up.

    Recurly's "Multiple Percentage Discounts" setting (recurly/recurly-docs,
    docs/PLANS, PRICING & PROMOTIONS/promotions/coupons/multiple-coupons-
    per-account.md); coupons apply in the order they were given, and a
    line fully discounted takes no more under either.
    """

    FULL_LINE = "full-line"
    """Each percentage is of the whole line: 10% and 50% off $100 take $10
    and $50 ("Apply to full line item amount"). The default."""
    COMPOUND = "compound"
    """Each percentage is of what the coupons before it left of the line:
    10% and 50% off $100 take $10 and $45, "50% of $90" ("Compound the
    discounts"); of the line's time inside its window, so a coupon
    compounds only on the time both cover."""


#: The values of :class:`PercentStacking`, accepted as plain strings.
PercentStackingName: TypeAlias = Literal["full-line", "compound"]


class PercentRounding(StrEnum):
    """Where a percentage coupon's discount is rounded to minor units."""

    PER_LINE = "per-line"
    """On each line it discounts. The default."""
    PER_INVOICE = "per-invoice"
    """Once, on the sum of what it takes of the lines billed together (a
    credit's apart from a charge's), that sum then split across its lines
    by the largest remainders: Lago's ``base_amount_cents *
    percentage_rate.fdiv(100)`` rounded once (app/services/applied_coupons/
    amount_service.rb), and Recurly.js's ``discountAmounts`` of the
    discountable subtotal (15% of 52.43: 7.86, not 3.00 + 1.50 + 3.37)."""


#: The values of :class:`PercentRounding`, accepted as plain strings.
PercentRoundingName: TypeAlias = Literal["per-line", "per-invoice"]


class CouponProducts(StrEnum):
    """What a coupon's ``products`` restrict: its lines, or its redemption.

    A coupon with no ``products`` applies to every product under either.
    """

    LINES = "lines"
    """The lines it discounts: only its products' lines, whatever the plan
    in force; it may be applied on any plan (Stripe's ``applies_to.
    products``, "An array of Product IDs that this Coupon will apply to",
    docs.stripe.com/billing/subscriptions/coupons; Chargebee's ``apply_on``
    ``each_specified_item`` with its item constraints). The default."""
    REDEMPTION = "redemption"
    """Where it may be redeemed: applied (at sign-up or later) only while
    the plan in force is one of its products, refused otherwise; once
    applied it discounts every product's lines, the plan's and the
    add-ons', at each renewal and on both sides of a change to another
    plan. Polar's: a discount's products are checked when it is redeemed
    (``SubscriptionService.resolve_discount``; checkout), never again; the
    cycle and the prorations discount every price (polarsource/polar,
    server/polar/subscription/update.py; test_service_prorations.py
    ``TestProrationDiscountProductApplicability``: 50% off Go, Go 10_00 to
    Pro 20_00 half-way credits 250 and debits 500)."""


#: The values of :class:`CouponProducts`, accepted as plain strings.
CouponProductsName: TypeAlias = Literal["lines", "redemption"]


class SetupFeeDiscount(StrEnum):
    """Whether coupons discount a plan's setup fee (``Charge.setup_fee``).

    Other one-time charges are never discounted.
    """

    NONE = "none"
    """No coupon discounts it: a coupon discounts only the time of plans
    and add-ons. The default."""
    FIXED_FIRST = "fixed-first"
    """A fixed-amount coupon discounts the setup fees of the sign-up
    invoice first, each as far as the amount goes, before the period's
    lines; what the fees took comes off the amount the first period's
    lines share (split as ``DiscountSplit`` says, and prorated as ever),
    a credit of its time or a change in it included. A
    percentage never discounts a setup fee. A fee is covered when the
    coupon covers the plan signed up to. When the sign-up invoice bills
    no period (a free trial, or billing in arrears), a coupon counted in
    periods that took anything from its fees has had that invoice as its
    first period: a single-use coupon is spent on it. Recurly's: "Fixed
    amount discounts will discount plan setup fees", "the setup fee is
    always the first subscription line item on the invoice" (support.
    recurly.com, "What are fixed amount discounts?"); "Percentage
    discounts will never discount a plan setup fee" (docs.recurly.com/
    coupons); Recurly.js spends a single-use coupon that took anything at
    sign-up (recurly/recurly-js, lib/recurly/pricing/subscription/
    calculations.js, ``discount()``)."""


#: The values of :class:`SetupFeeDiscount`, accepted as plain strings.
SetupFeeDiscountName: TypeAlias = Literal["none", "fixed-first"]


class CouponMonths(StrEnum):
    """When a coupon that lasts a number of months discounts a line.

    A coupon ``Coupon(months=...)``: its months are calendar months from
    the moment it is applied, and a line it covers is discounted whole, a
    percentage of all of it, a fixed amount for the share of the period it
    bills, however long the period (a yearly period starting inside them
    gets the full discount). A credit reverses what its time was billed
    with, as for any coupon.
    """

    BILLED_BEFORE_END = "billed-before-end"
    """A line is covered when it is billed before the months end: a
    period that starts before then, a change's proration made before then
    (its remaining time charged, its unused time credited). Stripe's
    ``duration="repeating"`` with ``duration_in_months``: the discount's
    ``end`` is its start plus the months; "If the subscription is yearly,
    the coupon is applied to the full invoice for the first year. e.g. if
    you have a $100/year subscription, and you apply a 50% coupon with a
    four month duration. The amount the customer would pay would be $50
    for that first year" (a Stripe engineer in Stripe's developer chat,
    archived at doublepost.link/guild/841573134531821608/thread/
    912171663616004117); a repeating discount redeemed on Mar 1 for 3
    months, billing on the 3rd, discounts Mar 3, Apr 3 and May 3 (discount
    end Jun 1; TryGhost/Ghost pull 26741). The default."""
    PERIOD_BY_LAST_MONTH = "period-by-last-month"
    """The months count from the first billing period that starts at or
    after the coupon is applied; a line is covered when the billing
    period it falls in starts no later than the start of the last month,
    that start plus ``months - 1`` months: all of its lines, a change's
    prorations whenever it is made, and those of the period the coupon is
    applied in after it. Polar's: ``Discount.is_repetition_expired``
    ("end_at = discount_applied_at + relativedelta(months=self.
    duration_in_months - 1)", expired when "current_period_start >
    end_at"), ``discount_applied_at`` the start of the first cycle it is
    used in, checked as each cycle opens and the discount kept through it
    for its prorations (polarsource/polar @ c6c3645e, server/polar/models/
    discount.py, subscription.py, subscription/service.py,
    subscription/update.py)."""


#: The values of :class:`CouponMonths`, accepted as plain strings.
CouponMonthsName: TypeAlias = Literal[
    "billed-before-end", "period-by-last-month"
]


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class Coupon:
    """A discount billed as lines of its own, for a duration.

    Each line a subscription bills for a product's time (a period, the
    remaining time of a change, the unused time credited) gets a discount
    line for the part of its time the coupon covers: a percentage of it, or
    the fixed amount per period in proportion to the share of the period
    it bills. A credit's discount line reverses the discount its time was
    billed with, so a credit never returns more than was paid.

    Args:
        discount: The percentage or the fixed amount off.
        periods: How many billing periods it lasts, counting the one it
            is applied in (1 is Stripe's ``once``); ``None`` with no
            ``until``: forever.
        until: The moment it ends instead; a line across it is discounted
            for the part before it, by time.
        months: How many calendar months it lasts from the moment it is
            applied (Stripe's and Polar's ``duration_in_months``), 1 to
            1,200: each line billed inside them, or in a period starting
            inside them, is discounted whole, as the policy's
            ``coupon_months`` says (:class:`CouponMonths`).
        products: The ids of the plans and add-ons it applies to; every
            product when empty. The policy's ``coupon_products`` says
            whether they limit the lines it discounts (the default) or
            the plans it may be applied on (``CouponProducts``).
        one_time_charges: It also discounts the one-time charges
            (``Charge``, a setup fee aside) billed while it applies, on
            the sign-up invoice or ``Subscription.add_charge``'s,
            whatever its ``products``: a percentage takes its share of
            each; a fixed amount reaches them only after the
            subscription's charges, with what the products it covers in
            force cost for a whole period (and the setup fees, and the
            charges before on the invoice) leave of its amount. Off by
            default: a coupon discounts the time of plans and add-ons
            only. Recurly's ``applies_to_non_plan_charges``.
        name: How invoices name it; the discount's own text by default.

    Raises:
        DiscountTermError: More than one of ``periods``, ``until`` and
            ``months``, a count of periods or months out of range, or a
            naive ``until``.
        ArgumentTypeError: ``one_time_charges`` is not a bool.

    >>> from prorata import Coupon, Discount
    >>> launch = Coupon(discount=Discount.percent_off(20), periods=3)
    >>> str(launch)
    '20% off for 3 periods'
    >>> str(Coupon(discount=Discount.percent_off(50), months=4))
    '50% off for 4 months'
    """

    discount: Discount
    periods: int | None = None
    until: datetime | None = None
    products: tuple[str, ...] = ()
    name: str = ""
    months: int | None = None
    one_time_charges: bool = False

    def __post_init__(self) -> None:
        """Validate the discount and the duration; default the name."""
        if not isinstance(self.discount, Discount):
            raise ArgumentTypeError("discount", self.discount, "a Discount")
        given = [
            name
            for name in ("periods", "until", "months")
            if getattr(self, name) is not None
        ]
        if len(given) > 1:
            raise DiscountTermError(
                f"give one of periods, until and months, not both "
                f"{given[0]} and {given[1]} (none lasts forever)"
            )
        for field, most in (
            ("periods", _LONGEST),
            ("months", _LONGEST_MONTHS),
        ):
            count: object = getattr(self, field)
            if count is not None and (
                isinstance(count, bool)
                or not isinstance(count, int)
                or not 1 <= count <= most
            ):
                raise DiscountTermError(
                    f"{field} {shown(count)} is not a whole number of "
                    f"{field} from 1 to {most:,}; leave it None for a "
                    "coupon forever"
                )
        if self.until is not None:
            require_aware("until", self.until)
        products: object = self.products
        if not isinstance(products, tuple | list) or not all(
            isinstance(p, str) for p in products
        ):
            raise ArgumentTypeError(
                "products", products, "a tuple of plan and add-on ids"
            )
        object.__setattr__(self, "products", tuple(products))
        if not isinstance(self.one_time_charges, bool):
            raise ArgumentTypeError(
                "one_time_charges", self.one_time_charges, "a bool"
            )
        if not isinstance(self.name, str):
            raise ArgumentTypeError("name", self.name, "a str")
        if not self.name:
            object.__setattr__(self, "name", str(self.discount))

    @classmethod
    def once(cls, discount: Discount) -> Coupon:
        """A coupon for the period it is applied in only."""
        return cls(discount=discount, periods=1)

    def covers(self, product_id: str) -> bool:
        """Whether it applies to the plan or add-on ``product_id``."""
        return not self.products or product_id in self.products

    def __str__(self) -> str:
        """``'20% off for 3 periods'``, ``'$10.00 off until ...'``."""
        if self.until is not None:
            return f"{self.name} until {self.until.isoformat(sep=' ')}"
        for count, unit in ((self.periods, "period"), (self.months, "month")):
            if count is not None:
                plural = unit if count == 1 else f"{unit}s"
                return f"{self.name} for {count} {plural}"
        return f"{self.name}, forever"


def months_cover(
    coupon: Coupon,
    applied: datetime,
    line: tuple[datetime, datetime, datetime],
    rule: CouponMonths,
) -> bool:
    """Whether ``coupon``, applied at ``applied``, covers a line.

    ``line``: when the line's time is billed, when the billing period it
    falls in starts, and when the first period from ``applied`` on does.
    ``BILLED_BEFORE_END`` tests the first, from ``applied`` to the end of
    its months; ``PERIOD_BY_LAST_MONTH`` the second (``applied`` if later),
    no later than the start of the last month counted from the third (the
    first cycle it discounts, Polar's ``discount_applied_at``). Calendar
    months on the wall clock of the moment they count from.
    """
    months = coupon.months
    assert months is not None  # noqa: S101 - the caller checked
    billed, opened, first = line
    if rule is CouponMonths.BILLED_BEFORE_END:
        end = applied + relativedelta(months=months)
        return to_utc(applied) <= to_utc(billed) < to_utc(end)
    last = first + relativedelta(months=months - 1)
    return max(to_utc(opened), to_utc(applied)) <= to_utc(last)
