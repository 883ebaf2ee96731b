"""A subscription's state: its fields, what they imply, and its bookkeeping.

:class:`SubscriptionState` holds every field of a
:class:`~prorata.Subscription` and what can be read off them (the plan in
force, the current period, when it ends); the transitions live in
``_changes`` and ``_lifecycle``, as functions from one state to the next,
and :class:`~prorata.Subscription` adds them as methods. So each concern
has a module of its own, and the subscription stays a plain value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar, final

from prorata._add_on import Item
from prorata._billing import BillingPolicy, BillingSchedule
from prorata._history import (
    QuantityChange,
    check_moment,
    items_where,
    plan_at,
    plan_before,
)
from prorata._invoice import CancelCredit, Invoice, InvoiceLine
from prorata._money import Money
from prorata._period import BillingCycle, require_aware, to_utc
from prorata._plan import Plan, PlanChange, Usage
from prorata._policy import coerce_options
from prorata._walk import Walk
from prorata.errors import (
    ArgumentTypeError,
    BilledMomentError,
    SubscriptionEndedError,
)

if TYPE_CHECKING:
    from prorata._period import BillingPeriod

__all__ = [
    "Cancellation",
    "ScheduledChange",
    "State",
    "SubscriptionState",
    "check_open",
    "check_transition",
    "current_walk",
    "require_bool",
    "rolled",
]


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduledChange:
    """A plan change waiting for its moment: made then, billed from then.

    Args:
        new: The plan to switch to.
        at: When the change takes effect: a billing date (the renewal
            bills the new plan) or any later moment (prorated then).
    """

    new: Plan
    at: datetime

    def __post_init__(self) -> None:
        """Validate the plan and the moment.

        Raises:
            ArgumentTypeError: ``new`` is not a Plan.
            NaiveDatetimeError: ``at`` is not an aware datetime.
        """
        if not isinstance(self.new, Plan):
            raise ArgumentTypeError("new", self.new, "a Plan")
        require_aware("scheduled change moment", self.at)


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class Cancellation:
    """When a subscription ends, and what it returns for unused time.

    Args:
        at: The end: the last instant billed is just before it.
        credit: What the end returns for unused time paid in advance.
    """

    at: datetime
    credit: CancelCredit

    def __post_init__(self) -> None:
        """Validate the moment; turn a credit name into its enum member.

        Raises:
            NaiveDatetimeError: ``at`` is not an aware datetime.
            InvalidPolicyError: ``credit`` is not a :class:`CancelCredit`.
        """
        require_aware("cancellation moment", self.at)
        coerce_options(self, (("credit", CancelCredit),))


@dataclass(frozen=True, slots=True, kw_only=True)
class SubscriptionState:
    """The fields of a :class:`~prorata.Subscription` and what they imply.

    The fields are documented on :class:`~prorata.Subscription`.
    """

    policy: BillingPolicy
    cycle: BillingCycle
    started_at: datetime
    next_index: int
    window_start: datetime
    window_plan: Plan
    window_items: tuple[Item, ...] = ()
    changes: tuple[PlanChange, ...] = ()
    quantity_changes: tuple[QuantityChange, ...] = ()
    usage: tuple[Usage, ...] = ()
    deferred: tuple[InvoiceLine, ...] = ()
    credit_balance: Money
    paid: Money
    returned: Money
    lifetime_used: tuple[Usage, ...] = ()
    walk: Walk | None = None
    pending_change: ScheduledChange | None = None
    cancellation: Cancellation | None = None

    @property
    def plan(self) -> Plan:
        """The plan in force now: after the last change."""
        return self.changes[-1].new if self.changes else self.window_plan

    @property
    def items(self) -> tuple[Item, ...]:
        """The add-on items in force now, with a quantity above zero."""
        return items_where(
            self.window_items, self.quantity_changes, lambda _: True
        )

    @property
    def currency(self) -> str:
        """The subscription's currency."""
        return self.window_plan.currency

    @property
    def schedule(self) -> BillingSchedule:
        """Its billing and calculation dates: the cycle under the policy."""
        return BillingSchedule(cycle=self.cycle, policy=self.policy)

    @property
    def period(self) -> BillingPeriod:
        """The current billing period: the one the next invoice closes."""
        return self.cycle.period(self.next_index - 1)

    @property
    def next_billing_date(self) -> datetime:
        """The billing date of the next regular invoice."""
        return self.cycle.boundary(self.next_index)

    @property
    def next_calculation_date(self) -> datetime:
        """When the next regular invoice is calculated."""
        return self.schedule.calculation_date(self.next_billing_date)

    @property
    def ends_at(self) -> datetime | None:
        """When the subscription ends, if it is cancelled; else ``None``."""
        return None if self.cancellation is None else self.cancellation.at

    @property
    def ended(self) -> bool:
        """Whether it has ended: billed to its end, nothing more to bill."""
        end = self.cancellation
        return end is not None and to_utc(self.window_start) >= to_utc(end.at)

    @property
    def lifetime_usage(self) -> dict[str, int]:
        """How many of each lifetime allowance have been used, so far."""
        return {use.metric: use.quantity for use in self.lifetime_used}

    def plan_at(self, moment: datetime) -> Plan:
        """Return the plan in force at ``moment`` (since the window start)."""
        instant = to_utc(require_aware("moment", moment))
        return plan_at(self.window_plan, self.changes, instant)

    def items_at(self, moment: datetime) -> tuple[Item, ...]:
        """Return the add-on items in force at ``moment``."""
        instant = to_utc(require_aware("moment", moment))
        return items_where(
            self.window_items,
            self.quantity_changes,
            lambda change: to_utc(change.at) <= instant,
        )


