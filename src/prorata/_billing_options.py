"""The billing policy's option enums and the strings each accepts.

Each enum names one choice of :class:`~prorata.BillingPolicy` (when a
period or a change is billed, what a pause, a downgrade, a trial change, a
known end or a yearly plan does); ``_billing_policy`` builds the policy on
them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, TypeAlias

__all__ = [
    "BillingAnchor",
    "BillingAnchorName",
    "BillingTiming",
    "BillingTimingName",
    "CancelCap",
    "CancelCapName",
    "CancelScope",
    "CancelScopeName",
    "ChangeBilling",
    "ChangeBillingName",
    "Downgrades",
    "DowngradesName",
    "FixedCouponBudget",
    "FixedCouponBudgetName",
    "KnownEnd",
    "KnownEndName",
    "PauseMode",
    "PauseModeName",
    "StubPeriod",
    "StubPeriodName",
    "TrialChange",
    "TrialChangeName",
    "TrialScope",
    "TrialScopeName",
    "YearlyAlignment",
    "YearlyAlignmentName",
    "ZeroLines",
    "ZeroLinesName",
]


class BillingTiming(StrEnum):
    """When a plan's price for a period is billed."""

    IN_ADVANCE = "in-advance"
    """At the start of each period ("plans are always paid for in advance",
    hosting page); the first period is billed at sign-up. The default."""

    IN_ARREARS = "in-arrears"
    """At the end of each period, for the time each plan was in force
    ("you are not billed at signup", "billed on your actual usage", SaaS
    page ``000_9f3ea20e269377cb.txt``)."""


class CancelCap(StrEnum):
    """What caps the unused time a cancellation returns."""

    PAID_LESS_USED = "paid-less-used"
    """What the period was billed, less the time used up to the end and
    what was already returned against it. The default."""
    PAID = "paid"
    """What the period was billed less what was already returned, the
    time used not deducted, as a change's credit is capped: Kill Bill's
    repair, "the largest available amount left" of the item (killbill @
    cb60779c, invoice/tree/Item.java ``toProratedInvoiceItem``:
    ``maxAmountForRepair`` the prorated amount or the item's net amount,
    whichever is less)."""


class CancelScope(StrEnum):
    """Whose unused time a cancellation returns."""

    PLAN_AND_ADD_ONS = "plan-and-add-ons"
    """The plan's and every add-on's. The default."""
    PLAN = "plan"
    """The plan's alone: what the add-ons were billed for the period is
    kept, as Lago credits a termination: only the last subscription fee,
    never a charge paid in advance (lago-api @ 1b1c24a6, app/services/
    credit_notes/create_from_termination.rb: one credit note item, for
    ``last_subscription_fee``; spec/scenarios/fees/recurring_fees_spec.rb,
    a termination's invoice with no charge fee)."""


class ChangeBilling(StrEnum):
    """When the charges, or the credits, of a plan change are billed."""

    NEXT_INVOICE = "next-invoice"
    """On the next regular invoice (Stripe's ``create_prorations``). The
    default."""
    INVOICE_NOW = "invoice-now"
    """On an invoice issued at the change (Stripe's ``always_invoice``;
    Paddle's ``*_immediately``)."""
    NEVER = "never"
    """Not at all: the lines are computed and shown, never billed (a
    merchant that gives no credit for downgrades)."""


class BillingAnchor(StrEnum):
    """Whether a change keeps the billing dates or restarts them."""

    UNCHANGED = "unchanged"
    """The billing dates stay, but for the changes the proration's
    ``anchor_reset`` restarts them for (a change of interval, by
    default). The default."""
    NOW = "now"
    """The period restarts at the change (Stripe's
    ``billing_cycle_anchor=now``): the old plan's unused time is credited
    as the proration's ``credit`` says and the new plan's first period
    billed, on an invoice issued at once."""


