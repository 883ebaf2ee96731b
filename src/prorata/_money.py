"""Exact money: :class:`Money`, held as integers, and its allocation.

A :class:`Money` is an integer coefficient, a power of ten and a currency;
its ``Decimal`` is built when read. Rounding is
:func:`prorata._rounding.amount`'s: :func:`round_exact` rounds an exact
value through it, to the currency's minor units.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction
from html import escape
from math import gcd
from typing import TYPE_CHECKING, Final, Literal, NoReturn, final

from prorata._currencies import MINOR_UNITS, currency_code
from prorata._display import LONGEST
from prorata._exact import Exact, allocate_units, to_decimal, to_fraction
from prorata._notation import international, local
from prorata._rounding import SCALES, RoundingMode, amount
from prorata._shells import shell
from prorata.errors import (
    ArgumentTypeError,
    CurrencyMismatchError,
    FloatAmountError,
    InvalidAmountError,
    InvalidFormatError,
    InvalidPolicyError,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "EXACT",
    "Money",
    "aligned",
    "round_exact",
    "summed",
    "trusted",
    "trusted_units",
]

# Zero in each currency asked for, by the code as written: a Money is
# immutable, so sums start from one shared value instead of a new one.
_ZEROS: dict[str, Money] = {}
_ZEROS_KEPT: Final = 1024

# Additions and multiplications of decimals are exact at the largest
# precision, whatever the size of the operands (no division is ever done in
# this context); the Inexact trap would turn a silent rounding into an error.
_EXACT: Final = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[
        decimal.InvalidOperation,
        decimal.DivisionByZero,
        decimal.Overflow,
        decimal.Inexact,
    ],
)


def _scale(exponent: int) -> int:
    """Return ``10 ** exponent`` for a non-negative exponent, as an int."""
    return int(10**exponent)


_NEGATED: Final = {code: -exponent for code, exponent in MINOR_UNITS.items()}


def trusted(units: int, exponent: int, currency: str) -> Money:
    """Build ``units x 10 ** exponent`` of a checked code, unchecked."""
    money: Money = _new_money(_MoneyShell)
    money._units = units  # noqa: SLF001 - its shell
    money._exponent = exponent  # noqa: SLF001 - its shell
    money._currency = currency  # noqa: SLF001 - its shell
    money.__class__ = Money
    return money


def trusted_units(units: int, currency: str) -> Money:
    """Build a :class:`Money` of ``units`` minor units of a checked code.

    For hot paths that hold a rounded amount as an integer: no validation.
    """
    money: Money = _new_money(_MoneyShell)
    money._units = units  # noqa: SLF001 - its shell
    money._exponent = _NEGATED[currency]  # noqa: SLF001 - its shell
    money._currency = currency  # noqa: SLF001 - its shell
    money.__class__ = Money
    return money


def summed(amounts: Iterable[Money], currency: str) -> Money:
    """The sum of ``amounts`` of a checked ``currency``, zero if none.

    One pass over integers (each coefficient brought to the smallest
    exponent met so far), not a :class:`Money` built per addition.

    Raises:
        CurrencyMismatchError: An amount is of another currency.
    """
    units, exponent = 0, _NEGATED[currency]
    for money in amounts:
        if money._currency != currency:  # noqa: SLF001 - this module's
            raise CurrencyMismatchError(currency, money._currency, "add")  # noqa: SLF001
        x = money._exponent  # noqa: SLF001
        if x == exponent:
            units += money._units  # noqa: SLF001
        elif x > exponent:
            units += money._units * _scale(x - exponent)  # noqa: SLF001
        else:
            units = units * _scale(exponent - x) + money._units  # noqa: SLF001
            exponent = x
    return trusted(units, exponent, currency)


def aligned(a: Money, b: Money) -> tuple[int, int, int]:
    """The two amounts' coefficients at their smaller exponent, and it."""
    x, y = a._exponent, b._exponent  # noqa: SLF001 - one class's helper
    if x == y:
        return a._units, b._units, x  # noqa: SLF001
    if x < y:
        return a._units, b._units * _scale(y - x), x  # noqa: SLF001
    return a._units * _scale(x - y), b._units, y  # noqa: SLF001


