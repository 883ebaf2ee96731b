"""Billing: the policy, the schedule, and the lines a period bills.

:class:`BillingPolicy` holds every billing option; :class:`BillingSchedule`
derives billing and calculation dates from a cycle and that policy, so the
two cannot disagree. The lines a subscription bills for whole periods (in
advance) and for time in force (in arrears) are priced here, through the
one formula of ``_pricing``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Final, Literal, Protocol, TypeAlias, final

from prorata._charges import price_all, used_time_lines, whole_periods
from prorata._history import QuantityChange, item_segments, segments
from prorata._invoice import (
    CancelCredit,
    CancelCreditName,
    CreditHandling,
    CreditHandlingName,
    FinalBalance,
    FinalBalanceName,
    Invoice,
    InvoiceLine,
    bill_lines,
    settle_checked,
    treated,
)
from prorata._money import Money
from prorata._period import BillingCycle, require_aware, to_utc
from prorata._policy import DEFAULT_POLICY, ProrationPolicy, coerce_options
from prorata._pricing import LineKind, ProrationLine
from prorata._tax import TaxBase, TaxRounding
from prorata._usage import (
    AllowanceProration,
    AllowanceProrationName,
    OverageBilling,
    OverageBillingName,
    overage_lines,
)
from prorata.errors import (
    ArgumentTypeError,
    DatetimeRangeError,
    InvalidPolicyError,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from prorata._add_on import Item
    from prorata._period import BillingPeriod
    from prorata._plan import Plan, PlanChange, Usage
    from prorata._tax import TaxBaseName, TaxRoundingName

__all__ = [
    "BillingPolicy",
    "BillingSchedule",
    "BillingTiming",
    "BillingTimingName",
    "ChangeBilling",
    "ChangeBillingName",
    "PauseMode",
    "PauseModeName",
    "closing_lines",
    "next_invoice",
    "overage_before",
    "settle_for",
    "used_time",
]


class BillingTiming(StrEnum):
    """When a plan's price for a period is billed."""

    IN_ADVANCE = "in-advance"
    """At the start of each period ("plans are always paid for in advance",
    hosting page); the first period is billed at sign-up. The default."""

    IN_ARREARS = "in-arrears"
    """At the end of each period, for the time each plan was in force
    ("you are not billed at signup", "billed on your actual usage", SaaS
    page ``000_9f3ea20e269377cb.txt``)."""


class ChangeBilling(StrEnum):
    """When the charges, or the credits, of a plan change are billed."""

    NEXT_INVOICE = "next-invoice"
    """On the next regular invoice (Stripe's ``create_prorations``). The
    default."""
    INVOICE_NOW = "invoice-now"
    """On an invoice issued at the change (Stripe's ``always_invoice``;
    Paddle's ``*_immediately``)."""
    NEVER = "never"
    """Not at all: the lines are computed and shown, never billed (a
    merchant that gives no credit for downgrades)."""


class PauseMode(StrEnum):
    """What a pause does with the time paid in advance."""

    KEEP_PAID_TIME = "keep-paid-time"
    """The unused part of the paid period continues after the resume: the
    billing date moves by the paused length. The default."""
    CREDIT_AND_RESTART = "credit-and-restart"
    """The unused time is credited at the pause, and the resume starts a
    new period, billed then."""


