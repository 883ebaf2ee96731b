"""Trials and pauses as methods: what stops billing for a while.

:class:`Interruptions` gives :class:`~prorata.Subscription` the methods
that end or extend a free trial and pause or resume billing; the
transitions are the functions of ``_trial`` and ``_pause``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prorata._pause import pause, resume
from prorata._state import SubscriptionState
from prorata._trial import end_trial, extend_trial

if TYPE_CHECKING:
    from datetime import datetime
    from typing import Self

    from prorata._billing_policy import PauseMode, PauseModeName
    from prorata._invoice import Invoice

__all__ = ["Interruptions"]


class Interruptions(SubscriptionState):
    """The trial and pause methods of a subscription (no fields of its own)."""

    __slots__ = ()

    def end_trial(self, at: datetime) -> tuple[Self, Invoice | None]:
        """End the free trial at ``at`` (the customer converts) and bill.

        Billed in advance, the first period's invoice is issued at once.

        Raises:
            TrialError: Not in a trial, or ``at`` outside it.
        """
        return end_trial(self, at)

    def extend_trial(self, until: datetime) -> Self:
        """Extend the free trial to ``until``.

        Raises:
            TrialError: Not in a trial, ``until`` not after its end, or the
                trial longer than the policy's ``max_trial``.
        """
        return extend_trial(self, until)

    def pause(
        self,
        at: datetime | None = None,
        *,
        at_period_end: bool = False,
        mode: PauseMode | PauseModeName | None = None,
    ) -> tuple[Self, Invoice | None]:
        """Pause at ``at``, or at the end of the period, until :meth:`resume`.

        Nothing is billed while paused, and usage or a change dated in the
        pause is refused. Keeping the paid time (the policy's
        ``pause_mode`` by default), nothing is billed at the pause and the
        resume continues the paid period, moving the billing date by the
        paused length; crediting, the unused time is credited at once and
        the resume starts a new period (``credit-and-restart``) or bills
        the stub to the next billing date (``credit-and-keep-day``);
        forfeiting (``forfeit-and-restart``), nothing is credited and the
        resume starts a new period.

        Raises:
            PauseError: Already paused, in a trial, cancelled, a change
                scheduled, keeping paid time while billed in arrears, or
                ``at`` outside the current period.
        """
        return pause(self, at, at_period_end=at_period_end, mode=mode)

    def resume(self, at: datetime) -> tuple[Self, Invoice | None]:
        """Resume a paused subscription at ``at``.

        Keeping the paid time, the billing date moves by the paused length;
        crediting and restarting, a new period starts at ``at``, billed
        then in advance; crediting and keeping the day, the time from
        ``at`` to the next billing date is billed then in advance.

        Raises:
            PauseError: Not paused, or ``at`` before the pause.
        """
        return resume(self, at)
