"""A subscription's state: its fields, what they imply, and its bookkeeping.

:class:`SubscriptionState` holds every field of a
:class:`~prorata.Subscription` and what can be read off them (the plan in
force, the current period, when it ends); the transitions live in
``_changes`` and ``_lifecycle``, as functions from one state to the next,
and :class:`~prorata.Subscription` adds them as methods. So each concern
has a module of its own, and the subscription stays a plain value.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast, final

from prorata._add_on import AddOn, Item
from prorata._billing_policy import BillingPolicy
from prorata._billing_schedule import BillingSchedule
from prorata._coupon_windows import CouponWindow
from prorata._display import brief, displayed, rows_table, summary

if TYPE_CHECKING:
    from collections.abc import Callable
from prorata._history import (
    QuantityChange,
    items_where,
    plan_at,
    plan_before,
    segments,
)
from prorata._invoice import Invoice
from prorata._invoice_lines import InvoiceLine
from prorata._money import Money
from prorata._pending import Cancellation, Pause, ScheduledChange
from prorata._period import (
    BillingCycle,
    BillingPeriod,
    require_aware,
    to_utc,
)
from prorata._picture import Bar, Mark, timeline_svg
from prorata._plan import Plan, PlanChange, Usage
from prorata._shells import filler, shell, unchecked
from prorata._walk import Walk

__all__ = [
    "BilledWindow",
    "State",
    "SubscriptionState",
    "current_walk",
    "fresh",
    "kept_windows",
    "replayable",
    "rolled",
    "sealed",
    "snapshot",
]


@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
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
    prepaid_balance: Money
    paid: Money
    returned: Money
    lifetime_used: tuple[Usage, ...] = ()
    walk: Walk | None = None
    pending_change: ScheduledChange | None = None
    cancellation: Cancellation | None = None
    trial_end: datetime | None = None
    paused: Pause | None = None
    resumed_at: datetime | None = None
    stub: BillingPeriod | None = None
    opened_at: datetime | None = None
    # The anchor whose billing day a later month-based plan keeps, while a
    # plan counted in weeks or days runs (``_proration.held_day``).
    day_anchor: datetime | None = None
    origin: SubscriptionState | None = None
    ledger: tuple[BilledWindow, ...] = ()
    issued: tuple[Invoice, ...] = ()
    coupons: tuple[CouponWindow, ...] = ()
    peaks: tuple[Item, ...] = ()
    one_time: tuple[InvoiceLine, ...] = ()

    def __repr__(self) -> str:
        """``<Subscription plan=pro, since=..., next_bill=..., ...>``."""
        return summary(type(self).__name__, self._shown())

    def _repr_html_(self) -> str:
        """The period's picture and the same facts as a table."""
        return period_picture(self) + rows_table("Subscription", self._shown())

    def _shown(self) -> list[tuple[str, str]]:
        """What a person asks of a subscription first, briefly."""
        end = self.ends_at if self.ended else None
        shown = [
            ("plan", self.plan.id),
            ("since", self.started_at.isoformat()),
            ("ended", end.isoformat())
            if end is not None
            else ("next_bill", self.next_billing_date.isoformat()),
            ("balance", str(self.credit_balance)),
            *(
                [("prepaid", str(self.prepaid_balance))]
                if self.prepaid_balance
                else []
            ),
            ("changes", str(len(self.changes) + len(self.quantity_changes))),
            ("usage", str(len(self.usage))),
        ]
        for name in ("pending_change", "cancellation", "paused", "trial_end"):
            value = getattr(self, name)
            if value is not None and end is None:
                shown.append((name, brief(getattr(value, "at", value))))
        return shown

    @property
    def plan(self) -> Plan:
        """The plan in force now: after the last change."""
        return self.changes[-1].new if self.changes else self.window_plan

    @property
    def items(self) -> tuple[Item, ...]:
        """The add-on items in force now, with a quantity above zero."""
        if not self.window_items and not self.quantity_changes:
            return ()  # no add-ons: the common case
        return items_where(
            self.window_items, self.quantity_changes, lambda _: True
        )

    def peak_of(self, add_on: AddOn) -> int:
        """The most of ``add_on`` paid for in the current window.

        The quantity the window started with, or the highest a change set
        since (``peaks``), whichever is more.
        """
        start = next(
            (i.quantity for i in self.window_items if i.add_on == add_on), 0
        )
        raised = next(
            (i.quantity for i in self.peaks if i.add_on == add_on), 0
        )
        return max(start, raised)

    @property
    def currency(self) -> str:
        """The subscription's currency."""
        return self.window_plan.currency

    @property
    def schedule(self) -> BillingSchedule:
        """Its billing and calculation dates: the cycle under the policy."""
        return BillingSchedule(cycle=self.cycle, policy=self.policy)

    @property
    def in_trial(self) -> bool:
        """Whether its free trial is running: nothing billed yet."""
        end = self.trial_end
        return end is not None and to_utc(self.window_start) < to_utc(end)

    @property
    def period(self) -> BillingPeriod:
        """The current billing period: the one the next invoice closes.

        During a free trial, the trial itself; after a pause that kept the
        paid time, the paid period moved by the paused length (``stub``).
        """
        if self.in_trial:
            assert self.trial_end is not None  # noqa: S101 - in_trial says
            return BillingPeriod(self.started_at, self.trial_end)
        if self.stub is not None:
            return self.stub
        return self.cycle.period(self.next_index - 1)

    @property
    def period_from(self) -> datetime:
        """Where the current period's billing starts.

        Its start, or later: the subscription's start (a first period that
        runs to a billing day), or the billing date the period opened at
        (``opened_at``: an anchor moved there).
        """
        first = max(self.period.start, self.started_at, key=to_utc)
        opened = self.opened_at
        return first if opened is None else max(first, opened, key=to_utc)

    @property
    def next_billing_date(self) -> datetime:
        """The billing date of the next invoice (a trial's end, in one)."""
        if self.in_trial:
            assert self.trial_end is not None  # noqa: S101 - in_trial says
            return self.trial_end
        return self.cycle.boundary(self.next_index)

    @property
    def next_calculation_date(self) -> datetime:
        """When the next regular invoice is calculated.

        A trial's end is billed as a sign-up: calculated then, no lead.
        """
        if self.in_trial:
            return self.next_billing_date
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


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class BilledWindow:
    """A billed stretch kept for backdating: its start, its records, bills.

    Args:
        start: The state at the window's start (as the last bill left it).
        changes: The plan changes of the state that closed the window.
        quantity_changes: Its add-on quantity changes.
        usage: Its usage records.
        replayable: Whether the window holds nothing a replay cannot redo
            (a pause, a trial, a credit issued, a schedule, an end).
        invoices: What was billed in the window, at once and at its close.
    """

    start: SubscriptionState
    changes: tuple[PlanChange, ...]
    quantity_changes: tuple[QuantityChange, ...]
    usage: tuple[Usage, ...]
    replayable: bool
    invoices: tuple[Invoice, ...]


