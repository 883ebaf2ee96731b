"""Backdating: a record dated before the last invoice, and its corrections.

A subscription keeps the windows it billed within its policy's
``backdating_limit`` (``_state.BilledWindow``): each one's start, every
change and usage recorded in it, and what it billed. A plan change, a
quantity change, usage or a cancellation dated in one of them replays the
history from that window's start with the record in its place, through the
same transitions, and compares what the replay bills with what was billed:
each line billed that should not have been is reversed, each line missing
is added, and these corrections, each naming the invoice it corrects, go on
the next invoice. So the invoices add up to what the history would have
billed had it been known in time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from prorata._add_on import AddOn
from prorata._billing import settle_for
from prorata._billing_policy import BillingAnchor
from prorata._changes import (
    change_plan,
    change_quantity,
    record_usage,
)
from prorata._checks import require_bool
from prorata._ending import CancelOutcome
from prorata._history import QuantityChange, plan_at, with_lifetime_use
from prorata._invoice import CancelCredit, CreditHandling, close_balance
from prorata._invoice_lines import InvoiceLine, InvoiceLineKind
from prorata._lifecycle import bill_next, cancel
from prorata._money import Money
from prorata._period import to_utc
from prorata._plan import Plan, PlanChange, Usage
from prorata._policy import Treatment
from prorata._routing import (
    ChangeOptions,
    ChangeOutcome,
    ProrationBehavior,
    QuantityOutcome,
    Settlement,
)
from prorata._rules import require_self_serve
from prorata._schedules import is_waiting_downgrade
from prorata._state import (
    BilledWindow,
    State,
    SubscriptionState,
    replayable,
    snapshot,
)
from prorata._walk import prorate
from prorata.errors import BackdatingError

if TYPE_CHECKING:
    from collections.abc import Hashable, Sequence

    from prorata._invoice import Invoice

__all__ = [
    "backdated_cancel",
    "backdated_change",
    "backdated_quantity",
    "backdated_usage",
    "is_backdated",
]


@dataclass(frozen=True, slots=True)
class Record:
    """One record to replay: a change, a quantity, usage or an end."""

    at: datetime
    order: int  # at one moment: plan changes, quantities, usage, the end
    kind: str
    plan: Plan | None = None
    add_on: AddOn | None = None
    quantity: int = 0
    metric: str = ""
    credit: CancelCredit | None = None
    unmetered: bool = True
    prorated: bool = True  # a change made with proration_behavior="none"


def is_backdated(state: SubscriptionState, at: datetime) -> bool:
    """Whether ``at`` falls before what the subscription already billed.

    Anything but an aware datetime is not: the transition refuses it.
    """
    if not isinstance(at, datetime) or at.utcoffset() is None:
        return False
    try:
        moment = to_utc(at)
    except OverflowError:  # out of range: the transition says so
        return False
    return to_utc(state.started_at) <= moment < to_utc(state.window_start)


def backdate(state: State, record: Record) -> tuple[State, list[InvoiceLine]]:
    """Replay the history with ``record``; return it and the corrections.

    The state returned is the replay's, its credit balance and lifetime
    use as they really are, the corrections added to its deferred lines.

    Raises:
        BackdatingError: The policy keeps no history, ``record`` is dated
            before what it keeps, or the windows to replay hold what a
            replay cannot redo (a pause, a trial, a credit issued, a
            scheduled change or a cancellation).
    """
    first = _first_window(state, record.at)
    windows = state.ledger[first:]
    _check_replayable(state, windows)
    records = [r for w in windows for r in _records(w.start, w)]
    assert state.origin is not None  # noqa: S101 - a ledger has an origin
    records.extend(_records(state.origin, state))
    records.append(record)
    records.sort(key=lambda r: (to_utc(r.at), r.order))
    replayed, billed = _replay(windows[0].start, records, state.period.start)
    issued = [i for w in windows for i in w.invoices] + list(state.issued)
    corrections = _corrections(issued, billed)
    values = {name: getattr(replayed, name) for name in _REPLAYED}
    waiting = tuple(  # corrections of earlier records, not yet billed
        line
        for line in state.deferred
        if line.kind is InvoiceLineKind.CORRECTION
    )
    after = replace(
        state,
        **values,
        credit_balance=state.credit_balance,
        lifetime_used=_lifetime(state, replayed, record),
        ledger=(*state.ledger[:first], *replayed.ledger),
        deferred=(*replayed.deferred, *waiting, *corrections),
    )
    return after, corrections


def _lifetime(
    state: SubscriptionState, replayed: SubscriptionState, record: Record
) -> tuple[Usage, ...]:
    """The lifetime use as it really is, with a late lifetime record."""
    if record.kind != "usage":
        return state.lifetime_used
    late = [u for u in replayed.lifetime_used if u.metric == record.metric]
    if not late:
        return state.lifetime_used
    return with_lifetime_use(
        state.lifetime_used, Usage(record.metric, record.quantity, record.at)
    )


_REPLAYED = (
    "cycle",
    "next_index",
    "window_start",
    "window_plan",
    "window_items",
    "changes",
    "quantity_changes",
    "usage",
    "paid",
    "returned",
    "walk",
    "cancellation",
    "origin",
    "issued",
)


def _first_window(state: SubscriptionState, at: datetime) -> int:
    """The index of the billed window that holds ``at``."""
    limit = state.policy.backdating_limit
    if limit is None:
        raise BackdatingError(
            f"{at.isoformat()} is before {state.window_start.isoformat()}, "
            "already billed, and the policy keeps no history to correct "
            "(backdating_limit=None); set a backdating_limit"
        )
    moment = to_utc(at)
    if moment < to_utc(state.window_start) - limit:
        raise BackdatingError(
            f"{at.isoformat()} is more than the policy's backdating_limit "
            f"({limit}) before {state.window_start.isoformat()}, already "
            "billed; issue a credit by hand instead"
        )
    for index in range(len(state.ledger) - 1, -1, -1):
        if to_utc(state.ledger[index].start.window_start) <= moment:
            return index
    kept = (
        state.ledger[0].start.window_start
        if state.ledger
        else state.window_start
    )
    raise BackdatingError(
        f"{at.isoformat()} is before {kept.isoformat()}, the earliest "
        f"moment the subscription can still correct (its policy's "
        f"backdating_limit is {limit}, and a re-anchoring, a trial's end or "
        "a pause starts its history afresh); issue a credit by hand instead"
    )


def _check_replayable(
    state: SubscriptionState, windows: Sequence[BilledWindow]
) -> None:
    """Refuse to replay what the records do not hold."""
    if state.policy.billing_anchor is BillingAnchor.NOW:
        raise BackdatingError(
            "under the policy's billing_anchor 'now' every change restarts "
            "the billing period, which a replay of what is billed cannot "
            "redo; record the change on time, or credit the difference by "
            "hand"
        )
    if all(w.replayable for w in windows) and replayable(state):
        return
    raise BackdatingError(
        "the stretch to correct holds what a replay cannot redo (a credit "
        "issued by hand, a scheduled change, a cancellation, a pause or a "
        "trial); record the change on time, or credit the difference by "
        "hand"
    )


def _added(after: Sequence[Hashable], before: Sequence[Hashable]) -> list[Any]:
    """What ``after`` holds beyond ``before``, as multisets."""
    extra = Counter(after)
    extra.subtract(Counter(before))
    return [item for item, count in extra.items() for _ in range(count)]


def _records(
    start: SubscriptionState, end: SubscriptionState | BilledWindow
) -> list[Record]:
    """The records made in a window: in its end state, not its start."""
    found = [
        Record(
            c.at,
            0,
            "change",
            plan=c.new,
            prorated=(c.credit, c.charge) != (Treatment.NONE, Treatment.NONE),
        )
        for c in _added(end.changes, start.changes)
    ]
    found.extend(
        Record(c.at, 1, "quantity", add_on=c.add_on, quantity=c.quantity)
        for c in _added(end.quantity_changes, start.quantity_changes)
    )
    found.extend(
        Record(u.at, 2, "usage", metric=u.metric, quantity=u.quantity)
        for u in _added(end.usage, start.usage)
    )
    return found


def _replay(
    start: SubscriptionState, records: Sequence[Record], last: datetime
) -> tuple[SubscriptionState, list[Invoice]]:
    """Replay ``records`` from ``start``, billing dates up to ``last``.

    ``last`` is the last billing date really billed: the replay bills the
    dates its own cycle has up to it, never one after.
    """
    state: SubscriptionState = replace(start, origin=snapshot(start))
    issued: list[Invoice] = []
    limit = to_utc(last)

    def bill_until(moment: datetime) -> SubscriptionState:
        billed = state
        while not billed.ended and (
            to_utc(billed.next_billing_date) <= min(moment, limit)
        ):
            billed, invoices = bill_next(billed)
            issued.extend(invoices)
        return billed

    for record in records:
        state = bill_until(to_utc(record.at))
        if state.ended:
            break
        state, invoice = _apply(state, record)
        issued.extend([] if invoice is None else [invoice])
    return bill_until(limit), issued


def _apply(
    state: SubscriptionState, record: Record
) -> tuple[SubscriptionState, Invoice | None]:
    if record.kind == "change":
        assert record.plan is not None  # noqa: S101 - a change has a plan
        state, outcome = change_plan(
            state,
            record.plan,
            record.at,
            assisted=True,
            options=_AS_IS if record.prorated else _UNPRORATED,
        )
        return state, outcome.invoice
    if record.kind == "quantity":
        assert record.add_on is not None  # noqa: S101 - so has a quantity
        state, moved = change_quantity(
            state, record.add_on, record.quantity, record.at
        )
        return state, moved.invoice
    if record.kind == "usage":
        used = record_usage(
            state,
            record.metric,
            record.quantity,
            record.at,
            unmetered=record.unmetered,
        )
        return used, None
    ended, end = cancel(
        state, record.at, at_period_end=False, credit=record.credit
    )
    return ended, end.invoice


_AS_IS = ChangeOptions()
_UNPRORATED = ChangeOptions(proration_behavior=ProrationBehavior.NONE)


def _key(line: InvoiceLine) -> tuple[object, ...]:
    return (
        line.kind,
        line.description,
        line.amount,
        to_utc(line.start),
        to_utc(line.end),
        line.product,
        line.quantity,
    )


def _corrections(
    issued: Sequence[Invoice], replayed: Sequence[Invoice]
) -> list[InvoiceLine]:
    """The lines that turn what was billed into what the replay bills.

    Corrections already billed are left out of what was billed: the
    windows they corrected already hold what they should have billed.
    """
    was = [
        (line, invoice.issued_at)
        for invoice in issued
        for line in invoice.lines
        if line.kind is not InvoiceLineKind.CORRECTION
    ]
    now = [
        (line, invoice.issued_at)
        for invoice in replayed
        for line in invoice.lines
    ]
    balance = Counter(_key(line) for line, _ in now)
    balance.subtract(Counter(_key(line) for line, _ in was))
    out: list[InvoiceLine] = []
    for line, date in was:  # billed and not due: reversed
        if balance[_key(line)] < 0:
            balance[_key(line)] += 1
            out.append(_correction(line, date, reverse=True))
    for line, date in now:  # due and not billed: added
        if balance[_key(line)] > 0:
            balance[_key(line)] -= 1
            out.append(_correction(line, date, reverse=False))
    return out


def _correction(
    line: InvoiceLine, date: datetime, *, reverse: bool
) -> InvoiceLine:
    when = date.isoformat(sep=" ")
    if reverse:
        description = f"Reversed, billed on the invoice of {when}: "
        calculation = f"{line.amount} billed then, not due: {-line.amount}"
    else:
        description = f"Missing from the invoice of {when}: "
        calculation = line.calculation
    return InvoiceLine(
        kind=InvoiceLineKind.CORRECTION,
        description=description + line.description,
        amount=-line.amount if reverse else line.amount,
        start=line.start,
        end=line.end,
        calculation=calculation,
        product=line.product,
        quantity=line.quantity,
        exact=None
        if line.exact is None
        else (-line.exact if reverse else line.exact),
        corrects=date,
        taxes=line.taxes,
    )


def _reason(at: datetime, state: SubscriptionState, count: int) -> str:
    return (
        f"recorded late: dated {at.isoformat(sep=' ')}, before "
        f"{state.window_start.isoformat(sep=' ')}, already billed; {count} "
        "correction line(s), each naming the invoice it corrects"
    )


def _corrected(
    state: SubscriptionState, at: datetime, lines: Sequence[InvoiceLine]
) -> tuple[Money, Settlement, str]:
    """The net, settlement and reason of a late record's corrections."""
    net = sum((line.amount for line in lines), Money.zero(state.currency))
    settlement = Settlement.NEXT_INVOICE if lines else Settlement.NOT_BILLED
    return net, settlement, _reason(at, state, len(lines))


