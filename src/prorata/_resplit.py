"""A plan change that bills the add-ons in force again, Polar's way.

Under a fixed coupon split across products (``DiscountSplit.PROPORTIONAL``
or ``IN_ORDER``), a plan change moves every product's share of it. Polar
re-prorates every price in force at a product change
(``server/polar/subscription/update.py``): the add-on's unused time is
credited, reversing the share it was billed with, and its remaining time
charged at its share over the new plan, so its price nets to zero and only
its discount moves. Recurly does the same: "A plan change always
triggers a full rebill - a credit for the old plan and a charge for the
new plan", its add-ons "also rebilled", and a fixed coupon is "a fixed
discount per billing period" (recurly/recurly-docs @ 38cfcc4c, docs/
SUBSCRIBER MANAGEMENT/subscription-lifecycle/change-subscription.md). The
period's discount then comes to the coupon's amount (within the cent
that rounding each prorated line on its own may leave). The default,
``PER_PRODUCT``, bills no such lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prorata._add_on import QuantityMode
from prorata._billing_policy import BillingTiming
from prorata._charges import quantity_lines
from prorata._discount import CouponProducts, DiscountSplit
from prorata._invoice_lines import bill_lines, treated
from prorata._policy import Treatment
from prorata._pricing import sum_lines

if TYPE_CHECKING:
    from collections.abc import Sequence

    from prorata._add_on import AddOn, Item
    from prorata._billing_policy import BillingPolicy
    from prorata._coupon_windows import CouponWindow
    from prorata._invoice_lines import InvoiceLine
    from prorata._money import Money
    from prorata._period import Interval
    from prorata._plan import PlanChange
    from prorata._proration import Proration

__all__ = ["change_billed", "rebills"]


def rebills(
    policy: BillingPolicy,
    coupons: Sequence[CouponWindow],
    change: PlanChange,
    add_on: AddOn,
) -> bool:
    """Whether ``change`` bills ``add_on`` again, its share split anew.

    Under a split other than ``PER_PRODUCT``, billed in advance, a change
    that credits and charges prorated time, of a prorated add-on, while a
    fixed coupon covering the add-on and the old or the new plan is in
    force at the change.
    """
    proration = policy.proration
    treatments = (
        change.credit or proration.credit,
        change.charge or proration.charge,
    )
    if (
        policy.discount_split is DiscountSplit.PER_PRODUCT
        or policy.timing is not BillingTiming.IN_ADVANCE
        or add_on.quantity_mode is not QuantityMode.PRORATED
        or any(treatment is not Treatment.PRORATED for treatment in treatments)
    ):
        return False
    every = policy.coupon_products is CouponProducts.REDEMPTION
    ids = (change.old.id, change.new.id)
    return any(
        window.coupon.discount.amount is not None
        and bool(window.overlap(change.at, change.at))
        and (
            every
            or (
                window.coupon.covers(add_on.id)
                and any(map(window.coupon.covers, ids))
            )
        )
        for window in coupons
    )


def change_billed(
    proration: Proration,
    items: Sequence[Item],
    coupons: Sequence[CouponWindow],
    policy: BillingPolicy,
    interval: Interval,
) -> tuple[list[InvoiceLine], Money]:
    """A plan change's lines as billed, and their net, before discounts.

    The proration's lines, then, for each add-on in force the change
    bills again (``rebills``), its unused time credited and its remaining
    time charged: the lines of a change of its quantity to the same one.
    """
    rules, credit = proration.policy, proration.change.credit
    extra = [
        line
        for item in items
        if item.quantity
        and rebills(policy, coupons, proration.change, item.add_on)
        for line in quantity_lines(
            item,
            item,
            proration.change.at,
            interval,
            period=proration.period,
            policy=rules,
        )
    ]
    own = treated(proration.lines, rules, credit)
    if not extra:
        return bill_lines(own, rules), proration.net
    lines = [*proration.lines, *extra]
    billed = [*own, *treated(extra, rules)]
    return bill_lines(billed, rules), sum_lines(lines, rules)
