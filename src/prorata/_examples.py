"""The seed pages' worked examples, and the ``prorata demo`` that prints them.

The plans come from the built-in catalog (``_catalog``, ``catalog.toml``)
and the figures from the two help pages the library is built from; each
example names its page and section so that a reader can check every cent
against the source. Where a page gives no figure (an allowance other than
Starter's, a price for Plus), the catalog says the figure is illustrative.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Final, final

from prorata._billing_policy import BillingPolicy, BillingTiming
from prorata._catalog import builtin_catalog
from prorata._money import Money
from prorata._period import BillingPeriod
from prorata._plan import PlanChange
from prorata._policy import Basis, ProrationPolicy
from prorata._subscription import Subscription
from prorata._walk import prorate

if TYPE_CHECKING:
    from prorata._proration import Proration

__all__ = [
    "WORKED_EXAMPLES",
    "demo",
]

# The pages, as a reader can find them: what each is, and the seed file the
# project keeps it in (beside the repository, docs/worked-examples.md).
HOSTING_PAGE: Final = (
    "a hosting company's plan-switching help page "
    "(seed 002_440c7b3f4171c8ae.txt)"
)
SAAS_PAGE: Final = (
    "a SaaS plan-change help page (seed 000_9f3ea20e269377cb.txt)"
)


def _usd(amount: str) -> Money:
    return Money(amount, "USD")


_CATALOG: Final = builtin_catalog()

HOSTING_PLANS: Final = {
    plan_id: _CATALOG[plan_id]
    for plan_id in ("starter", "pro", "business-1", "business-2")
}
"""The hosting page's monthly plans, from the built-in catalog."""

SAAS_PLANS: Final = {
    plan_id: _CATALOG[plan_id] for plan_id in ("free", "plus")
}
"""The SaaS page's self-serve tiers, from the built-in catalog (Plus at an
illustrative $310 a month)."""

_JUNE: Final = datetime(2024, 6, 1, tzinfo=UTC)
"""The "30 day month" the hosting page's examples assume."""


def _days(n: int) -> datetime:
    return _JUNE + timedelta(days=n)


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class WorkedExample:
    """A worked example from a seed page, and how prorata reproduces it."""

    title: str
    source: str
    expected: str
    explain: Callable[[], str]


def _change(old: str, new: str, day: int, basis: Basis) -> Proration:
    """Price a change ``day`` days into the 30-day June of the examples."""
    period = BillingPeriod.of_days(_JUNE, 30)
    change = PlanChange(HOSTING_PLANS[old], HOSTING_PLANS[new], at=_days(day))
    return prorate(change, period, ProrationPolicy(basis=basis))


def _hosting_policy(basis: Basis) -> BillingPolicy:
    return BillingPolicy(
        proration=ProrationPolicy(basis=basis),
        charge_now_above=_usd("100"),
    )


def _next_invoice(
    old: str, new: str, day: int, basis: Basis, visits: int = 0
) -> str:
    """Explain the change and the next invoice of a June subscription."""
    sub, _ = Subscription.start(
        HOSTING_PLANS[old], _JUNE, policy=_hosting_policy(basis)
    )
    if visits:
        sub = sub.record_usage("visits", visits, _days(day - 1))
    sub, outcome = sub.change_plan(HOSTING_PLANS[new], _days(day))
    return "\n".join(
        (
            f"Change: {outcome.settlement} ({outcome.reason})",
            f"Period cost with the change: {outcome.proration.period_cost}",
            sub.preview_invoice().explain(),
        )
    )


def _charge_now() -> str:
    sub, _ = Subscription.start(
        HOSTING_PLANS["starter"],
        _JUNE,
        policy=_hosting_policy(Basis.THIRTY_DAY_MONTH),
    )
    _, outcome = sub.change_plan(HOSTING_PLANS["business-2"], _days(10))
    assert outcome.invoice is not None  # noqa: S101 - the example's point
    return f"Change: {outcome.reason}\n{outcome.invoice.explain()}"


