"""Price an upgrade mid-month under each basis, and explain one of them.

Run: python examples/upgrade_mid_month.py
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prorata import (
    Basis,
    BillingCycle,
    Money,
    Plan,
    PlanChange,
    ProrationPolicy,
    prorate,
)

business_1 = Plan(
    id="business-1", name="Business 1", price=Money("115", "USD"), rank=3
)
business_2 = Plan(
    id="business-2", name="Business 2", price=Money("225", "USD"), rank=4
)

# The customer subscribed on 31 January: periods run from the 31st, or from
# the last day of shorter months.
cycle = BillingCycle(datetime(2024, 1, 31, tzinfo=UTC), business_1.interval)
moment = datetime(2024, 3, 10, 15, 30, tzinfo=UTC)
period = cycle.containing(moment)
change = PlanChange(business_1, business_2, at=moment)

print(f"period: {period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}")
for basis in Basis:
    quote = prorate(change, period, ProrationPolicy(basis=basis))
    print(
        f"{basis.value:>16}: credit {quote.credit}, charge {quote.charge}, "
        f"net {quote.net}"
    )
print()
print(prorate(change, period).explain())
print()
# A period of an explicit length, as the hosting page's examples assume.
print(cycle.containing(moment + timedelta(days=30)).start.date())
