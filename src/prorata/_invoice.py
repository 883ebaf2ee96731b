"""Invoices: typed lines, totals and the credit balance.

An invoice is settled in one place, :func:`settle`: the lines add up to a
subtotal; a positive subtotal is reduced by the credit balance; a negative
one is never paid out unless the policy says so, and becomes credit balance
instead. So no amount is created, lost or applied twice. Each line carries
what it bills (the plan or add-on, the quantity) and its exact amount
beside the rounded one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Final, Literal, TypeAlias, TypeVar, final

from prorata._add_on import AddOn, Charge
from prorata._display import displayed
from prorata._explain import invoice_html, invoice_text
from prorata._money import Money
from prorata._period import require_aware, to_utc
from prorata._plan import Plan
from prorata._policy import RoundingStage, Treatment
from prorata._pricing import LineKind, ProrationLine, sum_lines
from prorata._rounding import SCALES
from prorata._tax import (
    TaxBase,
    TaxLine,
    TaxRate,
    TaxRounding,
    check_taxes,
    tax_lines,
)
from prorata.errors import ArgumentTypeError, InvalidPolicyError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from prorata._policy import ProrationPolicy
    from prorata._tax import TaxBaseName, TaxRoundingName

_E = TypeVar("_E", bound=StrEnum)

__all__ = [
    "CancelCredit",
    "CancelCreditName",
    "CreditHandling",
    "CreditHandlingName",
    "FinalBalance",
    "FinalBalanceName",
    "Invoice",
    "InvoiceLine",
    "InvoiceLineKind",
    "bill_lines",
    "close_balance",
    "exact_or_none",
    "over_cap",
    "settle",
    "settle_checked",
    "treated",
]


class CreditHandling(StrEnum):
    """What happens to a credit larger than the invoice it lands on."""

    CARRY_FORWARD = "carry-forward"
    """Kept as credit balance and applied to the next invoices until used
    up ("There are no refunds made at this time", hosting page). The
    default."""

    REFUND = "refund"
    """Paid back to the customer at once."""


# tests/test_api.py keeps each option alias the same as its enum.
#: The values of :class:`CreditHandling`, accepted as plain strings.
CreditHandlingName: TypeAlias = Literal["carry-forward", "refund"]


class CancelCredit(StrEnum):
    """What a cancellation returns for the unused time paid in advance.

    Whatever is returned is capped at what was billed for the period, less
    the time used and less the credits and refunds already issued against
    it: a cancellation never returns more than was paid.
    """

    CREDIT = "credit"
    """A credit to the customer's credit balance (Stripe's proration credit
    on cancellation). The default."""
    REFUND = "refund"
    """Paid back to the customer at once."""
    NONE = "none"
    """Nothing: the period is paid for to its end."""


#: The values of :class:`CancelCredit`, accepted as plain strings.
CancelCreditName: TypeAlias = Literal["credit", "refund", "none"]


class FinalBalance(StrEnum):
    """What the final invoice of a subscription does with credit balance."""

    KEEP = "keep"
    """The customer keeps it, for a later subscription (Stripe's customer
    balance). The default."""
    REFUND = "refund"
    """It is paid back to the customer."""
    FORFEIT = "forfeit"
    """It lapses with the subscription."""


#: The values of :class:`FinalBalance`, accepted as plain strings.
FinalBalanceName: TypeAlias = Literal["keep", "refund", "forfeit"]


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
    ONE_TIME = "one-time"
    """A one-time charge (a set-up fee), or its credit back on a
    cancellation."""
    COMMITMENT = "commitment"
    """The true-up of a minimum commitment: what the period's charges fall
    short of the plan's minimum, prorated for a partial period."""
    DISCOUNT = "discount"
    """A coupon's discount on the line before it, for the part of its time
    the coupon covers; positive when it reverses the discount of a
    credited time."""
    CREDIT_NOTE = "credit-note"
    """A credit (or refund) issued by hand against what a period was
    billed; it counts against what a cancellation can return."""
    CORRECTION = "correction"
    """A line that corrects an invoice already issued, for a change recorded
    after it (backdated): a line it should have billed, or one it should
    not have, reversed. ``InvoiceLine.corrects`` names that invoice."""
    CREDIT_CAP = "credit-cap"
    """Takes back what a credit for unused time would return beyond what
    was paid for the period: what was billed, less the time used, less the
    credits and refunds already issued against it."""
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
@displayed
class InvoiceLine:
    """One line of an invoice: what, for which time, how much and why.

    Args:
        kind: What the line bills.
        description: The line as a person reads it.
        amount: The amount, rounded; negative for a credit.
        start: The first instant the line covers.
        end: The instant it stops covering (exclusive).
        calculation: How the amount comes about.
        product: The plan, add-on or one-time charge billed; ``None`` for
            a line that bills no product (a rounding line, or one written
            by hand).
        quantity: How many of the product are billed.
        exact: The exact amount before rounding; ``None`` when the amount
            is exact as it stands.
        corrects: For a correction, the date of the invoice it corrects.
        taxes: The tax rates the line is taxed at: its product's, as the
            product was billed (a credit's are those of what it credits).

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
    product: Plan | AddOn | Charge | None = None
    quantity: int = 1
    exact: Fraction | None = None
    corrects: datetime | None = None
    taxes: tuple[TaxRate, ...] = ()

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
            product=line.plan,
            quantity=line.quantity,
            exact=line.exact,
            taxes=line.plan.taxes,
        )

    @property
    def precise(self) -> Fraction:
        """The exact amount: ``exact``, or the amount when it is exact."""
        return self.amount.exact if self.exact is None else self.exact

    def __str__(self) -> str:
        """``'Remaining time on Business 2 (20 days) = $150.00'``."""
        return f"{self.description} = {self.amount}"

    def __repr__(self) -> str:
        """One readable line: ``<InvoiceLine overage: ... = $75.00>``."""
        return f"<InvoiceLine {self.kind.value}: {self}>"


def over_cap(
    credit: Money,
    cap: Money,
    span: tuple[datetime, datetime],
    said: tuple[str, str],
    taxes: tuple[TaxRate, ...],
) -> list[InvoiceLine]:
    """The ``CREDIT_CAP`` line taking back what ``credit`` exceeds ``cap``.

    None when the credit is within the cap; ``said`` is the line's
    description and calculation, and it is taxed as the credit it caps.
    """
    if credit <= cap:
        return []
    description, calculation = said
    return [
        InvoiceLine(
            kind=InvoiceLineKind.CREDIT_CAP,
            description=description,
            amount=credit - cap,
            start=span[0],
            end=span[1],
            calculation=calculation,
            taxes=taxes,
        )
    ]


def exact_or_none(
    top: int, bottom: int, rounded: int, currency: str
) -> Fraction | None:
    """A line's ``exact``: ``top / bottom``, or ``None`` if rounding kept it.

    ``None`` when ``rounded`` minor units of ``currency`` are that amount
    exactly, as :class:`InvoiceLine` documents.
    """
    if top * SCALES[currency] == rounded * bottom:
        return None
    return Fraction(top, bottom)


def treated(
    lines: Sequence[ProrationLine], policy: ProrationPolicy
) -> list[ProrationLine]:
    """A change's lines, less those its treatment says bill nothing.

    A credit or a charge whose treatment is ``Treatment.NONE`` (Stripe's
    ``proration_behavior=none``) is left off the invoice rather than billed
    as a $0.00 line.
    """
    untreated = {
        kind
        for kind, treatment in (
            (LineKind.UNUSED_TIME, policy.credit),
            (LineKind.REMAINING_TIME, policy.charge),
        )
        if treatment is Treatment.NONE
    }
    if not untreated:
        return list(lines)
    return [line for line in lines if line.kind not in untreated]


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
                taxes=_shared_taxes(billed),
            )
        )
    return billed


def _shared_taxes(lines: Sequence[InvoiceLine]) -> tuple[TaxRate, ...]:
    """The rates every one of ``lines`` is taxed at, or none if they differ.

    A rounding line is taxed as the lines it rounds, when they agree.
    """
    rates = {line.taxes for line in lines}
    return rates.pop() if len(rates) == 1 else ()


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
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
        refund: What is paid back (under ``CreditHandling.REFUND``, a
            refund on cancellation, or ``FinalBalance.REFUND``).
        credit_balance_after: The credit balance carried forward.
        forfeited: Credit balance that lapsed on a final invoice
            (``FinalBalance.FORFEIT``).
        taxes: The tax lines, rounded as the policy says; exclusive tax is
            added to the subtotal, inclusive tax is part of it already.

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
    forfeited: Money
    taxes: tuple[TaxLine, ...] = ()

    @property
    def tax(self) -> Money:
        """All the tax on the invoice, exclusive and inclusive."""
        zero = Money.zero(self.subtotal.currency)
        return sum((tax.amount for tax in self.taxes), zero)

    @property
    def total(self) -> Money:
        """The subtotal with exclusive tax added: what is settled."""
        added = (tax.amount for tax in self.taxes if not tax.inclusive)
        return sum(added, self.subtotal)

    @property
    def net(self) -> Money:
        """The total without any tax: inclusive tax taken out."""
        return self.total - self.tax

    def lines_of(self, kind: InvoiceLineKind) -> tuple[InvoiceLine, ...]:
        """Return the lines of one kind, in order."""
        return tuple(line for line in self.lines if line.kind is kind)

    def __repr__(self) -> str:
        """One readable line: the date, the lines, the amount due."""
        return (
            f"<Invoice of {self.issued_at.isoformat()}: {len(self.lines)} "
            f"line(s), total {self.total}, due {self.amount_due}, credit "
            f"carried {self.credit_balance_after}>"
        )

    def _repr_html_(self) -> str:
        """A table for notebooks: each line, its calculation, amount due."""
        return invoice_html(self)

    def explain(self) -> str:
        """Render the invoice the way the hosting page's "Calculation" does.

        Each line with its calculation, then ``Total``, the credit applied,
        the amount due and the credit balance carried forward.
        """
        return invoice_text(self)


def settle(
    lines: Iterable[InvoiceLine],
    *,
    currency: str,
    issued_at: datetime,
    calculated_at: datetime,
    credit_balance: Money,
    handling: CreditHandling | CreditHandlingName = (
        CreditHandling.CARRY_FORWARD
    ),
    tax_rounding: TaxRounding | TaxRoundingName = TaxRounding.PER_LINE,
    tax_base: TaxBase | TaxBaseName = TaxBase.ROUNDED,
) -> Invoice:
    """Total the lines and apply the credit balance: the one settlement.

    The lines are taxed at their rates, rounded as ``tax_rounding`` and
    ``tax_base`` say. A positive total uses as much credit balance as it
    can; a negative one is due nothing and, unless refunded, adds to the
    balance.

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
        check_taxes(line.description, line.taxes)
        if line.exact is not None and not isinstance(line.exact, Fraction):
            raise ArgumentTypeError("line.exact", line.exact, "a Fraction")
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
        tax_rounding=_option("tax_rounding", tax_rounding, TaxRounding),
        tax_base=_option("tax_base", tax_base, TaxBase),
    )


