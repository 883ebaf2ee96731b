"""Exact numbers from callers' values: what prorata accepts, what it refuses.

:data:`Exact` is the type of an exact quantity. :func:`to_decimal` and
:func:`to_fraction` turn a caller's amount into an exact value, refusing a
``float``, a ``bool``, a value that is not finite, and one too large or too
precise for any bill; :func:`weight_shares` does the same for allocation
weights. Nothing here rounds: :mod:`prorata._money` holds the one rounding.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Final, TypeAlias

from prorata.errors import (
    ArgumentTypeError,
    FloatAmountError,
    InvalidAmountError,
    InvalidWeightsError,
    shown,
)

__all__ = [
    "Exact",
    "allocate_units",
    "to_decimal",
    "to_fraction",
]

#: A number prorata accepts as an exact quantity: never a ``float``.
Exact: TypeAlias = int | Decimal | Fraction


def to_fraction(value: object, name: str = "amount") -> Fraction:
    """Return an exact number as a Fraction, or refuse it."""
    if isinstance(value, bool):
        raise InvalidAmountError(value, f"{name} is a bool")
    if isinstance(value, float):
        raise FloatAmountError(value)
    if isinstance(value, int):
        _bounded_int(value, value, name)
        return Fraction(value)
    if isinstance(value, Fraction):
        _bounded_int(value.numerator, value, name)
        _bounded_int(value.denominator, value, name)
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidAmountError(value, "it is not finite")
        return Fraction(_bounded(value, value))
    raise InvalidAmountError(value, f"a {type(value).__name__} is no number")


_DIGITS: Final = 1_000


def _bounded(value: Decimal, original: object) -> Decimal:
    """Refuse amounts no bill holds, whose exact arithmetic would not end."""
    if value and not -_DIGITS <= value.adjusted() <= _DIGITS:
        raise InvalidAmountError(
            original, f"its magnitude is beyond 10^{_DIGITS} or 10^-{_DIGITS}"
        )
    if len(value.as_tuple().digits) > _DIGITS:
        raise InvalidAmountError(original, f"it has over {_DIGITS} digits")
    return value


# An int of over _DIGITS decimal digits has more than this many bits.
_BITS: Final = int(_DIGITS * 3.3219280948873626) + 1


def _bounded_int(value: int, original: object, name: str = "it") -> None:
    """Refuse an int of over ``_DIGITS`` digits, counted without str()."""
    if value.bit_length() > _BITS:
        raise InvalidAmountError(original, f"{name} has over {_DIGITS} digits")


def to_decimal(value: object) -> Decimal:
    """Return an amount (a str, int or Decimal) as a Decimal, or refuse it."""
    if isinstance(value, str):
        try:
            parsed = Decimal(value.strip().replace("_", ""))
        except decimal.InvalidOperation:
            raise InvalidAmountError(value, "it does not parse") from None
        if not parsed.is_finite():
            raise InvalidAmountError(value, "it is not finite")
        return _bounded(parsed, value)
    if isinstance(value, bool):
        raise InvalidAmountError(value, "it is a bool")
    if isinstance(value, float):
        raise FloatAmountError(value)
    if isinstance(value, int):
        _bounded_int(value, value)
        return _bounded(Decimal(value), value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidAmountError(value, "it is not finite")
        return _bounded(value, value)
    raise InvalidAmountError(value, f"a {type(value).__name__} is no amount")


def weight_shares(weights: Sequence[Exact]) -> list[Fraction]:
    """Return each weight's exact share of their sum, or refuse the weights.

    The checks of :meth:`prorata.Money.allocate`: at least one weight, none
    a float or negative, not all zero.
    """
    if not isinstance(weights, Sequence):
        raise ArgumentTypeError(
            "weights", weights, "a list of ints, Decimals or Fractions"
        )
    if isinstance(weights, str | bytes) or len(weights) == 0:
        raise InvalidWeightsError(weights, "give at least one weight")
    values: list[Fraction] = []
    for weight in weights:
        if isinstance(weight, float):
            raise InvalidWeightsError(
                weights, f"weight {shown(weight)} is a float; use an int"
            )
        value = to_fraction(weight, "weight")
        if value < 0:
            raise InvalidWeightsError(
                weights, f"weight {shown(weight)} is < 0"
            )
        values.append(value)
    total = sum(values, Fraction(0))
    if total == 0:
        raise InvalidWeightsError(weights, "they add up to zero")
    return [value / total for value in values]


def allocate_units(total: int, weights: Sequence[Exact]) -> list[int]:
    """Split ``total`` minor units by ``weights``, losing none.

    Each part gets the floor of its exact share of the magnitude; the units
    left over go one each to the parts with the largest remainders (the
    earlier part on a tie); every part takes the total's sign.

    Raises:
        InvalidWeightsError: As :func:`weight_shares`.
    """
    shares = weight_shares(weights)
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    exact = [magnitude * share for share in shares]
    units = [int(part) for part in exact]  # floor: parts are >= 0
    order = sorted(
        range(len(exact)),
        key=lambda index: (-(exact[index] - units[index]), index),
    )
    for index in order[: magnitude - sum(units)]:
        units[index] += 1
    return [sign * part for part in units]