# tests/test_api.py keeps each option alias the same as its enum.
#: The values of :class:`PauseMode`, accepted as plain strings.
PauseModeName: TypeAlias = Literal["keep-paid-time", "credit-and-restart"]
#: The values of :class:`BillingTiming`, accepted as plain strings.
BillingTimingName: TypeAlias = Literal["in-advance", "in-arrears"]
#: The values of :class:`ChangeBilling`, accepted as plain strings.
ChangeBillingName: TypeAlias = Literal["next-invoice", "invoice-now", "never"]


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class BillingPolicy:
    """How a subscription is billed; every option has a default.

    Args:
        proration: How plan changes are prorated.
        timing: Bill each period in advance (default) or in arrears.
        charge_now_above: A change whose net exceeds this amount is
            invoiced at once, charges and credits together; one at or below
            it is billed as ``charge_billing`` and ``credit_billing`` say
            (the hosting page's $100). ``None``, the default: no threshold.
        charge_billing: When a change's charges are billed: on the next
            invoice (default), at once, or never. Merchants often charge
            upgrades at once but settle credits only at renewal.
        credit_billing: When a change's credits are billed; likewise.
        credits: Carry a credit larger than its invoice forward as credit
            balance (default), or refund it.
        allowance: Whether a partial plan segment gets its plan's whole
            allowance (default) or a prorated share.
        overage: Price overage per started block (default) or pro rata.
        calculation_lead: How long before each billing date the invoice is
            calculated (the SaaS page's "three (3) days before"); usage after
            the calculation date goes on the next invoice. Zero by default.
        used_time_billing: Billed in arrears, when a change bills the time
            used so far: on the next invoice (default), or on an invoice
            issued at the change (Kill Bill's ``IMMEDIATE`` changes).
        cancel_credit: What a cancellation returns for unused time paid in
            advance: a credit to the balance (default), a refund, or none.
        final_balance: What a subscription's final invoice does with the
            credit balance left: keep it (default), refund it, forfeit it.
        max_trial: The longest free trial a subscription may start with
            (or be extended to); ``None``, the default: no limit.
        pause_mode: What a pause does with the time paid in advance.
        tax_rounding: Round tax on each line (default) or once per rate
            per invoice.
        tax_base: Apply tax rates to each line as rounded (default) or to
            its exact amount, the taxed total rounded once.
        backdating_limit: How far before what is already billed a change,
            usage or cancellation may be dated; its corrections go on the
            next invoice. Each subscription keeps the billed windows of
            that long. 92 days by default; ``None`` keeps none and refuses
            every backdated record.

    Raises:
        InvalidPolicyError: An option outside its allowed values.

    Invoice a change at once when its net exceeds $50, as the hosting page
    does above $100:

    >>> from prorata import BillingPolicy, Money
    >>> policy = BillingPolicy(charge_now_above=Money("50", "USD"))
    >>> print(policy.charge_now_above, policy.timing, policy.credits)
    $50.00 in-advance carry-forward
    """

    proration: ProrationPolicy = DEFAULT_POLICY
    timing: BillingTiming = BillingTiming.IN_ADVANCE
    charge_now_above: Money | None = None
    charge_billing: ChangeBilling = ChangeBilling.NEXT_INVOICE
    credit_billing: ChangeBilling = ChangeBilling.NEXT_INVOICE
    credits: CreditHandling = CreditHandling.CARRY_FORWARD
    allowance: AllowanceProration = AllowanceProration.FULL
    overage: OverageBilling = OverageBilling.PER_STARTED_BLOCK
    calculation_lead: timedelta = timedelta(0)
    used_time_billing: ChangeBilling = ChangeBilling.NEXT_INVOICE
    cancel_credit: CancelCredit = CancelCredit.CREDIT
    final_balance: FinalBalance = FinalBalance.KEEP
    max_trial: timedelta | None = None
    pause_mode: PauseMode = PauseMode.KEEP_PAID_TIME
    backdating_limit: timedelta | None = timedelta(days=92)
    tax_rounding: TaxRounding = TaxRounding.PER_LINE
    tax_base: TaxBase = TaxBase.ROUNDED

    if TYPE_CHECKING:
        # Type checkers see this __init__, with each option also as its
        # plain string, while the fields stay typed as the enums; at run
        # time dataclass generates the real one. Why this pattern: see
        # ProrationPolicy.__init__ in _policy.py. Keep the names, order and
        # defaults the fields' (tests/test_api.py checks them).
        def __init__(
            self,
            *,
            proration: ProrationPolicy = DEFAULT_POLICY,
            timing: BillingTiming | BillingTimingName = (
                BillingTiming.IN_ADVANCE
            ),
            charge_now_above: Money | None = None,
            charge_billing: ChangeBilling | ChangeBillingName = (
                ChangeBilling.NEXT_INVOICE
            ),
            credit_billing: ChangeBilling | ChangeBillingName = (
                ChangeBilling.NEXT_INVOICE
            ),
            credits: CreditHandling | CreditHandlingName = (  # noqa: A002
                CreditHandling.CARRY_FORWARD
            ),
            allowance: AllowanceProration | AllowanceProrationName = (
                AllowanceProration.FULL
            ),
            overage: OverageBilling | OverageBillingName = (
                OverageBilling.PER_STARTED_BLOCK
            ),
            calculation_lead: timedelta = timedelta(0),
            used_time_billing: ChangeBilling | ChangeBillingName = (
                ChangeBilling.NEXT_INVOICE
            ),
            cancel_credit: CancelCredit | CancelCreditName = (
                CancelCredit.CREDIT
            ),
            final_balance: FinalBalance | FinalBalanceName = (
                FinalBalance.KEEP
            ),
            max_trial: timedelta | None = None,
            pause_mode: PauseMode | PauseModeName = PauseMode.KEEP_PAID_TIME,
            backdating_limit: timedelta | None = timedelta(days=92),
            tax_rounding: TaxRounding | TaxRoundingName = (
                TaxRounding.PER_LINE
            ),
            tax_base: TaxBase | TaxBaseName = TaxBase.ROUNDED,
        ) -> None:
            """Build a billing policy from enum members or their strings."""

    def __post_init__(self) -> None:
        """Validate the options; turn option strings into enum members."""
        if not isinstance(self.proration, ProrationPolicy):
            raise ArgumentTypeError(
                "proration", self.proration, "a ProrationPolicy"
            )
        coerce_options(
            self,
            (
                ("timing", BillingTiming),
                ("charge_billing", ChangeBilling),
                ("credit_billing", ChangeBilling),
                ("credits", CreditHandling),
                ("allowance", AllowanceProration),
                ("overage", OverageBilling),
                ("cancel_credit", CancelCredit),
                ("final_balance", FinalBalance),
                ("pause_mode", PauseMode),
                ("tax_rounding", TaxRounding),
                ("tax_base", TaxBase),
            ),
        )
        for name in ("max_trial", "backdating_limit"):
            longest = getattr(self, name)
            if longest is not None and (
                not isinstance(longest, timedelta) or longest <= timedelta(0)
            ):
                raise InvalidPolicyError(
                    name, longest, ["None", "a timedelta above zero"]
                )
        _check_used_time_billing(self)
        threshold = self.charge_now_above
        if threshold is not None and (
            not isinstance(threshold, Money) or threshold.amount < 0
        ):
            raise InvalidPolicyError(
                "charge_now_above",
                threshold,
                ["None", "a Money of zero or more, e.g. Money('100', 'USD')"],
            )
        _check_lead(self.calculation_lead)


