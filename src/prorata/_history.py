"""A subscription's history within its window: what was in force, when.

The window runs from the last calculation date (or the start) to now: the
plan and add-ons in force at its start, the plan changes and quantity
changes since, oldest first. The functions here answer questions about it
from those tuples alone: the plan in force at a moment (by bisection), the
segments of time each plan or add-on quantity was in force, the lifetime
allowance totals. They are pure, and cost what the question needs, never
a walk over the whole history per record.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, final

from prorata._add_on import AddOn, Item
from prorata._display import displayed
from prorata._period import require_aware, to_utc
from prorata._plan import Plan, PlanChange, Usage
from prorata.errors import ChangeOrderError, OutsidePeriodError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from prorata._period import BillingPeriod

__all__ = [
    "QuantityChange",
    "check_moment",
    "item_segments",
    "items_where",
    "known_metrics",
    "plan_at",
    "plan_before",
    "segments",
    "with_lifetime_use",
]


@final
@dataclass(frozen=True, slots=True)
@displayed
class QuantityChange:
    """An add-on's quantity set to ``quantity`` from ``at`` on."""

    add_on: AddOn
    quantity: int
    at: datetime

    def __post_init__(self) -> None:
        """Validate the add-on and the quantity (as an Item) and the moment.

        Raises:
            InvalidPlanError: Not an add-on, or not a count of zero or more.
            NaiveDatetimeError: ``at`` is not an aware datetime.
        """
        Item(self.add_on, self.quantity)
        require_aware("quantity change moment", self.at)


def _utc_at(change: PlanChange) -> datetime:
    """A change's moment in UTC, to bisect the changes by."""
    return change.utc_at


def plan_at(
    first: Plan, changes: Sequence[PlanChange], instant: datetime
) -> Plan:
    """The plan in force at ``instant`` (in UTC): after changes at it."""
    index = bisect_right(changes, instant, key=_utc_at)
    return changes[index - 1].new if index else first


def plan_before(
    first: Plan, changes: Sequence[PlanChange], moment: datetime
) -> Plan:
    """The plan in force just before ``moment``: before changes at it."""
    index = bisect_left(changes, to_utc(moment), key=_utc_at)
    return changes[index - 1].new if index else first


def items_where(
    first: Sequence[Item],
    changes: Sequence[QuantityChange],
    applies: Callable[[QuantityChange], bool],
) -> tuple[Item, ...]:
    """The add-on items after the quantity changes that ``applies`` picks.

    An add-on whose quantity falls to zero is left out.
    """
    if not first and not changes:  # no add-ons: the common case
        return ()
    quantities = {i.add_on: i.quantity for i in first}
    for change in changes:
        if applies(change):
            quantities[change.add_on] = change.quantity
    return tuple(Item(a, q) for a, q in quantities.items() if q)


def segments(
    first: Plan,
    changes: Sequence[PlanChange],
    start: datetime,
    end: datetime,
) -> list[tuple[Plan, datetime, datetime]]:
    """The plans in force over ``[start, end)``, tiling it."""
    found: list[tuple[Plan, datetime, datetime]] = []
    begins, ends = start.astimezone(UTC), end.astimezone(UTC)  # to_utc
    plan, since = plan_at(first, changes, begins), start
    for change in changes:
        if begins < change.utc_at < ends:
            found.append((plan, since, change.at))
            plan, since = change.new, change.at
    found.append((plan, since, end))
    return found


def item_segments(
    first: Sequence[Item],
    changes: Sequence[QuantityChange],
    start: datetime,
    end: datetime,
) -> list[tuple[Item, datetime, datetime]]:
    """Each add-on's quantity over ``[start, end)``, zero left out."""
    begins, ends = to_utc(start), to_utc(end)
    held = {
        i.add_on: i.quantity
        for i in items_where(first, changes, lambda c: to_utc(c.at) <= begins)
    }
    found: list[tuple[Item, datetime, datetime]] = []
    add_ons = {i.add_on for i in first} | {c.add_on for c in changes}
    for add_on in sorted(add_ons, key=lambda a: a.id):
        quantity, since = held.get(add_on, 0), start
        for change in changes:
            if change.add_on == add_on and begins < to_utc(change.at) < ends:
                found.append((Item(add_on, quantity), since, change.at))
                quantity, since = change.quantity, change.at
        found.append((Item(add_on, quantity), since, end))
    return [s for s in found if s[0].quantity]


def with_lifetime_use(
    totals: Sequence[Usage], record: Usage
) -> tuple[Usage, ...]:
    """The lifetime totals (one per metric) with ``record`` added.

    A total's moment is the latest use; the totals stay sorted by metric.
    """
    others = [u for u in totals if u.metric != record.metric]
    same = [u for u in totals if u.metric == record.metric]
    before = sum(u.quantity for u in same)
    moment = max((*(u.at for u in same), record.at), key=to_utc)
    others.append(Usage(record.metric, before + record.quantity, moment))
    return tuple(sorted(others, key=lambda use: use.metric))


def known_metrics(first: Plan, changes: Sequence[PlanChange]) -> list[str]:
    """Every metric the plans of the window meter or count."""
    known: set[str] = set()
    for plan in (first, *(c.new for c in changes)):
        known.update(a.metric for a in plan.allowances)
        known.update(f"{a.metric} (lifetime)" for a in plan.lifetime)
    return sorted(known)


def check_moment(
    what: str,
    at: datetime,
    *,
    started_at: datetime,
    latest: Sequence[datetime],
    index: int,
    period: BillingPeriod,
) -> None:
    """Refuse a change's moment before the start or an earlier change.

    ``latest`` holds the moment of the last change of each kind (plan and
    quantity), ``index`` the number of plan changes so far, for the error.

    Raises:
        NaiveDatetimeError: ``at`` has no time zone.
        ChangeOrderError: ``at`` is before ``started_at`` or a change.
        OutsidePeriodError: ``at`` is outside the current ``period``.
    """
    moment = to_utc(require_aware(f"{what} moment", at))
    if moment < to_utc(started_at):
        raise ChangeOrderError(
            index,
            f"the {what} at {at.isoformat()} is before the subscription "
            f"started ({started_at.isoformat()}); date it after",
        )
    if latest and moment < max(to_utc(a) for a in latest):
        raise ChangeOrderError(
            index,
            f"the {what} at {at.isoformat()} is before an earlier "
            f"change ({max(latest, key=to_utc).isoformat()}); record "
            "changes oldest first",
        )
    if not period.contains(at):
        raise OutsidePeriodError(
            f"{what} moment (bill the subscription up to it first)",
            at,
            period.start,
            period.end,
        )