class PauseMode(StrEnum):
    """What a pause does with the time paid in advance."""

    KEEP_PAID_TIME = "keep-paid-time"
    """The unused part of the paid period continues after the resume: the
    billing date moves by the paused length. The default."""
    CREDIT_AND_RESTART = "credit-and-restart"
    """The unused time is credited at the pause, and the resume starts a
    new period, billed then."""
    CREDIT_AND_KEEP_DAY = "credit-and-keep-day"
    """The unused time is credited at the pause, and the resume bills the
    stub to the next billing date, prorated over the period containing it
    (as a sign-up off the anchor is, by ``stub_period``): the billing day
    stays. Under ``AnchorReset.BILLING_DAY`` a plan of several months
    opens in the resume's month, as a change there would (Kill Bill: an
    annual plan billed on the 1st, paused 2012-05-12 and resumed 06-04,
    credits 354/365 and bills 06-04 to 2013-06-01, 362/365)."""
    FORFEIT_AND_RESTART = "forfeit-and-restart"
    """Nothing is credited at the pause: the unused time paid for is
    forfeited (what is due up to the pause is still billed), and the
    resume starts a new period, billed then. Paddle's: "Paddle doesn't
    automatically refund or credit customers where subscriptions are
    paused mid-cycle", and at the resume "a new billing cycle starts.
    Paddle charges for a full billing cycle" (developer.paddle.com/build/
    lifecycle/subscription-pause-resume, ``on_resume``
    ``start_new_billing_period``, the default)."""
    FORFEIT_AND_KEEP_TERM = "forfeit-and-keep-term"
    """Nothing is credited at the pause (what is due up to it is still
    billed). A resume before the paid period's end bills nothing and keeps
    its billing date, the paused time forfeited; a resume at or after it
    starts a new period, billed then. Chargebee's: it "will not provide
    credits for the unused billing period"; "When a subscription resumes
    in-term, no new charges will be invoiced", and resumed out of term "a
    new invoice will be generated" the day it resumes, which becomes the
    renewal date (chargebee.com/docs/pause-subscription.html;
    support.chargebee.com/support/discussions/topics/320673)."""


class StubPeriod(StrEnum):
    """What a first, shorter period is prorated over.

    A sign-up off the anchor, or a trial's end before it, bills a stub.
    """

    ANCHORED = "anchored"
    """The cycle's period that contains it, ending at the anchor's next
    date (Kill Bill: May 1 to a billing day of 15 is 14 of the 30 days from
    April 15; Lago's and Meteroid's first periods). The default."""
    FROM_START = "from-start"
    """A whole interval starting at the stub's own start (Stripe: February
    15 to an anchor on March 1 is 14 days of the 28 to March 15, "exactly
    half"). It prices what the stub's own invoice bills; a change or a
    cancellation inside the stub is still prorated over the anchored
    period containing it."""
    COUNTED_BACK = "counted-back"
    """A whole interval ending at the stub's end, counted back from it on
    the calendar (Kill Bill: a stub to 30 September on a billing day of
    31 is over 30 August to 30 September, 31 days, not the 30 from 31
    August, ``nextBillingCycleDate.minus(billingPeriod.getPeriod())``,
    ``InvoiceDateUtils.calculateProRationBeforeFirstBillingPeriod``). It
    differs from the anchored period only when the anchor's day is cut
    short; like ``from-start``, it prices the stub's own invoice."""


class Downgrades(StrEnum):
    """When a downgrade takes effect."""

    AT_ONCE = "at-once"
    """At the change, prorated like any change. The default."""
    AT_PERIOD_END = "at-period-end"
    """At the end of the current period: a change to a plan whose price
    for a year is lower is scheduled for the next billing date, and bills
    nothing until then (Lago: "the downgrade is applied at the end of the
    billing period", doc.getlago.com; lago-api downgrade_spec)."""
    ALL_AT_PERIOD_END = "all-at-period-end"
    """Every plan change, an upgrade too, is scheduled for the next billing
    date and bills nothing until then (Polar's ``next_period``: "Don't
    invoice immediately, and don't add prorations. The new price will be
    applied at the start of the next period", polarsource/polar
    server/polar/enums.py)."""


