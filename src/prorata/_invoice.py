"""Invoices: typed lines, totals, the credit balance and prepaid credit.

An invoice is settled in one place, :func:`settle`: the lines add up to a
subtotal, taxed into a total; a positive total is reduced by the credit
balance, then by the prepaid credit (a wallet bought untaxed), each at its
face amount after tax; a negative one is never paid out unless the policy
says so, and becomes credit balance instead. So no amount is created, lost
or applied twice. Each line carries what it bills (the plan or add-on, the
quantity) and its exact amount beside the rounded one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from fractions import Fraction
from typing import (
    TYPE_CHECKING,
    ClassVar,
    Literal,
    TypeAlias,
    final,
)

from prorata._cash_rounding import (
    InvoiceRounding,
    check_rounding,
    option_member,
    rounding_line,
)
from prorata._currencies import currency_code
from prorata._display import capped, displayed
from prorata._explain import invoice_html, invoice_text
from prorata._invoice_lines import InvoiceLine, InvoiceLineKind
from prorata._money import Money, aligned, summed, trusted
from prorata._period import require_aware
from prorata._shells import unchecked
from prorata._tax import (
    TaxBase,
    TaxLine,
    TaxRounding,
    check_taxes,
    tax_lines,
)
from prorata.errors import (
    ArgumentTypeError,
    CurrencyMismatchError,
    InvalidAmountError,
)

if TYPE_CHECKING:
    from prorata._tax import TaxBaseName, TaxRoundingName


__all__ = [
    "CancelCredit",
    "CancelCreditName",
    "CreditHandling",
    "CreditHandlingName",
    "FinalBalance",
    "FinalBalanceName",
    "Invoice",
    "check_prepaid",
    "close_balance",
    "settle",
    "settle_checked",
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
    FULL = "full"
    """The whole period's price of the plan and add-ons in force, the time
    used too, credited to the balance (capped at what is left of what the
    period was billed): Chargebee's "Issue full credits: Issues full
    credits for the entire term" (``credit_option_for_current_term_
    charges`` ``full``, chargebee.com/docs/2.0/cancellations.html)."""
    FULL_REFUND = "full-refund"
    """The same whole period's price, paid back at once: Recurly's
    ``refund_type`` ``full`` on a termination ("a full refund of the last
    paid invoice for the current subscription term")."""

    @property
    def refunds(self) -> bool:
        """Whether what is returned is paid back rather than credited."""
        return self in {CancelCredit.REFUND, CancelCredit.FULL_REFUND}

    @property
    def whole(self) -> bool:
        """Whether the whole period is returned, the time used too."""
        return self in {CancelCredit.FULL, CancelCredit.FULL_REFUND}


#: The values of :class:`CancelCredit`, accepted as plain strings.
CancelCreditName: TypeAlias = Literal[
    "credit", "refund", "none", "full", "full-refund"
]


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


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class Invoice:
    """A settled invoice: lines, subtotal, credits applied, amount due.

    Args:
        issued_at: The billing date, or the moment of a change invoiced at
            once.
        calculated_at: When the amounts were fixed.
        lines: The billed lines, in order.
        subtotal: The sum of the lines.
        credit_balance_before: The customer's credit balance before.
        credit_applied: How much of that balance this invoice used.
        amount_due: What the customer pays: never negative; the total less
            the credit applied, less the prepaid credit applied.
        refund: What is paid back (under ``CreditHandling.REFUND``, a
            refund on cancellation, or ``FinalBalance.REFUND``).
        credit_balance_after: The credit balance carried forward.
        forfeited: Credit balance that lapsed on a final invoice
            (``FinalBalance.FORFEIT``).
        prepaid_balance_before: The prepaid credit (a wallet topped up,
            untaxed) held before.
        prepaid_applied: How much of it this invoice used, after the credit
            balance: at most what the total left due.
        prepaid_balance_after: The prepaid credit carried forward.
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
    prepaid_balance_before: Money
    prepaid_applied: Money
    prepaid_balance_after: Money
    taxes: tuple[TaxLine, ...] = ()

    _make: ClassVar[
        Callable[
            [
                datetime,
                datetime,
                tuple[InvoiceLine, ...],
                Money,
                Money,
                Money,
                Money,
                Money,
                Money,
                Money,
                Money,
                Money,
                Money,
                tuple[TaxLine, ...],
            ],
            Invoice,
        ]
    ]
    """The fields in order, unchecked: for :func:`settle_checked`."""

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
        return capped(
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
        the prepaid credit applied, the amount due and the balances carried
        forward.
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
    rounding: InvoiceRounding | None = None,
    prepaid_balance: Money | None = None,
) -> Invoice:
    """Total the lines and apply the credit balance: the one settlement.

    The lines are taxed at their rates, rounded as ``tax_rounding`` and
    ``tax_base`` say; with a ``rounding``, the total is rounded to its
    increment by a ``ROUNDING`` line (:class:`InvoiceRounding`). A
    positive total uses as much credit balance as it can, then as much of
    ``prepaid_balance`` (prepaid credit, none by default) as is left due:
    both after tax, at their face amounts (Lago's credit notes, then
    prepaid credits). A negative one is due nothing and, unless refunded,
    adds to the credit balance.

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
    >>> invoice = settle([line], currency="USD", issued_at=at,
    ...     calculated_at=at, credit_balance=Money("20", "USD"),
    ...     prepaid_balance=Money("30", "USD"))
    >>> invoice.prepaid_applied, invoice.amount_due
    (Money('15.00', 'USD'), Money('0.00', 'USD'))
    >>> invoice.prepaid_balance_after
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
    if rounding is not None and not isinstance(rounding, InvoiceRounding):
        raise ArgumentTypeError("rounding", rounding, "an InvoiceRounding")
    code = currency_code(currency)
    check_rounding(rounding, code)
    if prepaid_balance is None:
        prepaid_balance = Money.zero(code)
    check_prepaid("prepaid_balance", prepaid_balance, code)
    return settle_checked(
        lines,
        currency=code,
        issued_at=issued_at,
        calculated_at=calculated_at,
        credit_balance=credit_balance,
        handling=_credit_handling(handling),
        tax_rounding=option_member("tax_rounding", tax_rounding, TaxRounding),
        tax_base=option_member("tax_base", tax_base, TaxBase),
        rounding=rounding,
        prepaid_balance=prepaid_balance,
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
    rounding: InvoiceRounding | None = None,
    prepaid_balance: Money,
) -> Invoice:
    """:func:`settle` of arguments prorata built and checked itself.

    Internal: a subscription settles through it, skipping the argument
    checks of the public entry point (the rounding's currency is checked
    still: it is one string compared).
    """
    subtotal = summed([line.amount for line in lines], currency)
    taxes = tax_lines(lines, currency, tax_rounding, tax_base)
    total = subtotal
    if taxes:
        extra = [tax.amount for tax in taxes if not tax.inclusive]
        total = summed([subtotal, *extra], currency)
    if rounding is not None:
        check_rounding(rounding, currency)
        line = rounding_line(total, rounding, issued_at)
        if line is not None:  # untaxed: the taxes stand as they are
            lines = (*lines, line)
            subtotal = subtotal + line.amount
            total = total + line.amount
    zero = Money.zero(currency)
    balance, applied, left, refund, after = settlement(
        total,
        credit_balance,
        refund=handling is CreditHandling.REFUND,
        zero=zero,
    )
    prepaid, drawn, due, kept = prepaid_settlement(left, prepaid_balance, zero)
    return Invoice._make(
        issued_at,
        calculated_at,
        lines,
        subtotal,
        balance,
        applied,
        due,
        refund,
        after,
        zero,
        prepaid,
        drawn,
        kept,
        taxes,
    )


def settlement(
    total: Money,
    credit_balance: Money,
    *,
    refund: bool,
    zero: Money | None = None,
) -> tuple[Money, Money, Money, Money, Money]:
    """A credit balance applied to an invoice's total, in integers.

    Returns the balance brought to at least cents (``balance + zero``),
    the credit applied, the amount due, the refund and the balance after:
    a positive total uses ``min(balance, total)``, the rest due; a negative
    one is due nothing and is refunded or added to the balance. Each figure
    is the one ``Money`` arithmetic gives, its scale included.

    ``zero`` is the total's currency's zero (``Money.zero``), if the
    caller holds it already.

    Raises:
        CurrencyMismatchError: The balance is of another currency.
    """
    currency = total.currency
    if zero is None:
        zero = Money.zero(currency)
    if credit_balance.currency != currency:
        raise CurrencyMismatchError(credit_balance.currency, currency, "add")
    padded, _, scale = aligned(credit_balance, zero)
    balance = trusted(padded, scale, currency)  # a new value, as + zero
    t, b, common = aligned(total, balance)
    if t >= 0:
        if t < b:  # min(balance, total) is the total
            after = trusted(b - t, common, currency)
            return balance, total, total - total, zero, after
        due = trusted(t - b, common, currency)
        return balance, balance, due, zero, trusted(0, scale, currency)
    if refund:
        return balance, zero, zero, -total, balance
    return balance, zero, zero, zero, trusted(b - t, common, currency)


def prepaid_settlement(
    due: Money, prepaid: Money, zero: Money | None = None
) -> tuple[Money, Money, Money, Money]:
    """Prepaid credit drawn on what the credit balance left due.

    Returns the prepaid credit brought to at least cents, what is drawn
    (``min(prepaid, due)``), what is still due and the prepaid credit
    left: the figures ``Money`` arithmetic gives. Nothing is drawn on an
    invoice due nothing (Lago applies prepaid credits only to a positive
    total: lago-api app/services/invoices/calculate_fees_service.rb,
    ``should_create_applied_prepaid_credit?``).

    ``zero`` is the currency's zero (``Money.zero``), if the caller holds
    it already.

    Raises:
        CurrencyMismatchError: The prepaid credit is of another currency.
    """
    currency = due.currency
    if prepaid.currency != currency:
        raise CurrencyMismatchError(prepaid.currency, currency, "add")
    if zero is None:
        zero = Money.zero(currency)
    if prepaid is zero:  # the shared zero: nothing held, nothing drawn
        return zero, zero, due, zero
    padded, _, scale = aligned(prepaid, zero)
    held = trusted(padded, scale, currency)  # a new value, as + zero
    d, p, common = aligned(due, held)
    if p <= d:  # all of it drawn; none left, at the credit's scale
        left = trusted(0, scale, currency)
        return held, held, trusted(d - p, common, currency), left
    return held, due, due - due, trusted(p - d, common, currency)


def check_prepaid(name: str, prepaid: object, currency: str) -> Money:
    """``prepaid`` (argument ``name``) if it is prepaid credit to draw on.

    Raises:
        ArgumentTypeError: It is not a :class:`~prorata.Money`.
        CurrencyMismatchError: It is in another currency than ``currency``
            (a Lago wallet pays only invoices of its own currency).
        InvalidAmountError: It is negative or finer than the minor unit.
    """
    if not isinstance(prepaid, Money):
        raise ArgumentTypeError(name, prepaid, "a Money")
    if prepaid.currency != currency:
        raise CurrencyMismatchError(prepaid.currency, currency, "add")
    _ = prepaid.minor_units  # whole minor units, or InvalidAmountError
    if prepaid < 0:
        raise InvalidAmountError(
            prepaid,
            "prepaid credit is what the customer paid in advance and "
            "cannot be negative; pass zero or more",
        )
    return prepaid


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


def _credit_handling(value: object) -> CreditHandling:
    """Return ``value`` as a :class:`CreditHandling`, a string converted."""
    return option_member("handling", value, CreditHandling)


Invoice._make = unchecked(
    Invoice,
    (
        "issued_at",
        "calculated_at",
        "lines",
        "subtotal",
        "credit_balance_before",
        "credit_applied",
        "amount_due",
        "refund",
        "credit_balance_after",
        "forfeited",
        "prepaid_balance_before",
        "prepaid_applied",
        "prepaid_balance_after",
        "taxes",
    ),
)
