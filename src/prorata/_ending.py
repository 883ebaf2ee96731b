"""The end of a subscription: the final invoice, credits, what is returned.

A subscription that ends is billed a final invoice (:func:`final_invoice`):
what is still due, and, billed in advance, the unused time returned as the
cancellation says. What is returned is capped by the period's ledger: what
was billed for it (``paid``), less the time used, less what was already
returned against it (``returned``, which :func:`issue_credit` adds to).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime
from fractions import Fraction
from typing import TYPE_CHECKING, final

from prorata._add_on import Charge
from prorata._billing import (
    discounted,
    overage_before,
    settle_for,
    true_up_lines,
    used_time,
)
from prorata._billing_policy import BillingTiming, CancelCap, CancelScope
from prorata._charges import one_time_lines, price_all
from prorata._checks import require_bool
from prorata._display import displayed
from prorata._invoice import (
    CancelCredit,
    CreditHandling,
    FinalBalance,
    Invoice,
    close_balance,
)
from prorata._invoice_lines import (
    InvoiceLine,
    InvoiceLineKind,
    bill_lines,
    over_cap,
)
from prorata._money import Money, trusted_units
from prorata._period import day_boundary, require_aware, to_utc
from prorata._plan import PlanChange
from prorata._policy import ChangeDay, CreditBasis, Treatment
from prorata._pricing import LineKind
from prorata._rounding import SCALES
from prorata._state import State, SubscriptionState, current_walk
from prorata._trial_items import billed_in_trial, trial_lines
from prorata.errors import (
    ArgumentTypeError,
    BilledMomentError,
    InvalidAmountError,
    InvalidPolicyError,
    OutsidePeriodError,
    TrialError,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from prorata._pending import Cancellation
    from prorata._policy import ProrationPolicy
    from prorata._pricing import ProrationLine

__all__ = [
    "CancelOutcome",
    "billed_to",
    "bills",
    "cancel_credit",
    "cancel_reason",
    "chosen_moment",
    "end_moment",
    "ended_state",
    "final_invoice",
    "final_lines",
    "issue_credit",
]


def bills(invoice: Invoice) -> bool:
    """Whether an invoice bills anything: a line, a refund, a forfeit."""
    return bool(invoice.lines or invoice.refund or invoice.forfeited)


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class CancelOutcome:
    """What a cancellation produced.

    Args:
        ends_at: When the subscription ends.
        credit: What the end returns for unused time (credit, refund,
            none).
        returned: What it returns, after the cap; zero if nothing.
        invoice: The final invoice, issued at once for a cancellation now;
            ``None`` for one that ends later, or when nothing is billed.
        reason: Why, in words a support person can read out.
    """

    ends_at: datetime
    credit: CancelCredit
    returned: Money
    invoice: Invoice | None
    reason: str

    def explain(self) -> str:
        """The end, what it returns, and the final invoice if any."""
        text = (
            f"Cancelled: ends {self.ends_at.isoformat(sep=' ')}; {self.reason}"
        )
        if self.invoice is not None:
            text += "\n" + self.invoice.explain()
        return text


def issue_credit(
    state: State, amount: Money, at: datetime, *, refund: bool, note: str
) -> tuple[State, Invoice]:
    """Credit (or refund) ``amount`` against what the period was billed.

    Once the subscription has ended, against its last period, at or after
    the end (an invoice item adjusted after a cancellation: Kill Bill's
    item adjustment, up to what is left of the item).

    Raises:
        ArgumentTypeError: ``amount`` is not a Money.
        CurrencyMismatchError: ``amount`` is in another currency.
        InvalidAmountError: ``amount`` is not above zero, or more than
            what is left of what was billed for the period.
        BilledMomentError: ``at`` is before what is already billed.
    """
    if not isinstance(amount, Money):
        raise ArgumentTypeError("amount", amount, "a Money")
    require_bool("refund", refund)
    if not isinstance(note, str) or not note:
        raise ArgumentTypeError("note", note, "a non-empty str")
    zero = Money.zero(state.currency)
    left = state.paid - state.returned
    if amount <= zero or amount > left:  # the comparison checks the currency
        raise InvalidAmountError(
            amount,
            f"a credit must be above zero and at most the {left} left of "
            f"the {state.paid} billed for the period",
        )
    moment = to_utc(require_aware("credit moment", at))
    first = max(state.window_start, state.period_from, key=to_utc)
    if state.ended:  # after the end: against the last period billed
        first = state.window_start
    if moment < to_utc(first):
        raise BilledMomentError("the credit at", at, first)
    end = state.period.end
    if state.ends_at is not None:
        end = min(end, state.ends_at, key=to_utc)
    if not (state.ended or moment < to_utc(end)):
        raise OutsidePeriodError("credit moment", at, first, end)
    line = InvoiceLine(
        kind=InvoiceLineKind.CREDIT_NOTE,
        description=note,
        amount=-amount,
        start=at,
        end=state.period.end,
        calculation=f"{amount} of the {state.paid} billed for the period",
        # Against what the plan was billed: it reverses the plan's tax too.
        taxes=state.plan.taxes,
    )
    handling = (
        CreditHandling.REFUND if refund else CreditHandling.CARRY_FORWARD
    )
    invoice = settle_for(state, (line,), at, at, handling)
    return replace(
        state,
        credit_balance=invoice.credit_balance_after,
        prepaid_balance=invoice.prepaid_balance_after,
        returned=state.returned + amount,
        issued=(*state.issued, invoice),
    ), invoice


# -- the end -----------------------------------------------------------------


def cancel_credit(state: SubscriptionState, credit: object) -> CancelCredit:
    if credit is None:
        return state.policy.cancel_credit
    try:
        return CancelCredit(credit)  # type: ignore[arg-type]
    except ValueError:
        raise InvalidPolicyError(
            "credit", credit, [c.value for c in CancelCredit]
        ) from None


def chosen_moment(
    state: SubscriptionState, at: datetime | None, *, at_period_end: bool
) -> datetime:
    """``at``, or the period's end with ``at_period_end``: exactly one.

    Raises:
        ArgumentTypeError: Both, or neither.
    """
    if at_period_end:
        if at is not None:
            raise ArgumentTypeError(
                "at", at, "None with at_period_end=True (pass one of them)"
            )
        return state.period.end
    if at is None:
        raise ArgumentTypeError(
            "at", at, "a datetime, or pass at_period_end=True"
        )
    return at


def end_moment(
    state: SubscriptionState, at: datetime | None, *, at_period_end: bool
) -> datetime:
    """When a cancellation ends the subscription; not before what is billed.

    Raises:
        ArgumentTypeError: Both or neither of ``at`` and ``at_period_end``.
        BilledMomentError: ``at`` is before what is already billed.
    """
    at = chosen_moment(state, at, at_period_end=at_period_end)
    if at_period_end:
        return at
    moment = to_utc(require_aware("cancellation moment", at))
    latest = billed_to(state)
    if moment < to_utc(latest):
        raise BilledMomentError("the cancellation at", at, latest)
    return at


def billed_to(state: SubscriptionState) -> datetime:
    """The earliest moment a change may take: none is before it.

    The start of the current period (billed in advance already), what is
    already invoiced, and the last change of plan or quantity.
    """
    return max(
        (
            state.window_start,
            state.period_from,
            *(c[-1].at for c in (state.changes, state.quantity_changes) if c),
        ),
        key=to_utc,
    )


def cancel_reason(state: SubscriptionState, mode: CancelCredit) -> str:
    """What the end does with the unused time, in words."""
    if state.in_trial:
        return "during the free trial: nothing is billed"
    if state.policy.timing is BillingTiming.IN_ARREARS:
        return "billed in arrears: the time used is billed at the end"
    reason = {
        CancelCredit.CREDIT: "the unused time is credited to the balance",
        CancelCredit.REFUND: "the unused time is refunded",
        CancelCredit.NONE: "the unused time is not returned",
        CancelCredit.FULL: "the whole period is credited to the balance",
        CancelCredit.FULL_REFUND: "the whole period is refunded",
    }[mode]
    final = state.policy.final_balance
    if final is not FinalBalance.KEEP:
        reason += f", then the balance left is {final.value}ed"
    return reason


def final_invoice(
    state: SubscriptionState, end: Cancellation
) -> tuple[Invoice, Money]:
    """The last invoice (the balance settled) and what it returns."""
    lines, returned = final_lines(state, end.at, end.credit)
    handling = CreditHandling.REFUND if end.credit.refunds else None
    invoice = settle_for(state, lines, end.at, end.at, handling)
    return close_balance(invoice, state.policy.final_balance), returned


def ended_state(
    state: State, end: datetime, final: Invoice, returned: Money
) -> State:
    """The state once the final invoice is issued: nothing left to bill.

    ``returned``, what the end returned, counts against what a credit
    issued after it may return of the last period.
    """
    return replace(
        state,
        returned=state.returned + returned,
        window_start=end,
        usage=(),
        deferred=(),
        pending_change=None,
        credit_balance=final.credit_balance_after,
        prepaid_balance=final.prepaid_balance_after,
    )


def final_lines(
    state: SubscriptionState,
    at: datetime,
    credit: CancelCredit,
    *,
    ending: bool = True,
) -> tuple[list[InvoiceLine], Money]:
    """The lines of a subscription's last invoice, when it ends at ``at``.

    In advance: the deferred lines, then (unless ``credit`` is none) the
    unused time of the plan and add-ons, capped at what was billed for the
    period less the time used and what was returned against it already; in
    arrears: the time used. Then the period's one-time charges with
    credit-back, credited in full, and the overage before ``at``; a
    minimum's true-up to the end of use (a day's end under a
    ``cancel_change_day``), of the fees billed, not the credits (Lago's
    ``CalculateTrueUpFeeService``, ``CalculateProratedCoefficientService``).
    Also
    returns what the end returns: the unused time after the cap, and the
    charges credited back.
    """
    zero = Money.zero(state.currency)
    # A pause (``ending`` False) returns time, not one-time charges.
    back = _credited_back(state, at) if ending else []
    if state.in_trial:  # nothing is billed for a trial's time
        back = [*_trial_returned(state, at, credit, ending=ending), *back]
        returned = -sum((line.amount for line in back), zero)
        return [*state.deferred, *back], returned
    used_to = _end_of_use(state, at)
    if state.policy.timing is BillingTiming.IN_ARREARS:
        closing = [
            *used_time(state, used_to, _ending_policy(state)),
            *overage_before(state, at),
        ]
        return [
            *state.deferred,
            *closing,
            *(true_up_lines(state, closing, used_to) if ending else ()),
            *back,
        ], -sum((line.amount for line in back), zero)
    lines = [*state.deferred]
    returning: list[InvoiceLine] = []
    cut = state.cancellation is not None and state.cancellation.billed_to_end
    if (
        credit is not CancelCredit.NONE
        and not cut  # billed up to the end: nothing after it to return
        and to_utc(at) < to_utc(state.period.end)
    ):
        policy, end = _ending_policy(state), used_to
        if credit.whole:  # from the period's billed start, none of it used
            end = state.period_from
        if to_utc(end) < to_utc(state.period.end):  # a day's end may close it
            unused = _unused(state, end, policy, ending=ending)
            returning = discounted(state, bill_lines(unused, policy))
            returning.extend(_capped(state, at, returning, credit.whole))
    overage = overage_before(state, at)
    lines.extend([*returning, *overage])
    if ending:  # a credit note is no fee: the commitment counts fees only
        lines.extend(true_up_lines(state, overage, used_to))
    lines.extend(back)
    returning.extend(back)
    return lines, -sum((line.amount for line in returning), zero)


def _trial_returned(
    state: SubscriptionState,
    at: datetime,
    credit: CancelCredit,
    *,
    ending: bool,
) -> list[InvoiceLine]:
    """The unused time of add-ons billed in a trial (``TrialScope.PLAN``).

    Raises:
        TrialError: A full credit, which a trial's add-ons do not take.
    """
    if not (ending and state.items and billed_in_trial(state)):
        return []
    if credit is CancelCredit.NONE:
        return []
    if credit.whole:
        raise TrialError(
            "the add-ons billed in the trial return their unused time; "
            "cancel with credit='credit' or 'refund', not a full credit"
        )
    unused = trial_lines(state, LineKind.UNUSED_TIME, state.items, at)
    return discounted(state, unused)


def _credited_back(
    state: SubscriptionState, at: datetime
) -> list[InvoiceLine]:
    """The period's one-time charges with credit-back, credited in full.

    Less the discounts they were billed with (a setup fee's), reversed.
    Beside the cap: they are not time.
    """
    back: list[InvoiceLine] = []
    returned = False
    for line in state.one_time:
        if line.kind is not InvoiceLineKind.DISCOUNT:
            charge = line.product
            returned = isinstance(charge, Charge) and charge.credit_back
            if isinstance(charge, Charge) and returned:
                back.extend(one_time_lines([charge], at, back=True))
        elif returned:
            back.append(
                replace(
                    line,
                    description=f"{line.description}, reversed",
                    calculation=f"{line.calculation}, reversed",
                    amount=-line.amount,
                    start=at,
                    end=at,
                    exact=None if line.exact is None else -line.exact,
                )
            )
    return back


def _ending_policy(state: SubscriptionState) -> ProrationPolicy:
    """The proration an end prices under: credits prorated, always."""
    return replace(state.policy.proration, credit=Treatment.PRORATED)


def _end_of_use(state: SubscriptionState, at: datetime) -> datetime:
    """Where the time used stops when the subscription ends at ``at``.

    At ``at``; under a day basis with a ``cancel_change_day``, at a day's
    start: the day after the end's when the day of the end is the old
    plan's (or both's), so its date is used even when the end falls at its
    start (Lago bills a termination's date, lago-api terminate_manually_
    spec: terminated on 21 February, "7 unused days", 22 to 28); that
    day's own start when it is the new plan's. Only the end moves: the
    days the period, or a change, started on count as they always do.
    """
    day = state.policy.cancel_change_day
    if day is None or not state.policy.proration.counts_days:
        return at
    period = state.period
    moved = day_boundary(period, at, after=day is not ChangeDay.NEW_PLAN)
    # Never before what the period already holds: the last change, or the
    # start of what is not yet invoiced.
    floor = max(
        (
            state.window_start,
            state.period_from,
            *(c.at for c in state.changes[-1:]),
        ),
        key=to_utc,
    )
    if to_utc(moved) < to_utc(floor):
        return max(at, floor, key=to_utc)
    return moved


def _unused(
    state: SubscriptionState,
    at: datetime,
    policy: ProrationPolicy,
    *,
    ending: bool,
) -> list[ProrationLine]:
    """The plan's and the add-ons' unused time from ``at``.

    The plan's as a change at ``at`` would credit it: under
    ``CreditBasis.PAID`` a share of what was billed for it, through the
    period's walk; the add-ons' at their list price, unless an end
    returns the plan's alone (``CancelScope.PLAN``).
    """
    period = state.period
    alone = ending and state.policy.cancel_scope is CancelScope.PLAN
    lines = price_all(
        LineKind.UNUSED_TIME,
        state.plan,
        () if alone else state.items,
        at,
        period.end,
        period=period,
        policy=policy,
    )
    if policy.credit_basis is CreditBasis.PAID:
        stay = PlanChange(state.plan, state.plan, at=at)
        lines[0] = current_walk(state).step(stay, period, policy)[0].unused
    return lines


def _capped(
    state: SubscriptionState,
    at: datetime,
    unused: Sequence[InvoiceLine],
    whole: bool = False,  # noqa: FBT001, FBT002 - the credit's own flag
) -> list[InvoiceLine]:
    """A line taking back what ``unused`` returns beyond what was paid.

    The cap is what was billed for the period, less the time used up to
    ``at`` (priced as billing in arrears would, exactly, rounded down: the
    rounding of the time used and of the time unused never costs the
    customer a minor unit; none when the ``whole`` period is returned, or
    under ``CancelCap.PAID``) and less the credits and refunds already
    issued against the period.
    """
    zero = Money.zero(state.currency)
    credit = -sum((line.amount for line in unused), zero)
    exact = (
        Fraction(0)
        if whole or state.policy.cancel_cap is CancelCap.PAID
        else sum(
            (
                x.precise
                for x in used_time(
                    state, _end_of_use(state, at), _ending_policy(state)
                )
            ),
            Fraction(0),
        )
    )
    scale = SCALES[state.currency]
    used = trusted_units(math.floor(exact * scale), state.currency)
    cap = max(state.paid - used - state.returned, zero)
    return over_cap(
        credit,
        cap,
        (at, state.period.end),
        (
            "Credit capped at what is left of what was paid",
            (
                f"{state.paid} billed for the period - {used} used - "
                f"{state.returned} already returned = {cap}, "
                f"not the {credit} unused"
            ),
        ),
        unused[0].taxes if unused else (),
    )