# Its fields in order, unchecked: the windows a bill keeps are built from a
# state and invoices already checked.
_billed_window: Final = unchecked(
    BilledWindow,
    (
        "start",
        "changes",
        "quantity_changes",
        "usage",
        "replayable",
        "invoices",
    ),
)


def snapshot(state: SubscriptionState) -> SubscriptionState:
    """``state`` as a plain :class:`SubscriptionState`, its history left out.

    What a billed window keeps of a state: everything but the windows
    before it, so that the history nests no deeper than one level. Its
    fields are copied from a state already built and checked, so no
    ``__init__`` runs (a state has no ``__post_init__`` to skip).
    """
    return _copy(state)


State = TypeVar("State", bound=SubscriptionState)


def fresh(state: State) -> State:
    """``state`` with its history starting now: no billed window before.

    After a bill that closes the window some other way than a billing date
    (a re-anchoring, a trial's end, a pause), backdating cannot reach back
    past it.
    """
    return sealed(replace(state, origin=None, ledger=(), issued=()))


def kept_windows(
    before: SubscriptionState, invoices: tuple[Invoice, ...], cut: datetime
) -> tuple[BilledWindow, ...]:
    """The billed windows to keep once a billing date closes a window.

    ``before``'s window closes at ``cut``; kept are the windows the
    policy's ``backdating_limit`` reaches, and no more (none without one).
    """
    limit = before.policy.backdating_limit
    if limit is None:
        return ()
    origin, issued = before.origin, before.issued
    window = _billed_window(
        origin if origin is not None else snapshot(before),
        before.changes,
        before.quantity_changes,
        before.usage,
        replayable(before),
        (*issued, *invoices) if issued else invoices,
    )
    ledger = (*before.ledger, window)
    cutoff = to_utc(cut) - limit
    kept = 0  # drop the windows that ended before the cutoff
    while kept + 1 < len(ledger) and (
        to_utc(ledger[kept + 1].start.window_start) <= cutoff
    ):
        kept += 1
    return ledger[kept:]


