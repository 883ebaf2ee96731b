"""The start of a subscription, and free trials.

:func:`started` builds a subscription and bills its sign-up. It may start
with a free trial (``trial_end``): nothing billed until the trial ends,
then the first period. While it runs the current period is the trial
itself, changes bill no proration, usage is not billed, and a cancellation
bills nothing; under ``TrialScope.PLAN`` its add-ons are billed all the
same, to the trial's end (``_trial_items``). At its end the first period
starts: anchored at the trial's end (the default), or on an anchor given
at the start, when the first invoice bills the stub to the first anchor
date. Under
``TrialChange.END_TRIAL`` a plan change ends the trial instead
(:func:`ended_by_change`), and a change may be scheduled for the trial's
end, which :func:`end_of_trial` makes; under ``BY_PLAN`` the new plan's own
trial sets its end (:func:`trial_by_plan`, :func:`retimed`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from prorata._alignment import check_account_day, start_anchor, trial_cycle
from prorata._billing import discounted, known_end, nonzero, spent_budget
from prorata._billing_policy import (
    BillingAnchor,
    BillingPolicy,
    BillingTiming,
    StubPeriod,
    ZeroLines,
)
from prorata._cash_rounding import check_rounding
from prorata._changes import change_plan, settle_now
from prorata._charges import (
    check_charge,
    check_item,
    one_time_lines,
    signup_lines,
)
from prorata._checks import check_open
from prorata._coupon_windows import (
    CouponWindow,
    charged,
    check_coupon,
    check_redeemable,
    recounted,
    restarted,
    window_of,
)
from prorata._discounting import period_billed
from prorata._invoice_lines import InvoiceLineKind
from prorata._known_end import marked
from prorata._money import Money, summed
from prorata._period import (
    BillingCycle,
    BillingPeriod,
    Interval,
    require_aware,
    to_utc,
)
from prorata._plan import Plan
from prorata._pricing import LineKind
from prorata._routing import ChangeOptions, ChangeOutcome, Settlement
from prorata._state import State, SubscriptionState, fresh
from prorata._trial_items import billed_in_trial, check_trial_end, trial_lines
from prorata.errors import (
    ArgumentTypeError,
    DatetimeRangeError,
    TrialError,
)

if TYPE_CHECKING:
    from fractions import Fraction

    from prorata._invoice import Invoice
    from prorata._invoice_lines import InvoiceLine

__all__ = [
    "end_of_trial",
    "end_trial",
    "ended_by_change",
    "extend_trial",
    "opened",
    "retimed",
    "started",
    "trial_by_plan",
]


def started(
    kind: type[State],
    plan: Plan,
    at: datetime,
    *,
    policy: BillingPolicy | None,
    anchor: datetime | None,
    items: object,
    trial: timedelta | datetime | Interval | None,
    coupons: object = (),
    charges: object = (),
    account_day: int | None = None,
) -> tuple[State, Invoice | None]:
    """A subscription of ``kind`` started at ``at``; see its ``start``."""
    if not isinstance(plan, Plan):
        raise ArgumentTypeError("plan", plan, "a Plan")
    policy = BillingPolicy() if policy is None else policy
    if not isinstance(policy, BillingPolicy):
        raise ArgumentTypeError("policy", policy, "a BillingPolicy")
    check_rounding(policy.invoice_rounding, plan.currency)
    require_aware("subscription start", at)
    if not isinstance(items, tuple | list):
        raise ArgumentTypeError("items", items, "a tuple of Item")
    trial_end = _trial_end_of(at, trial)
    first = at if trial_end is None else trial_end
    start, held = first if anchor is None else anchor, None
    if account_day is not None:
        check_account_day(account_day, anchor, plan)
        start, held = start_anchor(policy, plan.interval, first, account_day)
    cycle = BillingCycle(start, plan.interval)
    zero = Money.zero(plan.currency)
    subscription = kind(
        policy=policy,
        cycle=cycle,
        started_at=at,
        next_index=cycle.index_of(first) + 1,
        window_start=at,
        window_plan=plan,
        window_items=tuple(items),
        credit_balance=zero,
        prepaid_balance=zero,
        paid=zero,
        returned=zero,
        trial_end=trial_end,
        coupons=_windows(coupons, first, cycle, (plan, policy, at)),
        day_anchor=held,
    )
    for item in subscription.window_items:
        check_item(item, plan.currency, cycle.interval)
    if not isinstance(charges, tuple | list):
        raise ArgumentTypeError("charges", charges, "a tuple of Charge")
    once = one_time_lines(
        [check_charge(charge, plan.currency) for charge in charges], at
    )
    if trial_end is not None:
        _check_trial(policy, at, trial_end)
    return _signed_up(subscription, once)


def _signed_up(
    subscription: State, once: list[InvoiceLine]
) -> tuple[State, Invoice | None]:
    """The sign-up invoice, if any: the first period, one-time charges.

    Billed in advance without a trial, the plan and add-ons for the first
    period (or what remains of it); the one-time charges in any case; each
    with its discounts (a setup fee's as the policy's
    ``setup_fee_discount`` says).
    """
    at, policy = subscription.started_at, subscription.policy
    lines: list[InvoiceLine] = []
    periodic = subscription.trial_end is None and (
        policy.timing is BillingTiming.IN_ADVANCE
    )
    if periodic:
        lines = signup_lines(
            subscription.window_plan,
            subscription.window_items,
            at,
            period=subscription.period,
            policy=policy.proration,
            frame=_stub_frame(subscription, at),
        )
    elif subscription.window_items and billed_in_trial(subscription):
        lines = trial_lines(
            subscription, _REMAINING, subscription.window_items, at
        )
    if policy.zero_lines is ZeroLines.DROP:  # no line, no invoice
        lines, once = nonzero(lines), nonzero(once)
    if not lines and not once:
        return fresh(subscription), None
    took: list[Fraction] = []
    spent: list[Fraction] = []
    drawn: list[Fraction] = []
    lines = discounted(
        subscription if periodic else _from_signup(subscription),
        [*lines, *once],
        fees_took=took,
        charges_took=spent,
        budget_took=drawn,
    )
    invoice = settle_now(subscription, lines, at)
    cut = next(
        (i for i, line in enumerate(lines) if line.kind is _ONE_TIME),
        len(lines),
    )
    return fresh(
        replace(
            subscription,
            credit_balance=invoice.credit_balance_after,
            prepaid_balance=invoice.prepaid_balance_after,
            paid=period_billed(lines, subscription.currency),
            one_time=tuple(lines[cut:]),
            coupons=spent_budget(
                subscription.policy,
                charged(
                    _took(subscription, took, periodic=periodic),
                    spent,
                    subscription.period.end,
                ),
                drawn,
                subscription.period.end,
            ),
        )
    ), invoice


_ONE_TIME: Final = InvoiceLineKind.ONE_TIME
_REMAINING: Final = LineKind.REMAINING_TIME


def _from_signup(subscription: State) -> State:
    """``subscription`` with its coupons covering the sign-up invoice.

    One that bills no period (a trial's, or in arrears): the coupons given
    at sign-up are counted from the first period billed, and their first
    invoice is this one, its setup fees the lines they may discount.
    """
    at = subscription.started_at
    return replace(
        subscription,
        coupons=tuple(replace(w, start=at) for w in subscription.coupons),
    )


def _took(
    state: State, took: list[Fraction], *, periodic: bool
) -> tuple[CouponWindow, ...]:
    """The coupons once they ``took`` part of the sign-up's setup fees.

    With the first period (``periodic``), what each took comes off its
    amount for that period's lines. On an invoice of its own, one counted
    in periods that took anything has had it as its first period, counted
    off the periods it has from the first period billed.
    """
    if not any(took):  # no setup fee discounted, or no coupon at all
        return state.coupons
    windows: list[CouponWindow] = []
    for w, taken in zip(state.coupons, took, strict=True):
        if taken and periodic:
            windows.append(replace(w, fees=(state.period.end, taken)))
        elif taken and w.coupon.periods is not None:
            spent = w.spent + 1
            windows.append(window_of(w.coupon, w.start, state.cycle, spent))
        else:
            windows.append(w)
    return tuple(windows)


def _stub_frame(
    state: SubscriptionState, at: datetime
) -> BillingPeriod | None:
    """What a stub from ``at`` is prorated over, if not its period.

    Under ``StubPeriod.FROM_START``, a whole interval from ``at`` (when it
    reaches the stub's end, as it does unless the period is longer than an
    interval); under ``COUNTED_BACK``, the interval back from the stub's
    end (when it holds ``at``).
    """
    rule, period = state.policy.stub_period, state.period
    if rule is StubPeriod.ANCHORED:
        return None
    interval = state.cycle.interval
    if rule is StubPeriod.COUNTED_BACK:
        frame = BillingPeriod(interval.after(period.end, -1), period.end)
        return frame if to_utc(frame.start) <= to_utc(at) else None
    frame = BillingPeriod(at, interval.after(at, 1))
    return frame if to_utc(frame.end) >= to_utc(period.end) else None


def _windows(
    coupons: object,
    first: datetime,
    cycle: BillingCycle,
    start: tuple[Plan, BillingPolicy, datetime],
) -> tuple[CouponWindow, ...]:
    """The coupons given at sign-up, from the first period billed.

    Each is redeemed on the plan started with, at ``start``'s moment.
    """
    if not isinstance(coupons, tuple | list):
        raise ArgumentTypeError("coupons", coupons, "a tuple of Coupon")
    plan, policy, at = start
    return tuple(
        window_of(
            check_redeemable(
                check_coupon(coupon, plan.currency),
                plan,
                policy.coupon_products,
                at,
            ),
            first,
            cycle,
            opens=True,
        )
        for coupon in coupons
    )


def _trial_end_of(
    at: datetime, trial: timedelta | datetime | Interval | None
) -> datetime | None:
    """The end of a trial given as a length or an end, from ``at``.

    Raises:
        ArgumentTypeError: ``trial`` is neither.
        TrialError: It does not end after ``at``.
    """
    if trial is None:
        return None
    if isinstance(trial, Interval):  # a plan's own trial
        end = trial.after(at)
    elif isinstance(trial, timedelta):
        try:
            end = require_aware("trial end", at + trial)
        except OverflowError:
            raise DatetimeRangeError("trial end", trial) from None
    elif isinstance(trial, datetime):
        end = require_aware("trial end", trial)
    else:
        raise ArgumentTypeError(
            "trial",
            trial,
            "a timedelta or an Interval (its length) or a datetime (its end)",
        )
    if to_utc(end) <= to_utc(at):
        raise TrialError(
            f"it must end after the start, {at.isoformat()}; pass a "
            "positive length or a later end"
        )
    return end


def _check_trial(
    policy: BillingPolicy, started_at: datetime, end: datetime
) -> None:
    """Refuse a trial longer than the policy's ``max_trial``.

    Raises:
        TrialError: It is longer.
    """
    longest = policy.max_trial
    if longest is not None and to_utc(end) - to_utc(started_at) > longest:
        raise TrialError(
            f"ending {end.isoformat()}, it is longer than the policy's "
            f"max_trial of {longest}; end it by "
            f"{(started_at + longest).isoformat()}"
        )


def end_of_trial(state: State) -> tuple[State, Invoice | None]:
    """The first period after the trial: billed in advance, at its end.

    Usage during the trial is not billed; the plan and add-ons in force at
    the end are the first period's, or the plan of a change scheduled for
    the end (the add-ons move with it); a new interval counts the coupons'
    periods on its cycle from the end.
    """
    end = state.trial_end
    assert end is not None  # noqa: S101 - called in a trial only
    plan, cycle = state.plan, state.cycle
    pending = state.pending_change
    if pending is not None and to_utc(pending.at) == to_utc(end):
        plan, cycle = pending.new, trial_cycle(state, pending.new)
        pending = None
    zero = Money.zero(state.currency)
    after = replace(
        state,
        cycle=cycle,
        coupons=recounted(state.coupons, end, state.cycle, cycle),
        next_index=cycle.index_of(end) + 1,
        pending_change=pending,
        window_start=end,
        window_plan=plan,
        window_items=state.items,
        changes=(),
        quantity_changes=(),
        usage=tuple(u for u in state.usage if u.utc_at >= to_utc(end)),
        walk=None,
        paid=zero,
        returned=zero,
    )
    return opened(after, end)


def opened(state: State, at: datetime) -> tuple[State, Invoice | None]:
    """A period opened at ``at`` (a trial's end, a restart), billed then.

    Billed in advance, the plan and add-ons from ``at`` to the period's end
    are invoiced at once, as a sign-up; in arrears nothing is. Either way
    the history for backdating starts afresh.
    """
    if state.policy.timing is BillingTiming.IN_ARREARS:
        return fresh(state), None
    lines = signup_lines(
        state.plan,
        state.items,
        at,
        period=state.period,
        policy=state.policy.proration,
        frame=_stub_frame(state, at),
        until=known_end(state, at, state.period),
    )
    billed = discounted(state, lines)
    # Deferred lines first: a trial's add-ons changed (TrialScope.PLAN).
    invoice = settle_now(state, [*state.deferred, *billed], at)
    return marked(
        fresh(
            replace(
                state,
                credit_balance=invoice.credit_balance_after,
                prepaid_balance=invoice.prepaid_balance_after,
                # What the lines bill, an invoice rounding line left out.
                paid=summed([x.amount for x in billed], state.currency),
                deferred=(),
            )
        )
    ), invoice


def _moved(state: State, end: datetime, *, anchored: bool = False) -> State:
    """The trial ending at ``end``; an anchor at its end moves with it.

    So does a change scheduled for its end. ``anchored``: the cycle runs
    from ``end`` whatever its anchor was.
    """
    old = state.trial_end
    assert old is not None  # noqa: S101 - called in a trial only
    check_trial_end(state, end)
    cycle, pending = state.cycle, state.pending_change
    if anchored or to_utc(cycle.anchor) == to_utc(old):
        cycle = BillingCycle(end, cycle.interval)
    if pending is not None and to_utc(pending.at) == to_utc(old):
        pending = replace(pending, at=end)
    coupons = restarted(state.coupons, old, end, cycle)
    return replace(
        state,
        trial_end=end,
        cycle=cycle,
        coupons=coupons,
        pending_change=pending,
    )


def _in_trial(state: SubscriptionState, what: str) -> None:
    check_open(state, what)
    if not state.in_trial:
        raise TrialError(f"cannot {what}: the subscription is not in a trial")


def end_trial(state: State, at: datetime) -> tuple[State, Invoice | None]:
    """End the trial at ``at`` (the customer converts now) and bill.

    Raises:
        TrialError: Not in a trial, or ``at`` before its last change.
    """
    _in_trial(state, "end the trial")
    moment = to_utc(require_aware("trial end", at))
    latest = max(
        (
            state.window_start,
            *(c[-1].at for c in (state.changes, state.quantity_changes) if c),
        ),
        key=to_utc,
    )
    assert state.trial_end is not None  # noqa: S101 - in a trial
    if not to_utc(latest) <= moment <= to_utc(state.trial_end):
        raise TrialError(
            f"it can end from {latest.isoformat()} to its end, "
            f"{state.trial_end.isoformat()}, not at {at.isoformat()}"
        )
    return end_of_trial(_moved(state, at))


def extend_trial(state: State, until: datetime) -> State:
    """Extend the trial to ``until``.

    Raises:
        TrialError: Not in a trial, ``until`` not after its end, or longer
            than the policy's ``max_trial``.
    """
    _in_trial(state, "extend the trial")
    end = require_aware("trial end", until)
    assert state.trial_end is not None  # noqa: S101 - in a trial
    if to_utc(end) <= to_utc(state.trial_end):
        raise TrialError(
            f"extend it past its end, {state.trial_end.isoformat()}, not "
            f"to {until.isoformat()}"
        )
    _check_trial(state.policy, state.started_at, end)
    return _moved(state, end)


def trial_by_plan(
    state: SubscriptionState, new: Plan, at: datetime
) -> datetime | None:
    """The trial's end once ``new`` is changed to at ``at``, if any.

    ``new``'s own trial counted from the trial's start, when it ends after
    ``at`` (``TrialChange.BY_PLAN``); ``None``: the change ends the trial.

    Raises:
        TrialError: It would be longer than the policy's ``max_trial``.
    """
    if new.trial is None:
        return None
    end = new.trial.after(state.started_at)
    if to_utc(end) <= to_utc(at):
        return None
    _check_trial(state.policy, state.started_at, end)
    return end


def retimed(state: State, end: datetime) -> State:
    """The trial ending at ``end`` instead (a plan's own trial)."""
    assert state.trial_end is not None  # noqa: S101 - in a trial
    if to_utc(end) == to_utc(state.trial_end):
        return state
    return _moved(state, end)


def ended_by_change(
    state: State,
    new: Plan,
    at: datetime,
    *,
    assisted: bool,
    options: ChangeOptions,
) -> tuple[State, ChangeOutcome]:
    """A plan change that ends the trial (``TrialChange.END_TRIAL``).

    The change is made as in the trial, nothing prorated; the trial then
    ends at ``at``, the cycle restarted there in the new plan's interval
    (Meteroid resets the billing day to the change's), and the first
    period is billed as a trial's end bills it: at once, in advance. A
    change scheduled for the trial's end is withdrawn: the end it waited
    for has come. ``billing_anchor="now"`` adds nothing: the period
    restarts at the change anyway.

    Raises:
        The errors of ``Subscription.change_plan``.
    """
    kept = replace(options, billing_anchor=BillingAnchor.UNCHANGED)
    cleared = replace(state, pending_change=None)
    changed, outcome = change_plan(
        cleared, new, at, assisted=assisted, options=kept
    )
    after, first = end_of_trial(_moved(changed, at, anchored=True))
    when = at.isoformat(sep=" ")
    dropped = state.pending_change
    withdrawn = (
        ""
        if dropped is None
        else f"; the change to {dropped.new.name} scheduled for the "
        "trial's end is withdrawn"
    )
    if first is None:  # in arrears: the first period is billed at its end
        return after, replace(
            outcome,
            reason=f"the change ends the free trial: {new.name}'s first "
            f"period starts at {when}, billed at its end{withdrawn}",
        )
    return after, replace(
        outcome,
        lines=first.lines,
        net=first.subtotal,
        settlement=Settlement.INVOICE_NOW,
        reason=f"the change ends the free trial: {new.name}'s first period "
        f"starts at {when} and is invoiced at once{withdrawn}",
        invoice=first,
    )


#: The last day a month can have, the largest ``account_day``.