_DAY: Final = timedelta(days=1)


def _check_used_time_billing(policy: BillingPolicy) -> None:
    """Coerce ``used_time_billing``: on the next invoice, or at once."""
    allowed = (ChangeBilling.NEXT_INVOICE, ChangeBilling.INVOICE_NOW)
    value = policy.used_time_billing
    if value not in allowed:
        raise InvalidPolicyError(
            "used_time_billing", value, [b.value for b in allowed]
        )
    object.__setattr__(policy, "used_time_billing", ChangeBilling(value))


def _check_lead(lead: object) -> None:
    if not isinstance(lead, timedelta) or lead < timedelta(0):
        raise InvalidPolicyError(
            "calculation_lead", lead, ["a timedelta of zero or more"]
        )


_DEFAULT_BILLING: Final = BillingPolicy()


@final
@dataclass(frozen=True, slots=True, kw_only=True)
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
    policy: BillingPolicy = _DEFAULT_BILLING

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
    try:
        moment = billing_date - lead
    except OverflowError:
        raise DatetimeRangeError("calculation date", billing_date) from None
    return require_aware("calculation date", moment)


class Account(Protocol):
    """What billing reads off a :class:`~prorata.Subscription`."""

    @property
    def policy(self) -> BillingPolicy: ...
    @property
    def cycle(self) -> BillingCycle: ...
    @property
    def next_index(self) -> int: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def window_start(self) -> datetime: ...
    @property
    def window_plan(self) -> Plan: ...
    @property
    def window_items(self) -> tuple[Item, ...]: ...
    @property
    def changes(self) -> tuple[PlanChange, ...]: ...
    @property
    def quantity_changes(self) -> tuple[QuantityChange, ...]: ...
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