def backdated_change(
    state: State,
    new: Plan,
    at: datetime,
    *,
    assisted: bool,
    options: ChangeOptions,
) -> tuple[State, ChangeOutcome]:
    """A plan change dated before the last invoice, corrected.

    Raises:
        BackdatingError: Options of its own: a replay bills the change as
            the subscription's policy says.
    """
    require_bool("assisted", assisted)
    if options != _AS_IS:
        raise BackdatingError(
            "a change dated before the last invoice is billed as the "
            "subscription's policy says; pass no per-change options, or "
            "correct it by hand with issue_credit()"
        )
    window = state.ledger[_first_window(state, at)]
    old = plan_at(window.start.window_plan, window.changes, to_utc(at))
    if not assisted:
        require_self_serve(old, new)
    if is_waiting_downgrade(state.policy, old, new):
        raise BackdatingError(
            f"under downgrades='{state.policy.downgrades}' this change "
            "waits for the end of its period, which is already billed; "
            "schedule_change() it for the next billing date, or correct it "
            "by hand"
        )
    change = PlanChange(old, new, at=at)
    proration = prorate(
        change, state.cycle.containing(at), state.policy.proration
    )
    after, lines = backdate(state, Record(at, 0, "change", plan=new))
    net, settlement, reason = _corrected(state, at, lines)
    return after, ChangeOutcome(
        proration=proration,
        lines=tuple(lines),
        net=net,
        settlement=settlement,
        reason=reason,
        invoice=None,
    )