class TrialScope(StrEnum):
    """What a free trial leaves unbilled."""

    SUBSCRIPTION = "subscription"
    """The plan and its add-ons: nothing is billed before the trial's end.
    The default (Stripe, Chargebee, Paddle, Recurly, Lago)."""
    PLAN = "plan"
    """The plan alone, as Kill Bill's trial is a phase of the base plan
    (its $0 FIXED item): an add-on is billed from its own start, in
    advance, to the trial's end, over the plan's interval counted back
    from that end, as a first period's stub (killbill-integration-tests
    @ 99c28215, core/test_shopping_card.rb test_multiple_bundles_with_
    default: OilSlick at $4.00 bought with Sports' 30-day trial, 3.87 for
    2013-08-01 to 08-31; killbill @ cb60779c, InvoiceDateUtils
    ``calculateProRationBeforeFirstBillingPeriod``). A change of quantity
    in the trial is prorated over the same stretch, a cancellation in it
    credits the add-ons' unused time; the trial's end may not move while
    an add-on is billed to it, and billing in arrears is refused."""


class TrialChange(StrEnum):
    """What a plan change made during a free trial does to the trial."""

    KEEP_TRIAL = "keep-trial"
    """The trial runs on to its end; the change bills nothing, and the
    first invoice, at the trial's end, bills the plan in force then
    (Stripe, unless the update passes ``trial_end=now``; Paddle; Recurly.
    Kill Bill, Lago and Chargebee count the trial from the start by the
    new plan's own trial length, ``BY_PLAN`` as an option; a plan of the
    same trial keeps it). A change scheduled in the trial is refused: one
    made now already waits for the trial's end. The default."""
    END_TRIAL = "end-trial"
    """The change ends the trial: the first period of the new plan starts
    at the change, anchored there even if the trial had another anchor,
    and is billed then (in advance, at once) as a trial's end bills it;
    nothing is prorated for the trial's time. A change scheduled in the
    trial waits for the trial's end, which it follows if the trial ends
    early or is extended (Meteroid: a free trial's immediate plan change
    resets the period and billing day to the change's date and issues the
    first invoice, meteroid-oss/meteroid services/subscriptions/
    plan_change.rs; test_plan_change_during_free_trial_immediate)."""
    BY_PLAN = "by-plan"
    """The new plan's own trial (``Plan.trial``), counted from the trial's
    start, decides: one that ends after the change is the trial's new end
    (the change bills nothing); a plan with none, or whose trial has run
    out by the change, ends the trial there as ``end-trial`` does (Polar:
    ``_resolve_trial_end``, "The trial's end under `product`, or None when
    it ends immediately", polarsource/polar server/polar/subscription/
    service.py; a product with no trial "charges a full period"). A change
    scheduled in the trial is refused, as under ``keep-trial``."""


