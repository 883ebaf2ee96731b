"""A subscription over time: billing, scheduled changes, cancellation.

:func:`bill_next` issues what the next billing date (or the end) bills: a
plan change scheduled for the billing date opens the new period with the
new plan; a cancellation ends the subscription with the final invoice of
``_ending``. :func:`bill_through` repeats it up to a moment.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Final

from prorata._alignment import own_day
from prorata._anchoring import (
    closes_period,
    held_day,
    kept_anchor,
    resets_anchor,
)
from prorata._billing import discounted, next_invoice, spent_budget
from prorata._billing_policy import BillingTiming, FixedCouponBudget
from prorata._changes import change_plan, settle_now
from prorata._charges import check_charge, one_time_lines
from prorata._checks import check_open, check_unpaused, require_bool
from prorata._coupon_windows import (
    charged,
    check_coupon,
    check_redeemable,
    recounted,
    window_of,
)
from prorata._discounting import period_billed
from prorata._ending import (
    CancelOutcome,
    bills,
    cancel_credit,
    cancel_reason,
    end_moment,
    ended_state,
    final_invoice,
)
from prorata._known_end import change_rest_billed, marked, rest_billed
from prorata._money import Money
from prorata._pending import Cancellation, ScheduledChange
from prorata._period import BillingCycle, require_aware, to_utc
from prorata._plan import Plan, PlanChange
from prorata._routing import (
    ChangeOptions,
)
from prorata._state import (
    State,
    SubscriptionState,
    fresh,
    kept_windows,
    rolled,
    sealed,
)
from prorata._trial import end_of_trial
from prorata._walk import Walk
from prorata.errors import (
    AlreadyCancelledError,
    ArgumentTypeError,
    BilledMomentError,
    BillingLimitError,
    DiscountTermError,
    InvalidPlanError,
    NothingPendingError,
    OutsidePeriodError,
    PauseError,
    PendingChangeError,
)

if TYPE_CHECKING:
    from datetime import datetime
    from fractions import Fraction

    from prorata._discount import Coupon
    from prorata._invoice import CancelCredit, Invoice
    from prorata._period import BillingPeriod

__all__ = [
    "add_charge",
    "apply_coupon",
    "bill_next",
    "bill_through",
    "cancel",
    "check_pending",
    "preview",
    "withdraw_cancellation",
]

_PER_PERIOD: Final = FixedCouponBudget.PERIOD


# -- billing ------------------------------------------------------------------


def preview(state: SubscriptionState) -> Invoice:
    """The next invoice :func:`bill_next` would issue, as it stands.

    A scheduled change's own invoice, the regular one, or the final one
    (empty, when an end bills nothing).
    """
    check_open(state, "preview an invoice")
    end = state.cancellation
    billing_date = state.next_billing_date
    if not state.in_trial and _due_change(state, billing_date) is None:
        # The common case: the invoice alone, as bill_next computes it,
        # without building the next period's state.
        if end is not None and _at_or_before(end.at, billing_date):
            return final_invoice(state, end)[0]
        check_unpaused(state, "the invoice of", billing_date)
        return next_invoice(state, _opening(state))
    state, invoices = bill_next(state)
    if not invoices and not state.ended:  # in arrears, past a trial's end
        invoices = bill_next(state)[1]
    if invoices:
        return invoices[0]
    end = state.cancellation
    assert end is not None  # only an end bills nothing  # noqa: S101
    return final_invoice(state, end)[0]


def bill_next(state: State) -> tuple[State, list[Invoice]]:
    """Bill the next billing date, or the end: the state, what was issued.

    A trial's end bills the first period (in advance). A scheduled change
    before the billing date is made first (its invoice, if it invoices at
    once, comes first). A subscription ending by the billing date is
    billed its final invoice, if there is anything to bill, and ends.

    Raises:
        PauseError: The subscription is paused by the billing date.
    """
    check_open(state, "bill")
    end = state.cancellation
    ends_first = end is not None and _at_or_before(
        end.at,
        state.next_billing_date,  # the trial's end, in a trial
    )
    if state.in_trial and not ends_first:
        # Billed in arrears, a trial's end bills nothing: bill() goes on to
        # the first period's end, bill_through() only if it reaches it.
        state, first = end_of_trial(state)
        return state, [] if first is None else [first]
    billing_date = state.next_billing_date
    check_unpaused(state, "the invoice of", billing_date)
    issued: list[Invoice] = []
    due = _due_change(state, billing_date)
    if due is not None:
        state, invoice = _apply(state, due)
        issued.extend([] if invoice is None else [invoice])
    end = state.cancellation
    if end is not None and _at_or_before(end.at, billing_date):
        final, returned = final_invoice(state, end)
        ended = ended_state(state, end.at, final, returned)
        return ended, [*issued, final] if bills(final) else issued
    opening = _opening(state)
    drawn: list[Fraction] = []
    invoice = next_invoice(state, opening, budget_took=drawn)
    billed = (*issued, invoice) if issued else (invoice,)
    after = _after_regular(state, invoice, billed, opening)
    if after.coupons and after.policy.fixed_coupon_budget is _PER_PERIOD:
        # The period opened starts the coupons' budgets afresh.
        coupons = spent_budget(
            after.policy, after.coupons, drawn, after.period.end
        )
        after = replace(after, coupons=coupons)
    return marked(after), [*issued, invoice]


def bill_through(
    state: State, until: datetime, *, limit: int
) -> tuple[State, list[Invoice]]:
    """Bill every billing date (and the end) up to ``until``, in order.

    Raises:
        SubscriptionEndedError: The subscription has ended.
        BilledMomentError: ``until`` is before what is already billed.
        BillingLimitError: It would take more than ``limit`` invoices.
        NaiveDatetimeError: ``until`` has no time zone.
    """
    check_open(state, "bill")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ArgumentTypeError("limit", limit, "an int of 1 or more")
    moment = to_utc(require_aware("until", until))
    if moment < to_utc(state.window_start):
        raise BilledMomentError(
            "bill_through until", until, state.window_start
        )
    invoices: list[Invoice] = []
    dates = 0  # billing dates (and an end) billed: what the limit counts
    while not state.ended and not _paused_by(state, moment):
        due = _due_change(state, until, inclusive=True)
        if due is not None:
            state, invoice = _apply(state, due)
            invoices.extend([] if invoice is None else [invoice])
        elif _next_event(state) <= moment:
            if dates >= limit:
                raise BillingLimitError(until, limit)
            state, issued = bill_next(state)
            invoices.extend(issued)
            dates += 1
        else:
            break
    return state, invoices


def _paused_by(state: SubscriptionState, moment: datetime) -> bool:
    """Whether billing stops at a pause before the next event or ``moment``."""
    pause = state.paused
    return pause is not None and to_utc(pause.at) <= min(
        _next_event(state), moment
    )


def _next_event(state: SubscriptionState) -> datetime:
    """The next moment billing acts: the billing date, or an earlier end."""
    moment = to_utc(state.next_billing_date)
    end = state.ends_at
    return moment if end is None else min(moment, to_utc(end))


def _at_or_before(moment: datetime, limit: datetime) -> bool:
    return to_utc(moment) <= to_utc(limit)


def _opening(
    state: SubscriptionState,
) -> tuple[Plan, BillingPeriod, BillingCycle] | None:
    """What a change scheduled for the billing date opens.

    Its plan, and the period and the cycle it opens.
    """
    pending = state.pending_change
    if pending is None or to_utc(pending.at) != to_utc(
        state.next_billing_date
    ):
        return None
    cycle, index = _opened_cycle(state, pending)
    return pending.new, cycle.period(index - 1), cycle


def _opened_cycle(
    state: SubscriptionState, pending: ScheduledChange
) -> tuple[BillingCycle, int]:
    """The cycle and next index after ``pending`` opens at the billing date.

    The same cycle; one from the change's own ``anchor`` if it moves it (the
    period that contains the billing date then opens as a stub); a new one
    from the billing date if the change restarts it; the new interval from
    the same anchor if it only moves it.
    """
    new, boundary = pending.new, pending.at
    rule = state.policy.proration.anchor_reset
    if pending.anchor is not None:
        cycle = BillingCycle(pending.anchor, new.interval)
        return cycle, cycle.index_of(boundary) + 1
    if resets_anchor(state.plan, new, rule):
        return BillingCycle(boundary, new.interval), 1
    if closes_period(state.plan, new, rule):
        kept = kept_anchor(
            _day_base(state),
            boundary,
            new.interval,
            rule,
            own_day(state, new.interval),
        )
        cycle = BillingCycle(kept, new.interval)
        return cycle, cycle.index_of(boundary) + 1
    return state.cycle, state.next_index + 1


def _day_base(state: SubscriptionState) -> datetime:
    """The anchor whose billing day a month-based plan keeps."""
    held = state.day_anchor
    return state.cycle.anchor if held is None else held


def _held_after(
    state: SubscriptionState, pending: ScheduledChange
) -> datetime | None:
    """The ``day_anchor`` once ``pending`` opens (``held_day``)."""
    rule = state.policy.proration.anchor_reset
    if pending.anchor is not None or resets_anchor(
        state.plan, pending.new, rule
    ):
        return None
    if not closes_period(state.plan, pending.new, rule):
        return state.day_anchor
    if own_day(state, pending.new.interval) is not None:
        return _day_base(state)  # the account's day, for a later plan
    return held_day(_day_base(state), None, pending.new.interval, rule)


def _after_regular(
    state: State,
    invoice: Invoice,
    billed: tuple[Invoice, ...],
    opening: tuple[Plan, BillingPeriod, BillingCycle] | None,
) -> State:
    """The state after a regular invoice, into the next period.

    One new state, built once: what the invoice did not cover (the plan and
    add-ons in force at the calculation date, the changes and usage from
    then on), the next period's ledger, the window kept for backdating.
    ``opening`` is what a change scheduled for the billing date opens
    (:func:`_opening`, as the invoice was computed with it).
    """
    cut = invoice.calculated_at
    currency = state.window_plan.currency
    zero = Money.zero(currency)
    paid = zero
    if state.policy.timing is BillingTiming.IN_ADVANCE:
        # The deferred lines belong to the period closed.
        paid = period_billed(invoice.lines[len(state.deferred) :], currency)
    cycle, index, walk = state.cycle, state.next_index + 1, None
    pending, opened_at = state.pending_change, None
    held = state.day_anchor
    ledger = kept_windows(state, billed, cut)
    extra: tuple[PlanChange, ...] = ()
    if opening is not None:
        new, period, _ = opening
        boundary = state.next_billing_date
        assert pending is not None  # noqa: S101 - an opening is pending
        cycle, index = _opened_cycle(state, pending)
        held = _held_after(state, pending)
        if new != state.plan:  # a moved anchor alone changes no plan
            extra = (PlanChange(state.plan, new, at=boundary),)
        walk = Walk.begin(new, period, state.policy.proration)
        if to_utc(boundary) != to_utc(period.start):  # opened inside it
            opened_at = boundary
            walk = Walk.opening(
                new, boundary, period, state.policy.proration, paid
            )
        if pending.anchor is not None:  # coupons keep their periods left
            coupons = recounted(state.coupons, boundary, state.cycle, cycle)
            state = replace(state, coupons=coupons)
        pending = None
    return sealed(
        rolled(
            state,
            cut,
            invoice,
            extra=extra,
            cycle=cycle,
            next_index=index,
            deferred=(),
            paid=paid,
            returned=zero,
            walk=walk,
            pending_change=pending,
            stub=None,
            opened_at=opened_at,
            day_anchor=held,
            origin=None,
            ledger=ledger,
            issued=(),
        )
    )


# -- scheduled changes -------------------------------------------------------


def check_pending(state: SubscriptionState, what: str, at: datetime) -> None:
    """Refuse a moment at or after a scheduled change not yet made.

    Raises:
        PendingChangeError: A change is scheduled inside the current period
            at or before ``at``.
    """
    due = _due_change(state, at, inclusive=True)
    if due is not None:
        raise PendingChangeError(what, at, due.at)


def _due_change(
    state: SubscriptionState, moment: datetime, *, inclusive: bool = False
) -> ScheduledChange | None:
    """The pending change dated inside the period and before ``moment``."""
    pending = state.pending_change
    if pending is None or to_utc(pending.at) >= to_utc(state.period.end):
        return None
    at, limit = to_utc(pending.at), to_utc(moment)
    return pending if at < limit or (inclusive and at == limit) else None


def _apply(state: State, due: ScheduledChange) -> tuple[State, Invoice | None]:
    cleared = replace(state, pending_change=None)
    after, outcome = change_plan(
        cleared,
        due.new,
        due.at,
        assisted=True,
        options=ChangeOptions(),
        billed_to=due.billed_to_change,
    )
    return after, outcome.invoice


# -- cancellation ------------------------------------------------------------


def cancel(
    state: State,
    at: datetime | None,
    *,
    at_period_end: bool,
    credit: CancelCredit | str | None,
) -> tuple[State, CancelOutcome]:
    """End the subscription at ``at``, or at the end of the current period.

    Raises:
        AlreadyCancelledError: It is already cancelled.
        SubscriptionEndedError: It has ended.
        BilledMomentError: ``at`` is before what is already billed.
        InvalidPolicyError: ``credit`` is not a :class:`CancelCredit`.
    """
    check_open(state, "cancel")
    require_bool("at_period_end", at_period_end)
    if state.paused is not None:
        raise PauseError(
            "resume() before cancelling: a cancellation ends the paid "
            "period, which a pause has set aside"
        )
    if state.cancellation is not None:
        raise AlreadyCancelledError(state.cancellation.at)
    mode = cancel_credit(state, credit)
    end = end_moment(state, at, at_period_end=at_period_end)
    if to_utc(end) < to_utc(state.period.end):
        check_pending(state, "the cancellation at", end)
    dropped = ""
    pending = state.pending_change
    if pending is not None and to_utc(pending.at) >= to_utc(end):
        state = replace(change_rest_billed(state), pending_change=None)
        dropped = (
            f"; the change to {pending.new.name} scheduled for "
            f"{pending.at.isoformat(sep=' ')} is withdrawn"
        )
    ending = Cancellation(at=end, credit=mode)
    zero = Money.zero(state.currency)
    if not to_utc(end) < to_utc(state.period.end):
        later = replace(state, cancellation=ending)
        return later, CancelOutcome(
            ends_at=end,
            credit=mode,
            returned=zero,
            invoice=None,
            reason="nothing is billed now; the subscription ends then"
            + dropped,
        )
    final, returned = final_invoice(state, ending)
    ended = ended_state(
        replace(state, cancellation=ending), end, final, returned
    )
    return ended, CancelOutcome(
        ends_at=end,
        credit=mode,
        returned=returned,
        invoice=final if bills(final) else None,
        reason=cancel_reason(state, mode) + dropped,
    )


def withdraw_cancellation(state: State) -> State:
    """Withdraw a cancellation that has not yet taken effect.

    A period billed only up to it (``known_end`` ``bill-to-end``) bills the
    rest on the next invoice.

    Raises:
        NothingPendingError: No cancellation is pending.
        SubscriptionEndedError: The subscription has ended already.
    """
    check_open(state, "withdraw the cancellation")
    if state.cancellation is None:
        raise NothingPendingError("cancellation")
    return replace(rest_billed(state), cancellation=None)


def apply_coupon(state: State, coupon: Coupon, at: datetime) -> State:
    """Apply ``coupon`` from ``at``; see ``Subscription.apply_coupon``.

    Raises:
        ArgumentTypeError: ``coupon`` is not a :class:`Coupon`.
        SubscriptionEndedError: The subscription has ended.
        BilledMomentError: ``at`` is before what is already billed.
        DiscountTermError: The coupon outlasts a cancelled subscription
            and the policy's ``discounts_past_end`` is ``False``; or, under
            ``coupon_products="redemption"``, the plan in force at ``at``
            is not one of its products.
    """
    coupon = check_coupon(coupon, state.currency)
    check_open(state, "apply a coupon")
    moment = to_utc(require_aware("coupon moment", at))
    if moment < to_utc(state.window_start):
        raise BilledMomentError("the coupon at", at, state.window_start)
    check_redeemable(
        coupon, state.plan_at(at), state.policy.coupon_products, at
    )
    window = window_of(coupon, at, state.cycle)
    end = state.ends_at
    if (
        end is not None
        and not state.policy.discounts_past_end
        and (window.end is None or to_utc(window.end) > to_utc(end))
    ):
        lasts = "forever" if window.end is None else window.end.isoformat()
        raise DiscountTermError(
            f"{coupon} lasts to {lasts}, past the subscription's end at "
            f"{end.isoformat()}, and the policy has discounts_past_end="
            "False; give the coupon fewer periods or an until at the end"
        )
    # A replay cannot redo a coupon: no backdating reaches past it.
    return fresh(replace(state, coupons=(*state.coupons, window)))


def add_charge(
    state: State, charge: object, at: datetime
) -> tuple[State, Invoice]:
    """Bill a one-time charge at once; see ``Subscription.add_charge``."""
    checked = check_charge(charge, state.currency)
    if checked.setup_fee:
        raise InvalidPlanError(
            checked.id,
            "setup_fee",
            checked.setup_fee,
            "marks a plan's setup fee, billed with the sign-up only: give "
            "it to Subscription.start(charges=...), or add it as a one-time "
            "charge with setup_fee=False",
        )
    check_open(state, "add a charge")
    moment = to_utc(require_aware("charge moment", at))
    if moment < to_utc(state.window_start):
        raise BilledMomentError("the charge at", at, state.window_start)
    check_unpaused(state, "the charge at", at)
    end = state.period.end
    if state.ends_at is not None:
        end = min(end, state.ends_at, key=to_utc)
    if not moment < to_utc(end):
        raise OutsidePeriodError("charge moment", at, state.window_start, end)
    # Discounted by the coupons with one_time_charges in force at ``at``.
    took: list[Fraction] = []
    lines = discounted(state, one_time_lines([checked], at), charges_took=took)
    invoice = settle_now(state, lines, at)
    # A replay cannot redo a charge: no backdating reaches past it.
    return fresh(
        replace(
            state,
            credit_balance=invoice.credit_balance_after,
            prepaid_balance=invoice.prepaid_balance_after,
            one_time=(*state.one_time, *lines),
            issued=(*state.issued, invoice),
            coupons=charged(state.coupons, took, state.period.end),
        )
    ), invoice
