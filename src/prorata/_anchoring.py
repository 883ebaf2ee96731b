"""Which plan changes restart, move or keep the billing cycle's anchor.

Under a :class:`~prorata.AnchorReset` rule: whether a change restarts the
cycle at the change (:func:`resets_anchor`), ends the old plan's period
there (:func:`closes_period`), and the anchor of the cycle it opens
otherwise (:func:`kept_anchor`), with the billing day a plan counted in
weeks or days leaves for later ones (:func:`held_day`).
"""

from __future__ import annotations

from calendar import monthrange
from typing import TYPE_CHECKING, Final

from prorata._period import BillingCycle, Interval, IntervalUnit, to_utc
from prorata._policy import AnchorReset

if TYPE_CHECKING:
    from datetime import datetime

    from prorata._plan import Plan

__all__ = [
    "closes_period",
    "held_day",
    "kept_anchor",
    "resets_anchor",
]


def resets_anchor(
    old: Plan, new: Plan, rule: AnchorReset = AnchorReset.INTERVAL_OR_YEARLY
) -> bool:
    """Whether a change restarts the billing cycle at the change.

    By the policy's :class:`~prorata.AnchorReset` ``rule``: by default a
    change of interval, or to, from or between yearly plans, does (the
    hosting page: "your monthly plan will be closed and a new annual plan
    opened"; Stripe re-anchors on any change of interval, and in its
    classic mode on one from a free plan to a paid one). The new plan is
    then charged for its own first period from the change, never priced
    over the rest of the old plan's period.
    """
    if rule is _NEVER or rule is _BILLING_DAY:
        return False
    if _other_interval(old, new):
        return True
    if rule is _FROM_FREE:
        return _free_to_paid(old, new)
    return rule is _OR_YEARLY and old.interval.unit is _YEAR


def closes_period(old: Plan, new: Plan, rule: AnchorReset) -> bool:
    """Whether a change ends the old plan's period at the change.

    It does when it restarts the cycle, when it moves the cycle to the new
    plan's interval from the same anchor, and under ``BILLING_DAY`` when
    the new plan's periods run several months (they open in the change's
    month) or are counted in weeks or days (they open at the change; see
    :func:`kept_anchor`).
    """
    if _other_interval(old, new):
        return True
    if rule is _BILLING_DAY:
        return new.interval.months_per_step != 1
    if rule is _FROM_FREE:
        return _free_to_paid(old, new)
    return rule is _OR_YEARLY and old.interval.unit is _YEAR


def kept_anchor(
    anchor: datetime,
    at: datetime,
    interval: Interval,
    rule: AnchorReset,
    day: int | None = None,
) -> datetime:
    """The anchor of the cycle a change at ``at`` opens without a restart.

    ``anchor`` itself; under ``BILLING_DAY`` its day and time in the month
    of the change, or in one a whole number of ``interval``s before it
    (within four years) where the month holds most of that day: the 31st
    stays the 31st for quarters, and an annual plan opened in February
    with the 31st is anchored on a 29 February, so leap years bill the
    29th. A plan of several months so opens in the change's month.

    Under ``BILLING_DAY`` a plan counted in weeks or days has no billing
    day: its cycle is anchored at ``at`` itself, the change (or the trial's
    end, or the resume). Kill Bill uses the billing-cycle day only for
    month-based periods; for the others it takes the billing event's own
    start date (killbill/killbill @ cb60779c, invoice/.../generator/
    BillingIntervalDetail.java: ``billingCycleDay = startDate.
    getDayOfMonth()`` unless the period has months or years;
    util/.../bcd/BillCycleDayCalculator.java ``alignProposedBillCycleDate``:
    "billingCycleDay alignment only makes sense for month based
    BillingPeriod").

    ``day``, when given, is the billing day of the month to keep in place
    of ``anchor``'s (Kill Bill's billing-cycle day of a plan its catalog
    aligns other than on the account; see ``ChangeOptions.billing_day``).
    """
    months = interval.months_per_step
    if rule is not _BILLING_DAY:
        return anchor
    if not months:
        return at
    if day is not None:
        anchor = _on_day(anchor, at, day)
    local = to_utc(at).astimezone(anchor.tzinfo)
    shift = (local.year - anchor.year) * 12 + (local.month - anchor.month)
    monthly = BillingCycle(anchor, _MONTH)
    best = monthly.boundary(shift)
    for back in range(0, 49, months):
        moved = monthly.boundary(shift - back)
        if moved.day == anchor.day:
            return moved
        if moved.day > best.day:
            best = moved
    return best


def held_day(
    anchor: datetime,
    held: datetime | None,
    interval: Interval,
    rule: AnchorReset,
) -> datetime | None:
    """The anchor whose day a cycle of ``interval`` keeps for later plans.

    Under ``BILLING_DAY`` a plan counted in weeks or days is anchored at
    its change (:func:`kept_anchor`), but the account's billing day stays:
    a later monthly plan bills on it again (Kill Bill's account BCD does not
    move with a weekly plan; BillCycleDayCalculator ``ACCOUNT``). It is
    ``held``, the one kept so far, or else ``anchor``, the cycle's left;
    ``None`` when the new cycle's own anchor carries the day.
    """
    if rule is not _BILLING_DAY or interval.months_per_step:
        return None
    return anchor if held is None else held


def _on_day(anchor: datetime, at: datetime, day: int) -> datetime:
    """``anchor``'s time on ``day``, in the last month by ``at`` holding it.

    Only its day, time and zone matter to :func:`kept_anchor`, which
    counts months from it to ``at``'s.
    """
    local = to_utc(at).astimezone(anchor.tzinfo)
    year, month = local.year, local.month
    while day > monthrange(year, month)[1]:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return anchor.replace(year=year, month=month, day=day)


def _other_interval(old: Plan, new: Plan) -> bool:
    before, after = old.interval, new.interval
    return before is not after and (
        before.unit is not after.unit or before.count != after.count
    )


def _free_to_paid(old: Plan, new: Plan) -> bool:
    # The integer ratios' numerators: no Decimal built on prorate's path.
    was, now = old.price.integer_ratio()[0], new.price.integer_ratio()[0]
    return not was and now > 0


_YEAR: Final = IntervalUnit.YEAR
_FROM_FREE: Final = AnchorReset.INTERVAL_OR_FROM_FREE
_NEVER: Final = AnchorReset.NEVER
_OR_YEARLY: Final = AnchorReset.INTERVAL_OR_YEARLY
_BILLING_DAY: Final = AnchorReset.BILLING_DAY
_MONTH: Final = Interval.months(1)
