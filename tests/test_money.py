"""Money: construction, exact arithmetic, rounding, allocation."""

from __future__ import annotations

import contextlib
import decimal
import pickle
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    CurrencyMismatchError,
    Money,
    ProrataError,
    RoundingMode,
    minor_unit_exponent,
    round_exact,
)
from prorata._currencies import MINOR_UNITS
from prorata._invoice import settlement
from tests.strategies import currencies, exact_values, money, spoiled, weights


class TestConstruction:
    def test_from_str_int_and_decimal(self) -> None:
        """str, int and Decimal give the same value."""
        assert Money("115", "USD") == Money(115, "USD")
        assert Money(Decimal("115.00"), "USD") == Money("115", "USD")

    def test_currency_is_upper_cased(self) -> None:
        """Stripe writes 'usd'; prorata stores 'USD'."""
        assert Money("1", "usd").currency == "USD"

    def test_repr_is_evaluable(self) -> None:
        """repr round-trips through eval, as doctests rely on."""
        money = Money("76.67", "USD")
        assert repr(money) == "Money('76.67', 'USD')"
        assert eval(repr(money)) == money  # noqa: S307

    def test_str_uses_symbol_or_code(self) -> None:
        """People see $76.67, -$19.84, CHF 12.50, $1,000.00."""
        assert str(Money("76.67", "USD")) == "$76.67"
        assert str(Money("-19.84", "USD")) == "-$19.84"
        assert str(Money("12.5", "CHF")) == "CHF 12.50"
        assert str(Money("1e3", "USD")) == "$1,000.00"
        assert str(Money("0.001", "USD")) == "$0.001"
        assert str(Money("100", "JPY")) == "\u00a5100"

    def test_immutable(self) -> None:
        """No attribute can be set or deleted."""
        money = Money("1", "USD")
        with pytest.raises(AttributeError, match="immutable"):
            money._amount = Decimal(2)
        with pytest.raises(AttributeError, match="immutable"):
            del money._currency

    def test_pickles(self) -> None:
        """Money survives pickling, for multiprocessing and caches."""
        money = Money("-19.84", "USD")
        assert pickle.loads(pickle.dumps(money)) == money  # noqa: S301

    def test_hash_follows_equality(self) -> None:
        """1.5 and 1.50 are one key."""
        assert len({Money("1.5", "USD"), Money("1.50", "USD")}) == 1

    def test_minor_units(self) -> None:
        """Whole minor units in, whole minor units out."""
        assert Money.from_minor_units(-1984, "USD") == Money("-19.84", "USD")
        assert Money("1234", "JPY").minor_units == 1234
        assert Money("1.234", "KWD").minor_units == 1234


class TestArithmetic:
    def test_add_sub_neg(self) -> None:
        """Exact decimal arithmetic within one currency."""
        total = Money("150", "USD") - Money("76.67", "USD")
        assert total == Money("73.33", "USD")
        assert -total == Money("-73.33", "USD")
        assert abs(-total) == total

    def test_sum_from_zero(self) -> None:
        """sum() works with the builtin start value and with Money.zero."""
        parts = [Money("-76.67", "USD"), Money("150", "USD")]
        assert sum(parts) == Money("73.33", "USD")
        assert sum(parts, Money.zero("USD")) == Money("73.33", "USD")

    def test_multiply_by_int_and_decimal(self) -> None:
        """$1.17 a day for 29 days is $33.93."""
        assert Money("1.17", "USD") * 29 == Money("33.93", "USD")
        assert Decimal("0.5") * Money("3", "USD") == Money("1.5", "USD")

    def test_divide_money_gives_an_exact_ratio(self) -> None:
        """$150 / $225 is exactly 2/3."""
        assert Money("150", "USD") / Money("225", "USD") == Fraction(2, 3)

    def test_unknown_operand_types_are_not_implemented(self) -> None:
        """Adding a number to money is a TypeError, not a silent guess."""
        with pytest.raises(TypeError):
            _ = Money("1", "USD") + 1  # type: ignore[operator]
        assert Money("1", "USD") != 1

    @pytest.mark.parametrize(
        "operation",
        [
            lambda a, b: a + b,
            lambda a, b: a - b,
            lambda a, b: a < b,
            lambda a, b: a <= b,
            lambda a, b: a > b,
            lambda a, b: a >= b,
            lambda a, b: a / b,
        ],
    )
    def test_mixed_currencies_are_refused(self, operation: object) -> None:
        """Dollars and euros never mix; the message names both."""
        assert callable(operation)
        with pytest.raises(CurrencyMismatchError, match="USD and EUR"):
            operation(Money("1", "USD"), Money("1", "EUR"))

    def test_comparison_within_a_currency(self) -> None:
        """Amounts of one currency are ordered."""
        assert Money("19.83", "USD") < Money("39.67", "USD")
        assert Money("1", "USD") >= Money("1.00", "USD")
        assert not Money("0.00", "USD")