def round_exact(
    value: Exact,
    currency: str,
    mode: RoundingMode = RoundingMode.HALF_UP,
) -> Money:
    """Round an exact amount to the currency's minor unit: the one rounding.

    Args:
        value: The exact amount, e.g. ``Fraction(230, 3)`` for 115 x 20/30.
        currency: An ISO 4217 code.
        mode: The rounding mode; half-up unless the policy says otherwise.

    Returns:
        A :class:`Money` with exactly the currency's number of decimals.

    Raises:
        FloatAmountError: ``value`` is a float.
        UnknownCurrencyError: The code is not an active ISO 4217 code.
        InvalidPolicyError: ``mode`` is not a rounding mode.

    >>> from fractions import Fraction
    >>> round_exact(Fraction(115 * 20, 30), "USD")
    Money('76.67', 'USD')
    >>> round_exact(Fraction(1, 8), "USD", RoundingMode.HALF_EVEN)
    Money('0.12', 'USD')
    >>> round_exact(Fraction(2500, 3), "JPY")
    Money('833', 'JPY')
    """
    code = currency_code(currency)
    if type(mode) is not RoundingMode:  # a plain string: check it
        try:
            mode = RoundingMode(mode)
        except ValueError:
            raise InvalidPolicyError(
                "rounding", mode, [m.value for m in RoundingMode]
            ) from None
    exact = value if type(value) is Fraction else to_fraction(value)
    units = amount(exact.numerator, exact.denominator, 1, 1, code, mode)[2]
    return trusted_units(units, code)


