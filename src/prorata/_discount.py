"""Discounts: a percentage or a fixed amount off a price, applied exactly."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final, final

from prorata._money import EXACT, Money
from prorata.errors import ArgumentTypeError, InvalidPlanError

__all__ = ["Discount"]

_HUNDRED: Final = Decimal(100)


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class Discount:
    """A discount on a price: a percentage off, or a fixed amount off.

    It applies to the price before proration, exactly (no rounding), so the
    discounted proration is rounded once like any other; the discount on a
    proration then equals the proration of the discount within one minor
    unit. Build one with :meth:`percent_off` or :meth:`amount_off`.

    Args:
        percent: The percentage off, 0 to 100, e.g. ``Decimal(15)``.
        amount: A fixed amount off each interval's price.

    Raises:
        InvalidPlanError: Neither or both given, a percentage outside 0-100
            or a float, or a negative amount.

    >>> fifteen = Discount.percent_off(15)
    >>> fifteen.apply(Money("115", "USD"))
    Money('97.75', 'USD')
    >>> str(fifteen)
    '15% off'
    """

    percent: Decimal | None = None
    amount: Money | None = None

    def __post_init__(self) -> None:
        """Validate: exactly one of percent and amount."""
        if (self.percent is None) == (self.amount is None):
            raise InvalidPlanError(
                "discount",
                "percent/amount",
                (self.percent, self.amount),
                "must name exactly one; use Discount.percent_off(15) or "
                "Discount.amount_off(Money('10', 'USD'))",
            )
        value: object = self.percent
        if value is not None:
            if not isinstance(value, Decimal) or not value.is_finite():
                raise InvalidPlanError(
                    "discount",
                    "percent",
                    value,
                    "is not a finite Decimal; use Discount.percent_off(15)",
                )
            if not 0 <= value <= 100:  # noqa: PLR2004
                raise InvalidPlanError(
                    "discount", "percent", value, "is not in 0-100"
                )
        elif not isinstance(self.amount, Money) or self.amount.amount < 0:
            raise InvalidPlanError(
                "discount",
                "amount",
                self.amount,
                "is not a Money of zero or more",
            )

    @classmethod
    def percent_off(cls, percent: int | Decimal) -> Discount:
        """Return a discount of ``percent`` percent (15 for the page's 15%).

        Raises:
            InvalidPlanError: A float, a bool, or a value outside 0-100.
        """
        if isinstance(percent, bool) or not isinstance(percent, int | Decimal):
            raise InvalidPlanError(
                "discount",
                "percent",
                percent,
                "is not an int or Decimal; pass e.g. 15 or Decimal('12.5')",
            )
        return cls(percent=Decimal(percent))

    @classmethod
    def amount_off(cls, amount: Money) -> Discount:
        """Return a discount of a fixed ``amount`` off each price."""
        return cls(amount=amount)

    def apply(self, price: Money) -> Money:
        """Return the discounted price, exact and never below zero.

        Raises:
            ArgumentTypeError: ``price`` is not a :class:`Money`.
            CurrencyMismatchError: A fixed amount in another currency.
        """
        if not isinstance(price, Money):
            raise ArgumentTypeError("price", price, "a Money")
        if self.percent is not None:
            # Exact whatever the caller's decimal context: Money's own.
            share = EXACT.scaleb(EXACT.subtract(_HUNDRED, self.percent), -2)
            return price * share
        assert self.amount is not None  # noqa: S101 - checked in __post_init__
        return max(price - self.amount, Money.zero(price.currency))

    def __str__(self) -> str:
        """``'15% off'`` or ``'$10.00 off'``."""
        if self.percent is not None:
            return f"{self.percent.normalize():f}% off"
        return f"{self.amount} off"
