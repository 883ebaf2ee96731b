"""The one formula of every amount billed, and its rounding modes.

:func:`amount` computes ``price x count / total`` as an exact integer
ratio and rounds it once, by a :class:`RoundingMode`, to whole minor units.
Every amount prorata bills, and every rounding, comes from here: other
modules compute with exact integer ratios or ``fractions.Fraction`` values
and round through :func:`amount` (or :func:`prorata._money.round_exact`,
which calls it) at the point the policy names.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Final, Literal, TypeAlias

from prorata._currencies import MINOR_UNITS

if TYPE_CHECKING:
    from fractions import Fraction

__all__ = ["SCALES", "RoundingMode", "RoundingModeName", "amount"]


class RoundingMode(StrEnum):
    """How an exact amount becomes a whole number of minor units.

    The names follow :mod:`decimal`. ``HALF_UP`` (ties away from zero) is the
    default because it is what invoices and the worked examples use;
    ``HALF_EVEN`` (banker's rounding) is there for ledgers that need it.
    """

    HALF_UP = "half-up"
    """Ties away from zero: 0.125 -> 0.13, -0.125 -> -0.13."""
    HALF_EVEN = "half-even"
    """Ties to the even neighbour: 0.125 -> 0.12, 0.135 -> 0.14."""
    HALF_DOWN = "half-down"
    """Ties toward zero: 0.125 -> 0.12."""
    UP = "up"
    """Away from zero: 0.121 -> 0.13."""
    DOWN = "down"
    """Toward zero (truncate): 0.129 -> 0.12."""
    CEILING = "ceiling"
    """Toward positive infinity: -0.129 -> -0.12."""
    FLOOR = "floor"
    """Toward negative infinity: -0.121 -> -0.13."""


#: The values of :class:`RoundingMode`, which a policy's ``rounding``
#: accepts as plain strings; ``tests/test_api.py`` keeps them the same.
RoundingModeName: TypeAlias = Literal[
    "half-up", "half-even", "half-down", "up", "down", "ceiling", "floor"
]


_HALF_UP: Final = RoundingMode.HALF_UP


def amount(  # noqa: C901, PLR0912, PLR0917 - the formula and its 7 modes
    numerator: int,
    denominator: int,
    count: int | Fraction,
    total: int | Fraction,
    currency: str,
    mode: RoundingMode,
) -> tuple[int, int, int]:
    """The formula: ``numerator / denominator x count / total``, rounded once.

    A price (the integer ratio of its exact value, ``denominator > 0``)
    times a count over a total (``total > 0``). Returns the exact amount as
    one integer ratio (not reduced, its denominator positive) and that
    ratio rounded by ``mode`` to ``currency``'s minor units (a checked
    code): every amount prorata bills, and every rounding, comes from here.

    >>> amount(115, 1, 20, 30, "USD", RoundingMode.HALF_UP)
    (2300, 30, 7667)
    """
    if type(count) is int and type(total) is int:  # the time bases
        numerator *= count
        denominator *= total
    else:
        if type(count) is int:
            numerator *= count
        else:
            numerator *= count.numerator
            denominator *= count.denominator
        if type(total) is int:
            denominator *= total
        else:
            numerator *= total.denominator
            denominator *= total.numerator
    quotient, remainder = divmod(numerator * SCALES[currency], denominator)
    if not remainder:
        return numerator, denominator, quotient
    # quotient is the floor; decide whether to step up to quotient + 1.
    twice = remainder + remainder
    if mode is _HALF_UP:  # the default, decided first
        up = twice > denominator if twice != denominator else numerator > 0
        return numerator, denominator, quotient + 1 if up else quotient
    positive = numerator > 0
    if mode is RoundingMode.FLOOR:
        up = False
    elif mode is RoundingMode.CEILING:
        up = True
    elif mode is RoundingMode.DOWN:
        up = not positive
    elif mode is RoundingMode.UP:
        up = positive
    elif twice != denominator:
        up = twice > denominator
    elif mode is RoundingMode.HALF_DOWN:
        up = not positive
    else:
        up = quotient % 2 == 1
    return numerator, denominator, quotient + 1 if up else quotient


SCALES: Final = {code: 10**exponent for code, exponent in MINOR_UNITS.items()}
"""How many minor units make one major unit, by currency code."""
