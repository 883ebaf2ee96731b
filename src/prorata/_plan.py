"""Plans and plan changes: immutable descriptions of what is sold and when.

Beside them: :class:`Usage`, what was used under a plan at a moment, and
:func:`carry_allowances`, what a change does to lifetime allowances. The
allowances themselves are in :mod:`prorata._allowance`, discounts in
:mod:`prorata._discount`, and add-ons, priced like plans, in
:mod:`prorata._add_on`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Protocol, final

from prorata._allowance import (
    LifetimeAllowance,
    UsageAllowance,
    check_count,
    check_metric,
)
from prorata._discount import Discount
from prorata._display import displayed
from prorata._money import Money
from prorata._period import ANNUAL, MONTHLY, Interval, require_aware, to_utc
from prorata._policy import Treatment, coerce_options
from prorata._tax import TaxRate, check_taxes
from prorata.errors import (
    ArgumentTypeError,
    CurrencyMismatchError,
    InvalidPlanError,
    shown,
)

__all__ = [
    "AllowanceCarry",
    "ChangeDirection",
    "Plan",
    "PlanChange",
    "Usage",
    "carry_allowances",
    "check_priced",
]


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
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
        lifetime: Allowances that never reset, not even on a plan change
            (the hosting page's free migrations).
        sales_only: Changes to or from this plan go through sales (the
            Enterprise tier of both pages).
        custom: A plan made for one customer; it changes through a request.
        legacy: An old plan; once left for a current plan, there is no way
            back to it.
        taxes: The tax rates its price is taxed at (a state and a city
            rate, say); none by default.
        minimum: A minimum commitment for each period: what the period's
            charges (its one-time charges too) fall short of it is
            billed as a true-up at the period's end, the minimum prorated
            for the time the plan was in force (Lago's minimum
            commitment); none by default.
        trial: Its own free trial, as a catalog gives it (14 days:
            ``Interval.days(14)``): ``Subscription.start(trial=plan.trial)``
            starts with it, and under ``trial_change="by-plan"`` a change
            to it in a trial leaves the trial this long from its start.
            None by default.

    Raises:
        InvalidPlanError: An empty id, a price that is not :class:`Money` or
            is negative, a rank that is not an ``int``, or an interval that
            is not an :class:`Interval`.

    >>> from prorata import Money, Plan
    >>> Plan(id="pro", name="Pro", price=Money("70", "USD"), rank=2)
    Plan(id='pro', name='Pro', price=Money('70', 'USD'), \
rank=2)
    """

    id: str
    name: str = ""
    price: Money
    interval: Interval = MONTHLY
    rank: int = 0
    allowances: tuple[UsageAllowance, ...] = ()
    lifetime: tuple[LifetimeAllowance, ...] = ()
    sales_only: bool = False
    custom: bool = False
    legacy: bool = False
    taxes: tuple[TaxRate, ...] = ()
    minimum: Money | None = None
    trial: Interval | None = None

    def __post_init__(self) -> None:
        """Validate every field; default the name to the id."""
        check_priced(self, "plan")
        if isinstance(self.rank, bool) or not isinstance(self.rank, int):
            raise InvalidPlanError(
                self.id, "rank", self.rank, "is not an int; pass an int"
            )
        for flag in ("sales_only", "custom", "legacy"):
            if not isinstance(getattr(self, flag), bool):
                raise InvalidPlanError(
                    self.id, flag, getattr(self, flag), "is not a bool"
                )
        self._check_allowances()
        object.__setattr__(self, "taxes", check_taxes(self.id, self.taxes))
        least = self.minimum
        if least is not None and (
            not isinstance(least, Money)
            or least.currency != self.currency
            or least.amount < 0
        ):
            raise InvalidPlanError(
                self.id,
                "minimum",
                least,
                f"is not a Money of zero or more in {self.currency}",
            )
        if self.trial is not None and not isinstance(self.trial, Interval):
            raise InvalidPlanError(
                self.id,
                "trial",
                self.trial,
                "is not an Interval; pass e.g. Interval.days(14), or None",
            )

    def _check_allowances(self) -> None:
        for name in ("allowances", "lifetime"):
            value = getattr(self, name)
            if not isinstance(value, tuple | list):
                raise InvalidPlanError(
                    self.id, name, value, "is not a tuple; pass a tuple"
                )
            object.__setattr__(self, name, tuple(value))
        for kept in self.lifetime:
            if not isinstance(kept, LifetimeAllowance):
                raise InvalidPlanError(
                    self.id,
                    "lifetime",
                    kept,
                    "is not a LifetimeAllowance; build one with "
                    "LifetimeAllowance()",
                )
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

    def with_discount(self, discount: Discount) -> Plan:
        """Return this plan at a discounted price, named so.

        >>> b1 = Plan(id="business-1", name="Business 1",
        ...           price=Money("115", "USD"))
        >>> b1.with_discount(Discount.percent_off(15))
        Plan(id='business-1', name='Business 1, 15% off', \
price=Money('97.75', 'USD'))
        """
        if not isinstance(discount, Discount):
            raise InvalidPlanError(
                self.id, "discount", discount, "is not a Discount"
            )
        return replace(
            self,
            name=f"{self.name}, {discount}",
            price=discount.apply(self.price),
        )

    def annual(
        self,
        *,
        months_free: int = 0,
        price: Money | None = None,
        plan_id: str | None = None,
    ) -> Plan:
        """Return the annual version of a monthly plan.

        The price is ``price`` if given, else the monthly price times
        ``12 - months_free``: the hosting page's annual plans come "with the
        two free months discount already applied", ten times the monthly
        price.

        Raises:
            InvalidPlanError: The plan is not monthly, or ``months_free`` is
                not 0 to 12.

        >>> b1 = Plan(id="business-1", name="Business 1",
        ...           price=Money("115", "USD"), rank=3)
        >>> b1.annual(months_free=2)
        Plan(id='business-1-annual', name='Business 1 (annual)', \
price=Money('1150', 'USD'), interval=Interval(unit='year', count=1), rank=3)
        """
        if self.interval != MONTHLY:
            raise InvalidPlanError(
                self.id,
                "interval",
                self.interval,
                "is not monthly; build annual plans from monthly ones",
            )
        if (
            isinstance(months_free, bool)
            or not isinstance(months_free, int)
            or not 0 <= months_free <= 12  # noqa: PLR2004
        ):
            raise InvalidPlanError(
                self.id, "months_free", months_free, "is not a count 0-12"
            )
        return replace(
            self,
            id=plan_id or f"{self.id}-annual",
            name=f"{self.name} (annual)",
            price=self.price * (12 - months_free) if price is None else price,
            interval=ANNUAL,
        )

    def lifetime_allowance(self, metric: str) -> int:
        """Return how many of ``metric`` the plan includes for life (or 0)."""
        for allowance in self.lifetime:
            if allowance.metric == metric:
                return allowance.included
        return 0

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
@displayed
class PlanChange:
    """A switch from one plan to another at one moment.

    Args:
        old: The plan in force until ``at``.
        new: The plan in force from ``at`` on.
        at: The moment of the change, time-zone aware (Stripe's
            "proration date").
        credit: How this change credits the old plan, overriding the
            policy's ``credit`` (Stripe sets ``proration_behavior`` per
            change); ``None`` follows the policy.
        charge: How this change charges the new plan; ``None`` follows the
            policy.
        utc_at: ``at`` in UTC, computed once (not a constructor argument);
            two changes at the same wall time of a repeated hour differ by
            it, as two periods do.

    Raises:
        NaiveDatetimeError: ``at`` has no time zone.
        CurrencyMismatchError: The plans are priced in different currencies.
        InvalidPlanError: ``old`` or ``new`` is not a :class:`Plan`.

    A move up the plans' ranks is an upgrade:

    >>> from datetime import UTC, datetime
    >>> from prorata import PlanChange, builtin_catalog
    >>> plans = builtin_catalog()
    >>> change = PlanChange(plans["business-1"], plans["business-2"],
    ...                     at=datetime(2024, 6, 11, tzinfo=UTC))
    >>> print(change.direction)
    upgrade
    """

    old: Plan
    new: Plan
    at: datetime
    credit: Treatment | None = None
    charge: Treatment | None = None
    utc_at: datetime = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Validate the plans and the moment."""
        for role, plan in (("old", self.old), ("new", self.new)):
            if not isinstance(plan, Plan):
                raise InvalidPlanError(
                    role, "plan", plan, "is not a Plan; build one with Plan()"
                )
        object.__setattr__(
            self, "utc_at", to_utc(require_aware("change moment", self.at))
        )
        for name in ("credit", "charge"):
            if getattr(self, name) is not None:
                coerce_options(self, ((name, Treatment),))
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
@displayed
class Usage:
    """A quantity of a metric used at one moment, e.g. 100,000 visits.

    Args:
        metric: What was counted; matches a :class:`UsageAllowance`.
        quantity: How many units, not negative.
        at: When it was used, time-zone aware. The plan in force then
            decides its price: usage is never repriced by a later upgrade.

    Attributes:
        utc_at: ``at`` in UTC, computed once (not a constructor argument).

    Raises:
        InvalidPlanError: An empty metric or a quantity that is not a
            non-negative ``int``.
        NaiveDatetimeError: ``at`` has no time zone.

    The SaaS page's 100,000 visits:

    >>> from datetime import UTC, datetime
    >>> from prorata import Usage
    >>> usage = Usage("visits", 100_000, at=datetime(2024, 6, 5, tzinfo=UTC))
    >>> usage.metric, usage.quantity
    ('visits', 100000)
    """

    metric: str
    quantity: int
    at: datetime
    utc_at: datetime = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Validate every field."""
        where = f"usage of {shown(self.metric)}"
        check_metric(where, self.metric)
        check_count(where, "quantity", self.quantity)
        moment = to_utc(require_aware("usage moment", self.at))
        object.__setattr__(self, "utc_at", moment)


