"""Add-ons billed in a free trial of the base plan (``TrialScope.PLAN``).

Kill Bill's trial is a phase of the base plan: its add-ons are billed from
their own start, in advance, to the trial's end, each stretch over the
plan's interval counted back from that end (the stub a first period to a
billing day is priced over). One frame prices every line of that stretch:
the add-ons of a sign-up, a change of quantity and a cancellation's credit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prorata._billing_policy import BillingTiming, TrialScope
from prorata._charges import price_all
from prorata._invoice_lines import bill_lines
from prorata._period import BillingPeriod, to_utc
from prorata.errors import TrialError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from prorata._add_on import Item
    from prorata._invoice_lines import InvoiceLine
    from prorata._pricing import LineKind
    from prorata._state import SubscriptionState

__all__ = ["billed_in_trial", "check_trial_end", "trial_frame", "trial_lines"]


def billed_in_trial(state: SubscriptionState) -> bool:
    """Whether ``state`` is in a trial that bills its add-ons."""
    return state.in_trial and state.policy.trial_scope is TrialScope.PLAN


def trial_frame(state: SubscriptionState, at: datetime) -> BillingPeriod:
    """What an add-on's time from ``at`` to the trial's end is priced over.

    The plan's interval counted back from the trial's end.

    Raises:
        TrialError: Billed in arrears, or ``at`` more than one interval
            before the trial's end.
    """
    end = state.trial_end
    assert end is not None  # noqa: S101 - called in a trial only
    if state.policy.timing is BillingTiming.IN_ARREARS:
        raise TrialError(
            "trial_scope='plan' bills a trial's add-ons in advance; billed "
            "in arrears, give the add-ons at the trial's end instead"
        )
    frame = BillingPeriod(state.cycle.interval.after(end, -1), end)
    if to_utc(at) < to_utc(frame.start):
        raise TrialError(
            f"an add-on from {at.isoformat()} to the trial's end, "
            f"{end.isoformat()}, is longer than one {state.cycle.interval} "
            "period, which trial_scope='plan' prices; add it later or "
            "shorten the trial"
        )
    return frame


def trial_lines(
    state: SubscriptionState,
    kind: LineKind,
    items: Sequence[Item],
    at: datetime,
) -> list[InvoiceLine]:
    """The add-ons' time from ``at`` to the trial's end, as ``kind`` says.

    Remaining time for a sign-up, unused time for a cancellation's credit.
    """
    frame = trial_frame(state, at)
    priced = price_all(
        kind,
        state.plan,
        items,
        at,
        frame.end,
        period=frame,
        policy=state.policy.proration,
    )[1:]
    return bill_lines(priced, state.policy.proration)


def check_trial_end(state: SubscriptionState, end: datetime) -> None:
    """Refuse to move the end of a trial its add-ons are billed to.

    Raises:
        TrialError: ``end`` is not the trial's end and an add-on is billed
            to it.
    """
    old = state.trial_end
    assert old is not None  # noqa: S101 - called in a trial only
    if billed_in_trial(state) and state.items and to_utc(end) != to_utc(old):
        raise TrialError(
            f"the add-ons are billed to the trial's end, {old.isoformat()}, "
            "under trial_scope='plan'; set their quantities to 0 first, "
            "then move the end"
        )
