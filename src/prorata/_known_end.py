"""A known end billed only up to it (``BillingPolicy.known_end``).

Under ``bill-to-end`` a period billed in advance that contains a scheduled
end is billed only up to it (``_billing.known_end``); :func:`marked` records
that on the cancellation, so that the end credits nothing for the time
after it. :func:`rest_billed` bills that time after all, on the next
invoice, when the end no longer closes the period as billed: the
cancellation withdrawn, or a plan or quantity change made in the period
(which then prorates as in a period billed whole). The rest is priced as
its own stretch of the period, by the policy's day count: under Zuora's
Actual/360, whose days count 1/30 of a month each, a 31-day month billed
to the 21st and then to its end bills 31 of 30 days, as any two stretches
of that month do (a review's reading of "the rest" as the price less what
was billed would give the month's price exactly; Zuora documents neither).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from prorata._billing import discounted, known_end
from prorata._charges import price_all
from prorata._discounting import period_billed
from prorata._invoice_lines import bill_lines
from prorata._pricing import LineKind

if TYPE_CHECKING:
    from prorata._state import State

__all__ = ["marked", "rest_billed"]


def marked(state: State) -> State:
    """``state`` after its period was billed: the end flagged if cut there."""
    end = state.cancellation
    if (
        end is None
        or known_end(state, state.period_from, state.period) is None
    ):
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
    policy = state.policy.proration
    period = state.period
    rest = price_all(
        LineKind.REMAINING_TIME,
        state.plan,
        state.items,
        end.at,
        period.end,
        period=period,
        policy=policy,
    )
    lines = discounted(state, bill_lines(rest, policy))
    return replace(
        state,
        deferred=(*state.deferred, *lines),
        paid=state.paid + period_billed(lines, state.currency),
        cancellation=replace(end, billed_to_end=False),
    )
