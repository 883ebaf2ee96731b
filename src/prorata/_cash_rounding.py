"""Cash rounding: an invoice's total rounded to a currency increment.

:class:`InvoiceRounding` (Zuora's Rounding Increment and Rounding Mode)
and the untaxed ``ROUNDING`` line that takes a total to it; ``_invoice``
adds the line when it settles. Also the one conversion of an option string
to its enum member that the invoice layer shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar, final

from prorata._display import displayed
from prorata._invoice_lines import InvoiceLine, InvoiceLineKind
from prorata._money import Money, trusted_units
from prorata._rounding import SCALES, RoundingMode, amount
from prorata.errors import (
    ArgumentTypeError,
    FloatAmountError,
    InvalidPolicyError,
)

if TYPE_CHECKING:
    from datetime import datetime

    from prorata._rounding import RoundingModeName

_E = TypeVar("_E", bound=StrEnum)

__all__ = [
    "InvoiceRounding",
    "check_rounding",
    "option_member",
    "rounding_line",
]


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class InvoiceRounding:
    """Round each invoice's total to a cash increment, by a rounding line.

    The lines and their tax are rounded to the currency's minor unit as
    ever; then the invoice's total, tax included, is rounded to a whole
    multiple of ``increment`` by ``mode``, and a ``ROUNDING`` line, untaxed,
    bills the difference, so the subtotal and the total include it. The
    credit balance is applied to the rounded total: what is due after it
    is a multiple of the increment only if the balance is. A negative
    total (a credit) is rounded by the same mode (``up`` away from zero).
    Zuora's invoice-level rounding, a currency's Rounding Increment and
    Rounding Mode (docs.zuora.com, zuora-billing/bill-your-customer/
    invoice-management/invoice-level-rounding and its
    invoice-level-rounding-example); Odoo's cash rounding "Add a rounding
    line" is the same rule.

    Args:
        increment: The increment, a positive whole number of the
            currency's minor units (Swiss francs: ``Money("0.05", "CHF")``).
            It names the one currency the policy bills.
        mode: How the total becomes a multiple of it (:class:`RoundingMode`;
            Zuora offers ``up``, ``down`` and ``half-up``, the default).

    Raises:
        FloatAmountError: ``increment`` is a float.
        ArgumentTypeError: ``increment`` is not a :class:`Money`.
        InvalidPolicyError: An increment of zero or less, or not in whole
            minor units; a mode that is not a :class:`RoundingMode`.

    Zuora's example: items of CHF 1 (tax 0.11) and CHF 1.01, increment
    0.05, mode Up, "the invoice total amount is rounded from 2.12 to 2.15":

    >>> from prorata import InvoiceRounding, Money
    >>> rounding = InvoiceRounding(increment=Money("0.05", "CHF"), mode="up")
    >>> print(rounding.rounded(Money("2.12", "CHF")))
    CHF 2.15
    """

    increment: Money
    mode: RoundingMode = RoundingMode.HALF_UP

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            increment: Money,
            mode: RoundingMode | RoundingModeName = RoundingMode.HALF_UP,
        ) -> None:
            """Build the rule from a mode member or its string."""

    def __post_init__(self) -> None:
        """Validate the increment; turn a mode string into its member."""
        increment: object = self.increment
        if isinstance(increment, float):
            raise FloatAmountError(increment)
        if not isinstance(increment, Money):
            raise ArgumentTypeError(
                "increment", increment, "a Money, e.g. Money('0.05', 'CHF')"
            )
        code = increment.currency
        units = increment.exact * SCALES[code]
        if units <= 0 or units.denominator != 1:
            unit = trusted_units(1, code)
            raise InvalidPolicyError(
                "invoice_rounding.increment",
                increment,
                [
                    (
                        f"an amount above zero in whole minor units of {code} "
                        f"(a multiple of {unit}), e.g. Money('0.05', 'CHF')"
                    )
                ],
            )
        mode = option_member("invoice_rounding.mode", self.mode, RoundingMode)
        object.__setattr__(self, "mode", mode)

    def rounded(self, total: Money) -> Money:
        """``total`` rounded to a whole multiple of the increment.

        Raises:
            ArgumentTypeError: ``total`` is not a :class:`Money`.
            InvalidPolicyError: ``total`` is of another currency.
        """
        if not isinstance(total, Money):
            raise ArgumentTypeError("total", total, "a Money")
        check_rounding(self, total.currency)
        return _rounded(total, self)

    def __str__(self) -> str:
        """``'CHF 0.05, up'``."""
        return f"{self.increment}, {self.mode.value}"


def check_rounding(rounding: InvoiceRounding | None, currency: str) -> None:
    """Refuse an invoice rounding whose increment is in another currency.

    Raises:
        InvalidPolicyError: The increment is not in ``currency``.
    """
    if rounding is not None and rounding.increment.currency != currency:
        raise InvalidPolicyError(
            "invoice_rounding",
            rounding.increment,
            [
                "None",
                (
                    f"an InvoiceRounding whose increment is in {currency}, "
                    "the currency billed (the rule is a currency's, as "
                    "Zuora's Rounding Increment is)"
                ),
            ],
        )


def _rounded(total: Money, rounding: InvoiceRounding) -> Money:
    """``total`` rounded to the increment, through the one formula.

    The exact total over the increment, in minor units, rounded by the
    mode to a whole number of increments: ``amount`` rounds ``n / (d x
    step x scale) x scale``.
    """
    currency = total.currency
    step = rounding.increment.minor_units
    numerator, denominator = total.integer_ratio()
    count = amount(
        numerator, denominator * step, 1, 1, currency, rounding.mode
    )[2]
    return trusted_units(count * step, currency)


def rounding_line(
    total: Money, rounding: InvoiceRounding, at: datetime
) -> InvoiceLine | None:
    """The untaxed ``ROUNDING`` line taking ``total`` to the increment.

    ``None`` when the total is a multiple of it already. It bills no
    product, for the invoice's date (Zuora's Rounding Amount item: "Set to
    the invoice date", no tax).
    """
    rounded = _rounded(total, rounding)
    if rounded == total:
        return None
    mode = rounding.mode.value
    return InvoiceLine._make(
        InvoiceLineKind.ROUNDING,
        f"Rounding of the total to a multiple of {rounding.increment}",
        rounded - total,
        at,
        at,
        f"the total {total} rounded {mode} to a multiple of "
        f"{rounding.increment}, {rounded}, less {total}",
        None,
        1,
        None,
        None,
        (),
    )


def option_member(name: str, value: object, enum: type[_E]) -> _E:
    """Return ``value`` as a member of ``enum``, a string converted."""
    try:
        if isinstance(value, str):
            return enum(value)
    except ValueError:
        pass
    raise InvalidPolicyError(name, value, [member.value for member in enum])
