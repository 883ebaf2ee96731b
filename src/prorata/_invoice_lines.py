"""Invoice lines: what a line bills, for which time, how much and why.

:class:`InvoiceLine` carries the product it bills, the quantity and the
exact amount beside the rounded one, so tax and discount rules can tell
what a line is; :func:`bill_lines` bills a change's proration lines (with a
rounding line when the policy rounds their net once), :func:`treated` drops
what a treatment bills nothing for, and :func:`over_cap` takes back a
credit beyond what was paid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar, Final, final

from prorata._add_on import AddOn, Charge
from prorata._display import capped, displayed
from prorata._money import Money
from prorata._period import to_utc
from prorata._plan import Plan
from prorata._policy import RoundingStage, Treatment
from prorata._pricing import LineKind, ProrationLine, sum_lines
from prorata._rounding import SCALES
from prorata._shells import unchecked
from prorata._tax import TaxRate
from prorata.errors import ArgumentTypeError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from prorata._policy import ProrationPolicy

__all__ = [
    "InvoiceLine",
    "InvoiceLineKind",
    "bill_lines",
    "exact_or_none",
    "over_cap",
    "treated",
]


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
    invoice bills the net the proration states. Under the billing policy's
    ``invoice_rounding``: the invoice's total, tax included, rounded to the
    cash increment, less that total (untaxed, dated the invoice's date)."""


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
    # How a line prorata builds writes its description and calculation,
    # until they are first read: a cache of what renders them, not state.
    _text: Callable[[], tuple[str, str]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    _make: ClassVar[
        Callable[
            [
                InvoiceLineKind,
                str,
                Money,
                datetime,
                datetime,
                str,
                Plan | AddOn | Charge | None,
                int,
                Fraction | None,
                datetime | None,
                tuple[TaxRate, ...],
            ],
            InvoiceLine,
        ]
    ]
    """The fields in order, unchecked: for lines prorata builds itself."""

    _lazy: ClassVar[
        Callable[
            [
                InvoiceLineKind,
                Money,
                datetime,
                datetime,
                Plan | AddOn | Charge | None,
                int,
                Fraction | None,
                datetime | None,
                tuple[TaxRate, ...],
                Callable[[], tuple[str, str]],
            ],
            InvoiceLine,
        ]
    ]
    """As ``_make``, the description and calculation written by the last
    argument when first read: a line nobody reads costs no strings."""

    if not TYPE_CHECKING:  # a typo'd attribute stays a type error

        def __getattr__(self, name: str) -> object:
            """Write a lazy line's description and calculation, once."""
            if name == "_text":
                return None
            if name not in {"description", "calculation"}:
                raise AttributeError(name)
            text = object.__getattribute__(self, "_text")
            description, calculation = text()
            object.__setattr__(self, "description", description)
            object.__setattr__(self, "calculation", calculation)
            object.__setattr__(self, "_text", None)
            return description if name == "description" else calculation

    @classmethod
    def from_proration(cls, line: ProrationLine) -> InvoiceLine:
        """Bill a proration line (credit, charge or used time) as it is.

        Raises:
            ArgumentTypeError: ``line`` is not a :class:`ProrationLine`.
        """
        if not isinstance(line, ProrationLine):
            raise ArgumentTypeError("line", line, "a ProrationLine")
        return InvoiceLine._lazy(
            _KINDS[line.kind],
            line.amount,
            line.start,
            line.end,
            line.plan,
            line.quantity,
            line.exact,
            None,
            line.plan.taxes,
            lambda: (line.description, line.calculation),
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
        return capped(f"<InvoiceLine {self.kind.value}: {self}>")


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
    lines: Sequence[ProrationLine],
    policy: ProrationPolicy,
    credit: Treatment | None = None,
) -> list[ProrationLine]:
    """A change's lines, less those its treatment says bill nothing.

    A credit or a charge whose treatment is ``Treatment.NONE`` (Stripe's
    ``proration_behavior=none``) is left off the invoice rather than billed
    as a $0.00 line. ``credit``: the change's own, over the policy's.
    """
    untreated = {
        kind
        for kind, treatment in (
            (LineKind.UNUSED_TIME, credit or policy.credit),
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


InvoiceLine._make = unchecked(
    InvoiceLine,
    (
        "kind",
        "description",
        "amount",
        "start",
        "end",
        "calculation",
        "product",
        "quantity",
        "exact",
        "corrects",
        "taxes",
    ),
)
InvoiceLine._lazy = unchecked(
    InvoiceLine,
    (
        "kind",
        "amount",
        "start",
        "end",
        "product",
        "quantity",
        "exact",
        "corrects",
        "taxes",
        "_text",
    ),
)
