"""Billing: the schedule, and the lines a period bills.

:class:`BillingSchedule` derives billing and calculation dates from a cycle
and the policy (``_billing_policy``), so the two cannot disagree. The
lines a subscription bills for whole periods (in advance) and for time in
force (in arrears) are priced here, through the one formula of
``_pricing``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final, Protocol, final

from prorata._add_on import AddOn, Item
from prorata._billing_policy import (
    DEFAULT_BILLING,
    BillingPolicy,
    BillingTiming,
    KnownEnd,
)
from prorata._charges import price_all, signup_lines, used_time_lines
from prorata._commitment import true_up
from prorata._discounting import Billed, discount_lines
from prorata._display import displayed
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
from prorata._period import BillingCycle, require_aware, to_utc
from prorata._plan import Plan, PlanChange
from prorata._pricing import LineKind, ProrationLine
from prorata._resplit import rebills
from prorata._usage import (
    overage_lines,
)
from prorata.errors import (
    ArgumentTypeError,
    DatetimeRangeError,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from prorata._discounting import BilledWith, CouponWindow
    from prorata._money import Money
    from prorata._period import BillingPeriod
    from prorata._plan import Usage
    from prorata._policy import ProrationPolicy

__all__ = [
    "BillingSchedule",
    "closing_lines",
    "discounted",
    "known_end",
    "next_invoice",
    "overage_before",
    "settle_for",
    "true_up_lines",
    "used_time",
]


_DAY: Final = timedelta(days=1)


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class BillingSchedule:
    """Billing dates and calculation dates of a billing cycle.

    Billing dates are the cycle's boundaries: the subscription date and the
    same day of every interval after it. Billed in advance, the first
    invoice falls on the subscription date itself; billed in arrears, one
    interval later. Each invoice is calculated ``calculation_lead`` before
    its billing date and covers the usage since the previous calculation.

    Args:
        cycle: The anchored billing cycle (the anchor is the subscription
            date).
        policy: The billing policy, whose ``timing`` (in advance or in
            arrears) and ``calculation_lead`` the schedule follows.

    >>> from datetime import UTC, datetime, timedelta
    >>> from prorata import BillingCycle, BillingPolicy, MONTHLY
    >>> schedule = BillingSchedule(
    ...     cycle=BillingCycle(datetime(2024, 6, 15, tzinfo=UTC), MONTHLY),
    ...     policy=BillingPolicy(timing="in-arrears",
    ...                          calculation_lead=timedelta(days=3)))
    >>> [d.date().isoformat() for d in schedule.billing_dates(2)]
    ['2024-07-15', '2024-08-15']
    >>> schedule.calculation_date(schedule.billing_date(1)).date()
    datetime.date(2024, 7, 12)
    """

    cycle: BillingCycle
    policy: BillingPolicy = DEFAULT_BILLING

    def __post_init__(self) -> None:
        """Validate the cycle and the policy."""
        if not isinstance(self.cycle, BillingCycle):
            raise ArgumentTypeError("cycle", self.cycle, "a BillingCycle")
        if not isinstance(self.policy, BillingPolicy):
            raise ArgumentTypeError("policy", self.policy, "a BillingPolicy")

    @property
    def timing(self) -> BillingTiming:
        """In advance or in arrears, as the policy says."""
        return self.policy.timing

    @property
    def calculation_lead(self) -> timedelta:
        """How long before a billing date it is calculated (the policy's)."""
        return self.policy.calculation_lead

    @property
    def first_index(self) -> int:
        """The cycle index of the first invoice: 0 in advance, 1 in arrears."""
        return 0 if self.timing is BillingTiming.IN_ADVANCE else 1

    def billing_date(self, index: int) -> datetime:
        """Return the billing date of cycle boundary ``index``."""
        return self.cycle.boundary(index)

    def calculation_date(self, billing_date: datetime) -> datetime:
        """Return when the invoice of ``billing_date`` is calculated.

        Raises:
            NaiveDatetimeError: ``billing_date`` is not an aware datetime.
            DatetimeRangeError: The lead reaches before datetime's range.
        """
        return _calculated(
            require_aware("billing date", billing_date), self.calculation_lead
        )

    def billing_dates(self, count: int) -> list[datetime]:
        """Return the first ``count`` billing dates."""
        if isinstance(count, bool) or not isinstance(count, int):
            raise ArgumentTypeError("count", count, "an int")
        start = self.first_index
        if count > 0:  # the last date first: out of range fails at once
            self.billing_date(start + count - 1)
        return [self.billing_date(k) for k in range(start, start + count)]

    def invoice_index_for(self, moment: datetime) -> int:
        """Return the cycle index of the invoice that covers ``moment``.

        That is the first billing date whose calculation date is after the
        moment: usage three days before a billing date, with a three-day
        lead, rolls to the next invoice.

        Raises:
            NaiveDatetimeError: ``moment`` has no time zone.
        """
        instant = to_utc(require_aware("moment", moment))
        index = max(self.cycle.index_of(moment) + 1, self.first_index)
        if self.calculation_lead > _DAY:
            # Skip the billing dates within the lead at once: no earlier
            # one can be calculated after the moment (a day of slack for
            # the wall-clock subtraction across DST changes).
            try:
                ahead = instant + (self.calculation_lead - _DAY)
            except OverflowError:
                raise DatetimeRangeError("moment + lead", moment) from None
            index = max(index, self.cycle.index_of(ahead))
        while to_utc(self.calculation_date(self.billing_date(index))) <= (
            instant
        ):
            index += 1
        return index


def _calculated(billing_date: datetime, lead: timedelta) -> datetime:
    """When the invoice of ``billing_date`` is calculated: ``lead`` before.

    Raises:
        DatetimeRangeError: The lead reaches before datetime's range.
    """
    if not lead:  # the common case: calculated on the billing date
        return billing_date
    try:
        moment = billing_date - lead
    except OverflowError:
        raise DatetimeRangeError("calculation date", billing_date) from None
    return require_aware("calculation date", moment)


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
    def paid(self) -> Money: ...
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
) -> list[InvoiceLine]:
    """``lines`` with the discount lines of the account's coupons.

    A line billed now is discounted with what ``opened`` (the account as a
    change or a new period leaves it; the account itself by default) has
    in force from the line's start, on its cycle; a credit with what the
    account had in force when the time it returns was billed.
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
    )


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
    """Settle ``lines`` against the account's credit balance.

    A credit beyond the invoice is handled as the policy says, unless
    ``handling`` says otherwise (a refund asked for).
    """
    return settle_checked(
        tuple(lines),
        currency=account.window_plan.currency,
        issued_at=issued,
        calculated_at=calculated,
        credit_balance=account.credit_balance,
        handling=account.policy.credits if handling is None else handling,
        tax_rounding=account.policy.tax_rounding,
        tax_base=account.policy.tax_base,
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


def next_invoice(
    account: Account,
    opening: tuple[Plan, BillingPeriod, BillingCycle] | None = None,
) -> Invoice:
    """The account's next regular invoice, as it stands.

    In advance: the deferred lines and the next period's plan and add-ons
    (``opening``'s plan and period of its cycle, when a change is scheduled
    for the billing date); in arrears: the time each was in force. Then the
    overage before the calculation date, and the credit balance applied.
    """
    policy = account.policy
    upcoming = account.cycle.period(account.next_index)
    billing_date = upcoming.start  # the cycle's boundary of next_index
    calculated = _calculated(billing_date, policy.calculation_lead)
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
        )
        if account.coupons:
            opened_lines = discounted(account, opened_lines, opened)
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
    advance, and changes invoiced) and the ``closing`` lines (time used
    in arrears, unused time credited at an end, overage). The minimum is
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
    line = true_up(held, spent, period=period, policy=account.policy.proration)
    return [] if line is None else [line]


def closing_lines(
    account: Account,
    change: PlanChange,
    cycle: BillingCycle,
    index: int,
) -> tuple[list[InvoiceLine], list[ProrationLine]]:
    """The lines of the invoice a re-anchoring change issues at once.

    In advance: the deferred lines, the old plan's and add-ons' unused
    time, the new plan's first period (``index`` of its ``cycle``), priced
    and discounted on it. In arrears: the time used. Then the overage so
    far, under the old terms. Also returns the unused-time credits.
    """
    items, first = account.items, cycle.period(index)
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
        unused = treated(unused, policy)
        returned = discounted(account, bill_lines(unused, policy))
        closing = [*returned, *overage_before(account, at)]
        lines = [
            *account.deferred,
            *returned,
            *discounted(
                account,
                signup_lines(
                    change.new, items, at, period=first, policy=policy
                ),
                _opened(account, change.new, cycle, at),
            ),
            *closing[len(returned) :],
        ]
    else:
        closing = [*used_time(account, at), *overage_before(account, at)]
        lines = [*account.deferred, *closing]
    return [*lines, *true_up_lines(account, closing, at)], unused
