"""Tax: rates on what is sold, and the tax lines of an invoice.

A :class:`TaxRate` is exclusive (added on top of a line) or inclusive (part
of the line's amount); a product may carry several (a state and a city
rate), each computed on the line's amount, not on the other taxes. The
policy names the rounding order (:class:`TaxRounding`, :class:`TaxBase`).
Every tax amount is ``amount x rate`` through the one formula of
``_money.amount`` and rounded once: half up, away from zero for a credit.

A credit is taxed at the rates of the product it credits: the plan as it
was billed, whatever a newer version of the plan charges.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Final, Literal, Protocol, TypeAlias, final

from prorata._display import displayed
from prorata._money import Money, trusted_units
from prorata._rounding import SCALES, RoundingMode, amount
from prorata.errors import InvalidTaxError

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "TaxBase",
    "TaxBaseName",
    "TaxLine",
    "TaxRate",
    "TaxRounding",
    "TaxRoundingName",
    "check_taxes",
    "tax_lines",
]

_HALF_UP: Final = RoundingMode.HALF_UP
# InvoiceLineKind.DISCOUNT, compared as its string (the kinds live above).
_DISCOUNT: Final = "discount"


class TaxRounding(StrEnum):
    """Where tax is rounded: on each line, or once per rate per invoice."""

    PER_LINE = "per-line"
    """Each line's tax is rounded, and the invoice's tax is their sum
    (Stripe's and Chargebee's line-item level). The default."""
    PER_INVOICE = "per-invoice"
    """The exact tax of all the lines at one rate is added up and rounded
    once (Chargebee's invoice level, Zuora's tax rounding per invoice)."""
    PER_ITEM = "per-item"
    """Each line is taxed together with the discount lines on it, after
    them, each rate rounded once for the item: the tax of $199.00 less
    $19.90 at 8.875% is $15.90 (8.875% of $179.10), where per line it is
    $17.66 less $1.77, $15.89. Paddle's: a transaction item's tax is on
    its subtotal less its discount (PaddleHQ/paddle-go-sdk, shared.go
    ``Totals``: "Subtotal less discount", "Total tax on the subtotal";
    testdata/transactions_paginated_pg2.json: 17910 x 8.875% = "1590")."""
    PER_DOCUMENT = "per-document"
    """As ``PER_INVOICE``, with the credits apart: the lines a credit note
    of its own would carry (a credit, with the discount lines on it) are
    taxed as that note, each rate rounded once there too, the charges as
    the invoice. Lago's: a change's credit is a credit note beside the
    invoice, and each document rounds each tax once on the sum of its
    items (getlago/lago-api @ 1b1c24a6, app/services/invoices/
    apply_taxes_service.rb; @ 0f96a2e0, app/services/credit_notes/
    apply_taxes_service.rb: each tax's amount the rounded sum over the
    note's items)."""


class TaxBase(StrEnum):
    """What the rate is applied to: a line as rounded, or its exact amount."""

    ROUNDED = "rounded"
    """The line's rounded amount: $66.67 at 10% is $6.67 of tax. The
    default."""
    PRECISE = "precise"
    """The exact amount: the taxed total is computed on it and rounded
    once, and the tax is that total less the rounded line ($100 x 2/3 at
    10%: $73.33 in all, $6.66 of tax)."""


# tests/test_api.py keeps each option alias the same as its enum.
#: The values of :class:`TaxRounding`, accepted as plain strings.
TaxRoundingName: TypeAlias = Literal[
    "per-line", "per-invoice", "per-item", "per-document"
]
#: The values of :class:`TaxBase`, accepted as plain strings.
TaxBaseName: TypeAlias = Literal["rounded", "precise"]


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class TaxRate:
    """A tax rate: a name, a percentage, and whether prices include it.

    Args:
        name: The tax as the invoice names it, e.g. ``"VAT"``.
        percent: The rate, 0 to 100, an ``int`` or a ``Decimal``.
        inclusive: The prices already include it (VAT-style); by default
            it is added on top (US sales tax).

    Raises:
        InvalidTaxError: An empty name, a float, or a rate below 0 or
            above 100.

    >>> from prorata import TaxRate
    >>> TaxRate(name="VAT", percent=20, inclusive=True)
    TaxRate(name='VAT', percent=Decimal('20'), inclusive=True)
    """

    name: str
    percent: Decimal
    inclusive: bool = False

    if TYPE_CHECKING:

        def __init__(
            self, *, name: str, percent: int | Decimal, inclusive: bool = False
        ) -> None:
            """Build a rate from an ``int`` or a ``Decimal`` percentage."""

    def __post_init__(self) -> None:
        """Validate the name, the rate and the flag."""
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidTaxError(self.name, "name", self.name, "is empty")
        value: object = self.percent
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise InvalidTaxError(
                self.name,
                "percent",
                value,
                "is not an int or Decimal; pass e.g. 20 or Decimal('8.875')",
            )
        percent = Decimal(value)
        if not percent.is_finite() or not 0 <= percent <= 100:  # noqa: PLR2004
            raise InvalidTaxError(
                self.name, "percent", value, "is not a rate from 0 to 100"
            )
        if not isinstance(self.inclusive, bool):
            raise InvalidTaxError(
                self.name, "inclusive", self.inclusive, "is not a bool"
            )
        object.__setattr__(self, "percent", percent)

    @property
    def fraction(self) -> Fraction:
        """The rate as an exact fraction: 20% is ``Fraction(1, 5)``."""
        return Fraction(self.percent) / 100

    def __str__(self) -> str:
        """``'VAT 20% incl.'`` or ``'Sales tax 8.875%'``."""
        shown = f"{self.name} {self.percent.normalize():f}%"
        return f"{shown} incl." if self.inclusive else shown


def check_taxes(owner: str, value: object) -> tuple[TaxRate, ...]:
    """Return ``value`` as a tuple of distinct :class:`TaxRate`.

    Raises:
        InvalidTaxError: Not a tuple or list of rates, or a rate twice.
    """
    if not isinstance(value, tuple | list):
        raise InvalidTaxError(owner, "taxes", value, "is not a tuple of rates")
    rates = tuple(value)
    for rate in rates:
        if not isinstance(rate, TaxRate):
            raise InvalidTaxError(
                owner,
                "taxes",
                rate,
                "is not a TaxRate; build one with TaxRate(name=, percent=)",
            )
    if len(set(rates)) != len(rates):
        raise InvalidTaxError(owner, "taxes", rates, "lists a rate twice")
    return rates


class Taxed(Protocol):
    """What tax reads off an invoice line."""

    @property
    def amount(self) -> Money: ...
    @property
    def exact(self) -> Fraction | None: ...
    @property
    def taxes(self) -> tuple[TaxRate, ...]: ...
    @property
    def kind(self) -> str: ...


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class TaxLine:
    """The tax of one rate on an invoice: on one line, or on all of them.

    Args:
        rate: The rate.
        taxable: What it is computed on, as billed (tax included, for an
            inclusive rate); negative for a credit.
        amount: The tax, rounded; negative on a credit.
        line: The index of the invoice line taxed (per-line rounding), or
            ``None`` for every line at the rate (per-invoice rounding).
        exact: The exact tax before rounding.
    """

    rate: TaxRate
    taxable: Money
    amount: Money
    line: int | None
    exact: Fraction

    @property
    def inclusive(self) -> bool:
        """Whether the tax is part of the lines' amounts already."""
        return self.rate.inclusive

    def __str__(self) -> str:
        """``'Sales tax 10% on $66.67 = $6.67'``."""
        on = "included in" if self.rate.inclusive else "on"
        return f"{self.rate} {on} {self.taxable} = {self.amount}"


def tax_lines(
    lines: Sequence[Taxed],
    currency: str,
    rounding: TaxRounding,
    base: TaxBase,
) -> tuple[TaxLine, ...]:
    """The tax lines of ``lines``: per line or per rate, as ``rounding`` says.

    >>> from prorata import InvoiceLine, InvoiceLineKind
    >>> from datetime import UTC, datetime
    >>> at = datetime(2024, 6, 1, tzinfo=UTC)
    >>> ten = TaxRate(name="Sales tax", percent=10)
    >>> cent = InvoiceLine(kind=InvoiceLineKind.SUBSCRIPTION,
    ...     description="Sticker", amount=Money("0.05", "USD"), start=at,
    ...     end=at, calculation="$0.05", taxes=(ten,))
    >>> [str(t.amount) for t in tax_lines([cent] * 3, "USD",
    ...     TaxRounding.PER_LINE, TaxBase.ROUNDED)]
    ['$0.01', '$0.01', '$0.01']
    >>> [str(t) for t in tax_lines([cent] * 3, "USD",
    ...     TaxRounding.PER_INVOICE, TaxBase.ROUNDED)]
    ['Sales tax 10% on $0.15 = $0.02']
    """
    for line in lines:
        if line.taxes:
            break
    else:  # untaxed: nothing to group
        return ()
    scale = SCALES[currency]
    # Per rate, in order of first use: the index taxed (None for the whole
    # invoice), whether on the credits apart (``PER_DOCUMENT``), the billed
    # units, the exact base and the exact tax.
    groups: dict[tuple[TaxRate, int | None, bool], list[Fraction]] = {}
    item = 0  # the line a discount line is on (``PER_ITEM``)
    credit = False  # whether that line is a credit (``PER_DOCUMENT``)
    apart = rounding is TaxRounding.PER_DOCUMENT
    for index, line in enumerate(lines):
        if line.kind != _DISCOUNT:
            item = index
            credit = apart and line.amount.minor_units < 0
        if not line.taxes:
            continue
        billed = Fraction(line.amount.minor_units, scale)
        exact = billed if line.exact is None else line.exact
        included = sum(
            (rate.fraction for rate in line.taxes if rate.inclusive),
            Fraction(0),
        )
        on = exact if base is TaxBase.PRECISE else billed
        for rate in line.taxes:
            # Each rate on the price without the inclusive taxes: an
            # exclusive rate beside them never applies to their tax.
            share = rate.fraction / (1 + included)
            key = (rate, _group(rounding, index, item), credit)
            sums = groups.setdefault(key, [Fraction(0)] * 3)
            sums[0] += billed
            sums[1] += on
            sums[2] += on * share
    return tuple(
        _tax_line(rate, index, sums, currency, base)
        for (rate, index, _), sums in groups.items()
    )


def _group(rounding: TaxRounding, index: int, item: int) -> int | None:
    """The line whose tax a line's adds to: its own, its item's, or none."""
    if rounding is TaxRounding.PER_LINE:
        return index
    return item if rounding is TaxRounding.PER_ITEM else None


def _tax_line(
    rate: TaxRate,
    index: int | None,
    sums: list[Fraction],
    currency: str,
    base: TaxBase,
) -> TaxLine:
    """One rate's tax on a group of lines, rounded once."""
    billed, on, tax = sums
    if base is TaxBase.PRECISE and not rate.inclusive:
        # The taxed total computed on the exact amount, rounded once; the
        # tax is what it adds to the lines as billed.
        total = _rounded(on + tax, currency)
        units = total - _rounded(billed, currency)
    else:
        units = _rounded(tax, currency)
    return TaxLine(
        rate=rate,
        taxable=trusted_units(_rounded(billed, currency), currency),
        amount=trusted_units(units, currency),
        line=index,
        exact=tax,
    )


def _rounded(value: Fraction, currency: str) -> int:
    """``value`` in minor units of ``currency``, rounded half up once."""
    top, bottom = value.numerator, value.denominator
    return amount(top, bottom, 1, 1, currency, _HALF_UP)[2]
