"""Changes within a period: of plan, of an add-on's quantity, and usage.

Each function takes a subscription's state and returns the next state and
what the change produced; :class:`~prorata.Subscription` calls them from its
methods. A change is priced by the proration walk, its lines sent where
:func:`~prorata._routing.route` says, and the state keeps what is billed
later; a change that closes the old plan (a new interval, or a restarted
billing anchor) settles it on an invoice of its own.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from prorata._add_on import AddOn, Item, QuantityMode
from prorata._alignment import trial_cycle
from prorata._anchoring import (
    closes_period,
    resets_anchor,
)
from prorata._billing import (
    discounted,
    overage_before,
    settle_for,
    spent_budget,
    used_time,
)
from prorata._billing_policy import (
    BillingAnchor,
    BillingTiming,
    ChangeBilling,
)
from prorata._charges import check_item, quantity_lines
from prorata._checks import (
    change_policy,
    check_open,
    check_transition,
    check_unpaused,
    require_bool,
)
from prorata._coupon_windows import recounted
from prorata._history import (
    QuantityChange,
    known_metrics,
    with_lifetime_use,
)
from prorata._invoice_lines import (
    InvoiceLine,
    InvoiceLineKind,
    bill_lines,
    treated,
)
from prorata._known_end import change_rest_billed, rest_billed
from prorata._money import Money
from prorata._period import to_utc
from prorata._plan import AllowanceCarry, PlanChange, Usage, carry_allowances
from prorata._policy import DayCount, Treatment
from prorata._pricing import sum_lines
from prorata._resplit import change_billed
from prorata._restart import capped, reopened
from prorata._routing import (
    ChangeOptions,
    ChangeOutcome,
    ProrationBehavior,
    QuantityOutcome,
    Routing,
    Settlement,
    reset_reason,
    route,
)
from prorata._rules import require_self_serve
from prorata._state import (
    State,
    SubscriptionState,
    current_walk,
    fresh,
    rolled,
)
from prorata._trial_items import billed_in_trial, trial_frame
from prorata._walk import prorate
from prorata.errors import (
    BilledMomentError,
    InvalidPolicyError,
    OutsidePeriodError,
    TrialError,
    UnknownMetricError,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime
    from fractions import Fraction

    from prorata._billing_policy import BillingPolicy
    from prorata._invoice import Invoice
    from prorata._plan import Plan
    from prorata._policy import ProrationPolicy
    from prorata._proration import Proration

__all__ = [
    "change_plan",
    "change_quantity",
    "checked_change",
    "record_usage",
    "settle_now",
]


def change_plan(
    state: State,
    new: Plan,
    at: datetime,
    *,
    assisted: bool,
    options: ChangeOptions,
    billed_to: bool = False,
) -> tuple[State, ChangeOutcome]:
    """Switch ``state`` to ``new`` at ``at``; see ``Subscription.change_plan``.

    The change is made under ``options`` applied to the state's policy, and
    the state returned keeps its own policy. ``billed_to``: a scheduled
    change the period billed the plan up to, which credits nothing for the
    old plan (``known_end`` ``bill-to-end``).
    """
    change = _recorded(state, new, at, options)
    if billed_to:
        change = replace(change, credit=Treatment.NONE)
    policy = checked_change(state, new, at, assisted=assisted, options=options)
    # A period billed up to an end, or its plan up to a later change: the
    # rest, so that this change prorates as in a period billed whole.
    state = change_rest_billed(rest_billed(state))
    if state.in_trial:
        return _in_trial(state, change, options)
    working = (
        state if policy == state.policy else replace(state, policy=policy)
    )
    proration, walk = current_walk(working).step(
        change, working.period, policy.proration, working.cycle.anchor
    )
    restart = _restarts(change, policy, options)
    if (
        restart
        or options.billing_day is not None
        or closes_period(change.old, change.new, policy.proration.anchor_reset)
    ):
        after, outcome = _reset(
            working, proration, restart=restart, day=options.billing_day
        )
    else:
        after, routing, invoice = _billed(
            working,
            replace(working, changes=(*working.changes, change), walk=walk),
            *change_billed(
                proration,
                working.items,
                working.coupons,
                policy,
                working.cycle.interval,
            ),
            at,
        )
        outcome = ChangeOutcome(
            proration=proration,
            lines=(*routing.now, *routing.later),
            net=_with_added(proration.net, routing),
            settlement=routing.settlement,
            reason=routing.reason,
            invoice=invoice,
            allowances=_carried(state, change),
        )
    after = replace(after, policy=state.policy)
    if options.change_day is not None or options.policy is not None:
        # Options a replay cannot redo: no backdating reaches past them.
        after = fresh(after)
    return after, outcome


def checked_change(
    state: SubscriptionState,
    new: Plan,
    at: datetime,
    *,
    assisted: bool,
    options: ChangeOptions,
) -> BillingPolicy:
    """Refuse a change the state cannot take; return its billing policy.

    Raises:
        ChangeOrderError: ``at`` is before the start or the last change.
        ChangeRefusedError: Not self-serve, and not ``assisted``.
        InvalidPolicyError: The options move the timing or the lead.
    """
    check_transition(state, "change", at)
    require_bool("assisted", assisted)
    if not assisted:
        require_self_serve(state.plan, new)
    return change_policy(state, new, options)


def _recorded(
    state: SubscriptionState, new: Plan, at: datetime, options: ChangeOptions
) -> PlanChange:
    """The change as recorded: without proration, if the change says so.

    ``proration_behavior="none"`` is kept on the change itself, so that a
    replay of it (backdating) bills no proration either.
    """
    if options.proration_behavior is not ProrationBehavior.NONE:
        return PlanChange(state.plan, new, at=at)
    none = Treatment.NONE
    return PlanChange(state.plan, new, at=at, credit=none, charge=none)


def change_quantity(
    state: State, add_on: AddOn, quantity: int, at: datetime
) -> tuple[State, QuantityOutcome]:
    """Set an add-on's quantity; see ``Subscription.change_quantity``."""
    item = Item(add_on, quantity)
    check_item(item, state.currency, state.cycle.interval)
    check_transition(state, "quantity change", at)
    state = rest_billed(state)  # a period billed up to an end: the rest
    held = {i.add_on: i.quantity for i in state.items}.get(add_on, 0)
    mode, rules = _quantity_rules(state.policy, add_on)
    peak = state.peak_of(add_on)
    # Under billing_anchor "now" a change restarts the period; the same
    # quantity again changes nothing (Polar: "a true no-op").
    restart = state.policy.billing_anchor is _NOW and not state.in_trial
    lines = []
    billed = billed_in_trial(state)  # a trial's time bills nothing else
    if billed or not (state.in_trial or restart):
        lines = quantity_lines(
            Item(add_on, held),
            item,
            at,
            state.cycle.interval,
            period=trial_frame(state, at) if billed else state.period,
            policy=rules,
            peak=peak,
            mode=mode,
        )
    net = sum_lines(lines, rules) if lines else Money.zero(state.currency)
    change = QuantityChange(add_on, quantity, at)
    peaks = state.peaks
    if quantity > peak and not state.in_trial:
        others = tuple(i for i in peaks if i.add_on != add_on)
        peaks = (*others, item)
    if restart and quantity != held:
        return _quantity_reset(state, change, peaks)
    after, routing, invoice = _billed(
        state,
        replace(
            state,
            quantity_changes=(*state.quantity_changes, change),
            peaks=peaks,
        ),
        bill_lines(treated(lines, rules), rules),
        net,
        at,
    )
    return after, QuantityOutcome(
        change=change,
        lines=(*routing.now, *routing.later),
        net=_with_added(net, routing),
        settlement=routing.settlement,
        reason=routing.reason,
        invoice=invoice,
    )


