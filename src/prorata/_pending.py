"""What waits for its moment: a scheduled change, an end, a pause.

A :class:`ScheduledChange` is a plan change (and, with an ``anchor``, a new
billing-cycle anchor) waiting for its moment; a :class:`Cancellation` says
when a subscription ends and what the end returns; a :class:`Pause` when
billing stops and what it does with the time paid. Each is a small value a
:class:`~prorata.Subscription` holds until its moment comes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import final

from prorata._billing_policy import PauseMode
from prorata._display import displayed
from prorata._invoice import CancelCredit
from prorata._period import require_aware
from prorata._plan import Plan
from prorata._policy import coerce_options
from prorata.errors import ArgumentTypeError

__all__ = ["Cancellation", "Pause", "ScheduledChange"]


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class ScheduledChange:
    """A plan change waiting for its moment: made then, billed from then.

    Args:
        new: The plan to switch to (the plan in force, when only the
            anchor moves).
        at: When the change takes effect: a billing date (the renewal
            bills the new plan) or any later moment (prorated then).
        anchor: A new billing-cycle anchor from the billing date ``at``
            on: that renewal bills the stub to the anchor's next date,
            then whole periods run from it; ``None`` keeps the cycle.
        billed_to_change: Whether the period containing ``at`` billed
            the plan only up to it (``BillingPolicy.known_end``
            ``bill-to-end``): the change then credits nothing for the old
            plan's time after it.
    """

    new: Plan
    at: datetime
    anchor: datetime | None = None
    billed_to_change: bool = False

    def __post_init__(self) -> None:
        """Validate the plan and the moment.

        Raises:
            ArgumentTypeError: ``new`` is not a Plan.
            NaiveDatetimeError: ``at`` is not an aware datetime.
        """
        if not isinstance(self.new, Plan):
            raise ArgumentTypeError("new", self.new, "a Plan")
        require_aware("scheduled change moment", self.at)
        if self.anchor is not None:
            require_aware("scheduled anchor", self.anchor)


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class Cancellation:
    """When a subscription ends, and what it returns for unused time.

    Args:
        at: The end: the last instant billed is just before it.
        credit: What the end returns for unused time paid in advance.
        billed_to_end: Whether the period containing it was billed only
            up to it (``BillingPolicy.known_end`` ``bill-to-end``): the
            end then credits nothing for the time after it.
    """

    at: datetime
    credit: CancelCredit
    billed_to_end: bool = False

    def __post_init__(self) -> None:
        """Validate the moment; turn a credit name into its enum member.

        Raises:
            NaiveDatetimeError: ``at`` is not an aware datetime.
            InvalidPolicyError: ``credit`` is not a :class:`CancelCredit`.
        """
        require_aware("cancellation moment", self.at)
        coerce_options(self, (("credit", CancelCredit),))


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class Pause:
    """When a subscription pauses, and what the pause does with paid time.

    Args:
        at: The pause: nothing is billed or recorded from then until the
            resume.
        mode: Keep the paid time for after the resume, or credit it and
            restart at the resume.
    """

    at: datetime
    mode: PauseMode

    def __post_init__(self) -> None:
        """Validate the moment; turn a mode name into its enum member.

        Raises:
            NaiveDatetimeError: ``at`` is not an aware datetime.
            InvalidPolicyError: ``mode`` is not a :class:`PauseMode`.
        """
        require_aware("pause moment", self.at)
        coerce_options(self, (("mode", PauseMode),))
