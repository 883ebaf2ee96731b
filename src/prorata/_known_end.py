"""A known end billed only up to it (``BillingPolicy.known_end``).

Under ``bill-to-end`` a period billed in advance that contains a scheduled
end is billed only up to it (``_billing.known_end``), and its plan only up
to a scheduled change (``_billing.known_change``: a phase or plan change
at a known date ends the plan's billing there, as an end does).
:func:`marked` records that on the cancellation or the change, so that
neither credits anything for the time after it. :func:`rest_billed` bills
that time after all, on the next invoice, when the end no longer closes
the period as billed: the cancellation withdrawn, or a plan or quantity
change made in the period (which then prorates as in a period billed
whole); :func:`change_rest_billed` the plan's, when the change no longer
comes then. The rest is priced as its own stretch of the period, by the
policy's day count: under Zuora's Actual/360, whose days count 1/30 of a
month each, a 31-day month billed to the 21st and then to its end bills
31 of 30 days, as any two stretches of that month do (a review's reading
of "the rest" as the price less what was billed would give the month's
price exactly; Zuora documents neither).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from prorata._billing import discounted, known_change, known_end
from prorata._charges import price_all
from prorata._discounting import period_billed
from prorata._invoice_lines import bill_lines
from prorata._pricing import LineKind

if TYPE_CHECKING:
    from datetime import datetime

    from prorata._add_on import Item
    from prorata._state import State

__all__ = ["change_rest_billed", "marked", "rest_billed"]


def marked(state: State) -> State:
    """``state`` after its period was billed: the end flagged if cut there.

    So is a scheduled change the plan was billed up to.
    """
    pending, end = state.pending_change, state.cancellation
    if pending is None and end is None:  # the common case: nothing known
        return state
    start, period = state.period_from, state.period
    if pending is not None and known_change(state, start, period) is not None:
        pending = replace(pending, billed_to_change=True)
        state = replace(state, pending_change=pending)
    if end is None or known_end(state, start, period) is None:
        return state
    return replace(state, cancellation=replace(end, billed_to_end=True))


def rest_billed(state: State) -> State:
    """The period's time after an end it was billed up to, billed after all.

    The plan and add-ons in force from the end to the period's end, priced
    over the period as a stub is, go on the next invoice (``deferred``) and
    count as billed for the period; the cancellation, if kept, then closes
    a period billed whole. A state not billed up to an end is returned as
    it is.
    """
    end = state.cancellation
    if end is None or not end.billed_to_end:
        return state
    state = _rest(state, state.items, end.at)
    return replace(state, cancellation=replace(end, billed_to_end=False))


def change_rest_billed(state: State) -> State:
    """The plan's time after a scheduled change it was billed up to, billed.

    As :func:`rest_billed` does for an end, for the plan alone (its add-ons
    were billed whole), when the change no longer comes at that moment:
    withdrawn, replaced, dropped by an earlier end, or preceded by a plan
    change, which then prorates as in a period billed whole.
    """
    pending = state.pending_change
    if pending is None or not pending.billed_to_change:
        return state
    state = _rest(state, (), pending.at)
    return replace(
        state, pending_change=replace(pending, billed_to_change=False)
    )


def _rest(state: State, items: tuple[Item, ...], start: datetime) -> State:
    """The plan and ``items`` from ``start`` to the period's end, deferred."""
    policy = state.policy.proration
    period = state.period
    rest = price_all(
        LineKind.REMAINING_TIME,
        state.plan,
        items,
        start,
        period.end,
        period=period,
        policy=policy,
    )
    lines = discounted(state, bill_lines(rest, policy))
    return replace(
        state,
        deferred=(*state.deferred, *lines),
        paid=state.paid + period_billed(lines, state.currency),
    )
