"""Invoices: typed lines, totals, the credit balance and the schedule.

An invoice is settled in one place, :func:`settle`: the lines add up to a
subtotal; a positive subtotal is reduced by the credit balance; a negative
one is never paid out unless the policy says so, and becomes credit balance
instead. So no amount is created, lost or applied twice.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Final, Literal, TypeAlias, final

from prorata._html import html_table
from prorata._money import EXACT, Money, round_ratio
from prorata._period import BillingCycle, require_aware, to_utc
from prorata._policy import (
    DEFAULT_POLICY,
    ProrationPolicy,
    RoundingStage,
    coerce_options,
)
from prorata._proration import LineKind, ProrationLine, sum_lines
from prorata.errors import (
    ArgumentTypeError,
    DatetimeRangeError,
    InvalidPolicyError,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from prorata._plan import Plan, Usage

__all__ = [
    "AllowanceProration",
    "AllowanceProrationName",
    "BillingPolicy",
    "BillingSchedule",
    "BillingTiming",
    "BillingTimingName",
    "ChangeBilling",
    "ChangeBillingName",
    "CreditHandling",
    "CreditHandlingName",
    "Invoice",
    "InvoiceLine",
    "InvoiceLineKind",
    "OverageBilling",
    "OverageBillingName",
    "bill_lines",
    "overage_lines",
    "settle",
    "settle_checked",
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


class CreditHandling(StrEnum):
    """What happens to a credit larger than the invoice it lands on."""

    CARRY_FORWARD = "carry-forward"
    """Kept as credit balance and applied to the next invoices until used
    up ("There are no refunds made at this time", hosting page). The
    default."""

    REFUND = "refund"
    """Paid back to the customer at once."""


class AllowanceProration(StrEnum):
    """How much of an allowance a plan segment shorter than a period gets."""

    FULL = "full"
    """Each plan segment keeps its plan's whole allowance: the hosting
    page's Starter customer, upgraded on day 30, is charged for 75,000
    visits over 25,000, not over 29/30 of it. The default."""

    PRORATED = "prorated"
    """The allowance times the segment's share of the usage window."""


class OverageBilling(StrEnum):
    """How usage beyond an allowance is priced."""

    PER_STARTED_BLOCK = "per-started-block"
    """Every started block costs the block price: 75,001 visits over at $1
    per 1,000 cost $76. The default, as package pricing rounds up."""

    PRO_RATA = "pro-rata"
    """Each unit costs the block price / block size: 75,500 visits over
    cost $75.50."""


# The values of the billing enums above, which BillingPolicy also accepts as
# plain strings; tests/test_api.py keeps each the same as its enum.
#: The values of :class:`BillingTiming`, accepted as plain strings.
BillingTimingName: TypeAlias = Literal["in-advance", "in-arrears"]
#: The values of :class:`ChangeBilling`, accepted as plain strings.
ChangeBillingName: TypeAlias = Literal["next-invoice", "invoice-now", "never"]
#: The values of :class:`CreditHandling`, accepted as plain strings.
CreditHandlingName: TypeAlias = Literal["carry-forward", "refund"]
#: The values of :class:`AllowanceProration`, accepted as plain strings.
AllowanceProrationName: TypeAlias = Literal["full", "prorated"]
#: The values of :class:`OverageBilling`, accepted as plain strings.
OverageBillingName: TypeAlias = Literal["per-started-block", "pro-rata"]


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
            ),
        )
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


