"""Pausing and resuming: nothing billed or recorded while paused.

The modes (:class:`~prorata.PauseMode`). Keeping the paid time, a pause
bills nothing and the resume continues the paid period where it stopped:
the billing date, and the moments of the period's changes and usage, move
by the paused length, so the period bills as if the pause had not been.
Crediting, the pause credits the unused time (capped as a cancellation's
is); the resume then starts a new period, billed then (restarting), or
bills the stub to the next billing date, the billing day kept (keeping the
day). Forfeiting, the pause credits nothing; the resume starts a new
period (restarting), or, before the paid period's end, goes on to its
billing date, the paused time lost (keeping the term). Billed in arrears
nothing is paid ahead: a pause bills the time used so far, and the time
from the resume is billed at the period's end.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from prorata._anchoring import kept_anchor
from prorata._billing_policy import BillingTiming, PauseMode
from prorata._changes import settle_now
from prorata._checks import check_open, require_bool
from prorata._coupon_windows import shifted
from prorata._ending import billed_to, bills, chosen_moment, final_lines
from prorata._history import QuantityChange
from prorata._invoice import CancelCredit
from prorata._money import Money
from prorata._pending import Pause
from prorata._period import BillingCycle, BillingPeriod, require_aware, to_utc
from prorata._plan import PlanChange, Usage
from prorata._policy import coerce_options
from prorata._state import State, fresh, rolled
from prorata._trial import opened
from prorata.errors import PauseError

if TYPE_CHECKING:
    from datetime import datetime, timedelta, tzinfo

    from prorata._billing_policy import PauseModeName
    from prorata._invoice import Invoice

__all__ = ["pause", "resume"]

#: The modes whose pause credits nothing of the time paid.
_FORFEITING = frozenset(
    {PauseMode.FORFEIT_AND_RESTART, PauseMode.FORFEIT_AND_KEEP_TERM}
)


def pause(
    state: State,
    at: datetime | None,
    *,
    at_period_end: bool,
    mode: PauseMode | PauseModeName | None,
) -> tuple[State, Invoice | None]:
    """Pause at ``at``, or at the end of the period; see ``Subscription``.

    Raises:
        PauseError: Already paused, in a trial, cancelled, a change
            scheduled, keeping paid time in arrears, or ``at`` outside the
            period.
    """
    check_open(state, "pause")
    require_bool("at_period_end", at_period_end)
    chosen = _mode(state, mode)
    _check_pausable(state, chosen)
    moment = _pause_moment(state, at, at_period_end=at_period_end)
    paused = Pause(at=moment, mode=chosen)
    if chosen is PauseMode.KEEP_PAID_TIME:
        return replace(state, paused=paused), None
    kept = (
        CancelCredit.NONE
        if chosen in _FORFEITING
        else CancelCredit.CREDIT
    )
    lines, _ = final_lines(state, moment, kept, ending=False)
    invoice = settle_now(state, lines, moment)
    after = replace(
        fresh(rolled(state, moment, invoice)),
        deferred=(),
        walk=None,
        paused=paused,
    )
    return after, invoice if bills(invoice) else None


def resume(state: State, at: datetime) -> tuple[State, Invoice | None]:
    """Resume at ``at``; see ``Subscription.resume``.

    Raises:
        PauseError: Not paused, or ``at`` before the pause.
    """
    check_open(state, "resume")
    paused = state.paused
    if paused is None:
        raise PauseError("the subscription is not paused; nothing to resume")
    moment = to_utc(require_aware("resume moment", at))
    if moment < to_utc(paused.at):
        raise PauseError(
            f"the resume at {at.isoformat()} is before the pause at "
            f"{paused.at.isoformat()}; resume at or after it"
        )
    if paused.mode is PauseMode.KEEP_PAID_TIME:
        # The paused length on the cycle's wall clock: a pause across a
        # change of daylight saving time moves the billing date by whole
        # days, keeping its time of day.
        zone = state.cycle.anchor.tzinfo
        shift = _wall(at, zone) - _wall(paused.at, zone)
        if not shift:
            return replace(state, paused=None), None
        return replace(_continued(state, shift), resumed_at=at), None
    if paused.mode is PauseMode.CREDIT_AND_KEEP_DAY:
        return _reopened(state, at)
    if paused.mode is PauseMode.FORFEIT_AND_KEEP_TERM and moment < to_utc(
        state.period.end
    ):
        # In term: the paid period goes on to its billing date from here;
        # the paused time, paid for, is forfeited.
        return replace(state, paused=None, window_start=at), None
    return _restarted(state, at)


def _wall(moment: datetime, zone: tzinfo | None) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def _mode(state: State, mode: object) -> PauseMode:
    if mode is None:
        return state.policy.pause_mode
    holder = Pause(at=state.started_at, mode=mode)  # type: ignore[arg-type]
    coerce_options(holder, (("mode", PauseMode),))
    return holder.mode


def _check_pausable(state: State, mode: PauseMode) -> None:
    why = None
    if state.paused is not None:
        since = state.paused.at.isoformat()
        why = f"already paused since {since}; resume() first"
    elif state.in_trial:
        why = "in a free trial nothing is billed: end_trial() or cancel()"
    elif state.cancellation is not None:
        why = "it is cancelled: withdraw_cancellation() first"
    elif state.pending_change is not None:
        why = "a change is scheduled: withdraw_change() first"
    elif (
        mode is PauseMode.KEEP_PAID_TIME
        and state.policy.timing is BillingTiming.IN_ARREARS
    ):
        why = (
            "billed in arrears nothing is paid ahead to keep; pause with "
            "mode='credit-and-restart', which bills the time used so far"
        )
    if why is not None:
        raise PauseError(why)


def _pause_moment(
    state: State, at: datetime | None, *, at_period_end: bool
) -> datetime:
    at = chosen_moment(state, at, at_period_end=at_period_end)
    if at_period_end:
        return at
    moment = to_utc(require_aware("pause moment", at))
    first, end = billed_to(state), state.period.end
    if not to_utc(first) <= moment <= to_utc(end):
        raise PauseError(
            f"pause from {first.isoformat()} to the period's end, "
            f"{end.isoformat()}, not at {at.isoformat()}"
        )
    return at


def _continued(state: State, shift: timedelta) -> State:
    """Keep the paid time: the period, and what was in it, move on."""
    if not shift:
        return replace(state, paused=None)
    start = to_utc(state.period.start)

    def moved(moment: datetime) -> datetime:
        return moment + shift if to_utc(moment) >= start else moment

    # The moments of the window moved: backdating cannot reach past them.
    return fresh(
        replace(
            state,
            cycle=BillingCycle(state.period.end + shift, state.cycle.interval),
            next_index=0,
            # The paid period itself, moved: as long as it was, so a change
            # in it prorates over the same length.
            stub=BillingPeriod(
                state.period.start + shift, state.period.end + shift
            ),
            window_start=moved(state.window_start),
            opened_at=None
            if state.opened_at is None
            else moved(state.opened_at),
            changes=tuple(
                PlanChange(
                    c.old,
                    c.new,
                    at=moved(c.at),
                    credit=c.credit,
                    charge=c.charge,
                )
                for c in state.changes
            ),
            quantity_changes=tuple(
                QuantityChange(c.add_on, c.quantity, moved(c.at))
                for c in state.quantity_changes
            ),
            usage=tuple(
                Usage(u.metric, u.quantity, moved(u.at)) for u in state.usage
            ),
            walk=None,
            paused=None,
            coupons=shifted(state.coupons, state.period.start, shift),
        )
    )


def _restarted(state: State, at: datetime) -> tuple[State, Invoice | None]:
    """Credit and restart: a new period from ``at``, billed then."""
    return _opened_at(state, BillingCycle(at, state.cycle.interval), at)


def _reopened(state: State, at: datetime) -> tuple[State, Invoice | None]:
    """Credit and keep the day: the stub to the next billing date.

    Billed at ``at``, from ``at``. The cycle is the one a change at ``at``
    keeps (``kept_anchor``): the same anchor, or under
    ``AnchorReset.BILLING_DAY`` its day in the resume's month.
    """
    interval = state.cycle.interval
    rule = state.policy.proration.anchor_reset
    anchor = kept_anchor(state.cycle.anchor, at, interval, rule)
    return _opened_at(state, BillingCycle(anchor, interval), at)


def _opened_at(
    state: State, cycle: BillingCycle, at: datetime
) -> tuple[State, Invoice | None]:
    """The period of ``cycle`` containing ``at``, opened there.

    It is billed from ``at`` as a sign-up is: the whole period when ``at``
    starts it.
    """
    index = cycle.index_of(at)
    inside = to_utc(cycle.boundary(index)) != to_utc(at)
    zero = Money.zero(state.currency)
    after = replace(
        state,
        cycle=cycle,
        next_index=index + 1,
        window_start=at,
        stub=None,
        opened_at=at if inside else None,
        paused=None,
        paid=zero,
        returned=zero,
    )
    return opened(after, at)