def _quantity_rules(
    policy: BillingPolicy, add_on: AddOn
) -> tuple[QuantityMode, ProrationPolicy]:
    """How a change of ``add_on``'s quantity is billed, and rounded."""
    mode = add_on.quantity_mode
    if mode is QuantityMode.PRORATED and policy.quantity_mode:
        mode = policy.quantity_mode  # the policy's, billed in advance
    elif (
        mode is not QuantityMode.PRORATED
        and policy.timing is BillingTiming.IN_ARREARS
    ):
        raise InvalidPolicyError(
            f"{add_on.id}.quantity_mode",
            add_on.quantity_mode,
            [_PRORATED_ONLY],
        )
    rounding = policy.quantity_rounding
    if rounding is None:
        return mode, policy.proration
    return mode, replace(policy.proration, rounding=rounding)


def record_usage(
    state: State, metric: str, quantity: int, at: datetime, *, unmetered: bool
) -> State:
    """Record usage; see ``Subscription.record_usage``."""
    record = Usage(metric, quantity, at)
    check_open(state, "record usage")
    moment = to_utc(at)
    check_unpaused(state, "usage at", at)
    end = state.period.end
    if state.ends_at is not None:
        end = min(end, state.ends_at, key=to_utc)
    if to_utc(state.started_at) <= moment < to_utc(state.window_start):
        raise BilledMomentError("the usage at", at, state.window_start)
    if not to_utc(state.window_start) <= moment < to_utc(end):
        raise OutsidePeriodError("usage moment", at, state.window_start, end)
    plan = state.plan_at(at)
    lifetime = {allowance.metric for allowance in plan.lifetime}
    if metric in lifetime or metric in state.lifetime_usage:
        used = with_lifetime_use(state.lifetime_used, record)
        return replace(state, lifetime_used=used)
    if state.in_trial and not unmetered:
        raise TrialError(
            f"usage at {at.isoformat()} falls in the free trial, which bills "
            "nothing; pass unmetered=True to record it unbilled"
        )
    if plan.allowance(metric) is None and not unmetered:
        raise UnknownMetricError(
            metric, plan.id, known_metrics(state.window_plan, state.changes)
        )
    return replace(state, usage=(*state.usage, record))