def _saas_flow() -> str:
    policy = BillingPolicy(
        timing=BillingTiming.IN_ARREARS,
        calculation_lead=timedelta(days=3),
        proration=ProrationPolicy(basis=Basis.DAYS),
    )
    start = datetime(2024, 6, 15, tzinfo=UTC)
    sub, signup = Subscription.start(SAAS_PLANS["plus"], start, policy=policy)
    out = [
        (
            f"Subscribed to Plus on {start.date()}: "
            f"{'nothing billed' if signup is None else signup.amount_due}"
        ),
        (
            f"First billing date {sub.next_billing_date.date()}, calculated "
            f"{sub.next_calculation_date.date()}"
        ),
    ]
    sub, first = sub.bill()
    out.append(first.explain())
    moment = datetime(2024, 7, 25, tzinfo=UTC)
    sub, outcome = sub.change_plan(SAAS_PLANS["free"], moment)
    out.append(f"Downgrade to Free on {moment.date()}: {outcome.reason}")
    out.append(sub.preview_invoice().explain())
    return "\n".join(out)


WORKED_EXAMPLES: Final = (
    WorkedExample(
        title="Business 1 -> Business 2, 10 days into a 30-day month",
        source=f"{HOSTING_PAGE}, 'Monthly Plans'",
        expected="credit $76.67, charge $150, net $73.33",
        explain=lambda: _change(
            "business-1", "business-2", 10, Basis.THIRTY_DAY_MONTH
        ).explain(),
    ),
    WorkedExample(
        title="... and the next invoice, the $73.33 waiting under $100",
        source=f"{HOSTING_PAGE}, 'Monthly Plans'",
        expected="-$76.67 + $150 + $225 = $298.33",
        explain=lambda: _next_invoice(
            "business-1", "business-2", 10, Basis.THIRTY_DAY_MONTH
        ),
    ),
    WorkedExample(
        title="Pro -> Starter, 13 days into a 30-day month",
        source=f"{HOSTING_PAGE}, 'Monthly Plans'",
        expected="credit $39.67, charge $19.83, net -$19.84",
        explain=lambda: _change(
            "pro", "starter", 13, Basis.THIRTY_DAY_MONTH
        ).explain(),
    ),
    WorkedExample(
        title="... and the next invoice, the credit toward the renewal",
        source=f"{HOSTING_PAGE}, 'Monthly Plans'",
        expected="-$39.67 + $19.83 + $35 = $15.16",
        explain=lambda: _next_invoice(
            "pro", "starter", 13, Basis.THIRTY_DAY_MONTH
        ),
    ),
    WorkedExample(
        title="Starter -> Business 1 on the 30th day, at a daily rate",
        source=f"{HOSTING_PAGE}, 'Upgrades Are Not Applied Retroactively'",
        expected=(
            "$1.17 a day; credit $1.17, charge $3.83, $33.93 for 29 days, "
            "$37.76 for the period before overage"
        ),
        explain=lambda: _change(
            "starter", "business-1", 29, Basis.DAILY_RATE
        ).explain(),
    ),
    WorkedExample(
        title="... with 100,000 visits: the overage stays on Starter's terms",
        source=f"{HOSTING_PAGE}, 'Upgrades Are Not Applied Retroactively'",
        expected="75k visits over 25k at $1 / 1,000 = $75 on the next invoice",
        explain=lambda: _next_invoice(
            "starter", "business-1", 29, Basis.DAILY_RATE, visits=100_000
        ),
    ),
    WorkedExample(
        title="Starter -> Business 2 on day 10 nets more than $100",
        source=f"{HOSTING_PAGE}, 'Monthly Plans'",
        expected=(
            "if the total amount due is increased by more than $100 we may "
            "charge the amount automatically"
        ),
        explain=_charge_now,
    ),
    WorkedExample(
        title="Plus billed in arrears, then a mid-cycle downgrade to Free",
        source=f"{SAAS_PAGE}, 'Upgrade from Free to Plus', 'Downgrade'",
        expected=(
            "nothing at sign-up; billed on the subscription date, calculated "
            "three days before; Plus billed only for the days on it"
        ),
        explain=_saas_flow,
    ),
)
"""Every worked example of the seed pages, in page order."""


def demo() -> str:
    """Return every worked example with its source and explanation.

    >>> print(demo())  # doctest: +ELLIPSIS
    == Business 1 -> Business 2, 10 days into a 30-day month
    source: a hosting company's plan-switching help page (seed \
002_440c7b3f4171c8ae.txt), 'Monthly Plans'
    page says: credit $76.67, charge $150, net $73.33
    Business 1 -> Business 2 (upgrade) at 2024-06-11 00:00:00+00:00
    ...
    Total: $73.33
    ...
    """
    return "\n\n".join(
        "\n".join(
            (
                f"== {example.title}",
                f"source: {example.source}",
                f"page says: {example.expected}",
                example.explain(),
            )
        )
        for example in WORKED_EXAMPLES
    )
