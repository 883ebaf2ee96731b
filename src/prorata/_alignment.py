"""A yearly plan aligned on its subscription (``yearly_alignment``).

Under ``AnchorReset.BILLING_DAY`` a change keeps the account's billing day,
the anchor's (:func:`~prorata._anchoring.kept_anchor`). Under
``BillingPolicy.yearly_alignment`` ``subscription`` a plan of one year
takes the subscription's own day instead (:func:`own_day`), the day of the
month of its first paid day, as Kill Bill's ``SUBSCRIPTION`` billing
alignment does; the account's day is held (``State.day_anchor``) for a
later plan of months. :func:`trial_cycle` is the cycle a change in a trial
opens at the trial's end, by the same rules. :func:`start_anchor` is the
anchor a start on an account's billing day takes, by the same rules: a
subscription's own anchor (``Subscription.start``'s ``anchor``, Kill Bill's
per-subscription BCD, which overrides any alignment) is taken as it is;
:func:`check_account_day` refuses an account's day a start cannot take.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from prorata._anchoring import kept_anchor
from prorata._billing_policy import YearlyAlignment
from prorata._period import BillingCycle, to_utc
from prorata._policy import AnchorReset
from prorata.errors import AnchorError, ArgumentTypeError

if TYPE_CHECKING:
    from datetime import datetime

    from prorata._billing_policy import BillingPolicy
    from prorata._period import Interval
    from prorata._plan import Plan
    from prorata._state import SubscriptionState

__all__ = ["check_account_day", "own_day", "start_anchor", "trial_cycle"]


def own_day(state: SubscriptionState, interval: Interval) -> int | None:
    """The subscription's own billing day a plan of ``interval`` takes.

    Under ``yearly_alignment`` ``subscription`` (which the policy allows
    only under ``AnchorReset.BILLING_DAY``), for a plan of one year: the
    day of the month of the subscription's first paid day, the trial's end
    or else its start, in the anchor's time zone (Kill Bill's
    ``getDateOfFirstRecurringNonZeroCharge``, in the account's zone).
    ``None`` otherwise: the account's day, the anchor's, is kept.
    """
    if not _on_subscription(state.policy, interval):
        return None
    first = state.started_at if state.trial_end is None else state.trial_end
    return to_utc(first).astimezone(state.cycle.anchor.tzinfo).day


def start_anchor(
    policy: BillingPolicy, interval: Interval, first: datetime, day: int
) -> tuple[datetime, datetime | None]:
    """The anchor of a start on an account of billing ``day``, and the held.

    An anchor on ``day`` in the month of ``first``, the first paid day (the
    trial's end, or the start), its time and zone (the first period runs
    from ``first`` to the next such date, a stub if ``first`` is off it);
    nothing held. For a plan of one year aligned on its subscription
    (:func:`own_day`), ``first`` itself, and the account's day held
    (``State.day_anchor``) for a later plan of months: Kill Bill's
    ``calculateBcdForAlignment`` gives ``ACCOUNT`` the account's BCD and
    ``SUBSCRIPTION`` the day of the first recurring non-zero charge
    (util/.../bcd/BillCycleDayCalculator.java). ``interval`` counts months.
    """
    account = kept_anchor(first, first, interval, _BILLING_DAY, day)
    if _on_subscription(policy, interval):
        return first, account
    return account, None


def _on_subscription(policy: BillingPolicy, interval: Interval) -> bool:
    """Whether a plan of ``interval`` bills on its subscription's own day."""
    return (
        policy.yearly_alignment is _SUBSCRIPTION
        and interval.months_per_step == _YEAR_MONTHS
    )


def trial_cycle(state: SubscriptionState, new: Plan) -> BillingCycle:
    """The cycle after the trial when ``new`` replaces the plan in it.

    The same cycle; for another interval, the new interval from the same
    anchor, as the proration's ``anchor_reset`` keeps it at the trial's end
    (on the subscription's own day for a yearly plan aligned on it).
    """
    cycle, interval = state.cycle, new.interval
    if interval == cycle.interval:
        return cycle
    rule, end = state.policy.proration.anchor_reset, state.trial_end
    assert end is not None  # noqa: S101 - called in a trial only
    held = state.day_anchor  # the account's day, under a yearly plan's own
    base = cycle.anchor if held is None else held
    return BillingCycle(
        kept_anchor(base, end, interval, rule, own_day(state, interval)),
        interval,
    )


_SUBSCRIPTION: Final = YearlyAlignment.SUBSCRIPTION
_BILLING_DAY: Final = AnchorReset.BILLING_DAY
_YEAR_MONTHS: Final = 12


def check_account_day(day: object, anchor: object, plan: Plan) -> None:
    """Refuse an account's billing day a start cannot bill on.

    Raises:
        ArgumentTypeError: ``day`` is not an int.
        AnchorError: Out of 1 to 31, given with an ``anchor``, or for a
            plan counted in weeks or days.
    """
    if isinstance(day, bool) or not isinstance(day, int):
        raise ArgumentTypeError("account_day", day, "an int")
    why = ""
    if not 1 <= day <= _LAST_DAY:
        why = f"account_day {day} is no day of a month: give 1 to 31"
    elif anchor is not None:
        why = (
            "give the subscription's own anchor or the account's "
            "account_day, not both (an anchor of its own overrides it)"
        )
    elif not plan.interval.months_per_step:
        why = (
            f"account_day is for plans counted in months; {plan.id} bills "
            f"every {plan.interval}: leave it out"
        )
    if why:
        raise AnchorError(why)


_LAST_DAY: Final = 31