def settle_now(
    state: SubscriptionState, lines: Sequence[InvoiceLine], at: datetime
) -> Invoice:
    """Settle ``lines`` on an invoice issued and calculated at ``at``."""
    return settle_for(state, lines, at, at)


_ARREARS_NOW = (
    "billed in arrears, with the time used invoiced at each change: the "
    "time used so far is invoiced at once"
)


def _billed(
    state: State,
    changed: State,
    lines: list[InvoiceLine],
    net: Money,
    at: datetime,
) -> tuple[State, Routing, Invoice | None]:
    """Invoice a change's lines now, or defer them: one rule for all.

    ``changed`` is the state with the change recorded; the result is that
    state once the lines are invoiced or deferred, where
    :func:`~prorata._routing.route` sends them, and the invoice issued.
    Billed in arrears under ``used_time_billing`` invoice-now, the time
    used up to the change is invoiced at once instead.
    """
    policy = state.policy
    drawn: list[Fraction] = []
    lines = discounted(state, lines, changed, budget_took=drawn)
    if lines and not state.in_trial:
        lines.extend(capped(state, lines, at))
        net = sum((line.amount for line in lines if line.kind in _ADDED), net)
    if (
        policy.timing is BillingTiming.IN_ARREARS
        and policy.used_time_billing is ChangeBilling.INVOICE_NOW
        and not state.in_trial
    ):
        return _arrears_now(changed, at)
    routing = route(policy, lines, net)
    invoice = None
    if routing.now:
        invoice = settle_now(state, routing.now, at)
    billed = (*routing.now, *routing.later)
    after = replace(
        changed,
        deferred=(*state.deferred, *routing.later),
        paid=sum((line.amount for line in billed), state.paid),
        coupons=spent_budget(
            policy, changed.coupons, drawn, changed.period.end
        ),
    )
    if invoice is not None:
        after = replace(
            after,
            credit_balance=invoice.credit_balance_after,
            prepaid_balance=invoice.prepaid_balance_after,
            issued=(*state.issued, invoice),
        )
    return after, routing, invoice


def _with_added(net: Money, routing: Routing) -> Money:
    """A change's net with the discount and cap lines it bills.

    Billed in arrears with the time used invoiced at once, what that
    invoice bills: its lines are the change's.
    """
    if routing.reason == _ARREARS_NOW:
        return sum((x.amount for x in routing.now), Money.zero(net.currency))
    billed = (*routing.now, *routing.later)
    return sum((x.amount for x in billed if x.kind in _ADDED), net)


_PRORATED_ONLY = (
    "prorated (billed in arrears, each quantity is billed for the time it "
    "was held)"
)
_ADDED = frozenset({InvoiceLineKind.DISCOUNT, InvoiceLineKind.CREDIT_CAP})


def _arrears_now(
    changed: State, at: datetime
) -> tuple[State, Routing, Invoice | None]:
    """Billed in arrears: invoice the time used (and overage) up to ``at``."""
    lines = [
        *changed.deferred,
        *used_time(changed, at),
        *overage_before(changed, at),
    ]
    if not lines:
        routing = Routing(
            now=(),
            later=(),
            settlement=Settlement.NOT_BILLED,
            reason=_ARREARS_NOW,
        )
        return changed, routing, None
    invoice = settle_now(changed, lines, at)
    # What was invoiced counts toward the period's minimum commitment.
    billed = sum(
        (line.amount for line in lines[len(changed.deferred) :]), changed.paid
    )
    routing = Routing(
        now=invoice.lines,
        later=(),
        settlement=Settlement.INVOICE_NOW,
        reason=_ARREARS_NOW,
    )
    after = replace(rolled(changed, at, invoice), deferred=(), paid=billed)
    return fresh(after), routing, invoice


