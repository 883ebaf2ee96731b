"""The platforms' proration policies, one constant each, and ``PRESETS``.

``prorata.presets`` re-exports them beside the whole billing conventions
(``CONVENTIONS``) built on them; each docstring says which behaviour the
policy models and where that is documented.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import Final

from prorata._policy import (
    AnchorReset,
    Basis,
    ChangeDay,
    CreditBasis,
    DayCount,
    ProrationPolicy,
    Treatment,
)
from prorata._rounding import RoundingMode

__all__ = [
    "CHARGEBEE_DAY",
    "CHARGEBEE_MILLISECOND",
    "FLEXPRICE",
    "HOSTING_PAGE",
    "KILL_BILL",
    "KILL_BILL_FIXED_30",
    "LAGO",
    "METEROID",
    "OPENMETER",
    "ORB",
    "PADDLE",
    "POLAR",
    "PRESETS",
    "RECURLY",
    "SAAS_PAGE",
    "STRIPE_CLASSIC",
    "STRIPE_FLEXIBLE",
    "ZUORA_ACTUAL_360",
    "ZUORA_ACTUAL_360_MONTH_FIRST",
    "ZUORA_ACTUAL_DAYS",
    "ZUORA_ACTUAL_DAYS_MONTH_FIRST",
    "ZUORA_STRICT_30_360",
    "ZUORA_STRICT_30_360_MONTH_FIRST",
]

STRIPE_CLASSIC: Final = ProrationPolicy(
    basis=Basis.SECONDS, anchor_reset=AnchorReset.INTERVAL_OR_FROM_FREE
)
"""Stripe, classic billing mode: "prorated down to the second" over the whole
current period; each proration line rounded on its own; the credit is the
unused share of the *current list price* (docs.stripe.com/billing/
subscriptions/prorations). Tie-breaking is not documented; half-up assumed.
A change to another interval moves the billing date to the change; one of
the same interval, yearly included, keeps it (docs.stripe.com/billing/
subscriptions/billing-cycle), but for one from a free plan to a paid one
("The subscription moves from free to paid", docs.stripe.com/api/
subscriptions/update)."""

STRIPE_FLEXIBLE: Final = ProrationPolicy(
    basis=Basis.SECONDS,
    credit_basis=CreditBasis.PAID,
    anchor_reset=AnchorReset.NEVER,
)
"""Stripe, flexible billing mode: as classic, but the credit is "based on
the last price billed": the unused share of what was actually billed for the
remaining time (docs.stripe.com/billing/subscriptions/prorations#credit-
prorations), and "the ``billing_cycle_anchor`` is never automatically
reset" (docs.stripe.com/billing/subscriptions/billing-mode/compare): a
monthly price swapped for a yearly one 4 seconds in bills the year's
remaining time to a year after the original anchor, -2500 / +25000 (a
Stripe test-mode recording in pay-rails/pay,
test_stripe_can_swap_a_subscription.yml)."""

CHARGEBEE_MILLISECOND: Final = ProrationPolicy(basis=Basis.SECONDS)
"""Chargebee, time-based proration: credit and charge for the exact time
left. Chargebee counts milliseconds and prorata whole seconds: a second of a
28-day month is worth less than half a cent below $12,000 a month, so the two
differ by one minor unit at most, and only near a rounding boundary."""

CHARGEBEE_DAY: Final = ProrationPolicy(
    basis=Basis.DAYS, change_day=ChangeDay.OLD_PLAN
)
"""Chargebee, day-based proration: whole days over the period's days, the
day of the change counted as used on the old plan (Chargebee support: 30 ->
100 on 15 Nov credits 15 and charges 50)."""

PADDLE: Final = ProrationPolicy(basis=Basis.MINUTES, share_places=5)
"""Paddle Billing's ``prorated_*`` modes: the unused time of the old price
credited and the remaining time of the new one charged, per line, "to the
minute" (developer.paddle.com, proration): whole minutes elapsed, and the
share stated as the line's ``proration.rate`` to 5 places, which prices it
(a change 3 minutes 50 seconds into a 41,760-minute period: rate 0.99993,
$1,500 -> $1,499.90; Paddle's SDK fixture preview_update_full_entity,
docs/research/platform-cases.md P1). Half-up rounding is assumed. Its
``full_*`` modes are ``charge=Treatment.FULL``; ``do_not_bill`` is credit
and charge ``Treatment.NONE``."""

RECURLY: Final = ProrationPolicy(basis=Basis.SECONDS)
"""Recurly, ``timeframe=now``: credit the unused and charge the remaining
time of the plan period, whose length is the denominator even after a
postponed renewal (docs.recurly.com, upgrades and downgrades)."""

ZUORA_ACTUAL_DAYS: Final = ProrationPolicy(basis=Basis.DAYS)
"""Zuora, "Use actual number of days": days over the month's actual days,
half-up (docs.zuora.com, prorating: 30 days or actual days)."""

ZUORA_ACTUAL_360: Final = ProrationPolicy(
    basis=Basis.DAYS, day_count=DayCount.FIXED_MONTH
)
"""Zuora, "Assume 30 days - Actual/360": actual days over 30 per month, so
Jan 27-31 is 5/30 (docs.zuora.com, prorating: 30 days or actual days)."""

ZUORA_STRICT_30_360: Final = ProrationPolicy(
    basis=Basis.DAYS, day_count=DayCount.THIRTY_360
)
"""Zuora, "Assume 30 days - Strict 30/360": numerator and denominator both
30/360, a month's last day counting as the 30th, so Jan 27-31 is 4/30."""