class KnownEnd(StrEnum):
    """How a period billed in advance that contains a known end is billed.

    The end is known when the period is billed: a cancellation scheduled
    for a later date (``Subscription.cancel(at=...)``) that falls inside
    the period the billing date opens; or, for the plan alone, a change
    scheduled inside it (``Subscription.schedule_change(new, at)``: a
    phase or plan change at a known date), which ends the old plan there.
    """

    BILL_PERIOD = "bill-period"
    """The whole period, and the end credits the time after it as
    ``cancel_credit`` says (Chargebee's "Cancel on a specific date" has its
    own setting for the credits of the unused period). The default."""
    BILL_TO_END = "bill-to-end"
    """Only up to the end: the period's plan and add-ons from the billing
    date to the end, priced by the policy's proration over the whole
    period (the formula of a stub), and the end then credits nothing for
    it (Zuora: "when your customer cancels a subscription, a partial
    month/period may appear at the end of a charge. By the current design,
    such a partial month/period will always be billed": BCD 1, a charge
    to 03/20/2019 bills "Partial month of 03/01/2019 - 03/20-2019";
    docs.zuora.com, common-subscription-information/proration). A
    cancellation withdrawn after such a period is billed bills the rest
    of it on the next invoice, as Zuora bills what a deleted cancellation
    leaves unbilled; a plan or quantity change in it bills the rest first,
    then prorates as in a period billed whole. A scheduled change is such
    an end for the plan: billed up to it, its add-ons (which the change
    keeps) the whole period, and the change credits nothing for the old
    plan (Kill Bill ends a recurring item at its subscription's next
    billing event, FixedAndRecurringInvoiceItemGenerator; Zuora splits a
    charge at a future-dated update into segments, the old one ending
    there, and bills a charge's partial last period). Withdrawn, replaced,
    dropped by an earlier end or preceded by a plan change, it bills the
    plan's rest on the next invoice. Billed in arrears, an end is always
    billed up to it: the option changes nothing."""


class YearlyAlignment(StrEnum):
    """Which billing day a yearly plan a change opens bills on.

    It matters under ``AnchorReset.BILLING_DAY``, where a change keeps the
    account's billing day (Kill Bill's billing-cycle day, BCD); the other
    anchor rules restart the cycle at a change to a yearly plan.
    """

    ACCOUNT = "account"
    """The account's: the day of the subscription's anchor, as for every
    other plan (Kill Bill's ``ACCOUNT`` billing alignment). The default."""
    SUBSCRIPTION = "subscription"
    """The subscription's own: the day of the month of its first paid day
    (the trial's end, or else its start). A plan of one year opened by a
    change, at once, at a scheduled date or in a trial, so bills its first
    stretch from the change to that day's next date (362 of 365 days from
    4 May to 1 May). A later plan of months bills on the account's day
    again, which the yearly plan does not move. Kill Bill's
    ``SUBSCRIPTION`` billing alignment ("the BCD now becomes the 1 (first
    non null recurring phase)", beatrix TestIntegrationWithDifferent
    BillingPeriods.testChangeMonthlyToAnnualWithDifferentBCD; util/.../
    bcd/BillCycleDayCalculator.java ``calculateBcdFromSubscription``:
    ``getDateOfFirstRecurringNonZeroCharge``), which the catalog Kill Bill
    ships as its server's default gives ``ANNUAL`` plans (killbill/killbill
    @ cb60779c, profiles/killbill/src/main/resources/
    killbill-server.properties ``org.killbill.catalog.uri=
    SpyCarAdvanced.xml``, whose ``<billingAlignment>`` reads ``ADD_ON``:
    ``BUNDLE``, ``ANNUAL``: ``SUBSCRIPTION``, otherwise ``ACCOUNT``), as
    does the default catalog of its integration tests (beatrix
    catalogs/default/catalogTest.xml)."""


class FixedCouponBudget(StrEnum):
    """What a fixed-amount coupon's amount for a billing period covers.

    A percentage coupon is a share of each line, whatever this says.
    """

    EACH_INVOICE = "each-invoice"
    """The amount comes off each invoice's lines for the share of the
    period each bills, whatever the period's other invoices took of it
    (Stripe's ``amount_off``, "taken off the subtotal of any invoices";
    Recurly: a surplus "will not carry over to other invoices",
    support.recurly.com "What are fixed amount discounts?"). The
    default."""
    PERIOD = "period"
    """The amount is a budget for the billing period, spent across its
    invoices: a line billed for the period (a whole period, a change's
    remaining time) is discounted by what the period's earlier invoices
    left of it; a credit's reversal gives nothing back to it, and the next
    period has the whole amount again. Chargebee: "if there is a surplus
    in the discount after applying the coupon once, the surplus discount
    will be applied again when there is a change in subscription within
    the same billing cycle" ($50 on a $10 invoice, then a $100 plan: "the
    balance $40, gets applied to the new charge and customer pays only
    $60", chargebee.com/docs/2.0/coupons.html, "Fixed Amount Coupons");
    "The fixed amount is applied to the total invoice amount for the
    billing period, not to every invoice" (chargebee.com/docs/billing/2.0/
    kb/billing/coupon-not-included-in-proration-calculation). Kept per
    coupon, not per product: the products of one invoice each take the
    amount as ``discount_split`` says, less what earlier invoices took. A
    credit reverses what ``discount_credit`` gives its time, not less what
    the invoices before the one that billed it took: a second change in
    one period may reverse more than its time was billed with."""


