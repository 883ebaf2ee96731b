"""Plans and plan changes: immutable descriptions of what is sold and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import final

from prorata._money import Money
from prorata._period import MONTHLY, Interval, require_aware
from prorata.errors import CurrencyMismatchError, InvalidPlanError

__all__ = ["ChangeDirection", "Plan", "PlanChange", "Usage", "UsageAllowance"]


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class UsageAllowance:
    """Metered usage a plan includes each period, and the price beyond it.

    Args:
        metric: What is counted, e.g. ``"visits"``.
        included: Units included in each billing period, not negative.
        overage_price: The price of one block of units beyond ``included``.
        per: Units in one block: the hosting page's "$1 / 1,000 visits" is
            ``overage_price=Money("1", "USD"), per=1000``.

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

    def __post_init__(self) -> None:
        """Validate every field."""
        where = f"allowance {self.metric!r}"
        if not isinstance(self.metric, str) or not self.metric.strip():
            raise InvalidPlanError(
                where, "metric", self.metric, "is empty; name what is counted"
            )
        for name in ("included", "per"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise InvalidPlanError(
                    where, name, value, "is not an int; pass a whole count"
                )
        if self.included < 0:
            raise InvalidPlanError(
                where, "included", self.included, "is negative; pass 0 or more"
            )
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


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """A plan: a price for each billing interval, and a rank among plans.

    Args:
        id: A stable identifier, e.g. ``"business-1"``.
        name: The name shown to people, e.g. ``"Business 1"``; defaults to
            ``id``.
        price: The price of one whole interval, not negative.
        interval: The billing interval; monthly unless said otherwise.
        rank: Orders plans: a change to a higher rank is an upgrade.
        allowances: Metered usage included each period, one per metric,
            with the overage price beyond it.

    Raises:
        InvalidPlanError: An empty id, a price that is not :class:`Money` or
            is negative, a rank that is not an ``int``, or an interval that
            is not an :class:`Interval`.

    >>> from prorata import Money, Plan
    >>> Plan(id="pro", name="Pro", price=Money("70", "USD"), rank=2)
    Plan(id='pro', name='Pro', price=Money('70', 'USD'), \
interval=Interval(unit='month', count=1), rank=2, allowances=())
    """

    id: str
    name: str = ""
    price: Money
    interval: Interval = MONTHLY
    rank: int = 0
    allowances: tuple[UsageAllowance, ...] = ()

    def __post_init__(self) -> None:
        """Validate every field; default the name to the id."""
        if not isinstance(self.id, str) or not self.id.strip():
            raise InvalidPlanError(
                str(self.id),
                "id",
                self.id,
                "is not usable; pass a non-empty str such as 'pro'",
            )
        if not isinstance(self.name, str):
            raise InvalidPlanError(
                self.id, "name", self.name, "is not a str; pass a str"
            )
        if not self.name:
            object.__setattr__(self, "name", self.id)
        if not isinstance(self.price, Money):
            raise InvalidPlanError(
                self.id,
                "price",
                self.price,
                "is not a Money; pass one, e.g. Money('35', 'USD')",
            )
        if self.price.amount < 0:
            raise InvalidPlanError(
                self.id,
                "price",
                self.price,
                "is negative; give a price of zero or more (discounts and "
                "credits are separate lines)",
            )
        if not isinstance(self.interval, Interval):
            raise InvalidPlanError(
                self.id,
                "interval",
                self.interval,
                "is not an Interval; use e.g. Interval.months(1)",
            )
        if isinstance(self.rank, bool) or not isinstance(self.rank, int):
            raise InvalidPlanError(
                self.id, "rank", self.rank, "is not an int; pass an int"
            )
        self._check_allowances()

    def _check_allowances(self) -> None:
        object.__setattr__(self, "allowances", tuple(self.allowances))
        metrics: set[str] = set()
        for allowance in self.allowances:
            if not isinstance(allowance, UsageAllowance):
                raise InvalidPlanError(
                    self.id,
                    "allowances",
                    allowance,
                    "is not a UsageAllowance; build one with UsageAllowance()",
                )
            if allowance.overage_price.currency != self.currency:
                raise CurrencyMismatchError(
                    self.currency,
                    allowance.overage_price.currency,
                    f"price plan {self.id!r} and its overage in",
                )
            if allowance.metric in metrics:
                raise InvalidPlanError(
                    self.id,
                    "allowances",
                    allowance.metric,
                    "is listed twice; give one allowance per metric",
                )
            metrics.add(allowance.metric)

    def allowance(self, metric: str) -> UsageAllowance | None:
        """Return the plan's allowance for ``metric``, or ``None``."""
        for allowance in self.allowances:
            if allowance.metric == metric:
                return allowance
        return None

    @property
    def currency(self) -> str:
        """The currency of the plan's price."""
        return self.price.currency


class ChangeDirection(StrEnum):
    """Whether a change moves up, down or across the plans' ranks."""

    UPGRADE = "upgrade"
    DOWNGRADE = "downgrade"
    LATERAL = "lateral"


@final
@dataclass(frozen=True, slots=True)
class PlanChange:
    """A switch from one plan to another at one moment.

    Args:
        old: The plan in force until ``at``.
        new: The plan in force from ``at`` on.
        at: The moment of the change, time-zone aware (Stripe's
            "proration date").

    Raises:
        NaiveDatetimeError: ``at`` has no time zone.
        CurrencyMismatchError: The plans are priced in different currencies.
        InvalidPlanError: ``old`` or ``new`` is not a :class:`Plan`.
    """

    old: Plan
    new: Plan
    at: datetime

    def __post_init__(self) -> None:
        """Validate the plans and the moment."""
        for role, plan in (("old", self.old), ("new", self.new)):
            if not isinstance(plan, Plan):
                raise InvalidPlanError(
                    role, "plan", plan, "is not a Plan; build one with Plan()"
                )
        require_aware("change moment", self.at)
        if self.old.currency != self.new.currency:
            raise CurrencyMismatchError(
                self.old.currency, self.new.currency, "change between plans in"
            )

    @property
    def direction(self) -> ChangeDirection:
        """Upgrade, downgrade or lateral, by the plans' ranks."""
        if self.new.rank > self.old.rank:
            return ChangeDirection.UPGRADE
        if self.new.rank < self.old.rank:
            return ChangeDirection.DOWNGRADE
        return ChangeDirection.LATERAL


@final
@dataclass(frozen=True, slots=True)
class Usage:
    """A quantity of a metric used at one moment, e.g. 100,000 visits.

    Args:
        metric: What was counted; matches a :class:`UsageAllowance`.
        quantity: How many units, not negative.
        at: When it was used, time-zone aware. The plan in force then
            decides its price: usage is never repriced by a later upgrade.

    Raises:
        InvalidPlanError: An empty metric or a quantity that is not a
            non-negative ``int``.
        NaiveDatetimeError: ``at`` has no time zone.
    """

    metric: str
    quantity: int
    at: datetime

    def __post_init__(self) -> None:
        """Validate every field."""
        where = f"usage of {self.metric!r}"
        if not isinstance(self.metric, str) or not self.metric.strip():
            raise InvalidPlanError(
                where, "metric", self.metric, "is empty; name what is counted"
            )
        quantity = self.quantity
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise InvalidPlanError(
                where, "quantity", quantity, "is not an int; pass a count"
            )
        if quantity < 0:
            raise InvalidPlanError(
                where, "quantity", quantity, "is negative; pass 0 or more"
            )
        require_aware("usage moment", self.at)
