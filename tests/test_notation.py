"""How amounts are written: ``str``, ``format`` and the home notations.

The expected strings are the Unicode CLDR's (v44 locale data, the
``currencyFormat`` "standard" pattern and the ``symbols`` of the locale
named in each case), written out here by hand, not computed by prorata.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    ArgumentTypeError,
    FloatAmountError,
    InvalidFormatError,
    Money,
)
from prorata._notation import LOCAL, SYMBOLS

NBSP = "\u00a0"


class TestInternational:
    """``str(Money)``: the CLDR English symbol, or the code and a space."""

    @pytest.mark.parametrize(
        ("amount", "currency", "written"),
        [
            ("1234.5", "USD", "$1,234.50"),
            ("-5", "EUR", "-€5.00"),
            ("12", "CAD", "CA$12.00"),
            ("12", "AUD", "A$12.00"),
            ("99", "CNY", "CN¥99.00"),
            ("1000", "JPY", "¥1,000"),
            ("12.5", "CHF", "CHF 12.50"),
            ("1.5", "KWD", "KWD 1.500"),
            ("100", "INR", "₹100.00"),
        ],
    )
    def test_english_symbols(
        self, amount: str, currency: str, written: str
    ) -> None:
        """en.xml's symbols; a currency without one shows its code."""
        assert str(Money(amount, currency)) == written

    def test_no_symbol_is_shared(self) -> None:
        """Each symbol names one currency: "$" is only the US dollar's."""
        assert len(set(SYMBOLS.values())) == len(SYMBOLS)


class TestLocal:
    """``format(money, "local")``: the currency's home notation."""

    @pytest.mark.parametrize(
        ("amount", "currency", "written"),
        [
            ("1234.5", "EUR", f"1.234,50{NBSP}€"),  # de-DE
            ("1234.5", "CHF", f"CHF{NBSP}1\u2019234.50"),  # de-CH
            ("1234.5", "SEK", f"1{NBSP}234,50{NBSP}kr"),  # sv-SE
            ("1234.5", "DKK", f"1.234,50{NBSP}kr."),  # da-DK
            ("1234.5", "BRL", f"R${NBSP}1.234,50"),  # pt-BR
            ("1234567.5", "INR", "₹12,34,567.50"),  # en-IN, lakh
            ("999", "INR", "₹999.00"),
            ("1234.5", "GBP", "£1,234.50"),  # en-GB
            ("1234", "JPY", "\uffe51,234"),  # ja-JP
            ("1234.5", "PLN", f"1{NBSP}234,50{NBSP}zł"),  # pl-PL
            ("-1234.5", "USD", "-$1,234.50"),
            ("1.5", "KWD", "KWD 1.500"),  # no home style kept: international
        ],
    )
    def test_home_notation(
        self, amount: str, currency: str, written: str
    ) -> None:
        """Symbol, its side, and the separators of the home locale."""
        assert format(Money(amount, currency), "local") == written

    def test_common_currencies_have_a_home_style(self) -> None:
        """The currencies most invoices are in are all covered."""
        common = {"USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "INR"}
        assert common <= set(LOCAL)

    @given(st.integers(-(10**12), 10**12), st.sampled_from(sorted(LOCAL)))
    def test_local_reads_back(self, units: int, currency: str) -> None:
        """Strip the symbol and separators: the amount's digits remain."""
        money = Money.from_minor_units(units, currency)
        style = LOCAL[currency]
        written = format(money, "local")
        number = written.replace(style.symbol, "").strip(NBSP + "-")
        if style.group:
            number = number.replace(style.group, "")
        number = number.replace(style.decimal, ".")
        sign = -1 if written.startswith("-") else 1
        assert sign * Decimal(number) == money.amount


class TestFormat:
    """``format()`` takes the specs a Decimal takes, for the amount."""

    def test_specs(self) -> None:
        """Number specs format the amount alone; "" is str()."""
        money = Money("1234.565", "USD")
        assert f"{money}" == str(money) == "$1,234.565"
        assert f"{money:.2f}" == "1234.56"  # Decimal's half-even
        assert f"{money:,.2f}" == "1,234.56"
        assert f"{Money('7', 'USD'):>8}" == "       7"
        assert f"{Money('7', 'USD'):+.2f}" == "+7.00"

    @pytest.mark.parametrize("spec", ["x", ".2q", "locale", "s"])
    def test_bad_spec(self, spec: str) -> None:
        """A spec Decimal refuses is an InvalidFormatError naming it."""
        with pytest.raises(InvalidFormatError, match=repr(spec)):
            format(Money("1", "USD"), spec)


class TestOrderAgainstZero:
    """``money > 0`` reads as written; zero needs no currency."""

    def test_zero(self) -> None:
        """The int zero orders against any currency."""
        assert Money("0.01", "USD") > 0
        assert Money("-3", "EUR") < 0
        assert Money("0", "JPY") >= 0
        assert Money("0", "JPY") <= 0
        assert not Money("0", "USD") > 0

    @pytest.mark.parametrize("other", [1, Decimal(0), "0", True, None])
    def test_other_values_are_refused(self, other: object) -> None:
        """Only zero has no currency: 5 or "0" would be a guess, and an
        amount's Decimal compares with ``money.amount``."""
        with pytest.raises(ArgumentTypeError, match="or 0"):
            Money("1", "USD") < other  # type: ignore[operator]  # noqa: B015

    def test_float_zero_is_refused(self) -> None:
        """A float never meets money, not even 0.0."""
        with pytest.raises(FloatAmountError):
            Money("1", "USD") > 0.0  # type: ignore[operator]  # noqa: B015


class TestReviewFindings:
    """What an adversarial review of #18 found (session 8)."""

    def test_a_zero_equals_zero_as_it_orders(self) -> None:
        """``m >= 0 and m <= 0`` means ``m == 0``; a zero hashes as 0."""
        zero = Money("0.00", "EUR")
        assert zero >= 0 and zero <= 0  # noqa: PT018
        assert zero == 0
        assert hash(zero) == hash(0) == hash(Money("0", "JPY"))
        assert Money("0.01", "USD") != 0
        assert Money("1", "USD") != 1  # only zero has no currency

    def test_a_money_of_many_decimals_has_a_short_repr(self) -> None:
        """An exact rate of 250 decimals shows cut; str() keeps them all."""
        rate = Money("1." + "1" * 250, "USD")
        assert len(repr(rate)) < 200
        assert repr(rate).startswith("<Money 1.111")
        assert repr(rate).endswith(": 252 digits, USD>")
        assert str(rate).count("1") == 251
