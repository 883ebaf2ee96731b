"""Orb's own published figures, by the ``orb`` convention (issue #16).

Each case is built through the public API with
``presets.CONVENTIONS["orb"]`` alone and asserts the figures as Orb's
pages print them; ``docs/research/platform-cases.md`` ("## Orb", OB2 to
OB8) has the table. OD1 (the tax step of "Example 1" of
docs.withorb.com/invoicing/invoice-calculation-examples) is in
``tests/test_audit5a_cases.py`` and is not repeated here.

Orb prints few amounts, and none for a prorated fixed fee: the cases are a
first in-advance invoice, the usage lines of a mid-cycle price change,
prices of the bulk and package models, and a prepaid credit drawn down.
Where Orb's example names rates and dates but no usage, the usage chosen
here is one block of each rate, so each line's amount is the rate as
printed.

Not reproduced, or not expressible
----------------------------------

- Immediate invoice for usage at a price change (docs.withorb.com/
  invoicing/invoice-deferral, "Current Orb invoicing behavior": last
  invoice Sep 1, the API Calls price lowered on Sep 12, "Orb will
  immediately issue a mid-cycle invoice on Sep 12 for usage from Sep 1 -
  Sep 12 at the old price"). prorata bills that usage on the Oct 1
  invoice instead, as Orb does only when the invoice is deferred (OB3):
  the change's Sep 12 invoice holds the fixed fee's proration alone.
  ``BillingPolicy(used_time_billing="invoice-now")`` does not move usage
  billed under ``timing="in-advance"`` (tried: still on Oct 1).
- "Example 2: Multiple adjustments in order" (invoice-calculation-
  examples: $0.10 per compute hour, 10% discount, $50 minimum, $500
  maximum, 200 hours): every stored copy stops before its steps, so no
  result is printed to test. prorata has no maximum (a cap on a usage
  charge) and its minimum is a true-up line of its own.
- The plan-change timeline (docs.withorb.com/product-catalog/
  subscription-plan-change, 07-04-2023 Intermediate -> Advanced and
  07-11-2023 Advanced -> Beginner): the amounts are cut off in every
  stored copy; only the 07-01 row (OB2) prints one.
- support.withorb.com "Understanding Account Balance, Prepaid Credit
  Balance, and Credit Notes": "A customer pays $100 upfront, then
  downgrades their plan to $50. The unused $50 will be added to the
  customer balance through a refund credit note." No date is given, so
  the unused time is not known: a downgrade on the first day credits
  $100 by Orb's own day-based rule and bills the $50 plan on an invoice
  of its own, a downgrade half way credits $50.
- The cancellation table of docs.withorb.com/product-catalog/
  creating-subscriptions (OB1): behaviour and no amount.
- Tiered and BPS pricing examples (docs.withorb.com/product-catalog/
  price-configuration) print rates but no total; prorata prices no tiers.
"""

from __future__ import annotations

from prorata import (
    Invoice,
    InvoiceLine,
    InvoiceLineKind,
    Plan,
    UsageAllowance,
    presets,
)
from tests.cases import invoiced, started
from tests.common import usd, utc

ORB = presets.CONVENTIONS["orb"]


def usage_plan(plan_id: str, rate: str, per: int = 1) -> Plan:
    """A plan of one usage price: ``rate`` for each ``per`` units."""
    return Plan(
        id=plan_id,
        price=usd("0"),
        allowances=(
            UsageAllowance(
                metric="calls", included=0, overage_price=usd(rate), per=per
            ),
        ),
    )


def overage(invoice: Invoice) -> list[InvoiceLine]:
    """An invoice's usage lines."""
    return [
        line for line in invoice.lines if line.kind is InvoiceLineKind.OVERAGE
    ]


def billed_usage(plan: Plan, units: int) -> Invoice:
    """The invoice of a period's usage: ``units`` in January 2024."""
    sub, _ = started(plan, utc(2024, 1, 1), ORB)
    sub = sub.record_usage("calls", units, utc(2024, 1, 15))
    _, invoice = sub.bill()
    return invoice


def test_ob2_first_invoice_on_the_billing_day() -> None:
    """OB2 (docs.withorb.com/product-catalog/subscription-plan-change,
    "Prorations for in-advance fees", the timeline's first row):
    Intermediate, an in-advance fee of $100, billing on the first of the
    month; 07-01-2023 "Subscription started to Intermediate": "Orb issues
    an invoice for $100"."""
    _, invoice = started(
        Plan(id="intermediate", price=usd("100")), utc(2023, 7, 1), ORB
    )
    assert invoice.issued_at == utc(2023, 7, 1)
    assert invoice.total == usd("100.00")
    assert [line.end for line in invoice.lines] == [utc(2023, 8, 1)]


