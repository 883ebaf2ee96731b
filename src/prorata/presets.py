"""Named proration conventions: one preset per documented platform behaviour.

Each preset is a :class:`~prorata.ProrationPolicy` built from the orthogonal
options, with a docstring that says which behaviour it models and where that is
documented. ``docs/research/`` holds the sources, with the inputs and figures
of every public worked example; ``docs/conventions.md`` reproduces one per
preset to the cent. Where a platform leaves an option undocumented
(tie-breaking, mostly), the preset says what it assumes.

When an invoice is issued (at once, on the next invoice, never) is a billing
matter, not a proration one: :data:`CONVENTIONS` gives every preset as a whole
:class:`~prorata.BillingPolicy` (its proration, and how its platform bills a
change, a cancellation, a period), and :data:`PADDLE_MODES`,
:data:`POLAR_BEHAVIORS` and :data:`STRIPE_BEHAVIORS` map those platforms'
billing modes.

>>> from prorata import presets
>>> presets.KILL_BILL.describe()
'basis days, half-up rounding per line, anchor reset billing-day'
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from types import MappingProxyType
from typing import Final

from prorata._add_on import QuantityMode
from prorata._billing_policy import (
    BillingAnchor,
    BillingPolicy,
    BillingTiming,
    CancelCap,
    CancelScope,
    ChangeBilling,
    Downgrades,
    FixedCouponBudget,
    KnownEnd,
    PauseMode,
    StubPeriod,
    TrialChange,
    TrialScope,
    YearlyAlignment,
    ZeroLines,
)
from prorata._discount import (
    CouponMonths,
    CouponProducts,
    DiscountCredit,
    DiscountSplit,
    PercentRounding,
    PercentStacking,
    SetupFeeDiscount,
)
from prorata._invoice import CancelCredit
from prorata._money import Money
from prorata._platforms import (
    CHARGEBEE_DAY,
    CHARGEBEE_MILLISECOND,
    FLEXPRICE,
    HOSTING_PAGE,
    KILL_BILL,
    KILL_BILL_FIXED_30,
    LAGO,
    METEROID,
    OPENMETER,
    ORB,
    PADDLE,
    POLAR,
    PRESETS,
    RECURLY,
    SAAS_PAGE,
    STRIPE_CLASSIC,
    STRIPE_FLEXIBLE,
    ZUORA_ACTUAL_360,
    ZUORA_ACTUAL_360_MONTH_FIRST,
    ZUORA_ACTUAL_DAYS,
    ZUORA_ACTUAL_DAYS_MONTH_FIRST,
    ZUORA_STRICT_30_360,
    ZUORA_STRICT_30_360_MONTH_FIRST,
)
from prorata._policy import ChangeDay, ProrationPolicy, Treatment
from prorata._rounding import RoundingMode
from prorata._tax import TaxRounding

__all__ = [
    "CHARGEBEE_DAY",
    "CHARGEBEE_MILLISECOND",
    "CONVENTIONS",
    "FLEXPRICE",
    "HOSTING_PAGE",
    "KILL_BILL",
    "KILL_BILL_FIXED_30",
    "LAGO",
    "METEROID",
    "OPENMETER",
    "ORB",
    "PADDLE",
    "PADDLE_MODES",
    "POLAR",
    "POLAR_BEHAVIORS",
    "PRESETS",
    "RECURLY",
    "SAAS_PAGE",
    "STRIPE_BEHAVIORS",
    "STRIPE_CLASSIC",
    "STRIPE_FLEXIBLE",
    "ZUORA_ACTUAL_360",
    "ZUORA_ACTUAL_360_MONTH_FIRST",
    "ZUORA_ACTUAL_DAYS",
    "ZUORA_ACTUAL_DAYS_MONTH_FIRST",
    "ZUORA_STRICT_30_360",
    "ZUORA_STRICT_30_360_MONTH_FIRST",
]


def _billing(
    proration: ProrationPolicy,
    billing: ChangeBilling,
    credit: Treatment = Treatment.PRORATED,
    charge: Treatment = Treatment.PRORATED,
) -> BillingPolicy:
    """``proration`` billed as ``billing`` says, with these treatments."""
    if (credit, charge) != (proration.credit, proration.charge):
        proration = replace(proration, credit=credit, charge=charge)
    return BillingPolicy(
        proration=proration,
        charge_billing=billing,
        credit_billing=billing,
    )


_NOW: Final = ChangeBilling.INVOICE_NOW
_LATER: Final = ChangeBilling.NEXT_INVOICE
_NONE: Final = Treatment.NONE

# Paddle taxes an item on its subtotal less its discount (PER_ITEM), and
# "doesn't automatically refund customers where subscriptions are canceled
# mid-cycle" (developer.paddle.com/build/lifecycle/subscription-cancellation)
# nor credits a pause, whose resume bills "a full billing cycle" from it
# (build/lifecycle/subscription-pause-resume): FORFEIT_AND_RESTART.
PADDLE_MODES: Final = MappingProxyType(
    {
        mode: replace(
            policy,
            tax_rounding=TaxRounding.PER_ITEM,
            cancel_credit=CancelCredit.NONE,
            pause_mode=PauseMode.FORFEIT_AND_RESTART,
        )
        for mode, policy in {
            "prorated_immediately": _billing(PADDLE, _NOW),
            "prorated_next_billing_period": _billing(PADDLE, _LATER),
            "full_immediately": _billing(PADDLE, _NOW, _NONE, Treatment.FULL),
            "full_next_billing_period": _billing(
                PADDLE, _LATER, _NONE, Treatment.FULL
            ),
            "do_not_bill": _billing(PADDLE, _LATER, _NONE, _NONE),
        }.items()
    }
)
"""Paddle Billing's ``proration_billing_mode`` values as billing policies:
prorated or full ("Prorated amount isn't calculated. The customer is billed
the full amount"), billed now or "on their next renewal", or not billed
(developer.paddle.com, subscription updates)."""

# Stripe's cancellation "prorate" (a credit for the unused time)
# "Defaults to false", and cancelling at once removes pending prorations
# (docs.stripe.com/api/subscriptions/cancel): a cancellation returns
# nothing unless asked (``cancel(credit="credit")``).
STRIPE_BEHAVIORS: Final = MappingProxyType(
    {
        name: replace(policy, cancel_credit=CancelCredit.NONE)
        for name, policy in {
            "create_prorations": _billing(STRIPE_CLASSIC, _LATER),
            "always_invoice": _billing(STRIPE_CLASSIC, _NOW),
            "none": _billing(STRIPE_CLASSIC, _LATER, _NONE, _NONE),
        }.items()
    }
)
"""Stripe's ``proration_behavior`` values as billing policies (classic
mode): prorations left pending for the next invoice, invoiced at once, or
not created at all (docs.stripe.com/api/subscriptions/update)."""


# Polar splits a fixed discount across a subscription's prices in
# proportion to their amounts, in cents by largest remainders, and re-splits
# it at each change (polarsource/polar @ c6c3645e, server/polar/models/
# discount.py DiscountFixed.allocate_discount_amounts; subscription/
# update.py; test_service_prorations.py TestComposedStaticPriceDiscount
# Allocation: 90_00 off 100_00 + 200_00 is [30_00, 60_00]). A discount's
# products gate its redemption only ("Product applicability gates
# redemption, not the subscription's lifetime"): checked when attached
# (subscription/service.py resolve_discount: "Discount does not exist, is
# not applicable to this product or is not redeemable"; checkout), then
# every cycle and proration discounts every price (_create_cycle_billing_
# entries, subscription/update.py; TestProrationDiscountProduct
# Applicability: 50% off Go only, Go 10_00 -> Pro 20_00 half-way credits
# 250 and debits 500).
# Its changes follow the organisation's default proration_behavior,
# ``prorate`` (models/organization.py _default_subscription_settings):
# the prorations wait for the next invoice; a change of interval resets
# the cycle and is invoiced at once (subscription/service.py
# update_product, ``interval_changed``), which ``anchor_reset``
# ``interval`` does. A repeating discount lasts while a cycle starts by
# its last month: "end_at = discount_applied_at + relativedelta(months=
# self.duration_in_months - 1)", expired when "current_period_start >
# end_at" (models/discount.py is_repetition_expired), counted from the
# first cycle it is used in, checked as each cycle opens and kept through
# it for its prorations (subscription/service.py, subscription/update.py).
# A subscription ended now is revoked: "_perform_cancellation(immediately=
# True)" settles metered usage only and credits no unused time (polar @
# c6c3645e, server/polar/subscription/service.py revoke; cancel waits for
# the period's end).
_POLAR: Final = BillingPolicy(
    proration=POLAR,
    discount_split=DiscountSplit.PROPORTIONAL,
    coupon_products=CouponProducts.REDEMPTION,
    coupon_months=CouponMonths.PERIOD_BY_LAST_MONTH,
    cancel_credit=CancelCredit.NONE,
    # A seat change is one entry, ``int(Decimal(amount_delta) * proration_
    # factor)`` (polar @ c6c3645e, subscription/update.py: 3400 x 16/31 =
    # 1754); a change in a trial takes the product's (_resolve_trial_end).
    quantity_mode=QuantityMode.DELTA,
    quantity_rounding=RoundingMode.DOWN,
    trial_change=TrialChange.BY_PLAN,
)

# Polar's proration_behavior values (polarsource/polar @ c6c3645e,
# server/polar/enums.py SubscriptionProrationBehavior; subscription/
# update.py generate_subscription_update; subscription/service.py
# update_product, update_seats): ``invoice`` bills the prorations, the
# unused time credited and the remaining time debited, on an order at
# once (``is_immediate``); ``prorate`` leaves them for the next cycle's
# order; ``next_period`` makes no proration and stores the change as a
# pending update applied at ``current_period_end`` (update.py:
# ``applies_at = subscription.current_period_end``), a product change
# and a seat change alike: prorata schedules the plan change and makes
# a quantity change at once, billing nothing for it until the next
# billing date bills the new quantity; ``reset`` "Invoice[s] the full
# amount of the new plan immediately and reset[s] the billing cycle to
# now. No proration": the new period starts at the change, for a product
# and a seat or unit change alike, no credit for the unused time
# (update.py: "Reset mode doesn't generate proration credits"). So does
# Polar's guide (polar.sh/docs/features/subscriptions/proration: under
# ``prorate`` a change of interval is promoted to ``invoice``;
# ``next_period`` schedules a pending update, no charge or credit;
# ``reset`` bills the new plan in full and restarts the cycle now).
POLAR_BEHAVIORS: Final = MappingProxyType(
    {
        "invoice": replace(_POLAR, charge_billing=_NOW, credit_billing=_NOW),
        "prorate": _POLAR,
        "next_period": replace(
            _POLAR,
            proration=replace(POLAR, credit=_NONE, charge=_NONE),
            downgrades=Downgrades.ALL_AT_PERIOD_END,
        ),
        "reset": replace(
            _POLAR,
            proration=replace(POLAR, credit=_NONE),
            charge_billing=_NOW,
            credit_billing=_NOW,
            billing_anchor=BillingAnchor.NOW,
        ),
    }
)
"""Polar's ``proration_behavior`` values as billing policies: prorations
invoiced at once (``invoice``), left for the next invoice (``prorate``, the
default and the ``polar`` convention), none made and the change applied at
the next billing date (``next_period``), or the cycle restarted at every
change, the new plan billed in full, no credit (``reset``; enums.py)."""


def _in_arrears(convention: BillingPolicy) -> BillingPolicy:
    """``convention`` for a plan billed in arrears.

    The time used is invoiced at a change, as at an end.
    """
    return replace(
        convention, timing=BillingTiming.IN_ARREARS, used_time_billing=_NOW
    )


# Lago: an upgrade is invoiced at once, the old plan credited by a
# credit note on the spot (lago-api multiple_upgrade_spec). A termination
# credits the plan alone (CancelScope.PLAN), its day kept by the old plan
# ("7 unused days" of 22 to 28 February after a termination on the 21st;
# lago-api terminate_manually_spec, create_from_termination_spec).
# Downgrades wait for the period's end (lago-api downgrade_spec: "the
# downgrade is applied at the end of the billing period", doc.getlago.com).
# A coupon is one credit on the invoice, computed on the fees' total and
# weighted over the fees by their amounts (lago-api @ 1b1c24a6,
# app/services/credits/applied_coupon_service.rb: the credit amount on
# ``base_amount_cents``, then each fee's ``precise_coupons_amount_cents``
# by ``compute_precise_credit_amount_cents(credit_amount, base)``;
# taxes_on_invoice_spec: 10 off fees of 100, 50, 30, 20 is 500, 250, 150,
# 100 cents): a fixed coupon split in proportion, a percentage rounded once.
# Tax is rounded once per tax on the invoice, on the sum of every fee's
# taxable amount at its rate (lago-api @ 1b1c24a6, app/services/invoices/
# apply_taxes_service.rb: each applied tax's amount is the rounded sum of
# ``fee.sub_total_excluding_taxes_amount_cents * tax.rate / 100``; spec
# credit_notes/credit_note_spec.rb: two fees of 68_33 at 20% carry
# taxes_amount_cents 27_33, not the 27_34 of each fee rounded), and a
# change's credit, a credit note of its own, the same way on its items (@
# 0f96a2e0, app/services/credit_notes/apply_taxes_service.rb): PER_DOCUMENT.
_LAGO: Final = BillingPolicy(
    proration=LAGO,
    charge_billing=_NOW,
    credit_billing=_NOW,
    cancel_change_day=ChangeDay.OLD_PLAN,
    cancel_scope=CancelScope.PLAN,
    downgrades=Downgrades.AT_PERIOD_END,
    discount_split=DiscountSplit.PROPORTIONAL,
    tax_rounding=TaxRounding.PER_DOCUMENT,
    percent_rounding=PercentRounding.PER_INVOICE,
)
# OpenMeter never re-rates an issued invoice: a cancellation returns
# nothing of the period billed in advance either. A flat fee whose end is
# known bills only its service period cut there, prorated over the full
# one (openmeterio/openmeter @ 7e57a394, billing/charges/flatfee/charge.go
# CalculateAmountAfterProration; charge_test.go: 15 of 31 days of 100 is
# "48.39", of 1000 JPY 10/31 "323"); a fee of zero is no line (ZeroLines).
_OPENMETER: Final = BillingPolicy(
    proration=OPENMETER,
    cancel_credit=CancelCredit.NONE,
    known_end=KnownEnd.BILL_TO_END,
    zero_lines=ZeroLines.DROP,
)
# Kill Bill's pause blocks billing (isBlockBilling): the period's unused
# time is repaired at once (REPAIR_ADJ, to the balance as CBA_ADJ), the
# resume bills from its date to the next billing day, prorated over the
# period ending there, the billing day kept (BillingIntervalDetail, Invoice
# DateUtils.calculateProRationBeforeFirstBillingPeriod). Beatrix
# TestIntegrationWithDifferentBillingPeriods testPauseResumeAnnual: annual
# 2399.95 billed on the 1st, paused 2012-05-12: "-2327.62" (354/365);
# resumed 06-04: 06-04 to 2013-06-01 "2380.22" (362/365); TestIntegration
# testWithPauseResume: monthly 249.95, billing day 2, paused 2012-03-04
# "-233.82" (29/31), resumed 04-05: to 05-02 "224.96" (27/30).
# Kill Bill's shipped catalogs put ANNUAL plans on the SUBSCRIPTION's day
# (YearlyAlignment cites them), at a start too: the account's BCD is left for
# the first paid day (BillCycleDayCalculator calculateBcdForAlignment;
# TestBundleTransfer.testBundleTransferWithBPAnnualOnly, BCD 17: 2012-05-11 to
# 2013-05-11 "2399.9500"). A period billed in advance stops at a known end
# (BillingIntervalDetail; TestCatalogFixedTerm.testFixedTermPhaseIn
# AdvanceBilling: "20.03", 366/731) and its plan at a scheduled change, the
# next billing event (testDiscountAndRecurringPhaseInAdvanceBilling: "20.03",
# then "100.00"). A stub to a billing date is over the interval counted back
# from it (InvoiceDateUtils; BCD 31, 09-10 to 09-30: 500 x 20/31, "322.58");
# a repair is capped at what is left of the item (Item.java, CancelCap.PAID);
# a trial is the base plan's phase, its add-ons billed (TrialScope.PLAN).
_KILL_BILL: Final = replace(
    _billing(KILL_BILL, _NOW),
    pause_mode=PauseMode.CREDIT_AND_KEEP_DAY,
    yearly_alignment=YearlyAlignment.SUBSCRIPTION,
    known_end=KnownEnd.BILL_TO_END,
    stub_period=StubPeriod.COUNTED_BACK,
    cancel_cap=CancelCap.PAID,
    trial_scope=TrialScope.PLAN,
)

CONVENTIONS: Final = MappingProxyType(
    {
        **{
            name: BillingPolicy(proration=policy)
            for name, policy in PRESETS.items()
        },
        # Zuora bills a charge whose end is known only up to it: "when your
        # customer cancels a subscription, a partial month/period may
        # appear at the end of a charge. By the current design, such a
        # partial month/period will always be billed" (BCD 1, a charge to
        # 03/20/2019: "Partial month of 03/01/2019 - 03/20-2019 will be
        # charged"; docs.zuora.com, manage-subscription-transactions/
        # common-subscription-information/proration); a future-dated update
        # ends the old charge segment at its date (charge-metrics, update
        # the charge price: RPC2 "from 01/01/2025 to 06/01/2025", RPC3 from
        # 06/01/2025), so a scheduled change is such an end. Percentage
        # discounts apply one after another unless a discount charge is
        # marked stacked ("Stacked: Select this checkbox to create a stacked
        # discount charge", create-a-discount-charge; stacked discounts
        # apply "all at once ... instead of applying the discounts
        # sequentially", discount-charge-models/stacked-discounts: 5%, 10%
        # and 15% of $100 take "$5", "$9.5" and "$12.83"): compounded.
        # A fixed-amount discount is used up charge by charge, in Zuora's
        # order of the charges, until none is left (invoice-item-
        # adjustments/reason-why-some-items-on-an-invoice-are-discounted-
        # and-some-are-not: $25 over $5, $10, $5, $5 and $15 takes "$5",
        # "$10", "$5", "$5" and "$0"): in order.
        # A credit for unused time reverses a fixed discount only past the
        # time used: "Credit for Prorated Discounts (Fixed-amount Discount
        # Charge Only)" defaults to No (Billing > Define Billing Rules;
        # $1,200 a year with $720 off, shortened to 3 months: discount
        # credit "$420", credit back "$480"; docs.zuora.com, proration-
        # credit/credit-for-prorated-discounts): used first.
        # Invoice-level rounding is not set: a currency's Rounding Increment
        # and Mode are the tenant's (Customize Currencies; 0.01 by default):
        # a Swiss tenant adds invoice_rounding=InvoiceRounding(increment=
        # Money("0.05", "CHF"), mode="up") (invoice-level-rounding-example).
        **{
            name: BillingPolicy(
                proration=policy,
                known_end=KnownEnd.BILL_TO_END,
                percent_stacking=PercentStacking.COMPOUND,
                discount_split=DiscountSplit.IN_ORDER,
                discount_credit=DiscountCredit.USED_FIRST,
            )
            for name, policy in PRESETS.items()
            if name.startswith("zuora-")
        },
        # Changes invoiced at once, the net credit to the customer's balance:
        # Kill Bill's IMMEDIATE policy (REPAIR_ADJ and CBA_ADJ on the change's
        # invoice), Meteroid's adjustment invoice (a negative one "marked paid,
        # its value to the customer balance"), Flexprice's one-off invoice and
        # wallet top-up, Orb's plan-change invoice (docs/research/).
        # The hosting page: changes whose net is $100 or less "will be
        # added to your next invoice", larger ones are invoiced at once.
        "hosting-page": BillingPolicy(
            proration=HOSTING_PAGE, charge_now_above=Money("100", "USD")
        ),
        # The SaaS page: "you are not billed at signup", billed "on your
        # actual usage", calculated "three (3) days before" each date.
        "saas-page": BillingPolicy(
            proration=SAAS_PAGE,
            timing=BillingTiming.IN_ARREARS,
            calculation_lead=timedelta(days=3),
        ),
        "lago": _LAGO,
        # Lago's plans paid in arrears (``pay_in_advance: false``): "when a
        # plan is upgraded mid-cycle, Lago immediately generates an invoice
        # covering the prorated portion of the old plan", the new plan's
        # days billed at the period's end (getlago.com/docs/guide/
        # subscriptions/upgrades-downgrades); a termination bills the used
        # days with its own (lago-api invoices_spec).
        "lago-in-arrears": _in_arrears(_LAGO),
        "openmeter": _OPENMETER,
        # A rate card paid in arrears: a line is invoiced when its own
        # service period ends, a change ending it then (sync_test.go
        # TestAlignedSubscriptionProratingBehavior: 2.26 at 01-15, 2.74 at
        # 02-01 for a 5 flat fee changed on the 15th).
        "openmeter-in-arrears": _in_arrears(_OPENMETER),
        # Stripe prorates a stub over "an imagined month" from its start
        # (docs.stripe.com/billing/subscriptions/backdating); a cancellation
        # credits nothing unless asked (STRIPE_BEHAVIORS).
        "stripe-classic": BillingPolicy(
            proration=STRIPE_CLASSIC,
            stub_period=StubPeriod.FROM_START,
            cancel_credit=CancelCredit.NONE,
        ),
        # Chargebee prices a stub over "a regular term which is Jan 31st to
        # Feb 28th": $649 a month from 31 January, calendar billing on the
        # 1st, bills 649/28 = 23.18 for the day (support.chargebee.com,
        # proration-calculation-logic, docs/research/more-cases.md C3).
        # Chargebee invoices a change at once unless ``invoice_immediately``
        # is false, which leaves "unbilled charges" for the renewal
        # (chargebee.com/docs/1.0/subscriptions/articles-and-faq/how-can-i-
        # make-a-subscription-change-immediately-using-api.html; a quantity
        # change: "a new invoice of another $100 is generated",
        # support.chargebee.com/support/solutions/articles/255310; the
        # renewal date bills unbilled charges, chargebee.com/docs/2.0/
        # subscriptions/articles-and-faq/how-to-unbilled-charges-for-a-
        # customer-and-subscription.html). A fixed-amount coupon is a budget
        # for the billing period: "if there is a surplus in the discount
        # after applying the coupon once, the surplus discount will be
        # applied again when there is a change in subscription within the
        # same billing cycle" ($50 on a $10 invoice, then a $100 plan: "the
        # balance $40", "pays only $60", chargebee.com/docs/2.0/
        # coupons.html, "Fixed Amount Coupons"; "applied to the total
        # invoice amount for the billing period, not to every invoice",
        # chargebee.com/docs/billing/2.0/kb/billing/coupon-not-included-in-
        # proration-calculation). A pause credits nothing; in term a resume
        # bills nothing, out of it renews (docs/pause-subscription.html).
        **{
            f"chargebee-{mode}{suffix}": replace(
                _billing(proration, billing),
                stub_period=StubPeriod.FROM_START,
                fixed_coupon_budget=FixedCouponBudget.PERIOD,
                pause_mode=PauseMode.FORFEIT_AND_KEEP_TERM,
            )
            for mode, proration in (
                ("day", CHARGEBEE_DAY),
                ("millisecond", CHARGEBEE_MILLISECOND),
            )
            for suffix, billing in (("", _NOW), ("-unbilled", _LATER))
        },
        # Flexible billing mode's pause credits the unused time from now
        # (``bill_for.unused_time_from`` "Defaults to { type: "now" }") and a
        # resume starts a new period (``billing_cycle_anchor`` "The default
        # is now"; docs.stripe.com/api/subscriptions/pause and /resume).
        "stripe-flexible": BillingPolicy(
            proration=STRIPE_FLEXIBLE,
            stub_period=StubPeriod.FROM_START,
            cancel_credit=CancelCredit.NONE,
            pause_mode=PauseMode.CREDIT_AND_RESTART,
        ),
        "kill-bill": _KILL_BILL,
        "kill-bill-fixed-30": replace(
            _KILL_BILL, proration=KILL_BILL_FIXED_30
        ),
        # A catalog plan whose billingMode is IN_ARREAR: an IMMEDIATE change
        # invoices the time used at once, a cancellation the time to its
        # end (beatrix TestInArrearChangeCancel: "116.13" for 11 to 15
        # August, 4/31 of 900.00; "261.29" for 11 to 20 August); a pause
        # the time used (TestWithInArrearSubscriptions testWithPauseResume:
        # "45.16" for 1 to 15 January, and "38.71" on 1 February for the
        # resume's 20 January on, 12/31 of 100.00).
        "kill-bill-in-arrears": _in_arrears(_KILL_BILL),
        # Meteroid's cancellation schedules the end and returns nothing of
        # the period paid (meteroid test_billing.rs test_subscription_
        # cancellation: 3500 on 01-31 and 02-29, ended 03-10, no credit).
        # An immediate plan change in a free trial ends it: the period and
        # billing day reset to the change's date and the first invoice is
        # issued then, nothing prorated (services/subscriptions/
        # plan_change.rs, execute_plan_change_tx; tests/integration/
        # subscription/plan_change.rs test_plan_change_during_free_trial_
        # immediate: 3900 for 01-08 to 02-08 at a change on 01-08).
        # A subscription's coupons apply one after another, each to what the
        # ones before left of the subtotal (meteroid-oss/meteroid @
        # 6a27ef61, crates/meteroid-store/src/services/invoice_lines/
        # discount.rs calculate_coupons_discount: ``subtotal_subunits -=
        # discount``; tests/integration/subscription/coupons.rs
        # test_multiple_coupons_sequential_application: two 60% on 4900
        # take 2940 and 1176, total 784). Meteroid takes the percentages
        # before the fixed amounts; prorata takes them in the order given.
        "meteroid": replace(
            _billing(METEROID, _NOW),
            cancel_credit=CancelCredit.NONE,
            trial_change=TrialChange.END_TRIAL,
            percent_stacking=PercentStacking.COMPOUND,
        ),
        # Flexprice's subscription-level coupons "apply sequentially. Each
        # coupon sees the amount remaining after the previous one": "Two 10%
        # coupons produce a 19% effective discount, not 20%"
        # (flexprice/flexprice-docs @ d7a8637, docs/invoices/
        # calculation.mdx, "Coupon chaining"; flexprice/flexprice @
        # e4b5303f, internal/ee/service/coupon_application.go
        # prepareCouponApplications: ``runningSubTotal``). Its line-item
        # coupons (one charge each) are each of the whole line
        # (``OriginalPrice: targetLineItem.Amount``); prorata compounds a
        # coupon limited to products as well.
        # Flexprice takes a subscription-level coupon off the invoice's
        # subtotal once, "Applied to the running subtotal", then spreads it
        # over the line items in proportion to their amounts; tax is "sum
        # of all applicable tax rates x taxable_amount", each rate on the
        # invoice's taxable amount rounded once (docs.flexprice.io/docs/
        # invoices/billing-calculation-order, "Worked example": $10 off,
        # taxable "$70.00", tax at 8.25% "+$5.78"; flexprice/flexprice @
        # e4b5303f, internal/ee/service/coupon_application.go
        # runningSubTotal, invoice.go DistributeInvoiceLevelDiscount,
        # tax.go calculateTaxLines).
        # A cancellation prorates nothing unless ``create_prorations`` is
        # asked (flexprice @ e4b5303f, internal/api/dto/subscription.go
        # CancelSubscriptionRequest.Validate: ProrationBehaviorNone when
        # unset; internal/ee/service/subscription.go CancelSubscription).
        "flexprice": replace(
            _billing(FLEXPRICE, _NOW),
            cancel_credit=CancelCredit.NONE,
            percent_stacking=PercentStacking.COMPOUND,
            discount_split=DiscountSplit.PROPORTIONAL,
            tax_rounding=TaxRounding.PER_INVOICE,
        ),
        "orb": _billing(ORB, _NOW),
        # Paddle's item tax on its subtotal less its discount (PADDLE_MODES).
        "paddle": BillingPolicy(
            proration=PADDLE,
            tax_rounding=TaxRounding.PER_ITEM,
            cancel_credit=CancelCredit.NONE,
            pause_mode=PauseMode.FORFEIT_AND_RESTART,
        ),
        # Recurly fills a fixed discount charge by charge: "A fixed amount
        # discount is distributed across eligible charges starting with the
        # first subscription line item" ($20 off a $15 plan fee and a $7
        # add-on: "($15.00) - fully discounted", "($5.00) - remaining $5 of
        # discount applied", payable "$2.00"; recurly/recurly-docs @
        # 38cfcc4c, docs/PLANS, PRICING & PROMOTIONS/promotions/coupons/
        # index.md, "Fixed amount discounts"). A fixed amount starts with
        # the setup fee: "Fixed amount discounts will discount plan setup
        # fees", "the setup fee is always the first subscription line item
        # on the invoice" (support.recurly.com, "What are fixed amount
        # discounts?"); "Percentage discounts will never discount a plan
        # setup fee" (docs.recurly.com/coupons); Recurly.js spends a
        # single-use coupon that took anything at sign-up (recurly/
        # recurly-js, lib/recurly/pricing/subscription/calculations.js,
        # discount(): "coupon.single_use && this.price.now.discount > 0").
        # A subscription terminated now refunds by its ``refund_type``,
        # ``none`` by default (the partial refund "Prorates a refund based
        # on the amount of time remaining"; Recurly v2 API reference,
        # /subscriptions/{uuid}/terminate; docs/research/more-cases.md).
        "recurly": BillingPolicy(
            proration=RECURLY,
            discount_split=DiscountSplit.IN_ORDER,
            setup_fee_discount=SetupFeeDiscount.FIXED_FIRST,
            cancel_credit=CancelCredit.NONE,
        ),
        "polar": _POLAR,
    }
)
"""Every preset as a whole billing convention, by name: its proration and
when its platform invoices a change (at once, or on the next invoice as
Stripe's ``create_prorations`` does), for ``Subscription.start(policy=...)``.
Each part can still be overridden, with ``dataclasses.replace`` or the
options of one change."""