class TestRounding:
    def test_exponents_are_iso_4217(self) -> None:
        """USD has cents, JPY none, KWD fils."""
        assert minor_unit_exponent("usd") == 2
        assert minor_unit_exponent("JPY") == 0
        assert minor_unit_exponent("KWD") == 3

    @pytest.mark.parametrize(
        ("mode", "positive", "negative"),
        [
            (RoundingMode.HALF_UP, "0.13", "-0.13"),
            (RoundingMode.HALF_EVEN, "0.12", "-0.12"),
            (RoundingMode.HALF_DOWN, "0.12", "-0.12"),
            (RoundingMode.UP, "0.13", "-0.13"),
            (RoundingMode.DOWN, "0.12", "-0.12"),
            (RoundingMode.CEILING, "0.13", "-0.12"),
            (RoundingMode.FLOOR, "0.12", "-0.13"),
        ],
    )
    def test_modes_on_a_tie(
        self, mode: RoundingMode, positive: str, negative: str
    ) -> None:
        """0.125 and -0.125 under every mode, as decimal defines them."""
        tie = Fraction(1, 8)
        assert round_exact(tie, "USD", mode) == Money(positive, "USD")
        assert round_exact(-tie, "USD", mode) == Money(negative, "USD")

    def test_half_even_goes_to_even_neighbour(self) -> None:
        """0.135 -> 0.14 under banker's rounding."""
        value = Fraction(135, 1000)
        assert round_exact(value, "USD", RoundingMode.HALF_EVEN) == Money(
            "0.14", "USD"
        )

    def test_result_carries_the_currency_exponent(self) -> None:
        """Rounded amounts print with the minor unit's decimals."""
        assert repr(round_exact(150, "USD")) == "Money('150.00', 'USD')"
        assert repr(round_exact(Fraction(2500, 3), "JPY")) == (
            "Money('833', 'JPY')"
        )
        assert repr(round_exact(Fraction(1, 3), "KWD")) == (
            "Money('0.333', 'KWD')"
        )

    def test_round_method(self) -> None:
        """A rate of a tenth of a cent rounds like any exact amount."""
        assert Money("0.125", "USD").round() == Money("0.13", "USD")


class TestAllocate:
    def test_no_cent_lost(self) -> None:
        """$100 in three parts: 33.34 + 33.33 + 33.33."""
        parts = Money("100", "USD").allocate([1, 1, 1])
        assert [str(p) for p in parts] == ["$33.34", "$33.33", "$33.33"]
        assert sum(parts) == Money("100", "USD")

    def test_negative_amount(self) -> None:
        """A credit splits like a charge, with the sign kept."""
        parts = Money("-0.05", "USD").allocate([1, 1])
        assert parts == (Money("-0.03", "USD"), Money("-0.02", "USD"))

    def test_zero_weight_gets_nothing(self) -> None:
        """A segment of no time gets no money."""
        parts = Money("35", "USD").allocate([0, 29, 1])
        assert parts[0] == Money("0", "USD")
        assert sum(parts) == Money("35", "USD")

    def test_decimal_and_fraction_weights(self) -> None:
        """Exact weights of any kind split the same way."""
        by_decimal = Money("10", "USD").allocate([Decimal("0.5"), 1])
        by_fraction = Money("10", "USD").allocate([Fraction(1, 2), 1])
        assert (
            by_decimal
            == by_fraction
            == (
                Money("3.33", "USD"),
                Money("6.67", "USD"),
            )
        )


# -- properties (issue #2) ----------------------------------------------------


HALF_MODES = frozenset(
    {RoundingMode.HALF_UP, RoundingMode.HALF_EVEN, RoundingMode.HALF_DOWN}
)


def unit(currency: str) -> Fraction:
    """One minor unit of the currency, as an exact fraction."""
    return Fraction(1, 10 ** MINOR_UNITS[currency])


@given(amount=money(), by=weights())
def test_allocation_never_creates_or_loses_a_minor_unit(
    amount: Money, by: list[int]
) -> None:
    """Allocation loses no minor unit; each part is < 1 unit off its share."""
    parts = amount.allocate(by)

    assert len(parts) == len(by)
    assert sum(parts, Money.zero(amount.currency)) == amount
    one = unit(amount.currency)
    for part, weight in zip(parts, by, strict=True):
        share = amount.exact * weight / sum(by)
        assert abs(part.exact - share) < one
        assert part.currency == amount.currency
        assert part.minor_units * one == part.exact


def _values(data: st.DataObject, currency: str) -> Fraction:
    """An exact value, often a tie halfway between two minor units."""
    tie = st.integers(-(10**9), 10**9).map(
        lambda n: Fraction(2 * n + 1, 2) * unit(currency)
    )
    return Fraction(data.draw(exact_values() | tie))