def _check_lead(lead: object) -> None:
    if not isinstance(lead, timedelta) or lead < timedelta(0):
        raise InvalidPolicyError(
            "calculation_lead", lead, ["a timedelta of zero or more"]
        )


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
        timing: In advance or in arrears.
        calculation_lead: How long before a billing date it is calculated.

    >>> from datetime import UTC, datetime, timedelta
    >>> from prorata import BillingCycle, MONTHLY
    >>> schedule = BillingSchedule(
    ...     cycle=BillingCycle(datetime(2024, 6, 15, tzinfo=UTC), MONTHLY),
    ...     timing=BillingTiming.IN_ARREARS,
    ...     calculation_lead=timedelta(days=3))
    >>> [d.date().isoformat() for d in schedule.billing_dates(2)]
    ['2024-07-15', '2024-08-15']
    >>> schedule.calculation_date(schedule.billing_date(1)).date()
    datetime.date(2024, 7, 12)
    """

    cycle: BillingCycle
    timing: BillingTiming = BillingTiming.IN_ADVANCE
    calculation_lead: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        """Validate the cycle and the lead; turn a timing string into one."""
        if not isinstance(self.cycle, BillingCycle):
            raise ArgumentTypeError("cycle", self.cycle, "a BillingCycle")
        coerce_options(self, (("timing", BillingTiming),))
        _check_lead(self.calculation_lead)

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
        moment = require_aware("billing date", billing_date)
        try:
            moment -= self.calculation_lead
        except OverflowError:
            raise DatetimeRangeError("calculation date", moment) from None
        return require_aware("calculation date", moment)

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

    def iter_billing_dates(self) -> Iterator[datetime]:
        """Yield the billing dates without end."""
        index = self.first_index
        while True:
            yield self.billing_date(index)
            index += 1


class InvoiceLineKind(StrEnum):
    """What an :class:`InvoiceLine` bills."""

    UNUSED_TIME = "unused-time"
    """A credit for the unused time of a plan left mid-period."""
    REMAINING_TIME = "remaining-time"
    """A charge for the remaining time of a plan entered mid-period."""
    SUBSCRIPTION = "subscription"
    """A plan for a period: in advance, or in arrears for the time used."""
    OVERAGE = "overage"
    """Usage beyond a plan's allowance, under that plan's terms."""
    ROUNDING = "rounding"
    """Under ``RoundingStage.NET``: the exact sum of a group of lines
    rounded once, less the sum of their own rounded amounts, so that the
    invoice bills the net the proration states."""


_KINDS: Final = {
    LineKind.UNUSED_TIME: InvoiceLineKind.UNUSED_TIME,
    LineKind.REMAINING_TIME: InvoiceLineKind.REMAINING_TIME,
    LineKind.USED_TIME: InvoiceLineKind.SUBSCRIPTION,
}


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceLine:
    """One line of an invoice: what, for which time, how much and why.

    Args:
        kind: What the line bills.
        description: The line as a person reads it.
        amount: The amount, rounded; negative for a credit.
        start: The first instant the line covers.
        end: The instant it stops covering (exclusive).
        calculation: How the amount comes about.

    A line is read as its description and amount:

    >>> from datetime import UTC, datetime
    >>> from prorata import InvoiceLine, InvoiceLineKind, Money
    >>> line = InvoiceLine(kind=InvoiceLineKind.SUBSCRIPTION,
    ...     description="Price for 1 month of Pro", amount=Money("70", "USD"),
    ...     start=datetime(2024, 6, 1, tzinfo=UTC),
    ...     end=datetime(2024, 7, 1, tzinfo=UTC), calculation="$70")
    >>> print(line)
    Price for 1 month of Pro = $70.00
    """

    kind: InvoiceLineKind
    description: str
    amount: Money
    start: datetime
    end: datetime
    calculation: str

    @classmethod
    def from_proration(cls, line: ProrationLine) -> InvoiceLine:
        """Bill a proration line (credit, charge or used time) as it is.

        Raises:
            ArgumentTypeError: ``line`` is not a :class:`ProrationLine`.
        """
        if not isinstance(line, ProrationLine):
            raise ArgumentTypeError("line", line, "a ProrationLine")
        return cls(
            kind=_KINDS[line.kind],
            description=line.description,
            amount=line.amount,
            start=line.start,
            end=line.end,
            calculation=line.calculation,
        )

    def __str__(self) -> str:
        """``'Remaining time on Business 2 (20 days) = $150.00'``."""
        return f"{self.description} = {self.amount}"

    def __repr__(self) -> str:
        """One readable line: ``<InvoiceLine overage: ... = $75.00>``."""
        return f"<InvoiceLine {self.kind.value}: {self}>"


def bill_lines(
    lines: Sequence[ProrationLine], policy: ProrationPolicy
) -> list[InvoiceLine]:
    """Bill proration lines as the policy adds them up.

    Each line is billed as it is. Under ``RoundingStage.NET`` their exact
    sum is rounded once, which may differ from the sum of their rounded
    amounts by a minor unit or so: a rounding line bills the difference, so
    the invoice bills the net the proration states ($10 -> $20 on June 2:
    -$9.67 + $19.33 + $0.01 = the net $9.67).
    """
    billed = [InvoiceLine.from_proration(line) for line in lines]
    if not lines or policy.rounding_stage is not RoundingStage.NET:
        return billed
    net = sum_lines(lines, policy)
    rounded = sum((line.amount for line in billed), Money.zero(net.currency))
    if net != rounded:
        billed.append(
            InvoiceLine(
                kind=InvoiceLineKind.ROUNDING,
                description="Rounding of the exact net",
                amount=net - rounded,
                start=min((line.start for line in lines), key=to_utc),
                end=max((line.end for line in lines), key=to_utc),
                calculation=f"the exact net rounded once, {net}, less the "
                f"lines as rounded, {rounded}",
            )
        )
    return billed


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class Invoice:
    """A settled invoice: lines, subtotal, credit applied, amount due.

    Args:
        issued_at: The billing date, or the moment of a change invoiced at
            once.
        calculated_at: When the amounts were fixed.
        lines: The billed lines, in order.
        subtotal: The sum of the lines.
        credit_balance_before: The customer's credit balance before.
        credit_applied: How much of that balance this invoice used.
        amount_due: What the customer pays: never negative.
        refund: What is paid back (only under ``CreditHandling.REFUND``).
        credit_balance_after: The credit balance carried forward.

    The sign-up invoice for Business 1:

    >>> from datetime import UTC, datetime
    >>> from prorata import Subscription, builtin_catalog
    >>> _, invoice = Subscription.start(builtin_catalog()["business-1"],
    ...                                 datetime(2024, 6, 1, tzinfo=UTC))
    >>> print(invoice.lines[0])
    Price for 1 month of Business 1 = $115.00
    >>> print(invoice.amount_due, invoice.credit_balance_after)
    $115.00 $0.00
    """

    issued_at: datetime
    calculated_at: datetime
    lines: tuple[InvoiceLine, ...]
    subtotal: Money
    credit_balance_before: Money
    credit_applied: Money
    amount_due: Money
    refund: Money
    credit_balance_after: Money

    def lines_of(self, kind: InvoiceLineKind) -> tuple[InvoiceLine, ...]:
        """Return the lines of one kind, in order."""
        return tuple(line for line in self.lines if line.kind is kind)

    def __repr__(self) -> str:
        """One readable line: the date, the lines, the amount due."""
        return (
            f"<Invoice of {self.issued_at.isoformat()}: {len(self.lines)} "
            f"line(s), total {self.subtotal}, due {self.amount_due}, credit "
            f"carried {self.credit_balance_after}>"
        )

    def _repr_html_(self) -> str:
        """A table for notebooks: each line, its calculation, amount due."""
        rows = [
            (x.description, x.calculation, str(x.amount)) for x in self.lines
        ]
        if self.credit_applied:
            rows.append(
                ("Credit balance applied", "", str(-self.credit_applied))
            )
        return html_table(
            f"Invoice of {self.issued_at.isoformat(sep=' ')}",
            rows,
            ("Amount due", str(self.amount_due)),
        )

    def explain(self) -> str:
        """Render the invoice the way the hosting page's "Calculation" does.

        Each line with its calculation, then ``Total``, the credit applied,
        the amount due and the credit balance carried forward.
        """
        out = [f"Invoice of {self.issued_at.isoformat(sep=' ')}"]
        if self.calculated_at != self.issued_at:
            out[0] += f" (calculated {self.calculated_at.isoformat(sep=' ')})"
        for line in self.lines:
            out.extend((str(line), f"    {line.calculation}"))
        out.append(f"Total: {self.subtotal}")
        if self.credit_applied:
            out.append(
                f"Credit balance applied: -{self.credit_applied} "
                f"(of {self.credit_balance_before})"
            )
        out.append(f"Amount due: {self.amount_due}")
        if self.refund:
            out.append(f"Refunded: {self.refund}")
        out.append(
            f"Credit balance carried forward: {self.credit_balance_after}"
        )
        return "\n".join(out)


def settle(
    lines: Iterable[InvoiceLine],
    *,
    currency: str,
    issued_at: datetime,
    calculated_at: datetime,
    credit_balance: Money,
    handling: CreditHandling = CreditHandling.CARRY_FORWARD,
) -> Invoice:
    """Total the lines and apply the credit balance: the one settlement.

    A positive subtotal uses as much credit balance as it can; a negative
    one is due nothing and, unless refunded, adds to the balance.

    >>> from datetime import UTC, datetime
    >>> from prorata import Money
    >>> at = datetime(2024, 7, 1, tzinfo=UTC)
    >>> line = InvoiceLine(kind=InvoiceLineKind.SUBSCRIPTION,
    ...     description="Price for 1 month of Starter",
    ...     amount=Money("35.00", "USD"), start=at, end=at, calculation="")
    >>> invoice = settle([line], currency="USD", issued_at=at,
    ...                  calculated_at=at, credit_balance=Money("50", "USD"))
    >>> invoice.credit_applied, invoice.amount_due
    (Money('35.00', 'USD'), Money('0.00', 'USD'))
    >>> invoice.credit_balance_after
    Money('15.00', 'USD')
    """
    if not isinstance(lines, Iterable):
        raise ArgumentTypeError("lines", lines, "an iterable of InvoiceLines")
    lines = tuple(lines)
    for line in lines:
        if not isinstance(line, InvoiceLine):
            raise ArgumentTypeError("line", line, "an InvoiceLine")
    require_aware("issued_at", issued_at)
    require_aware("calculated_at", calculated_at)
    if not isinstance(credit_balance, Money):
        raise ArgumentTypeError("credit_balance", credit_balance, "a Money")
    return settle_checked(
        lines,
        currency=currency,
        issued_at=issued_at,
        calculated_at=calculated_at,
        credit_balance=credit_balance,
        handling=_credit_handling(handling),
    )


def settle_checked(
    lines: tuple[InvoiceLine, ...],
    *,
    currency: str,
    issued_at: datetime,
    calculated_at: datetime,
    credit_balance: Money,
    handling: CreditHandling,
) -> Invoice:
    """:func:`settle` of arguments prorata built and checked itself.

    Internal: a subscription settles through it, skipping the argument
    checks of the public entry point.
    """
    zero = Money.zero(currency)
    subtotal = sum((line.amount for line in lines), zero)
    balance = credit_balance + zero  # checks the currency, pads to cents
    applied = refund = zero
    if subtotal >= zero:
        applied = min(balance, subtotal)
        due, after = subtotal - applied, balance - applied
    elif handling is CreditHandling.REFUND:
        due, after, refund = zero, balance, -subtotal
    else:
        due, after = zero, balance - subtotal
    return Invoice(
        issued_at=issued_at,
        calculated_at=calculated_at,
        lines=lines,
        subtotal=subtotal,
        credit_balance_before=balance,
        credit_applied=applied,
        amount_due=due,
        refund=refund,
        credit_balance_after=after,
    )


def _credit_handling(value: object) -> CreditHandling:
    """Return ``value`` as a :class:`CreditHandling`, a string converted."""
    try:
        if isinstance(value, str):
            return CreditHandling(value)
    except ValueError:
        pass
    raise InvalidPolicyError(
        "handling", value, [h.value for h in CreditHandling]
    )


_SECOND: Final = timedelta(seconds=1)


def _used_by_segment(
    usage: Sequence[Usage],
    segments: Sequence[tuple[Plan, datetime, datetime]],
) -> list[dict[str, int]]:
    """Return each segment's use of each metric.

    Every record goes to the segment its moment falls in, found by
    bisection, so the cost is that of the records and segments, not of
    their product.
    """
    starts = [to_utc(start) for _, start, _ in segments]
    last = to_utc(segments[-1][2])
    used: list[dict[str, int]] = [{} for _ in segments]
    for record in usage:
        at = to_utc(record.at)
        index = bisect_right(starts, at) - 1
        if index < 0 or at >= last:
            continue
        bucket = used[index]
        bucket[record.metric] = bucket.get(record.metric, 0) + record.quantity
    return used


def overage_lines(
    usage: Sequence[Usage],
    segments: Sequence[tuple[Plan, datetime, datetime]],
    policy: BillingPolicy,
) -> list[InvoiceLine]:
    """Price usage beyond each plan segment's allowance, under its terms.

    Each usage record belongs to the segment in force at its moment, and is
    priced under that segment's plan even if a later plan is dearer or
    includes more: upgrades are not applied retroactively.

    Args:
        usage: The usage records to bill.
        segments: ``(plan, start, end)`` for each plan in force, tiling the
            usage window.
        policy: Allowance proration and overage pricing.

    Returns:
        One overage line per segment and metric with usage beyond the
        allowance, in segment order; metrics a plan has no allowance for
        are included without limit and bill nothing.
    """
    window = to_utc(segments[-1][2]) - to_utc(segments[0][1])
    prorated = policy.allowance is AllowanceProration.PRORATED
    lines: list[InvoiceLine] = []
    for (plan, start, end), used in zip(
        segments, _used_by_segment(usage, segments), strict=True
    ):
        begins, ends = to_utc(start), to_utc(end)
        for metric, quantity in used.items():
            allowance = plan.allowance(metric)
            if allowance is None:
                continue
            included: int | Fraction = allowance.included
            if prorated:
                included = Fraction(
                    allowance.included * ((ends - begins) // _SECOND),
                    max(window // _SECOND, 1),
                )
            over = quantity - included
            if over <= 0:
                continue
            price, per = allowance.overage_price, allowance.per
            numerator, denominator = price.integer_ratio()
            if policy.overage is OverageBilling.PER_STARTED_BLOCK:
                blocks = -(-over // per)  # ceiling
                numerator *= blocks
                how = f"{blocks:,} started blocks of {per:,} x {price}"
            else:
                # price x over / per, as one integer ratio
                numerator *= over.numerator
                denominator *= over.denominator * per
                how = f"{_count(over)} x {price} / {per:,}"
            amount = round_ratio(
                numerator,
                denominator,
                plan.currency,
                policy.proration.rounding,
            )
            lines.append(
                InvoiceLine(
                    kind=InvoiceLineKind.OVERAGE,
                    description=(
                        f"Overage on {plan.name}: {quantity:,} {metric} "
                        f"against {_count(included)} included"
                    ),
                    amount=amount,
                    start=start,
                    end=end,
                    calculation=f"{_count(over)} {metric} over: {how} = "
                    f"{amount}",
                )
            )
    return lines


def _count(value: int | Fraction) -> str:
    """Show a count: whole numbers with separators, else two decimals."""
    if value.denominator == 1:
        return f"{value.numerator:,}"
    hundredths = round(value * 100)
    return f"{Decimal(hundredths).scaleb(-2, EXACT):,.2f}"