State = TypeVar("State", bound=SubscriptionState)


def current_walk(state: SubscriptionState) -> Walk:
    """Where the period's plan changes leave its walk.

    Kept in ``walk`` after each change, so that a change costs the same
    however many came before it; walked afresh only when missing.
    """
    if state.walk is not None:
        return state.walk
    period = state.period
    first = max(period.start, state.started_at, key=to_utc)
    return Walk.through(
        plan_before(state.window_plan, state.changes, first),
        state.changes,
        first,
        period,
        state.policy.proration,
    )


def require_bool(name: str, value: object) -> None:
    """Refuse a flag that is not a bool: ``"no"`` is no False.

    Raises:
        ArgumentTypeError: ``value`` is not a bool.
    """
    if not isinstance(value, bool):
        raise ArgumentTypeError(name, value, "True or False")


def check_open(state: SubscriptionState, what: str) -> None:
    """Refuse ``what`` on a subscription that has ended.

    Raises:
        SubscriptionEndedError: It has ended.
    """
    if state.ended:
        raise SubscriptionEndedError(
            what, state.ends_at, "start a new subscription instead"
        )


def check_transition(
    state: SubscriptionState, what: str, at: datetime
) -> None:
    """Refuse a change at ``at`` that the subscription cannot take.

    Raises:
        SubscriptionEndedError: It has ended, or ends before ``at``.
        BilledMomentError: ``at`` is before what is already billed.
        ChangeOrderError: ``at`` is before the start or an earlier change.
        OutsidePeriodError: ``at`` is outside the current period.
        NaiveDatetimeError: ``at`` has no time zone.
    """
    check_open(state, what)
    moment = to_utc(require_aware(f"{what} moment", at))
    end = state.ends_at
    if end is not None and moment >= to_utc(end):
        raise SubscriptionEndedError(
            f"make a {what} at {at.isoformat()}",
            end,
            "call withdraw_cancellation() first to keep it running",
        )
    if moment < to_utc(state.window_start) and moment >= to_utc(
        state.started_at
    ):
        raise BilledMomentError(f"the {what} at", at, state.window_start)
    check_moment(
        what,
        at,
        started_at=state.started_at,
        latest=[
            c[-1].at for c in (state.changes, state.quantity_changes) if c
        ],
        index=len(state.changes),
        period=state.period,
    )


def rolled(state: State, cut: datetime, invoice: Invoice) -> State:
    """The state once ``invoice`` has billed everything before ``cut``.

    What is kept is what the invoice did not cover: the plan and add-ons in
    force at ``cut``, the changes and usage from ``cut`` on.
    """
    instant = to_utc(cut)
    return replace(
        state,
        window_start=cut,
        window_plan=plan_before(state.window_plan, state.changes, instant),
        window_items=items_where(
            state.window_items,
            state.quantity_changes,
            lambda c: to_utc(c.at) < instant,
        ),
        changes=tuple(c for c in state.changes if to_utc(c.at) >= instant),
        quantity_changes=tuple(
            c for c in state.quantity_changes if to_utc(c.at) >= instant
        ),
        usage=tuple(u for u in state.usage if to_utc(u.at) >= instant),
        credit_balance=invoice.credit_balance_after,
    )