def _restarts(
    change: PlanChange, policy: BillingPolicy, options: ChangeOptions
) -> bool:
    """Whether a change that closes the period restarts the cycle there.

    It does under ``billing_anchor`` ``now``, the change's or the policy's,
    and when the proration's ``anchor_reset`` says so.
    """
    return (
        _NOW in (options.billing_anchor, policy.billing_anchor)
    ) or resets_anchor(change.old, change.new, policy.proration.anchor_reset)


_NOW = BillingAnchor.NOW


def _reset(
    state: State,
    proration: Proration,
    *,
    restart: bool,
    day: int | None = None,
) -> tuple[State, ChangeOutcome]:
    """Close the old plan at the change and open the new one there.

    See :func:`~prorata._restart.reopened`: its lines are the outcome's.
    """
    change = proration.change
    after, invoice, unused = reopened(state, change, restart=restart, day=day)
    return after, ChangeOutcome(
        proration=proration,
        lines=invoice.lines,
        net=invoice.subtotal,
        settlement=Settlement.INVOICE_NOW,
        reason=reset_reason(change, unused),
        invoice=invoice,
        allowances=_carried(state, change),
    )


def _quantity_reset(
    state: State, change: QuantityChange, peaks: tuple[Item, ...]
) -> tuple[State, QuantityOutcome]:
    """A quantity change under the policy's ``billing_anchor`` ``now``.

    The period restarts at the change, as a plan change's does: the old
    quantities' unused time is credited as the proration's ``credit``
    says, and the plan with the new quantities is billed for its first
    period from the change, on an invoice issued at once (Polar's
    ``reset``: "Invoice the full amount ... and reset the billing cycle
    to now").
    """
    changed = replace(
        state,
        quantity_changes=(*state.quantity_changes, change),
        peaks=peaks,
    )
    plan, at = state.plan, change.at
    after, invoice, _ = reopened(
        state, PlanChange(plan, plan, at=at), restart=True, opened=changed
    )
    return after, QuantityOutcome(
        change=change,
        lines=invoice.lines,
        net=invoice.subtotal,
        settlement=Settlement.INVOICE_NOW,
        reason=(
            f"{change.add_on.name} set to {change.quantity} restarts the "
            f"billing period at {at.isoformat(sep=' ')} (billing_anchor "
            "'now'): invoiced at once"
        ),
        invoice=invoice,
    )


def _free(policy: ProrationPolicy) -> ProrationPolicy:
    """``policy`` crediting and charging nothing: a trial's.

    A trial is no whole number of months, which the fixed-month day count
    needs to count its days (Zuora's Actual/360); as nothing is priced, it
    counts them as they are.
    """
    free = replace(policy, credit=Treatment.NONE, charge=Treatment.NONE)
    if free.day_count is DayCount.FIXED_MONTH:
        return replace(free, day_count=DayCount.ACTUAL)
    return free


_TRIAL_REASON = (
    "during the free trial nothing is billed: the first invoice, at the "
    "trial's end, bills the plan in force then"
)


def _in_trial(
    state: State, change: PlanChange, options: ChangeOptions
) -> tuple[State, ChangeOutcome]:
    """A change during a trial: the plan changes, nothing is prorated.

    A change of interval moves the cycle to the new interval, from the
    same anchor, and the coupons' periods from the trial's end are counted
    on it.
    """
    if options.billing_anchor is BillingAnchor.NOW:
        raise TrialError(
            "a free trial decides the billing anchor: end_trial() first to "
            "restart the period at a change, or make the change under a "
            'policy with trial_change="end-trial", which ends the trial there'
        )
    proration = prorate(change, state.period, _free(state.policy.proration))
    cycle, end = trial_cycle(state, change.new), state.trial_end
    assert end is not None  # noqa: S101 - called in a trial only
    after = replace(
        state,
        changes=(*state.changes, change),
        cycle=cycle,
        coupons=recounted(state.coupons, end, state.cycle, cycle),
    )
    return after, ChangeOutcome(
        proration=proration,
        lines=(),
        net=Money.zero(state.currency),
        settlement=Settlement.NOT_BILLED,
        reason=_TRIAL_REASON,
        invoice=None,
        allowances=_carried(state, change),
    )


def _carried(
    state: SubscriptionState, change: PlanChange
) -> tuple[AllowanceCarry, ...]:
    """The lifetime allowances carried across ``change``."""
    return carry_allowances(change.old, change.new, state.lifetime_usage)
