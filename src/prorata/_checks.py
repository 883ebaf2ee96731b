"""The checks a transition runs before it touches a subscription's state.

Whether the subscription is open, unpaused at a moment, and able to take a
change at a moment (not before what it billed, nor before its start or an
earlier change, nor outside its period); and that a flag is a bool. Each
raises the :mod:`prorata.errors` exception that says what to do instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prorata._history import check_moment
from prorata._period import require_aware, to_utc
from prorata._policy import AnchorReset
from prorata.errors import (
    ArgumentTypeError,
    BilledMomentError,
    InvalidPolicyError,
    PauseError,
    SubscriptionEndedError,
)

if TYPE_CHECKING:
    from datetime import datetime

    from prorata._billing_policy import BillingPolicy
    from prorata._plan import Plan
    from prorata._routing import ChangeOptions
    from prorata._state import SubscriptionState

__all__ = [
    "change_policy",
    "check_open",
    "check_transition",
    "check_unpaused",
    "require_bool",
]


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


def check_unpaused(state: SubscriptionState, what: str, at: datetime) -> None:
    """Refuse ``what`` (``"usage at"``) at ``at``, at or after the pause.

    The message names ``what`` and ``at``, and is written only when the
    check fails.

    Raises:
        PauseError: The subscription is paused by then.
    """
    pause, resumed = state.paused, state.resumed_at
    if pause is None and resumed is None:
        return
    moment = to_utc(at)
    if pause is not None and moment >= to_utc(pause.at):
        raise PauseError(
            f"{what} {at.isoformat()} falls while the subscription is paused "
            f"(since {pause.at.isoformat()}); resume() it first"
        )
    if (
        resumed is not None
        and moment < to_utc(resumed)
        and (moment >= to_utc(state.window_start))
    ):
        raise PauseError(
            f"{what} {at.isoformat()} is before the resume at "
            f"{resumed.isoformat()}: the "
            "paid period before the pause moved with it; record it at or "
            "after the resume"
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
    check_unpaused(state, f"a {what} at", at)
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


def _check_billing_day(
    state: SubscriptionState, new: Plan, policy: BillingPolicy, day: int
) -> None:
    """Refuse a ``billing_day`` the change cannot bill on.

    Raises:
        InvalidPolicyError: Not under ``AnchorReset.BILLING_DAY``, in a
            trial, or for a plan counted in weeks or days.
    """
    why = ""
    if policy.proration.anchor_reset is not AnchorReset.BILLING_DAY:
        why = (
            "None: only anchor_reset='billing-day' (Kill Bill's) keeps a "
            "billing day to replace"
        )
    elif state.in_trial:
        why = "None in a free trial: the trial's end decides the billing day"
    elif not new.interval.months_per_step:
        why = (
            f"None for {new.id}, billed every {new.interval}: it bills from "
            "the change, with no billing day"
        )
    if why:
        raise InvalidPolicyError("billing_day", day, [why])


def change_policy(
    state: SubscriptionState, new: Plan, options: ChangeOptions
) -> BillingPolicy:
    """The policy one change is billed under: the options over the state's.

    Raises:
        InvalidPolicyError: The options move the timing or the lead.
    """
    policy = options.applied_to(state.policy)
    if options.billing_day is not None:
        _check_billing_day(state, new, policy, options.billing_day)
    for name in ("timing", "calculation_lead"):
        kept = getattr(state.policy, name)
        if getattr(policy, name) != kept:
            why = "one change cannot move its billing dates or its timing"
            raise InvalidPolicyError(
                f"policy.{name}",
                getattr(policy, name),
                [f"{kept}, the subscription's ({why})"],
            )
    return policy
