"""The built-in example catalog and the seeds' worked examples.

The plans and figures come from the two help pages the library is built
from; each example names its page and section so that a reader can check
every cent against the source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, final

from prorata._money import Money
from prorata._period import BillingPeriod
from prorata._plan import Plan, PlanChange
from prorata._policy import Basis, ProrationPolicy
from prorata._proration import Proration, prorate

__all__ = ["HOSTING_PLANS", "WORKED_EXAMPLES", "WorkedExample", "demo"]

HOSTING_PAGE: Final = "002_440c7b3f4171c8ae.txt"


def _usd(plan_id: str, name: str, price: str, rank: int) -> Plan:
    return Plan(id=plan_id, name=name, price=Money(price, "USD"), rank=rank)


HOSTING_PLANS: Final = {
    plan.id: plan
    for plan in (
        _usd("starter", "Starter", "35", 1),
        _usd("pro", "Pro", "70", 2),
        _usd("business-1", "Business 1", "115", 3),
        _usd("business-2", "Business 2", "225", 4),
    )
}
"""The hosting page's monthly plans, by id, ranked Starter < Pro < B1 < B2."""

#: The "30 day month" the hosting page's examples assume.
_JUNE: Final = datetime(2024, 6, 1, tzinfo=UTC)


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class WorkedExample:
    """A worked example from a seed page, and how prorata reproduces it."""

    title: str
    source: str
    expected: str
    compute: Callable[[], Proration]


def _change(old: str, new: str, day: int, basis: Basis) -> Proration:
    """Price a change ``day`` days into the 30-day June of the examples."""
    period = BillingPeriod.of_days(_JUNE, 30)
    change = PlanChange(
        HOSTING_PLANS[old],
        HOSTING_PLANS[new],
        at=period.start + timedelta(days=day),
    )
    return prorate(change, period, ProrationPolicy(basis=basis))


WORKED_EXAMPLES: Final = (
    WorkedExample(
        title="Business 1 -> Business 2, 10 days into a 30-day month",
        source=f"{HOSTING_PAGE}, 'Monthly Plans'",
        expected="credit $76.67, charge $150, net $73.33",
        compute=lambda: _change(
            "business-1", "business-2", 10, Basis.THIRTY_DAY_MONTH
        ),
    ),
    WorkedExample(
        title="Pro -> Starter, 13 days into a 30-day month",
        source=f"{HOSTING_PAGE}, 'Monthly Plans'",
        expected="credit $39.67, charge $19.83, net -$19.84",
        compute=lambda: _change("pro", "starter", 13, Basis.THIRTY_DAY_MONTH),
    ),
    WorkedExample(
        title="Starter -> Business 1 on the 30th day, at a daily rate",
        source=f"{HOSTING_PAGE}, 'Upgrades Are Not Applied Retroactively'",
        expected=(
            "$1.17 a day; credit $1.17, charge $3.83, $33.93 for 29 days, "
            "$37.76 for the period before overage"
        ),
        compute=lambda: _change("starter", "business-1", 29, Basis.DAILY_RATE),
    ),
)
"""Every plan-change example of the seed pages, in page order."""


def demo() -> str:
    """Return every worked example with its source and explanation.

    >>> print(demo())  # doctest: +ELLIPSIS
    == Business 1 -> Business 2, 10 days into a 30-day month
    source: 002_440c7b3f4171c8ae.txt, 'Monthly Plans'
    page says: credit $76.67, charge $150, net $73.33
    Business 1 -> Business 2 (upgrade) at 2024-06-11 00:00:00+00:00
    ...
    Total: $73.33
    ...
    """
    blocks = [
        "\n".join(
            (
                f"== {example.title}",
                f"source: {example.source}",
                f"page says: {example.expected}",
                example.compute().explain(),
            )
        )
        for example in WORKED_EXAMPLES
    ]
    return "\n\n".join(blocks)
