"""A change that closes the old plan's period and opens a new one there.

A re-anchoring change (a new interval, ``billing_anchor="now"``, or the
billing day moved) settles the old plan's time on an invoice issued at once
and opens the new plan's first period on it; under the policy's
``billing_anchor`` ``now`` a change of an add-on's quantity does the same,
the new quantities opening the period. The cap on what such a change may
credit is here too, shared with the changes billed without a restart.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from prorata._alignment import own_day
from prorata._anchoring import held_day, kept_anchor
from prorata._billing import closing_lines, settle_for
from prorata._billing_policy import BillingTiming
from prorata._discounting import credited, period_billed
from prorata._invoice_lines import InvoiceLineKind, over_cap
from prorata._money import Money
from prorata._period import BillingCycle, to_utc
from prorata._state import fresh

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from prorata._invoice import Invoice
    from prorata._invoice_lines import InvoiceLine
    from prorata._plan import PlanChange
    from prorata._pricing import ProrationLine
    from prorata._state import State, SubscriptionState

__all__ = ["capped", "reopened"]


def capped(
    state: SubscriptionState, lines: Sequence[InvoiceLine], at: datetime
) -> list[InvoiceLine]:
    """A line taking back what a change credits beyond what is left to.

    A credit never exceeds what was billed for the period less the credits
    already issued against it (``paid`` is net of the earlier changes'
    credits; ``returned`` holds the credit notes): the part over is
    reported as a ``CREDIT_CAP`` line, not dropped.
    """
    zero = Money.zero(state.currency)
    credit = -credited(lines, zero)
    cap = max(state.paid - state.returned, zero)
    first = next((x for x in lines if x.kind is _UNUSED), None)
    return over_cap(
        credit,
        cap,
        (at, state.period.end),
        (
            "Credit capped at what is left of what was billed",
            (
                f"{state.paid} billed for the period - {state.returned} "
                f"already credited = {cap}, not the {credit} of unused time; "
                f"{credit - cap} over the cap"
            ),
        ),
        () if first is None else first.taxes,
    )


_UNUSED = InvoiceLineKind.UNUSED_TIME


def reopened(
    state: State,
    change: PlanChange,
    *,
    restart: bool,
    day: int | None = None,
    opened: State | None = None,
) -> tuple[State, Invoice, list[ProrationLine]]:
    """Close the old plan at the change and open the new one there.

    With ``restart``, a new billing cycle anchored at the change; without,
    the new plan's interval from the same anchor (the billing day kept, or
    ``day``, ``ChangeOptions.billing_day``, or a yearly plan's own,
    ``_alignment.own_day``, the account's then held), its first invoice
    billing the time to the next billing date.

    The old plan's time (and its add-ons') up to the change is settled
    on an invoice issued at once: billed in advance, the unused time is
    credited (as the proration's ``credit`` says); billed in arrears, the
    used time is charged. Overage so far is billed under the old terms.
    The new plan and the add-ons of ``opened`` (``state`` by default; a
    quantity change's state with it recorded) start a new billing cycle
    anchored at the change; billed in advance, their first period is on
    the same invoice, so the credit is "applied toward the amount due for
    the new annual plan", and what the credit exceeds becomes credit
    balance. Returns the state after, the invoice and the unused-time
    credits.
    """
    new, at = change.new, change.at
    rule = state.policy.proration.anchor_reset
    base = state.cycle.anchor if state.day_anchor is None else state.day_anchor
    own = own_day(state, new.interval) if day is None else None
    kept = kept_anchor(
        base, at, new.interval, rule, day if own is None else own
    )
    cycle = BillingCycle(at if restart else kept, new.interval)
    held = held_day(base, None, new.interval, rule) if own is None else base
    held = None if restart else held
    index = 0 if restart else cycle.index_of(at)
    items = (state if opened is None else opened).items
    lines, unused = closing_lines(state, change, cycle, index, opened)
    # The deferred lines' credits are in ``paid`` already.
    lines.extend(capped(state, lines[len(state.deferred) :], at))
    invoice = settle_for(state, lines, at, at)
    paid = Money.zero(state.currency)
    if state.policy.timing is BillingTiming.IN_ADVANCE:
        paid = period_billed(
            invoice.lines[len(state.deferred) :], state.currency
        )
    reset = replace(
        state,
        cycle=cycle,
        next_index=index + 1,
        window_start=at,
        window_plan=new,
        window_items=items,
        changes=(),
        quantity_changes=(),
        walk=None,
        usage=tuple(u for u in state.usage if u.utc_at >= to_utc(at)),
        deferred=(),
        credit_balance=invoice.credit_balance_after,
        prepaid_balance=invoice.prepaid_balance_after,
        paid=paid,
        returned=Money.zero(state.currency),
        pending_change=None,
        stub=None,
        opened_at=None,
        day_anchor=held,
        peaks=(),
        one_time=(),
    )
    return fresh(reset), invoice, unused