def settle_checked(
    lines: tuple[InvoiceLine, ...],
    *,
    currency: str,
    issued_at: datetime,
    calculated_at: datetime,
    credit_balance: Money,
    handling: CreditHandling,
    tax_rounding: TaxRounding = TaxRounding.PER_LINE,
    tax_base: TaxBase = TaxBase.ROUNDED,
) -> Invoice:
    """:func:`settle` of arguments prorata built and checked itself.

    Internal: a subscription settles through it, skipping the argument
    checks of the public entry point.
    """
    zero = Money.zero(currency)
    subtotal = sum((line.amount for line in lines), zero)
    taxes = tax_lines(lines, currency, tax_rounding, tax_base)
    total = sum((tax.amount for tax in taxes if not tax.inclusive), subtotal)
    balance = credit_balance + zero  # checks the currency, pads to cents
    applied = refund = zero
    if total >= zero:
        applied = min(balance, total)
        due, after = total - applied, balance - applied
    elif handling is CreditHandling.REFUND:
        due, after, refund = zero, balance, -total
    else:
        due, after = zero, balance - total
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
        forfeited=zero,
        taxes=taxes,
    )


def close_balance(invoice: Invoice, final: FinalBalance) -> Invoice:
    """A subscription's final invoice, its credit balance settled.

    Kept, the balance is carried as it is; refunded, it is added to the
    refund; forfeited, it lapses. Either way nothing is carried after.
    """
    after = invoice.credit_balance_after
    if final is FinalBalance.KEEP or not after:
        return invoice
    zero = Money.zero(after.currency)
    if final is FinalBalance.REFUND:
        return replace(
            invoice, refund=invoice.refund + after, credit_balance_after=zero
        )
    return replace(invoice, forfeited=after, credit_balance_after=zero)


def _option(name: str, value: object, enum: type[_E]) -> _E:
    """Return ``value`` as a member of ``enum``, a string converted."""
    try:
        if isinstance(value, str):
            return enum(value)
    except ValueError:
        pass
    raise InvalidPolicyError(name, value, [member.value for member in enum])


def _credit_handling(value: object) -> CreditHandling:
    """Return ``value`` as a :class:`CreditHandling`, a string converted."""
    return _option("handling", value, CreditHandling)
