"""Billing: the lines a period bills.

The lines a subscription bills for whole periods (in advance) and for time
in force (in arrears) are priced here, by the one formula of ``_pricing``;
their dates are ``_billing_schedule``'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Protocol, final

from prorata._add_on import AddOn, Item
from prorata._billing_policy import (
    BillingPolicy,
    BillingTiming,
    FixedCouponBudget,
    KnownEnd,
    ZeroLines,
)
from prorata._billing_schedule import calculated_on
from prorata._charges import price_all, signup_lines, used_time_lines
from prorata._commitment import true_up
from prorata._coupon_windows import budgeted
from prorata._discount import PercentRounding
from prorata._discounting import Billed, discount_lines
from prorata._history import (
    QuantityChange,
    item_segments,
    items_where,
    plan_at,
    segments,
)
from prorata._invoice import CreditHandling, Invoice, settle_checked
from prorata._invoice_lines import (
    InvoiceLine,
    InvoiceLineKind,
    bill_lines,
    treated,
)
from prorata._period import BillingCycle, to_utc
from prorata._plan import Plan, PlanChange
from prorata._pricing import LineKind, ProrationLine
from prorata._resplit import rebills
from prorata._usage import (
    overage_lines,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime
    from fractions import Fraction

    from prorata._coupon_windows import CouponWindow
    from prorata._discounting import BilledWith
    from prorata._money import Money
    from prorata._period import BillingPeriod
    from prorata._plan import Usage
    from prorata._policy import ProrationPolicy

__all__ = [
    "closing_lines",
    "discounted",
    "known_change",
    "known_end",
    "next_invoice",
    "nonzero",
    "overage_before",
    "settle_for",
    "spent_budget",
    "true_up_lines",
    "used_time",
]


_TO_END: Final = KnownEnd.BILL_TO_END


class Holding(Protocol):
    """The products an account holds over time, and the cycle it bills."""

    @property
    def cycle(self) -> BillingCycle: ...
    @property
    def window_plan(self) -> Plan: ...
    @property
    def window_items(self) -> tuple[Item, ...]: ...
    @property
    def changes(self) -> tuple[PlanChange, ...]: ...
    @property
    def quantity_changes(self) -> tuple[QuantityChange, ...]: ...


class Scheduled(Protocol):
    """A change waiting for its moment (``_pending.ScheduledChange``)."""

    @property
    def at(self) -> datetime: ...


class Account(Holding, Protocol):
    """What billing reads off a :class:`~prorata.Subscription`."""

    @property
    def policy(self) -> BillingPolicy: ...
    @property
    def next_index(self) -> int: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def window_start(self) -> datetime: ...
    @property
    def period_from(self) -> datetime: ...
    @property
    def usage(self) -> tuple[Usage, ...]: ...
    @property
    def deferred(self) -> tuple[InvoiceLine, ...]: ...
    @property
    def credit_balance(self) -> Money: ...
    @property
    def prepaid_balance(self) -> Money: ...
    @property
    def paid(self) -> Money: ...
    @property
    def one_time(self) -> tuple[InvoiceLine, ...]: ...
    @property
    def returned(self) -> Money: ...
    @property
    def plan(self) -> Plan: ...
    @property
    def items(self) -> tuple[Item, ...]: ...
    @property
    def period(self) -> BillingPeriod: ...
    @property
    def coupons(self) -> tuple[CouponWindow, ...]: ...
    @property
    def in_trial(self) -> bool: ...
    @property
    def ends_at(self) -> datetime | None: ...
    @property
    def pending_change(self) -> Scheduled | None: ...


@final
@dataclass(frozen=True, slots=True)
class _Opened:
    """What an account holds once a period opens on another plan."""

    cycle: BillingCycle
    window_plan: Plan
    window_items: tuple[Item, ...]
    changes: tuple[PlanChange, ...]
    quantity_changes: tuple[QuantityChange, ...]


def discounted(
    account: Account,
    lines: Sequence[InvoiceLine],
    opened: Holding | None = None,
    *,
    fees_took: list[Fraction] | None = None,
    charges_took: list[Fraction] | None = None,
    budget_took: list[Fraction] | None = None,
) -> list[InvoiceLine]:
    """``lines`` with the discount lines of the account's coupons.

    A line billed now is discounted with what ``opened`` (the account as a
    change or a new period leaves it; the account itself by default) has
    in force from the line's start, on its cycle; a credit with what the
    account had in force when the time it returns was billed. Setup fees
    as the policy's ``setup_fee_discount`` says; ``fees_took`` gets what
    each coupon took from them, ``charges_took`` what each took from the
    one-time charges (``Coupon.one_time_charges``), ``budget_took`` what
    each fixed amount took from the lines billed for a period (to keep
    with :func:`spent_budget`).
    """
    if not account.coupons:
        return list(lines)
    policy = account.policy
    return discount_lines(
        lines,
        account.coupons,
        _billed_with(account, account if opened is None else opened),
        policy.discount_credit,
        policy.proration.rounding,
        split=policy.discount_split,
        stacking=policy.percent_stacking,
        products=policy.coupon_products,
        months=policy.coupon_months,
        setup_fees=policy.setup_fee_discount,
        fees_took=fees_took,
        charges_took=charges_took,
        budget_took=budget_took,
        once=policy.percent_rounding is PercentRounding.PER_INVOICE,
    )


def spent_budget(
    policy: BillingPolicy,
    windows: Sequence[CouponWindow],
    took: Sequence[Fraction],
    end: datetime,
) -> tuple[CouponWindow, ...]:
    """``windows`` once an invoice took ``took`` of their fixed amounts.

    Kept, for the period ending at ``end``, for its later invoices under
    ``FixedCouponBudget.PERIOD`` (Chargebee's); else unchanged.
    """
    if policy.fixed_coupon_budget is not FixedCouponBudget.PERIOD:
        return tuple(windows)
    return budgeted(windows, took, end)


def _billed_with(account: Account, opened: Holding) -> BilledWith:
    """What each line is billed with: now, or (a credit) when it was."""

    def billed(line: InvoiceLine) -> Billed:
        if line.kind is InvoiceLineKind.UNUSED_TIME:
            since = _billed_at(account, line)
            return Billed(account.cycle, *_in_force(account, since), since)
        start = line.start
        return Billed(opened.cycle, *_in_force(opened, start), start)

    return billed


def _in_force(
    holding: Holding, moment: datetime
) -> tuple[Plan, tuple[Item, ...]]:
    """The plan and add-on items ``holding`` has in force at ``moment``."""
    instant = to_utc(moment)
    return (
        plan_at(holding.window_plan, holding.changes, instant),
        items_where(
            holding.window_items,
            holding.quantity_changes,
            lambda change: to_utc(change.at) <= instant,
        ),
    )


def _billed_at(account: Account, line: InvoiceLine) -> datetime:
    """When the time a credit's line returns was billed.

    The period's start, what was invoiced since, or the last change that
    billed its product again (a plan change the plan, a change of its
    quantity an add-on, or a plan change that bills it again, ``rebills``),
    whichever is latest. A change that closes the
    period bills every product anew from a window of its own.
    """
    product = line.product
    if isinstance(product, AddOn):
        moments = [
            change.at
            for change in account.quantity_changes
            if change.add_on.id == product.id
        ] + [
            change.at
            for change in account.changes
            if rebills(account.policy, account.coupons, change, product)
        ]
    else:
        moments = [change.at for change in account.changes]
    return max(
        (account.period_from, account.window_start, *moments), key=to_utc
    )


def settle_for(
    account: Account,
    lines: Sequence[InvoiceLine],
    issued: datetime,
    calculated: datetime,
    handling: CreditHandling | None = None,
) -> Invoice:
    """Settle ``lines`` against the account's credit and prepaid balances.

    A credit beyond the invoice is handled as the policy says, unless
    ``handling`` says otherwise (a refund asked for).
    """
    if account.policy.zero_lines is ZeroLines.DROP:
        lines = nonzero(lines)
    return settle_checked(
        tuple(lines),
        currency=account.window_plan.currency,
        issued_at=issued,
        calculated_at=calculated,
        credit_balance=account.credit_balance,
        prepaid_balance=account.prepaid_balance,
        handling=account.policy.credits if handling is None else handling,
        tax_rounding=account.policy.tax_rounding,
        tax_base=account.policy.tax_base,
        rounding=account.policy.invoice_rounding,
    )


def nonzero(lines: Sequence[InvoiceLine]) -> list[InvoiceLine]:
    """``lines`` without the fees of zero and their discounts of zero.

    A plan's, an add-on's or a one-time charge's line, rounded to zero
    (``ZeroLines.DROP``); usage, commitments and credits stay.
    """
    return [
        line
        for line in lines
        if line.amount.minor_units or line.kind not in _FEES
    ]


_FEES: Final = frozenset(
    {
        InvoiceLineKind.SUBSCRIPTION,
        InvoiceLineKind.REMAINING_TIME,
        InvoiceLineKind.UNUSED_TIME,
        InvoiceLineKind.ONE_TIME,
        InvoiceLineKind.DISCOUNT,
    }
)


def used_time(
    account: Account,
    until: datetime,
    proration: ProrationPolicy | None = None,
) -> list[InvoiceLine]:
    """Each plan and add-on for its time in force, up to ``until``.

    That is what billing in arrears charges for the current period, from
    its start or from what a change already invoiced (``window_start``);
    under ``proration`` when an end measures it its own way.
    """
    period = account.period
    policy = account.policy.proration if proration is None else proration
    first = max(account.period_from, account.window_start, key=to_utc)
    held: list[tuple[Plan | Item, datetime, datetime]] = [
        *segments(account.window_plan, account.changes, first, until),
        *item_segments(
            account.window_items, account.quantity_changes, first, until
        ),
    ]
    lines = used_time_lines(
        held, account.cycle.interval, period=period, policy=policy
    )
    return discounted(account, bill_lines(lines, policy))


def overage_before(account: Account, until: datetime) -> list[InvoiceLine]:
    """Overage of the usage recorded before ``until``."""
    cut = to_utc(until)
    billable = [u for u in account.usage if u.utc_at < cut]
    if not billable:
        return []
    window = segments(
        account.window_plan, account.changes, account.window_start, until
    )
    policy = account.policy
    return overage_lines(
        billable,
        window,
        allowance=policy.allowance,
        overage=policy.overage,
        rounding=policy.proration.rounding,
        period=account.period,
    )


def known_end(
    account: Account, start: datetime, period: BillingPeriod
) -> datetime | None:
    """The end a period billed in advance from ``start`` is billed up to.

    A scheduled end after ``start`` and before the period's end, under
    ``known_end`` ``bill-to-end``; ``None``: the period is billed whole.
    """
    end = account.ends_at
    if end is None or account.policy.known_end is not KnownEnd.BILL_TO_END:
        return None
    inside = to_utc(start) < to_utc(end) < to_utc(period.end)
    return end if inside else None


def known_change(
    account: Account, start: datetime, period: BillingPeriod
) -> datetime | None:
    """The change a period billed in advance from ``start`` bills the plan to.

    Under ``known_end`` ``bill-to-end``, a change scheduled after ``start``
    and before the period's end is a known end of the plan in force (Kill
    Bill's billing event, Zuora's charge segment, ends there): the plan is
    billed up to it, its add-ons, which the change keeps, the whole period.
    ``None``: the plan is billed whole.
    """
    pending = account.pending_change
    if pending is None or account.policy.known_end is not _TO_END:
        return None
    inside = to_utc(start) < to_utc(pending.at) < to_utc(period.end)
    return pending.at if inside else None


def next_invoice(
    account: Account,
    opening: tuple[Plan, BillingPeriod, BillingCycle] | None = None,
    *,
    budget_took: list[Fraction] | None = None,
) -> Invoice:
    """The account's next regular invoice, as it stands.

    In advance: the deferred lines and the next period's plan and add-ons
    (``opening``'s plan and period of its cycle, when a change is scheduled
    for the billing date); in arrears: the time each was in force. Then the
    overage before the calculation date, and the credit balance applied.
    ``budget_took`` (when given) gets what each coupon's fixed amount took
    from the period opened.
    """
    policy = account.policy
    upcoming = account.cycle.period(account.next_index)
    billing_date = upcoming.start  # the cycle's boundary of next_index
    calculated = calculated_on(billing_date, policy.calculation_lead)
    closing = overage_before(account, calculated)
    if policy.timing is BillingTiming.IN_ADVANCE:
        plan = account.plan
        opened: Holding = account
        if opening is not None:
            plan, upcoming, cycle = opening
            opened = _opened(account, plan, cycle, billing_date)
        lines = [*account.deferred]
        opened_lines = signup_lines(
            plan,
            account.items,
            billing_date,
            period=upcoming,
            policy=policy.proration,
            until=known_end(account, billing_date, upcoming),
            plan_until=known_change(account, billing_date, upcoming),
        )
        if account.coupons:
            opened_lines = discounted(
                account, opened_lines, opened, budget_took=budget_took
            )
        lines.extend(opened_lines)
    else:
        # Deferred lines are corrections of backdated records, in arrears.
        closing = [*used_time(account, account.period.end), *closing]
        lines = [*account.deferred]
    lines.extend(closing)
    lines.extend(true_up_lines(account, closing))
    return settle_for(account, lines, billing_date, calculated)


def _opened(
    account: Account, plan: Plan, cycle: BillingCycle, at: datetime
) -> Holding:
    """What ``account`` holds once ``plan`` opens a period of ``cycle``."""
    changes = account.changes
    if plan != account.plan:  # a moved anchor alone changes no plan
        changes = (*changes, PlanChange(account.plan, plan, at=at))
    return _Opened(
        cycle,
        account.window_plan,
        account.window_items,
        changes,
        account.quantity_changes,
    )


def true_up_lines(
    account: Account,
    closing: Sequence[InvoiceLine],
    until: datetime | None = None,
) -> list[InvoiceLine]:
    """The minimum commitment's true-up of the period, up to ``until``.

    What the period was billed is what the account paid for it (in
    advance, and changes invoiced), its one-time charges (less their
    discounts) and the ``closing`` lines (time used in arrears, unused
    time credited at an end, overage): Lago's true-up counts every fee of
    the period, those paid in advance when their events came too. The
    minimum is
    prorated from the period's start (or the subscription's) to ``until``
    (the period's end unless given): a period closed early by a
    cancellation or a re-anchoring is trued up for its part.
    """
    if not account.window_plan.minimum and not [
        change for change in account.changes if change.new.minimum
    ]:
        return []  # no minimum: the common case, decided first
    if account.in_trial:
        return []
    period = account.period
    if until is None:  # the period's end
        until = period.end
    first = account.period_from
    if not account.changes:  # a first period may run to a billing day
        first = max(first, account.window_start, key=to_utc)
    held = segments(account.window_plan, account.changes, first, until)
    spent = sum((line.amount for line in closing), account.paid)
    spent = sum((line.amount for line in account.one_time), spent)
    line = true_up(held, spent, period=period, policy=account.policy.proration)
    return [] if line is None else [line]


def closing_lines(
    account: Account,
    change: PlanChange,
    cycle: BillingCycle,
    index: int,
    opened: Account | None = None,
) -> tuple[list[InvoiceLine], list[ProrationLine]]:
    """The lines of the invoice a re-anchoring change issues at once.

    In advance: the deferred lines, the old plan's and add-ons' unused time,
    the new plan's first period (``index`` of its ``cycle``) with the add-ons
    of ``opened`` (``account``'s by default), priced and discounted on it. In
    arrears: the time used. Then the overage so far, on the old terms; and
    the credits.
    """
    items, first = account.items, cycle.period(index)
    opened = account if opened is None else opened
    unused: list[ProrationLine] = []
    policy, at = account.policy.proration, change.at
    if account.policy.timing is BillingTiming.IN_ADVANCE:
        period = account.period
        unused = price_all(
            LineKind.UNUSED_TIME,
            change.old,
            items,
            at,
            period.end,
            period=period,
            policy=policy,
        )
        # The plan's by the change's own credit; the add-ons move with it.
        unused = [
            *treated(unused[:1], policy, change.credit),
            *treated(unused[1:], policy),
        ]
        returned = discounted(account, bill_lines(unused, policy))
        closing = [*returned, *overage_before(account, at)]
        lines = [
            *account.deferred,
            *returned,
            *discounted(
                account,
                signup_lines(
                    change.new, opened.items, at, period=first, policy=policy
                ),
                _opened(opened, change.new, cycle, at),
            ),
            *closing[len(returned) :],
        ]
    else:
        closing = [*used_time(account, at), *overage_before(account, at)]
        lines = [*account.deferred, *closing]
    return [*lines, *true_up_lines(account, closing, at)], unused
