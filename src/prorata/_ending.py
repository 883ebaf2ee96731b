"""The end of a subscription: the final invoice, credits, what is returned.

A subscription that ends is billed a final invoice (:func:`final_invoice`):
what is still due, and, billed in advance, the unused time returned as the
cancellation says. What is returned is capped by the period's ledger: what
was billed for it (``paid``), less the time used, less what was already
returned against it (``returned``, which :func:`issue_credit` adds to).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Final, final

from prorata._billing import BillingTiming, overage_before, used_time
from prorata._charges import price_all
from prorata._invoice import (
    CancelCredit,
    CreditHandling,
    Invoice,
    InvoiceLine,
    InvoiceLineKind,
    bill_lines,
    close_balance,
    settle_checked,
)
from prorata._money import Money
from prorata._period import require_aware, to_utc
from prorata._policy import Treatment
from prorata._pricing import LineKind
from prorata._state import Cancellation, State, SubscriptionState, check_open
from prorata.errors import (
    ArgumentTypeError,
    BilledMomentError,
    InvalidAmountError,
    InvalidPolicyError,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "RETURNS",
    "CancelOutcome",
    "bills",
    "cancel_credit",
    "cancel_reason",
    "end_moment",
    "ended_state",
    "final_invoice",
    "issue_credit",
]

#: The lines of a final invoice that return unused time (after the cap).
RETURNS: Final = (InvoiceLineKind.UNUSED_TIME, InvoiceLineKind.CREDIT_CAP)


def bills(invoice: Invoice) -> bool:
    """Whether an invoice bills anything: a line, a refund, a forfeit."""
    return bool(invoice.lines or invoice.refund or invoice.forfeited)


@final
@dataclass(frozen=True, slots=True, kw_only=True)
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

    Raises:
        SubscriptionEndedError: The subscription has ended.
        ArgumentTypeError: ``amount`` is not a Money.
        CurrencyMismatchError: ``amount`` is in another currency.
        InvalidAmountError: ``amount`` is not above zero, or more than
            what is left of what was billed for the period.
        BilledMomentError: ``at`` is before what is already billed.
    """
    check_open(state, "issue a credit")
    if not isinstance(amount, Money):
        raise ArgumentTypeError("amount", amount, "a Money")
    zero = Money.zero(state.currency)
    left = state.paid - state.returned
    if amount <= zero or amount > left:  # the comparison checks the currency
        raise InvalidAmountError(
            amount,
            f"a credit must be above zero and at most the {left} left of "
            f"the {state.paid} billed for the period",
        )
    if to_utc(require_aware("credit moment", at)) < to_utc(state.window_start):
        raise BilledMomentError("the credit at", at, state.window_start)
    line = InvoiceLine(
        kind=InvoiceLineKind.CREDIT_NOTE,
        description=note,
        amount=-amount,
        start=at,
        end=state.period.end,
        calculation=f"{amount} of the {state.paid} billed for the period",
    )
    invoice = settle_checked(
        (line,),
        currency=state.currency,
        issued_at=at,
        calculated_at=at,
        credit_balance=state.credit_balance,
        handling=(
            CreditHandling.REFUND if refund else CreditHandling.CARRY_FORWARD
        ),
    )
    return replace(
        state,
        credit_balance=invoice.credit_balance_after,
        returned=state.returned + amount,
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


def end_moment(
    state: SubscriptionState, at: datetime | None, *, at_period_end: bool
) -> datetime:
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
    moment = to_utc(require_aware("cancellation moment", at))
    latest = max(
        (
            state.window_start,
            state.started_at,
            *(c[-1].at for c in (state.changes, state.quantity_changes) if c),
        ),
        key=to_utc,
    )
    if moment < to_utc(latest):
        raise BilledMomentError("the cancellation at", at, latest)
    return at


def cancel_reason(mode: CancelCredit) -> str:
    return {
        CancelCredit.CREDIT: "the unused time is credited to the balance",
        CancelCredit.REFUND: "the unused time is refunded",
        CancelCredit.NONE: "the unused time is not returned",
    }[mode]


def final_invoice(state: SubscriptionState, end: Cancellation) -> Invoice:
    """The last invoice: the lines due at the end, the balance settled."""
    lines = final_lines(state, end.at, end.credit)
    handling = (
        CreditHandling.REFUND
        if end.credit is CancelCredit.REFUND
        else state.policy.credits
    )
    invoice = settle_checked(
        tuple(lines),
        currency=state.currency,
        issued_at=end.at,
        calculated_at=end.at,
        credit_balance=state.credit_balance,
        handling=handling,
    )
    return close_balance(invoice, state.policy.final_balance)


def ended_state(state: State, end: datetime, final: Invoice) -> State:
    """The state once the final invoice is issued: nothing left to bill."""
    return replace(
        state,
        window_start=end,
        usage=(),
        deferred=(),
        pending_change=None,
        credit_balance=final.credit_balance_after,
    )


def final_lines(
    state: SubscriptionState, at: datetime, credit: CancelCredit
) -> list[InvoiceLine]:
    """The lines of a subscription's last invoice, when it ends at ``at``.

    In advance: the deferred lines, then (unless ``credit`` is none) the
    unused time of the plan and add-ons, capped at what was billed for the
    period less the time used and what was returned against it already; in
    arrears: the time used. Then the overage before ``at``.
    """
    if state.policy.timing is BillingTiming.IN_ARREARS:
        return [*used_time(state, at), *overage_before(state, at)]
    lines = [*state.deferred]
    period = state.period
    if credit is not CancelCredit.NONE and to_utc(at) < to_utc(period.end):
        policy = replace(state.policy.proration, credit=Treatment.PRORATED)
        unused = bill_lines(
            price_all(
                LineKind.UNUSED_TIME,
                state.plan,
                state.items,
                at,
                period.end,
                period=period,
                policy=policy,
            ),
            policy,
        )
        lines.extend(unused)
        lines.extend(_capped(state, at, unused))
    lines.extend(overage_before(state, at))
    return lines


def _capped(
    state: SubscriptionState, at: datetime, unused: Sequence[InvoiceLine]
) -> list[InvoiceLine]:
    """A line taking back what ``unused`` returns beyond what was paid.

    The cap is what was billed for the period, less the time used up to
    ``at`` (priced as billing in arrears would) and less the credits and
    refunds already issued against the period.
    """
    zero = Money.zero(state.currency)
    credit = -sum((line.amount for line in unused), zero)
    used = sum((line.amount for line in used_time(state, at)), zero)
    cap = max(state.paid - used - state.returned, zero)
    if credit <= cap:
        return []
    return [
        InvoiceLine(
            kind=InvoiceLineKind.CREDIT_CAP,
            description="Credit capped at what is left of what was paid",
            amount=credit - cap,
            start=at,
            end=state.period.end,
            calculation=(
                f"{state.paid} billed for the period - {used} used - "
                f"{state.returned} already returned = {cap}, "
                f"not the {credit} unused"
            ),
        )
    ]