def settle_for(
    account: Account,
    lines: Sequence[InvoiceLine],
    issued: datetime,
    calculated: datetime,
) -> Invoice:
    """Settle ``lines`` against the account's credit balance."""
    return settle_checked(
        tuple(lines),
        currency=account.window_plan.currency,
        issued_at=issued,
        calculated_at=calculated,
        credit_balance=account.credit_balance,
        handling=account.policy.credits,
        tax_rounding=account.policy.tax_rounding,
        tax_base=account.policy.tax_base,
    )


def used_time(account: Account, until: datetime) -> list[InvoiceLine]:
    """Each plan and add-on for its time in force, up to ``until``.

    That is what billing in arrears charges for the current period, from
    its start or from what a change already invoiced (``window_start``).
    """
    period, policy = account.period, account.policy.proration
    first = max(
        period.start, account.started_at, account.window_start, key=to_utc
    )
    held: list[tuple[Plan | Item, datetime, datetime]] = [
        *segments(account.window_plan, account.changes, first, until),
        *item_segments(
            account.window_items, account.quantity_changes, first, until
        ),
    ]
    lines = used_time_lines(
        held, account.cycle.interval, period=period, policy=policy
    )
    return bill_lines(lines, policy)


def overage_before(account: Account, until: datetime) -> list[InvoiceLine]:
    """Overage of the usage recorded before ``until``."""
    cut = to_utc(until)
    billable = [u for u in account.usage if to_utc(u.at) < cut]
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
    )


def next_invoice(
    account: Account, opening: tuple[Plan, BillingPeriod] | None = None
) -> Invoice:
    """The account's next regular invoice, as it stands.

    In advance: the deferred lines and the next period's plan and add-ons
    (``opening``'s plan and period, when a change is scheduled for the
    billing date); in arrears: the time each was in force. Then the overage
    before the calculation date, and the credit balance applied.
    """
    billing_date = account.cycle.boundary(account.next_index)
    calculated = _calculated(billing_date, account.policy.calculation_lead)
    if account.policy.timing is BillingTiming.IN_ADVANCE:
        plan, upcoming = opening or (
            account.plan,
            account.cycle.period(account.next_index),
        )
        lines = [
            *account.deferred,
            *whole_periods(
                plan, account.items, upcoming, account.policy.proration
            ),
        ]
    else:
        # Deferred lines are corrections of backdated records, in arrears.
        lines = [*account.deferred, *used_time(account, account.period.end)]
    lines.extend(overage_before(account, calculated))
    return settle_for(account, lines, billing_date, calculated)


def closing_lines(
    account: Account,
    change: PlanChange,
    first: BillingPeriod,
    items: Sequence[Item],
) -> tuple[list[InvoiceLine], list[ProrationLine]]:
    """The lines of the invoice a re-anchoring change issues at once.

    In advance: the deferred lines, the old plan's and add-ons' unused
    time, the new plan's ``first`` period. In arrears: the time used. Then
    the overage so far, under the old terms. Also returns the unused-time
    credits.
    """
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
        lines = [
            *account.deferred,
            *bill_lines(unused, policy),
            *whole_periods(change.new, items, first, policy),
        ]
        return [*lines, *overage_before(account, at)], unused
    return [
        *account.deferred,
        *used_time(account, at),
        *overage_before(account, at),
    ], unused