class _Priced(Protocol):
    """What :func:`check_priced` checks: a plan's or an add-on's fields."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def price(self) -> Money: ...


def check_priced(owner: _Priced, kind: str) -> None:
    """Validate the fields plans, add-ons and charges share.

    The ``interval`` too, when the owner has one (a one-time charge has
    none).
    """
    if not isinstance(owner.id, str) or not owner.id.strip():
        raise InvalidPlanError(
            owner.id if isinstance(owner.id, str) else shown(owner.id),
            "id",
            owner.id,
            f"is not usable; pass a non-empty str naming the {kind}",
        )
    if not isinstance(owner.name, str):
        raise InvalidPlanError(
            owner.id, "name", owner.name, "is not a str; pass a str"
        )
    if not owner.name:
        object.__setattr__(owner, "name", owner.id)
    if not isinstance(owner.price, Money):
        raise InvalidPlanError(
            owner.id,
            "price",
            owner.price,
            "is not a Money; pass one, e.g. Money('35', 'USD')",
        )
    if owner.price.amount < 0:
        raise InvalidPlanError(
            owner.id,
            "price",
            owner.price,
            "is negative; give a price of zero or more (discounts and "
            "credits are separate lines)",
        )
    interval = getattr(owner, "interval", MONTHLY)
    if not isinstance(interval, Interval):
        raise InvalidPlanError(
            owner.id,
            "interval",
            interval,
            "is not an Interval; use e.g. Interval.months(1)",
        )


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class AllowanceCarry:
    """What a plan change does to one lifetime allowance.

    Args:
        metric: What is counted.
        used: How many the customer has used, on any plan.
        available_before: ``max(0, old plan's allowance - used)``.
        available_after: ``max(0, new plan's allowance - used)``.

    Starter -> Pro with Starter's one migration used gets one more, not two:

    >>> from prorata import builtin_catalog, carry_allowances
    >>> plans = builtin_catalog()
    >>> carry_allowances(plans["starter"], plans["pro"], {"migrations": 1})
    (AllowanceCarry(metric='migrations', used=1, available_before=0, \
    available_after=1),)
    """

    metric: str
    used: int
    available_before: int
    available_after: int

    @property
    def delta(self) -> int:
        """How many more (or, if negative, fewer) are available now."""
        return self.available_after - self.available_before


def carry_allowances(
    old: Plan, new: Plan, used: Mapping[str, int]
) -> tuple[AllowanceCarry, ...]:
    """Carry lifetime allowances across a plan change: they do not reset.

    The hosting page: on Starter with its one migration used, an upgrade to
    Pro (two migrations) "you'll get one extra migration added to your
    account, not two".

    Args:
        old: The plan left.
        new: The plan entered.
        used: How many of each metric the customer has used so far.

    Returns:
        One :class:`AllowanceCarry` per metric either plan includes, sorted
        by metric.

    Raises:
        InvalidPlanError: A use count that is not a non-negative ``int``.

    >>> from prorata import LifetimeAllowance, Money, Plan, carry_allowances
    >>> starter = Plan(id="starter", price=Money("35", "USD"),
    ...     lifetime=(LifetimeAllowance(metric="migrations", included=1),))
    >>> pro = Plan(id="pro", price=Money("70", "USD"),
    ...     lifetime=(LifetimeAllowance(metric="migrations", included=2),))
    >>> (carry,) = carry_allowances(starter, pro, {"migrations": 1})
    >>> carry.available_before, carry.available_after, carry.delta
    (0, 1, 1)
    """
    for role, plan in (("old", old), ("new", new)):
        if not isinstance(plan, Plan):
            raise ArgumentTypeError(f"{role} plan", plan, "a Plan")
    if not isinstance(used, Mapping):
        raise ArgumentTypeError("used", used, "a mapping of metric to count")
    metrics = {a.metric for a in old.lifetime} | {
        a.metric for a in new.lifetime
    }
    carried = []
    for metric in sorted(metrics):
        count = used.get(metric, 0)
        check_count(new.id, f"used {metric}", count)
        carried.append(
            AllowanceCarry(
                metric=metric,
                used=count,
                available_before=max(
                    0, old.lifetime_allowance(metric) - count
                ),
                available_after=max(0, new.lifetime_allowance(metric) - count),
            )
        )
    return tuple(carried)
