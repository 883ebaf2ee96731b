"""Changes scheduled for later: a plan, a billing-cycle anchor, a downgrade.

:func:`schedule_change` records a :class:`~prorata.ScheduledChange` for a
later moment (the next billing date by default), :func:`move_anchor` one
that moves the billing-cycle anchor at the next billing date, and
:func:`changed` routes a plan change made now, scheduling a downgrade for
the period's end when the policy says so. ``_lifecycle`` makes them when
their moment comes.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import TYPE_CHECKING, Final

from prorata._billing_policy import (
    BillingAnchor,
    BillingPolicy,
    Downgrades,
    TrialChange,
)
from prorata._changes import change_plan, checked_change
from prorata._charges import check_item
from prorata._checks import check_open, require_bool
from prorata._coupon_windows import restarted
from prorata._ending import billed_to
from prorata._known_end import change_rest_billed
from prorata._money import Money
from prorata._pending import ScheduledChange
from prorata._period import BillingCycle, IntervalUnit, require_aware, to_utc
from prorata._plan import Plan, PlanChange
from prorata._policy import Treatment
from prorata._routing import (
    ChangeOptions,
    ChangeOutcome,
    Settlement,
)
from prorata._rules import require_self_serve
from prorata._trial import ended_by_change, retimed, trial_by_plan
from prorata._walk import prorate
from prorata.errors import (
    AnchorError,
    ArgumentTypeError,
    BilledMomentError,
    InvalidPolicyError,
    NothingPendingError,
    PauseError,
    SubscriptionEndedError,
    TrialError,
)

if TYPE_CHECKING:
    from datetime import datetime

    from prorata._state import State, SubscriptionState

__all__ = [
    "changed",
    "is_waiting_downgrade",
    "move_anchor",
    "schedule_change",
    "withdraw_change",
]


def schedule_change(
    state: State,
    new: Plan,
    at: datetime | None,
    *,
    assisted: bool,
    anchor: datetime | None = None,
) -> State:
    """Schedule a change to ``new`` for ``at`` (the next billing date).

    A later schedule replaces the one pending. With an ``anchor``, the
    change (to the plan in force, when only the anchor moves) must fall on
    a billing date, and the cycle runs from the anchor from then on. In a
    free trial, only under ``TrialChange.END_TRIAL`` (where a change made
    now would end it), for the trial's end and without an anchor.

    Raises:
        SubscriptionEndedError: The subscription has ended, or ends first.
        BilledMomentError: ``at`` is before what is already billed, or
            before the last change.
        ChangeRefusedError: The change is not self-serve, not ``assisted``.
        CurrencyMismatchError: ``new`` is priced in another currency.
        AnchorError: An ``anchor`` with ``at`` not a billing date.
        TrialError: In a trial, under ``TrialChange.KEEP_TRIAL``, or for
            another moment than its end, or with an ``anchor``.
    """
    check_open(state, "schedule a change")
    if state.in_trial:
        _check_trial_schedule(state, at, anchor)
    if state.paused is not None:
        raise PauseError("resume() before scheduling a change")
    if not isinstance(new, Plan):
        raise ArgumentTypeError("new", new, "a Plan")
    require_bool("assisted", assisted)
    moment = state.next_billing_date if at is None else at
    PlanChange(state.plan, new, at=moment)  # checks the currency and moment
    for item in state.items:  # the add-ons move with the plan
        check_item(item, new.currency, new.interval)
    latest = billed_to(state)
    if to_utc(moment) <= to_utc(latest):
        raise BilledMomentError("the scheduled change at", moment, latest)
    end = state.ends_at
    if end is not None and to_utc(moment) >= to_utc(end):
        raise SubscriptionEndedError(
            f"schedule a change at {moment.isoformat()}",
            end,
            "withdraw the cancellation first, or schedule before the end",
        )
    if anchor is not None:
        _check_anchor(state, moment, anchor)
    if not assisted:
        require_self_serve(state.plan, new)
    return replace(
        change_rest_billed(state),  # the one replaced: its plan's rest
        pending_change=ScheduledChange(new=new, at=moment, anchor=anchor),
    )


def _check_trial_schedule(
    state: SubscriptionState, at: datetime | None, anchor: datetime | None
) -> None:
    """Refuse a schedule in a trial but one for its end, trial-ending.

    Raises:
        TrialError: The policy keeps the trial through a change, or the
            schedule is for another moment, or moves the anchor.
        NaiveDatetimeError: ``at`` is not an aware datetime.
    """
    if state.policy.trial_change is not TrialChange.END_TRIAL:
        raise TrialError(
            "a change during the free trial is free: change_plan() now, or "
            "schedule once the trial has ended"
        )
    end = state.trial_end
    assert end is not None  # noqa: S101 - in a trial
    moment = end if at is None else require_aware("scheduled change", at)
    if to_utc(moment) != to_utc(end):
        raise TrialError(
            f"in the free trial a change is scheduled for its end, "
            f"{end.isoformat()}, not {moment.isoformat()}: leave at out, "
            "or change_plan() to end the trial at once"
        )
    if anchor is not None:
        raise TrialError(
            "in the free trial move_anchor() sets the first period's "
            "anchor; schedule the change without one"
        )


def _check_anchor(
    state: SubscriptionState, moment: datetime, anchor: datetime
) -> None:
    """Refuse an anchor that cannot move at ``moment``.

    Raises:
        NaiveDatetimeError: ``anchor`` has no time zone.
        AnchorError: ``moment`` is not a billing date of the cycle.
    """
    require_aware("anchor", anchor)
    cycle = state.cycle
    if to_utc(cycle.boundary(cycle.index_of(moment))) != to_utc(moment):
        raise AnchorError(
            f"a new anchor takes effect at a billing date, and "
            f"{moment.isoformat()} is not one (the next is "
            f"{state.next_billing_date.isoformat()}); to restart the cycle "
            "at a moment inside a period, change_plan() with "
            'billing_anchor="now"'
        )


def move_anchor(state: State, anchor: datetime) -> State:
    """Move the billing-cycle anchor to ``anchor`` from the next billing date.

    What is billed stays billed: the next billing date's invoice bills the
    stub from it to the anchor's next date, over the new cycle's period
    that contains it (under every policy, ``stub_period`` being a
    sign-up's rule), and whole periods run from the anchor after it. A
    change already scheduled for that billing date keeps its plan and
    moves the anchor with it. In a free trial, the
    first period is anchored on ``anchor`` instead: the trial's end bills
    the stub.

    Raises:
        SubscriptionEndedError: The subscription has ended, or ends by the
            next billing date.
        NaiveDatetimeError: ``anchor`` has no time zone.
        PauseError: The subscription is paused.
        AnchorError: A change is scheduled for another moment.
    """
    check_open(state, "move the anchor")
    require_aware("anchor", anchor)
    end, when = state.ends_at, state.next_billing_date
    if end is not None and to_utc(end) <= to_utc(when):
        raise SubscriptionEndedError(
            "move the anchor",
            end,
            f"it would move at the next billing date, {when.isoformat()}; "
            "withdraw the cancellation first",
        )
    if state.in_trial:
        end = state.trial_end
        assert end is not None  # noqa: S101 - in_trial says
        cycle = BillingCycle(anchor, state.cycle.interval)
        coupons = restarted(state.coupons, end, end, cycle)
        return replace(state, cycle=cycle, coupons=coupons)
    pending, new = state.pending_change, state.plan
    if pending is not None:
        if to_utc(pending.at) != to_utc(when):
            raise AnchorError(
                f"a change is scheduled for {pending.at.isoformat()}, and "
                f"the anchor moves at the next billing date, "
                f"{when.isoformat()}: withdraw_change() first, or schedule "
                "the change for that billing date with the anchor"
            )
        new = pending.new
    return schedule_change(state, new, None, assisted=True, anchor=anchor)


def changed(
    state: State,
    new: Plan,
    at: datetime,
    *,
    assisted: bool,
    options: ChangeOptions,
) -> tuple[State, ChangeOutcome]:
    """A plan change at ``at``; see ``Subscription.change_plan``.

    Under ``Downgrades.AT_PERIOD_END``, a downgrade (a plan whose price for
    a year is lower) is scheduled for the next billing date instead, as
    :func:`schedule_change` schedules it, and bills nothing now. An anchor
    moving at the next billing date still moves then, with the plan in
    force; a change that would move that billing date is refused. In a
    free trial under ``TrialChange.END_TRIAL``, the change ends the trial;
    under ``BY_PLAN``, the new plan's own trial decides whether it does.
    """
    policy = options.applied_to(state.policy)
    rule = policy.trial_change if state.in_trial else None
    end = trial_by_plan(state, new, at) if rule is _BY_PLAN else None
    if rule is TrialChange.END_TRIAL or (rule is _BY_PLAN and end is None):
        return ended_by_change(
            state, new, at, assisted=assisted, options=options
        )
    after, outcome = _routed(
        state, new, at, assisted=assisted, options=options
    )
    if end is not None:  # the new plan's own trial, from the trial's start
        after = retimed(after, end)
    return _kept_move(state, after), outcome


_BY_PLAN: Final = TrialChange.BY_PLAN


def _kept_move(before: State, after: State) -> State:
    """``after`` with the anchor ``before`` was moving.

    An anchor moved alone follows the plan now in force; one a change
    replaced or withdrew (a downgrade scheduled, an upgrade made at once)
    is kept as a move of its own.

    Raises:
        AnchorError: The change moved the next billing date (a restart, a
            new period opened), so the anchor could not move at it.
    """
    move, now = before.pending_change, after.pending_change
    if move is None or move.anchor is None:
        return after
    if now is not None and not (now is move and move.new == before.plan):
        return after  # kept as it was, or replaced by one with the anchor
    when = after.next_billing_date
    if to_utc(when) != to_utc(move.at):
        raise AnchorError(
            f"the anchor moves at {move.at.isoformat()}, and this change "
            f"opens a period to {when.isoformat()}: withdraw_change() "
            "first, or make the change after the anchor has moved"
        )
    kept = ScheduledChange(new=after.plan, at=move.at, anchor=move.anchor)
    return replace(after, pending_change=kept)


def _routed(
    state: State,
    new: Plan,
    at: datetime,
    *,
    assisted: bool,
    options: ChangeOptions,
) -> tuple[State, ChangeOutcome]:
    """The change made now, or the downgrade scheduled for the period's end."""
    policy = options.applied_to(state.policy)
    if policy.downgrades is Downgrades.AT_ONCE:
        return change_plan(state, new, at, assisted=assisted, options=options)
    if (
        BillingAnchor.NOW in (options.billing_anchor, policy.billing_anchor)
        or state.in_trial
        or not isinstance(new, Plan)
        or not is_waiting_downgrade(policy, state.plan, new)
    ):
        # Made at once, it replaces a downgrade waiting for the period's
        # end (Lago's upgrade cancels the pending plan).
        cleared = replace(state, pending_change=None)
        return change_plan(
            cleared, new, at, assisted=assisted, options=options
        )
    policy = checked_change(state, new, at, assisted=assisted, options=options)
    if options.billing_day is not None:
        raise InvalidPolicyError(
            "billing_day",
            options.billing_day,
            [
                (
                    "None for a downgrade waiting for the period's end (it "
                    "opens on the billing date kept)"
                )
            ],
        )
    none = Treatment.NONE
    nothing = prorate(
        PlanChange(state.plan, new, at=at, credit=none, charge=none),
        state.period,
        policy.proration,
    )
    when, pending = state.next_billing_date, state.pending_change
    anchor = None if pending is None else pending.anchor
    waiting = schedule_change(
        state, new, None, assisted=assisted, anchor=anchor
    )
    return waiting, ChangeOutcome(
        proration=nothing,
        lines=(),
        net=Money.zero(state.currency),
        settlement=Settlement.SCHEDULED,
        reason=f"{_WAITING[policy.downgrades]} takes effect at the "
        f"period's end: the invoice "
        f"of {when.isoformat()} bills the new plan (withdraw_change() "
        "withdraws it)",
        invoice=None,
    )


_WAITING: Final = {
    Downgrades.AT_PERIOD_END: "a downgrade",
    Downgrades.ALL_AT_PERIOD_END: "a plan change",
}


def is_waiting_downgrade(policy: BillingPolicy, old: Plan, new: Plan) -> bool:
    """Whether ``policy`` makes ``old -> new`` wait for the period's end."""
    if policy.downgrades is Downgrades.ALL_AT_PERIOD_END:
        return True
    return policy.downgrades is Downgrades.AT_PERIOD_END and (
        _per_year(new) < _per_year(old)
    )


def _per_year(plan: Plan) -> Fraction:
    """A plan's price for a year: what Lago compares to tell a downgrade."""
    interval = plan.interval
    if interval.months_per_step:
        return plan.price.exact * Fraction(12, interval.months_per_step)
    if interval.unit is IntervalUnit.WEEK:  # Lago: 52 weeks a year
        return plan.price.exact * Fraction(52, interval.count)
    return plan.price.exact * Fraction(365, interval.days_per_step)


def withdraw_change(state: State) -> State:
    """Withdraw the pending change.

    A period that billed the plan only up to it (``known_end``
    ``bill-to-end``) bills the plan's rest on the next invoice.

    Raises:
        NothingPendingError: No change is scheduled.
    """
    if state.pending_change is None:
        raise NothingPendingError("scheduled change")
    return replace(change_rest_billed(state), pending_change=None)