@final
class Money:
    """An exact amount of one currency; immutable and hashable.

    The amount is a :class:`~decimal.Decimal` built from a ``str``, an
    ``int`` or a ``Decimal``; a ``float`` is refused because it cannot hold
    cents exactly. Arithmetic is exact and only within one currency. An amount
    may carry more decimals than the minor unit (a rate of $0.001 a visit);
    :meth:`round` brings it to whole minor units. It is held as an integer
    coefficient and a power of ten, its ``Decimal`` built when read.

    Args:
        amount: The amount, e.g. ``"115"``, ``115`` or ``Decimal("115.00")``.
        currency: An ISO 4217 code; stored upper-case.

    Raises:
        FloatAmountError: ``amount`` is a float.
        InvalidAmountError: ``amount`` does not parse or is not finite.
        UnknownCurrencyError: The code is not an active ISO 4217 code.

    >>> Money("115", "USD") - Money("76.67", "USD")
    Money('38.33', 'USD')
    >>> print(Money("-19.84", "USD"))
    -$19.84
    """

    __slots__ = ("_currency", "_decimal", "_exponent", "_ratio", "_units")

    _units: int
    _exponent: int
    _currency: str
    _decimal: Decimal
    _ratio: tuple[int, int]

    def __init__(self, amount: str | int | Decimal, currency: str) -> None:
        """Validate and store the amount and the currency."""
        value = to_decimal(amount)
        exponent: int = value.as_tuple().exponent  # type: ignore[assignment]
        _set_units(self, int(_EXACT.scaleb(value, -exponent)))
        _set_exponent(self, exponent)  # finite: to_decimal checked it
        _set_decimal(self, value)  # kept: it may be a negative zero
        _set_currency(self, currency_code(currency))

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Return zero in the currency's minor unit, a start value for sums.

        >>> Money.zero("USD")
        Money('0.00', 'USD')
        >>> sum([Money("1.50", "USD"), Money("2", "USD")], Money.zero("USD"))
        Money('3.50', 'USD')
        """
        zero = _ZEROS.get(currency) if type(currency) is str else None
        if zero is None:
            zero = trusted_units(0, currency_code(currency))
            if len(_ZEROS) < _ZEROS_KEPT:
                _ZEROS[currency] = zero
        return zero

    @classmethod
    def from_minor_units(cls, units: int, currency: str) -> Money:
        """Build from a whole number of minor units (cents, yen, fils).

        Raises:
            InvalidAmountError: ``units`` is not an ``int``.

        >>> Money.from_minor_units(7667, "USD")
        Money('76.67', 'USD')
        >>> Money.from_minor_units(7667, "KWD")
        Money('7.667', 'KWD')
        """
        if isinstance(units, bool) or not isinstance(units, int):
            raise InvalidAmountError(units, "minor units must be an int")
        return trusted_units(units, currency_code(currency))

    # -- attributes -------------------------------------------------------

    @property
    def amount(self) -> Decimal:
        """The exact decimal amount."""
        try:
            return self._decimal
        except AttributeError:
            value = _EXACT.scaleb(Decimal(self._units), self._exponent)
            object.__setattr__(self, "_decimal", value)
            return value

    @property
    def currency(self) -> str:
        """The upper-case ISO 4217 code."""
        return self._currency

    @property
    def exponent(self) -> int:
        """The number of decimals of the currency's minor unit."""
        return MINOR_UNITS[self._currency]

    @property
    def minor_units(self) -> int:
        """The amount as a whole number of minor units.

        Raises:
            InvalidAmountError: The amount has more decimals than the minor
                unit; call :meth:`round` first.

        >>> Money("76.67", "USD").minor_units
        7667
        """
        shift = self._exponent + MINOR_UNITS[self._currency]
        if shift >= 0:
            return self._units * _scale(shift)
        units, rest = divmod(self._units, _scale(-shift))
        if rest:
            raise InvalidAmountError(
                self.amount,
                f"it has more decimals than {self._currency}'s minor unit; "
                "round it first",
            )
        return units

    @property
    def exact(self) -> Fraction:
        """The amount as an exact fraction, for exact arithmetic."""
        return Fraction(*self.integer_ratio())

    def integer_ratio(self) -> tuple[int, int]:
        """Return the amount as ``(numerator, denominator)`` in lowest terms.

        The denominator is positive; computed once per instance.

        >>> Money("76.50", "USD").integer_ratio()
        (153, 2)
        """
        try:
            return self._ratio
        except AttributeError:
            units, exponent = self._units, self._exponent
            if exponent >= 0:
                ratio = (units * _scale(exponent), 1)
            else:
                scale = _scale(-exponent)
                common = gcd(units, scale)
                ratio = (units // common, scale // common)
            object.__setattr__(self, "_ratio", ratio)
            return ratio

    def round(self, mode: RoundingMode = RoundingMode.HALF_UP) -> Money:
        """Round to the currency's minor unit (see :func:`round_exact`).

        >>> Money("0.125", "USD").round()
        Money('0.13', 'USD')
        >>> Money("0.125", "USD").round(RoundingMode.HALF_EVEN)
        Money('0.12', 'USD')
        """
        return round_exact(self.exact, self._currency, mode)

    def allocate(self, weights: Sequence[Exact]) -> tuple[Money, ...]:
        """Split into parts proportional to ``weights``, losing no minor unit.

        Each part gets the floor of its exact share; the minor units left
        over go one each to the parts with the largest remainders (the
        earlier part on a tie). The parts always add up to the whole.

        Args:
            weights: Non-negative exact weights, at least one positive.

        Returns:
            One :class:`Money` per weight, in order.

        Raises:
            InvalidWeightsError: No weights, a negative weight, a float, or
                all weights zero.
            InvalidAmountError: The amount is not in whole minor units.

        >>> Money("100", "USD").allocate([1, 1, 1])
        (Money('33.34', 'USD'), Money('33.33', 'USD'), Money('33.33', 'USD'))
        >>> Money("35", "USD").allocate([29, 1])
        (Money('33.83', 'USD'), Money('1.17', 'USD'))
        """
        return tuple(
            trusted_units(part, self._currency)
            for part in allocate_units(self.minor_units, weights)
        )

    # -- arithmetic -------------------------------------------------------

    def _same(self, other: Money, operation: str) -> None:
        if other._currency != self._currency:
            raise CurrencyMismatchError(
                self._currency, other._currency, operation
            )

    def __add__(self, other: Money) -> Money:
        """Add an amount of the same currency."""
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "add")
        if self._exponent == other._exponent:
            return trusted(
                self._units + other._units, self._exponent, self._currency
            )
        a, b, exponent = aligned(self, other)
        return trusted(a + b, exponent, self._currency)

    def __radd__(self, other: object) -> Money:
        """Support ``sum()`` from ``0``."""
        if (
            isinstance(other, int)
            and not isinstance(other, bool)
            and not other
        ):
            return self
        return NotImplemented

    def __sub__(self, other: Money) -> Money:
        """Subtract an amount of the same currency."""
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "subtract")
        a, b, exponent = aligned(self, other)
        return trusted(a - b, exponent, self._currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        """Multiply by an ``int`` or a ``Decimal``; a float is refused."""
        if isinstance(factor, float):
            raise FloatAmountError(factor)
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal):
            return NotImplemented
        if isinstance(factor, int):
            return trusted(
                self._units * factor, self._exponent, self._currency
            )
        value = to_decimal(factor)
        exponent = value.as_tuple().exponent
        assert isinstance(exponent, int)  # noqa: S101 - finite, checked
        coefficient = int(_EXACT.scaleb(value, -exponent))
        return trusted(
            self._units * coefficient,
            self._exponent + exponent,
            self._currency,
        )

    __rmul__ = __mul__

    def __truediv__(self, other: Money) -> Fraction:
        """Divide by an amount of the same currency: an exact ratio.

        >>> Money("150", "USD") / Money("225", "USD")
        Fraction(2, 3)
        """
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "divide")
        if not other._units:
            raise InvalidAmountError(other.amount, "it is zero: no divisor")
        return self.exact / other.exact

    def __neg__(self) -> Money:
        """Return the amount with its sign flipped."""
        return trusted(-self._units, self._exponent, self._currency)

    def __pos__(self) -> Money:
        """Return the amount unchanged."""
        return self

    def __abs__(self) -> Money:
        """Return the amount without its sign."""
        return trusted(abs(self._units), self._exponent, self._currency)

    def __bool__(self) -> bool:
        """Return whether the amount is not zero."""
        return self._units != 0

    # -- comparison -------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        """Equal when currency and value are equal (``1.5 == 1.50``).

        A zero of any currency equals the int ``0``, as it orders equal to
        it; no other number equals an amount.
        """
        if type(other) is int and other == 0:
            return self._units == 0
        if not isinstance(other, Money):
            return NotImplemented
        if self._currency != other._currency:
            return False
        a, b, _ = aligned(self, other)
        return a == b

    def __hash__(self) -> int:
        """Hash consistently with ``==``: every zero as ``0`` does."""
        if not self._units:
            return 0
        return hash((self._currency, self.exact))

    def _ordered(self, other: object) -> tuple[int, int]:
        """The two amounts as integers of one scale, ready to order.

        ``other`` is a Money of the same currency, or the number zero,
        which needs no currency: ``money > 0`` reads as it is written.
        """
        if isinstance(other, Money):
            self._same(other, "compare")
            a, b, _ = aligned(self, other)
            return a, b
        if isinstance(other, float):
            raise FloatAmountError(other)
        if type(other) is int and other == 0:
            return self._units, 0
        raise ArgumentTypeError(
            "compared value", other, "a Money of the same currency, or 0"
        )

    def __lt__(self, other: Money | Literal[0]) -> bool:
        """Order amounts of one currency, or an amount and zero."""
        a, b = self._ordered(other)
        return a < b

    def __le__(self, other: Money | Literal[0]) -> bool:
        """Order amounts of one currency, or an amount and zero."""
        a, b = self._ordered(other)
        return a <= b

    def __gt__(self, other: Money | Literal[0]) -> bool:
        """Order amounts of one currency, or an amount and zero."""
        a, b = self._ordered(other)
        return a > b

    def __ge__(self, other: Money | Literal[0]) -> bool:
        """Order amounts of one currency, or an amount and zero."""
        a, b = self._ordered(other)
        return a >= b

    # -- immutability and display -----------------------------------------

    def __setattr__(self, name: str, value: object) -> NoReturn:
        """Refuse every assignment: money is immutable."""
        raise AttributeError(f"Money is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        """Refuse every deletion: money is immutable."""
        raise AttributeError(f"Money is immutable; cannot delete {name!r}")

    def __reduce__(self) -> tuple[type[Money], tuple[str, str]]:
        """Pickle as the evaluable constructor call."""
        return (Money, (str(self.amount), self._currency))

    def __repr__(self) -> str:
        """Return an evaluable form: ``Money('76.67', 'USD')``.

        An amount of over 170 digits (a rate kept exact) is shown cut, as
        ``<Money 0.00000...: 251 digits, USD>``; ``str()`` and ``amount``
        have every digit.
        """
        text = f"Money({str(self.amount)!r}, {self._currency!r})"
        if len(text) <= LONGEST:
            return text
        digits, code = str(self.amount), self._currency
        return f"<Money {digits[:150]}...: {len(digits)} digits, {code}>"

    def __str__(self) -> str:
        """Return a human form: ``$76.67``, ``-€19.84``, ``CHF 12.50``.

        Amounts show at least the currency's decimals and never an exponent:
        ``Money("1.5", "USD")`` is ``$1.50``, ``Money("1e3", "USD")`` is
        ``$1,000.00``; a rate with more decimals keeps them all. The symbol
        is the currency's CLDR English one where it has its own, else the
        code (:mod:`prorata._notation`).
        """
        return international(*self._digits(), self._currency)

    def _repr_html_(self) -> str:
        """The amount as people read it, for notebooks: ``$76.67``."""
        return f'<span class="prorata-money">{escape(str(self))}</span>'

    def __format__(self, spec: str) -> str:
        r"""Format as ``str()``, the home notation, or as the amount would.

        ``""`` is ``str(money)``; ``"local"`` the currency's home notation
        (``1.234,50 €``); any other spec formats the amount, a ``Decimal``,
        as ``format(money.amount, spec)`` would, without the currency:

        >>> m = Money("1234.5", "EUR")
        >>> f"{m}", f"{m:.2f}", f"{m:,.1f}", f"{m:>10}"
        ('€1,234.50', '1234.50', '1,234.5', '    1234.5')
        >>> f"{m:local}"
        '1.234,50\xa0€'

        Raises:
            InvalidFormatError: A spec that ``Decimal`` does not take.
        """
        if not spec:  # an f-string's {money}: str() without the hop
            return international(*self._digits(), self._currency)
        if spec == "local":
            return local(*self._digits(), self._currency)
        try:
            return format(self.amount, spec)
        except (ValueError, TypeError):
            raise InvalidFormatError(spec) from None

    def _digits(self) -> tuple[str, str]:
        """The sign and the English digits: ``("-", "1,234.50")``."""
        places, units = MINOR_UNITS[self._currency], self._units
        shift = self._exponent + places
        if shift >= 0 and abs(units) < _PRINTABLE:  # pad, in integers
            whole, part = divmod(
                abs(units) * _scale(shift), SCALES[self._currency]
            )
            digits = f"{whole:,}.{part:0{places}d}" if places else f"{whole:,}"
        else:  # more decimals (a rate keeps them all), or digits past it
            digits = f"{_EXACT.abs(self.amount):,f}"
        return ("-" if units < 0 else ""), digits


# Below Python's limit on the digits of an int turned into a string.
_PRINTABLE: Final = 10**4000

# Money's shell for trusted and trusted_units; slot setters for __init__.
_new_money: Final = object.__new__
_MoneyShell: Final[type] = shell(Money)
_set_units: Final = vars(Money)["_units"].__set__
_set_exponent: Final = vars(Money)["_exponent"].__set__
_set_decimal: Final = vars(Money)["_decimal"].__set__
_set_currency: Final = vars(Money)["_currency"].__set__
EXACT: Final = _EXACT
"""The exact context, for other modules' decimal arithmetic."""