def replayable(state: SubscriptionState) -> bool:
    """Whether a replay can redo the state's window from its records."""
    return not (
        state.returned
        or state.pending_change is not None
        or state.cancellation is not None
        or state.paused is not None
        or state.in_trial
    )


# What a deferred line is called under its plan's bar.
_SAID: Final = {"unused-time": "credit", "remaining-time": "charge"}


def period_picture(state: SubscriptionState) -> str:
    """The current period as an SVG, from what was billed.

    The plans in force, each change, each usage record, and the deferred
    credit and charge of each plan (what the next invoice bills for it).
    """
    period = state.period
    start = max(period.start, state.window_start, key=to_utc)
    if to_utc(start) >= to_utc(period.end):
        return ""
    bars = []
    for plan, since, until in segments(
        state.window_plan, state.changes, start, period.end
    ):
        notes = [
            f"{_SAID.get(line.kind.value, line.kind.value)} {line.amount}"
            for line in state.deferred
            if line.product is plan and line.start in {since, until}
        ]
        note = ", ".join(notes) or f"{plan.price} a {plan.interval}"
        bars.append(Bar(plan.name, since, until, note))
    marks = [
        Mark(c.at, f"-> {c.new.name}", change=True) for c in state.changes
    ]
    marks += [Mark(u.at, f"{u.quantity:,} {u.metric}") for u in state.usage]
    return timeline_svg(
        f"{state.plan.name}: {period.start.date()} to {period.end.date()}, "
        f"next bill {state.next_billing_date.date()}",
        (start, period.end),
        bars,
        marks,
    )


def sealed(state: State) -> State:
    """``state``, just built and held by no one else, as its own origin.

    Sets the one field a state cannot be given when it is built, a
    snapshot of itself, in place: cheaper than building it twice.
    """
    if state.policy.backdating_limit is not None:
        object.__setattr__(state, "origin", snapshot(state))
    return state


_NO_HISTORY: Final = (("origin", None), ("ledger", ()), ("issued", ()))
_FIELDS: Final = tuple(
    f.name
    for f in fields(SubscriptionState)
    if f.name not in {name for name, _ in _NO_HISTORY}
)


def _copier() -> Callable[[SubscriptionState], SubscriptionState]:
    """Compile :func:`snapshot`'s copy: one attribute store a field.

    As ``_shells.unchecked`` builds a fast constructor, and as
    ``dataclasses`` writes ``__init__``: straight-line code, our own names,
    the copy filled in the state's shell and then given its class.
    """
    stores = [f"    made.{name} = state.{name}" for name in _FIELDS]
    stores += [f"    made.{name} = {empty!r}" for name, empty in _NO_HISTORY]
    copy = filler(
        "state", stores, {"_shell": _STATE_SHELL, "_cls": SubscriptionState}
    )
    return cast("Callable[[SubscriptionState], SubscriptionState]", copy)