# tests/test_api.py keeps each option alias the same as its enum.
#: The values of :class:`Downgrades`, accepted as plain strings.
DowngradesName: TypeAlias = Literal[
    "at-once", "at-period-end", "all-at-period-end"
]
#: The values of :class:`StubPeriod`, accepted as plain strings.
StubPeriodName: TypeAlias = Literal[
    "anchored", "from-start", "counted-back"
]
#: The values of :class:`PauseMode`, accepted as plain strings.
PauseModeName: TypeAlias = Literal[
    "keep-paid-time",
    "credit-and-restart",
    "credit-and-keep-day",
    "forfeit-and-restart",
    "forfeit-and-keep-term",
]
#: The values of :class:`BillingTiming`, accepted as plain strings.
BillingTimingName: TypeAlias = Literal["in-advance", "in-arrears"]
#: The values of :class:`ChangeBilling`, accepted as plain strings.
ChangeBillingName: TypeAlias = Literal["next-invoice", "invoice-now", "never"]
#: The values of :class:`TrialChange`, accepted as plain strings.
TrialChangeName: TypeAlias = Literal["keep-trial", "end-trial", "by-plan"]
#: The values of :class:`KnownEnd`, accepted as plain strings.
KnownEndName: TypeAlias = Literal["bill-period", "bill-to-end"]
#: The values of :class:`YearlyAlignment`, accepted as plain strings.
YearlyAlignmentName: TypeAlias = Literal["account", "subscription"]
#: The values of :class:`BillingAnchor`, accepted as plain strings.
BillingAnchorName: TypeAlias = Literal["unchanged", "now"]
#: The values of :class:`FixedCouponBudget`, accepted as plain strings.
FixedCouponBudgetName: TypeAlias = Literal["each-invoice", "period"]
#: The values of :class:`CancelCap`, accepted as plain strings.
CancelCapName: TypeAlias = Literal["paid-less-used", "paid"]
#: The values of :class:`CancelScope`, accepted as plain strings.
CancelScopeName: TypeAlias = Literal["plan-and-add-ons", "plan"]
#: The values of :class:`TrialScope`, accepted as plain strings.
TrialScopeName: TypeAlias = Literal["subscription", "plan"]


class ZeroLines(StrEnum):
    """Whether a subscription's invoices keep the fee lines of zero."""

    KEEP = "keep"
    """Every line, a $0.00 plan or add-on too. The default."""
    DROP = "drop"
    """A fee of zero (a plan's, an add-on's or a one-time charge's line, or
    its discount, once rounded) is not made, as OpenMeter makes no line
    for a flat fee whose amount is zero (openmeterio/openmeter @ 7e57a394,
    openmeter/billing/worker/subscriptionsync/service/targetstate/
    targetstateitem.go: ``if perUnitAmount.IsZero() { return nil, nil }``;
    sync_test.go TestDefactoZeroPrices: "No lines should be invoiced"). A
    sign-up left with no line issues no invoice."""


#: The values of :class:`ZeroLines`, accepted as plain strings.
ZeroLinesName: TypeAlias = Literal["keep", "drop"]