ZUORA_ACTUAL_DAYS_MONTH_FIRST: Final = replace(
    ZUORA_ACTUAL_DAYS, months_first=True
)
"""Zuora with "When prorating periods greater than a month, prorate by month
first" (``ProrateByMonthFirst``): whole months at the monthly price, then the
leftover days over the actual days of their month (docs.zuora.com, partial
period proration: $1,200 a year from 14 July to 31 December is 100 x (5 +
18/31) = $558.06). Periods of one month price as ``ZUORA_ACTUAL_DAYS``."""

ZUORA_ACTUAL_360_MONTH_FIRST: Final = replace(
    ZUORA_ACTUAL_360, months_first=True
)
"""Zuora, by month first with "Assume 30 days - Actual/360": the leftover
days over 30 (the same page: 100 x (5 + 18/30) = $560.00)."""

ZUORA_STRICT_30_360_MONTH_FIRST: Final = replace(
    ZUORA_STRICT_30_360, months_first=True
)
"""Zuora, by month first with "Assume 30 days - Strict 30/360": whole months,
then the leftover days counted 30/360 (a quarter from 16 January at $100 a
month: 100 x (2 + 15/30) = $250; docs.zuora.com, partial month
proration)."""

LAGO: Final = ProrationPolicy(basis=Basis.DAYS, anchor_reset=AnchorReset.NEVER)
"""Lago: whole days over the period's actual days, the day of the change
belonging to the new plan (doc.getlago.com, upgrades and downgrades: "21
days x $40 / 31 days = $27.10"); Ruby's round, half away from zero. A
new plan of another interval keeps the subscription's anniversary: its
first period runs to it (lago-api upgrade_spec, downgrade_spec: a yearly
plan from 28 September of a subscription from 29 June bills 275/366).
Lago counts calendar dates in the customer's time zone: anchor a Lago
subscription at midnight there for its days to be Lago's."""

KILL_BILL: Final = ProrationPolicy(
    basis=Basis.DAYS, anchor_reset=AnchorReset.BILLING_DAY
)
"""Kill Bill: half-open ``[start, end)`` days over the period's actual days,
half-up to the currency's decimals (killbill InvoiceDateUtils; annual
$2,399.95 left on 2012-05-11 credits 355/365 = $2,334.20). A change keeps
the account's billing day of the month, also to another interval (ACCOUNT
alignment; TestIntegration testForcePolicy: annual to monthly on 2012-05-11
bills 05-11 to 06-01, 21/31 of $249.95 = $169.32); a plan of several months
opens in the change's month (testChangeAnnualToAnnual: annual to annual on
2015-03-15 with billing day 1 bills to 2016-03-01, 352/366 of $5,999.95 =
$5,770.44). A weekly or daily plan has no billing day: it bills from the
change, the trial's end or the resume (BillingIntervalDetail; beatrix
TestIntegration testWeeklyPlan: 29.95 from 2015-05-01 every 7 days). The
``kill-bill`` conventions bill a yearly plan on the subscription's own
day, as Kill Bill's shipped catalogs align ANNUAL plans
(``BillingPolicy.yearly_alignment``), also at a start on an account's day
(``Subscription.start(account_day=...)``); ``change_plan(billing_day=...)``
gives any other day a catalog aligns a plan on. They bill a period in
advance only up to a scheduled end, and its plan only up to a scheduled
change (``BillingPolicy.known_end``)."""

KILL_BILL_FIXED_30: Final = ProrationPolicy(
    basis=Basis.DAYS,
    day_count=DayCount.THIRTY_360,
    anchor_reset=AnchorReset.BILLING_DAY,
)
"""Kill Bill with ``org.killbill.invoice.proration.fixed.days=30``: every
month has 30 days, 23 May to 15 Jun counting 22 (TestInvoiceFixedProration:
$19.95 x 22/30 = $14.63)."""