@given(
    currency=currencies(),
    mode=st.sampled_from(tuple(RoundingMode)),
    data=st.data(),
)
def test_rounding_moves_an_amount_by_less_than_a_minor_unit(
    currency: str, mode: RoundingMode, data: st.DataObject
) -> None:
    """Rounding moves an amount <= half a unit (HALF_*), else < one unit."""
    value = _values(data, currency)

    rounded = round_exact(value, currency, mode)

    one = unit(currency)
    assert rounded.currency == currency
    assert rounded.minor_units * one == rounded.exact
    if mode in HALF_MODES:
        assert abs(rounded.exact - value) <= one / 2
    else:
        assert abs(rounded.exact - value) < one


@given(currency=currencies(), data=st.data())
def test_half_up_rounds_credits_and_charges_alike(
    currency: str, data: st.DataObject
) -> None:
    """Half-up rounds a credit to minus what it rounds the same charge to."""
    value = _values(data, currency)

    up = RoundingMode.HALF_UP
    assert round_exact(-value, currency, up) == -round_exact(
        value, currency, up
    )


@given(
    kwargs=spoiled(
        {"amount": money().map(lambda m: m.amount), "currency": currencies()}
    )
)
def test_money_builds_or_refuses_with_a_prorata_error(
    kwargs: dict[str, Any],
) -> None:
    """Money(...) builds or raises a ProrataError, whatever it is given."""
    with contextlib.suppress(ProrataError):
        Money(**kwargs)


def _small_exponent(value: Decimal) -> bool:
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and -12 <= exponent <= 3


_DECIMALS: st.SearchStrategy[Decimal] = st.decimals(
    allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9
).filter(_small_exponent)


@given(a=_DECIMALS, b=_DECIMALS, factor=_DECIMALS, n=st.integers(-50, 50))
def test_integer_money_agrees_with_decimal_arithmetic(
    a: Decimal, b: Decimal, factor: Decimal, n: int
) -> None:
    """Money holds a coefficient and a power of ten; every operation gives
    what exact Decimal arithmetic gives, digits and exponent alike (the
    reference: Decimal in a context that cannot round). A zero has no
    sign: Decimal's -0 is Money's 0."""
    exact = decimal.Context(prec=200)

    def same(money: Money, value: Decimal) -> bool:
        exponent = value.as_tuple().exponent
        return money.amount == value and (
            money.amount.as_tuple().exponent == exponent
        )

    x, y = Money(a, "USD"), Money(b, "USD")
    assert same(x + y, exact.add(a, b))
    assert same(x - y, exact.subtract(a, b))
    assert same(x * factor, exact.multiply(a, factor))
    assert same(x * n, exact.multiply(a, Decimal(n)))
    assert same(-x, exact.minus(a))
    assert same(abs(x), exact.abs(a))
    assert (x == y) is (a == b)
    assert (x < y, x <= y, x > y, x >= y) == (a < b, a <= b, a > b, a >= b)
    assert x.exact == Fraction(a)
    assert bool(x) is bool(a)
    if a == b:
        assert hash(x) == hash(y)


@given(total=_DECIMALS, balance=_DECIMALS, refund=st.booleans())
def test_settlement_agrees_with_decimal_arithmetic(
    total: Decimal,
    balance: Decimal,
    refund: bool,  # noqa: FBT001 - drawn by Hypothesis
) -> None:
    """An invoice's total settled against a credit balance gives what exact
    Decimal arithmetic gives, digits and exponent alike: the balance padded
    to cents, ``min(balance, total)`` applied to a positive total, the rest
    due; a negative total due nothing, refunded or added to the balance."""
    exact = decimal.Context(prec=200)
    cents = Decimal("0.00")
    padded = exact.add(balance, cents)
    if total >= 0:
        applied = min(padded, total)
        due, refunded = exact.subtract(total, applied), cents
        after = exact.subtract(padded, applied)
    elif refund:
        applied, due, refunded, after = (
            cents,
            cents,
            exact.minus(total),
            padded,
        )
    else:
        applied, due, refunded = cents, cents, cents
        after = exact.subtract(padded, total)
    got = settlement(Money(total, "USD"), Money(balance, "USD"), refund=refund)
    want = (padded, applied, due, refunded, after)
    for figure, value in zip(got, want, strict=True):
        assert figure.currency == "USD"
        assert figure.amount == value
        assert figure.amount.as_tuple().exponent == value.as_tuple().exponent


def test_settlement_refuses_a_balance_of_another_currency() -> None:
    with pytest.raises(CurrencyMismatchError, match="EUR"):
        settlement(Money("5", "USD"), Money("1", "EUR"), refund=False)
