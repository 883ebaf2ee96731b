"""Allowances: what a plan includes of something counted, and the checks.

A :class:`UsageAllowance` is metered usage included each period, with the
price beyond it; a :class:`LifetimeAllowance` is included once for the life
of the account. :func:`check_metric` and :func:`check_count` are the checks
of a metric name and of a whole count, for allowances, usage and quantities
alike. How a plan change carries lifetime allowances is
:func:`prorata.carry_allowances`, beside the plans.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, final

from prorata._display import displayed, fitted
from prorata._money import Money
from prorata.errors import InvalidPlanError, shown

__all__ = [
    "LifetimeAllowance",
    "UsageAllowance",
    "check_count",
    "check_metric",
]


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class LifetimeAllowance:
    """A count a plan includes once for the life of the account.

    It does not reset with the billing period, nor on a plan change: the
    customer keeps what was used and gets only the difference (see
    :func:`prorata.carry_allowances`).

    Args:
        metric: What is counted, e.g. ``"migrations"``.
        included: How many the plan includes, not negative.

    Raises:
        InvalidPlanError: An empty metric or a count that is not a
            non-negative ``int``.

    The hosting page's Starter plan includes one migration:

    >>> from prorata import builtin_catalog
    >>> builtin_catalog()["starter"].lifetime
    (LifetimeAllowance(metric='migrations', included=1),)
    """

    metric: str
    included: int

    def __post_init__(self) -> None:
        """Validate both fields."""
        where = f"lifetime allowance {shown(self.metric)}"
        check_metric(where, self.metric)
        check_count(where, "included", self.included)


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class UsageAllowance:
    """Metered usage a plan includes each period, and the price beyond it.

    Args:
        metric: What is counted, e.g. ``"visits"``.
        included: Units included in each billing period, not negative.
        overage_price: The price of one block of units beyond ``included``.
        per: Units in one block: the hosting page's "$1 / 1,000 visits" is
            ``overage_price=Money("1", "USD"), per=1000``.
        prorate_by_time: Bill the units used in proportion to the time the
            plan was in force in the period (units that recur each period,
            seats or storage: 300 used, the plan in force for the last 10
            of 30 days, 100 billed); off by default.

    Raises:
        InvalidPlanError: A field that is empty, negative or of a wrong type.

    >>> UsageAllowance(metric="visits", included=25_000,
    ...                overage_price=Money("1", "USD"), per=1_000)
    UsageAllowance(metric='visits', included=25000, \
overage_price=Money('1', 'USD'), per=1000)
    """

    metric: str
    included: int
    overage_price: Money
    per: int = 1
    prorate_by_time: bool = False

    def __repr__(self) -> str:
        """The fields, evaluably; ``prorate_by_time`` only when set."""
        shown_ = (
            f"UsageAllowance(metric={self.metric!r}, "
            f"included={self.included!r}, "
            f"overage_price={self.overage_price!r}, per={self.per!r}"
        )
        if self.prorate_by_time:
            shown_ += ", prorate_by_time=True"
        return fitted(self, shown_ + ")")

    def __post_init__(self) -> None:
        """Validate every field."""
        where = f"allowance {shown(self.metric)}"
        if not isinstance(self.prorate_by_time, bool):
            raise InvalidPlanError(
                where, "prorate_by_time", self.prorate_by_time, "is not a bool"
            )
        check_metric(where, self.metric)
        check_count(where, "included", self.included)
        check_count(where, "per", self.per)
        if self.per < 1:
            raise InvalidPlanError(
                where, "per", self.per, "is below 1; pass the block size"
            )
        if not isinstance(self.overage_price, Money):
            raise InvalidPlanError(
                where,
                "overage_price",
                self.overage_price,
                "is not a Money; pass one, e.g. Money('1', 'USD')",
            )
        if self.overage_price.amount < 0:
            raise InvalidPlanError(
                where,
                "overage_price",
                self.overage_price,
                "is negative; pass a price of zero or more",
            )


def check_metric(where: str, metric: object) -> None:
    """Refuse a metric name that is not a non-empty str."""
    if not isinstance(metric, str) or not metric.strip():
        raise InvalidPlanError(
            where, "metric", metric, "is empty; name what is counted"
        )


def check_count(where: str, name: str, value: object) -> None:
    """Refuse anything but a whole count of zero or more."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidPlanError(
            where, name, value, "is not an int; pass a whole count"
        )
    if value < 0:
        raise InvalidPlanError(where, name, value, "is negative; pass 0+")
    if value > _MOST:
        raise InvalidPlanError(
            where, name, value, "is beyond 10^30; pass a count a bill holds"
        )


_MOST: Final = 10**30