def test_ob3_deferred_price_change_splits_the_usage() -> None:
    """OB3 (docs.withorb.com/invoicing/invoice-deferral, "#1. Mid-Cycle
    Price Change", and invoice-deferral-scenarios, "Mid-cycle price
    change"): billing on the 1st; on Sep 12 the API Calls price goes from
    "$1.00/1K calls to $0.80/1K calls effective immediately", deferred:
    "No invoice is generated on Sep 12" for the usage, and "On the Oct 1
    invoice, API Calls appear as two line items: Sep 1 - 12 at $1.00/1K
    and Sep 12 - 30 at $0.80/1K" (Orb's end dates are inclusive; prorata's
    are the half-open ends, Sep 12 and Oct 1). No usage is printed: 1K
    calls each side, so each line is its rate."""
    sub, _ = started(
        usage_plan("api-calls-1.00", "1.00", 1000), utc(2025, 9, 1), ORB
    )
    sub = sub.record_usage("calls", 1000, utc(2025, 9, 5))
    sub, outcome = sub.change_plan(
        usage_plan("api-calls-0.80", "0.80", 1000), utc(2025, 9, 12)
    )
    assert overage(invoiced(outcome)) == []
    sub = sub.record_usage("calls", 1000, utc(2025, 9, 20))
    _, october = sub.bill()
    assert october.issued_at == utc(2025, 10, 1)
    lines = overage(october)
    assert [(line.start, line.end) for line in lines] == [
        (utc(2025, 9, 1), utc(2025, 9, 12)),
        (utc(2025, 9, 12), utc(2025, 10, 1)),
    ]
    assert [str(line.amount) for line in lines] == ["$1.00", "$0.80"]


def test_ob4_change_on_cadence_bills_each_price_its_month() -> None:
    """OB4 (docs.withorb.com/invoicing/invoice-deferral, "#2: On cadence
    changes"): on Sep 12 the price goes from $1.00/1K to $0.80/1K
    "effective on Oct 1st": "The Oct 1 invoice includes the Sep 1 - 30
    usage at $1.00/1K calls (the old price)", and "the Nov 1 invoice
    includes Oct 1 - 31 usage at $0.80/1K (new price)". No usage is
    printed: 1K calls a month."""
    sub, _ = started(
        usage_plan("api-calls-1.00", "1.00", 1000), utc(2025, 9, 1), ORB
    )
    sub = sub.record_usage("calls", 1000, utc(2025, 9, 5))
    sub = sub.schedule_change(usage_plan("api-calls-0.80", "0.80", 1000))
    sub, october = sub.bill()
    sub = sub.record_usage("calls", 1000, utc(2025, 10, 20))
    _, november = sub.bill()
    assert (october.issued_at, november.issued_at) == (
        utc(2025, 10, 1),
        utc(2025, 11, 1),
    )
    assert [
        (line.start, line.end, str(line.amount)) for line in overage(october)
    ] == [(utc(2025, 9, 1), utc(2025, 10, 1), "$1.00")]
    assert [
        (line.start, line.end, str(line.amount)) for line in overage(november)
    ] == [(utc(2025, 10, 1), utc(2025, 11, 1), "$0.80")]


def test_ob5_bulk_price_of_101_units() -> None:
    """OB5 (docs.withorb.com/product-catalog/price-configuration and
    docs.withorb.com/reference/price, "Bulk pricing"): past 10 units "all
    units may now be priced at $0.40 (i.e. 101 units total would be
    $40.40)". prorata prices no bulk tiers: the tier's $0.40 is given."""
    invoice = billed_usage(usage_plan("bulk", "0.40"), 101)
    assert [str(line.amount) for line in overage(invoice)] == ["$40.40"]
    assert invoice.total == usd("40.40")


def test_ob6_package_of_1000_tokens() -> None:
    """OB6 (docs.withorb.com/how-orb-works, "Prices: Configuring rates",
    the Package row): "$10 per 1,000 tokens (4 units used = 1,000
    billed)": one package, $10.00."""
    invoice = billed_usage(usage_plan("tokens", "10", 1000), 4)
    assert invoice.total == usd("10.00")


def test_ob7_packages_of_ten_round_up() -> None:
    """OB7 (orb-9bba378a.mintlify.app/product-catalog/price-configuration,
    "Package pricing": ``package_amount`` "0.80", ``package_size`` 10):
    "if the package size is set to 10, then 4 units will be billed as 10
    and 11 units will be billed at 20": one package ($0.80) and two
    ($1.60)."""
    plan = usage_plan("package", "0.80", 10)
    assert billed_usage(plan, 4).total == usd("0.80")
    assert billed_usage(plan, 11).total == usd("1.60")


def test_ob8_prepaid_credits_drawn_by_usage() -> None:
    """OB8 (support.withorb.com/articles/4075753325, "Understanding
    Account Balance, Prepaid Credit Balance, and Credit Notes", "What is a
    Prepaid Credit Balance?"): "A customer purchases 1,000 prepaid credits
    in USD. As they use 200 USD worth of services, their remaining prepaid
    balance becomes 800 USD." Orb draws prepaid credits from in-arrears
    charges (docs.withorb.com/product-catalog/credit-systems): here $200
    of usage at $1 a unit, untaxed, so before or after tax is the same."""
    sub, _ = started(usage_plan("services", "1"), utc(2024, 1, 1), ORB)
    sub = sub.top_up(usd("1000"))
    sub = sub.record_usage("calls", 200, utc(2024, 1, 15))
    _, invoice = sub.bill()
    assert invoice.prepaid_balance_before == usd("1000")
    assert invoice.prepaid_applied == usd("200")
    assert invoice.prepaid_balance_after == usd("800")
    assert invoice.amount_due == usd("0")