POLAR: Final = ProrationPolicy(
    basis=Basis.SECONDS,
    rounding=RoundingMode.HALF_EVEN,
    anchor_reset=AnchorReset.INTERVAL,
)
"""Polar: seconds left over the period's seconds, each entry rounded with
Python's ``round`` (half to even) in minor units (polarsource/polar,
subscription/update.py). A change of interval restarts the cycle at the
change, the new price debited in full; one of the same interval keeps it."""

FLEXPRICE: Final = ProrationPolicy(basis=Basis.DAYS)
"""Flexprice, ``day_based`` proration (the documented default strategy):
days remaining, the day of the change included, over the period's days,
each line rounded half away from zero and the net the sum of the rounded
lines (flexprice/flexprice, internal/domain/proration; a 10 -> 20 change
on 15 March credits 17/31: -5.48, +10.97, net 5.49). Its live paths price
by seconds, which gives the same figures for changes at midnight."""

METEROID: Final = ProrationPolicy(basis=Basis.DAYS)
"""Meteroid: half-open days remaining over the period's days
(``NaiveDate`` differences), each price component rounded on its own, half
away from zero (meteroid-oss/meteroid, services/subscriptions/proration.rs;
Starter -> Pro on 16 January: -1497, -516, +5110, +1290 = 4387 cents).
Meteroid multiplies in binary floating point; prorata is exact, which can
differ by a cent only at a half-cent tie, and no published case has one."""

OPENMETER: Final = ProrationPolicy(basis=Basis.SECONDS, credit=Treatment.NONE)
"""OpenMeter: a flat fee is re-rated over the part of its service period
that is used, by time (nanoseconds; prorata counts seconds), rounded half
away from zero; an invoice already issued is never re-rated, so a change
after the period's in-advance invoice credits nothing and charges the new
price for the time left (openmeterio/openmeter, billing/worker/
subscriptionsync: 6 billed, replaced by 10 on 2 January, 9.68 more)."""

ORB: Final = ProrationPolicy(basis=Basis.DAYS)
"""Orb: day-based proration of in-advance fees, unused time returned to the
customer's balance (docs.withorb.com, creating subscriptions and plan
changes). Orb publishes no prorated amount; the options follow its
behaviour only, and no worked case can check them."""

HOSTING_PAGE: Final = ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH)
"""The hosting page (``shared/seeds/002_440c7b3f4171c8ae.txt``) as its worked
examples compute: days over "a 30 day month", each line rounded half-up
before netting ($19.83 - $39.67 = -$19.84). Its system itself prorates "down
to the second" (``STRIPE_CLASSIC``); its daily-rate example is
``Basis.DAILY_RATE``."""

SAAS_PAGE: Final = ProrationPolicy(basis=Basis.DAYS)
"""The SaaS page (``shared/seeds/000_9f3ea20e269377cb.txt``): a downgrade
mid-cycle bills the higher plan "on your actual usage", by days; billed in
arrears with a three-day calculation lead (a ``BillingPolicy`` matter)."""

PRESETS: Final = MappingProxyType(
    {
        "chargebee-day": CHARGEBEE_DAY,
        "chargebee-day-unbilled": CHARGEBEE_DAY,
        "chargebee-millisecond": CHARGEBEE_MILLISECOND,
        "chargebee-millisecond-unbilled": CHARGEBEE_MILLISECOND,
        "flexprice": FLEXPRICE,
        "hosting-page": HOSTING_PAGE,
        "kill-bill": KILL_BILL,
        "kill-bill-fixed-30": KILL_BILL_FIXED_30,
        "kill-bill-in-arrears": KILL_BILL,
        "lago": LAGO,
        "lago-in-arrears": LAGO,
        "meteroid": METEROID,
        "openmeter": OPENMETER,
        "openmeter-in-arrears": OPENMETER,
        "orb": ORB,
        "paddle": PADDLE,
        "polar": POLAR,
        "recurly": RECURLY,
        "saas-page": SAAS_PAGE,
        "stripe-classic": STRIPE_CLASSIC,
        "stripe-flexible": STRIPE_FLEXIBLE,
        "zuora-actual-360": ZUORA_ACTUAL_360,
        "zuora-actual-days": ZUORA_ACTUAL_DAYS,
        "zuora-actual-days-month-first": ZUORA_ACTUAL_DAYS_MONTH_FIRST,
        "zuora-actual-360-month-first": ZUORA_ACTUAL_360_MONTH_FIRST,
        "zuora-strict-30-360": ZUORA_STRICT_30_360,
        "zuora-strict-30-360-month-first": ZUORA_STRICT_30_360_MONTH_FIRST,
    }
)
"""Every preset by name, for command lines and configuration files."""