# The shell of a state; a Subscription, which adds no slot, has its layout.
_STATE_SHELL: Final = shell(SubscriptionState)
_copy: Final = _copier()


def _evolver() -> Callable[..., Any]:
    """Compile :func:`_evolve`: ``dataclasses.replace`` for a state.

    The same new state, the same type, filled in the state's shell by one
    attribute store a field instead of ``__init__``'s keyword parsing of
    all of them (a state has no ``__post_init__`` for ``replace`` to
    run). Each field is a keyword-only parameter defaulting to a marker,
    so the interpreter matches the names given and a name that is no
    field is refused, as ``replace`` refuses it.
    """
    names = [f.name for f in fields(SubscriptionState)]
    stores = [
        f"    made.{n} = state.{n} if {n} is _KEEP else {n}" for n in names
    ]
    keywords = ", ".join(f"{n}=_KEEP" for n in names)
    evolve = filler(
        f"state, /, *, {keywords}",
        stores,
        {"_shell": _STATE_SHELL, "_KEEP": _KEEP},
        cls="type(state)",
    )
    return cast("Callable[..., Any]", evolve)


# The value of a field _evolve leaves as it is.
_KEEP: Final = object()
_evolve: Final = _evolver()


def current_walk(state: SubscriptionState) -> Walk:
    """Where the period's plan changes leave its walk.

    Kept in ``walk`` after each change, so that a change costs the same
    however many came before it; walked afresh only when missing.
    """
    if state.walk is not None:
        return state.walk
    period = state.period
    since = max(state.window_start, state.period_from, key=to_utc)
    if not state.changes and to_utc(since) > to_utc(period.start):
        # A first period that runs to a billing day (a sign-up off the
        # anchor, a new interval keeping the billing day): it starts there.
        return Walk.opening(
            state.window_plan,
            since,
            period,
            state.policy.proration,
            state.paid,
        )
    first = state.period_from
    return Walk.through(
        plan_before(state.window_plan, state.changes, first),
        state.changes,
        first,
        period,
        state.policy.proration,
    )


def rolled(
    state: State,
    cut: datetime,
    invoice: Invoice,
    extra: tuple[PlanChange, ...] = (),
    **more: Any,  # noqa: ANN401 - other fields, as dataclasses.replace takes
) -> State:
    """The state once ``invoice`` has billed everything before ``cut``.

    What is kept is what the invoice did not cover: the plan and add-ons in
    force at ``cut``, the changes and usage from ``cut`` on; ``more`` sets
    other fields in the same step (a bill's next period), and ``extra``
    changes are appended to the changes kept. The one place a window rolls.
    """
    instant = to_utc(cut)
    changes, quantities = state.changes, state.quantity_changes
    usage, coupons = state.usage, state.coupons
    made: State = _evolve(
        state,
        window_start=cut,
        window_plan=plan_before(state.window_plan, changes, instant)
        if changes
        else state.window_plan,
        window_items=items_where(
            state.window_items,
            quantities,
            lambda c: to_utc(c.at) < instant,
        )
        if quantities or state.window_items
        else (),
        changes=(
            *[c for c in changes if c.utc_at >= instant],
            *extra,
        )
        if changes
        else extra,
        quantity_changes=tuple(
            [c for c in quantities if to_utc(c.at) >= instant]
        )
        if quantities
        else (),
        usage=tuple([u for u in usage if u.utc_at >= instant])
        if usage
        else (),
        credit_balance=invoice.credit_balance_after,
        prepaid_balance=invoice.prepaid_balance_after,
        peaks=(),
        one_time=(),
        # A coupon that ended before the cut has nothing left to discount.
        coupons=tuple(
            [c for c in coupons if c.end is None or to_utc(c.end) > instant]
        )
        if coupons
        else (),
        **more,
    )
    return made