def backdated_quantity(
    state: State, add_on: AddOn, quantity: int, at: datetime
) -> tuple[State, QuantityOutcome]:
    """A quantity change dated before the last invoice, corrected."""
    change = QuantityChange(add_on, quantity, at)
    after, lines = backdate(
        state, Record(at, 1, "quantity", add_on=add_on, quantity=quantity)
    )
    net, settlement, reason = _corrected(state, at, lines)
    return after, QuantityOutcome(
        change=change,
        lines=tuple(lines),
        net=net,
        settlement=settlement,
        reason=reason,
        invoice=None,
    )


def backdated_usage(
    state: State, metric: str, quantity: int, at: datetime, *, unmetered: bool
) -> State:
    """Usage dated before the last invoice: its overage corrected."""
    Usage(metric, quantity, at)  # checks the record
    require_bool("unmetered", unmetered)
    return backdate(
        state,
        Record(
            at,
            2,
            "usage",
            metric=metric,
            quantity=quantity,
            unmetered=unmetered,
        ),
    )[0]


def backdated_cancel(
    state: State, at: datetime, credit: CancelCredit
) -> tuple[State, CancelOutcome]:
    """A cancellation dated before the last invoice: corrected at once.

    The subscription has ended, so the corrections are invoiced now (at
    the last moment it billed), its balance settled as a final invoice's.
    """
    after, lines = backdate(state, Record(at, 3, "end", credit=credit))
    refund = CreditHandling.REFUND if credit.refunds else None
    invoice = settle_for(
        state, lines, state.window_start, state.window_start, refund
    )
    invoice = close_balance(invoice, state.policy.final_balance)
    zero = Money.zero(state.currency)
    ended = replace(
        after,
        deferred=(),
        credit_balance=invoice.credit_balance_after,
        prepaid_balance=invoice.prepaid_balance_after,
    )
    return ended, CancelOutcome(
        ends_at=at,
        credit=credit,
        returned=max(-invoice.subtotal, zero),
        invoice=invoice if lines else None,
        reason=_reason(at, state, len(lines)),
    )
