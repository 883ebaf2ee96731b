"""Plans and plan changes: immutable descriptions of what is sold and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import final

from prorata._money import Money
from prorata._period import MONTHLY, Interval, require_aware
from prorata.errors import CurrencyMismatchError, InvalidPlanError

__all__ = ["ChangeDirection", "Plan", "PlanChange"]


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

    Raises:
        InvalidPlanError: An empty id, a price that is not :class:`Money` or
            is negative, a rank that is not an ``int``, or an interval that
            is not an :class:`Interval`.

    >>> from prorata import Money, Plan
    >>> Plan(id="pro", name="Pro", price=Money("70", "USD"), rank=2)
    Plan(id='pro', name='Pro', price=Money('70', 'USD'), \
interval=Interval(unit='month', count=1), rank=2)
    """

    id: str
    name: str = ""
    price: Money
    interval: Interval = MONTHLY
    rank: int = 0

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
                self.id, "rank", self.rank, "must be an int"
            )

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
