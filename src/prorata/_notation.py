"""How an amount is written: symbols, their placement and separators.

Two notations, both from the Unicode CLDR data that operating systems and
browsers use:

- the **international** one that ``str(Money)`` writes, English style
  (``$1,234.50``, ``-€5.00``, ``CA$12.00``, ``CHF 12.50``): the CLDR English
  symbol of the currency before the amount, where English has one that no
  other currency shares; else the ISO code and a space;
- the **local** one, the currency's home convention
  (``format(money, "local")``): ``1.234,50 €``, ``R$ 1.234,50``,
  ``₹1,23,456.50``, ``1 234,50 kr``, for the currencies of :data:`LOCAL`.
  A currency outside it is written the international way.

Spaces inside a local amount are no-break spaces (U+00A0), as CLDR writes
them, so an amount never wraps across a line.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

__all__ = ["international", "local"]

SYMBOLS: Final = MappingProxyType(
    {
        "AUD": "A$",
        "BRL": "R$",
        "CAD": "CA$",
        "CNY": "CN\u00a5",
        "EUR": "\u20ac",
        "GBP": "\u00a3",
        "HKD": "HK$",
        "ILS": "\u20aa",
        "INR": "\u20b9",
        "JPY": "\u00a5",
        "KRW": "\u20a9",
        "MXN": "MX$",
        "NZD": "NZ$",
        "TWD": "NT$",
        "USD": "$",
        "VND": "\u20ab",
    }
)
"""The symbol ``str(Money)`` writes before the amount, by code (CLDR
English); a currency without one is written with its code."""

_NBSP: Final = "\u00a0"
_THOUSANDS: Final = 3


@dataclass(frozen=True, slots=True)
class LocalStyle:
    """A currency's home notation.

    Attributes:
        symbol: The local symbol (``"€"``, ``"kr"``, ``"CHF"``).
        before: Whether the symbol precedes the number.
        space: Whether a no-break space separates symbol and number.
        group: The thousands separator.
        decimal: The decimal separator.
        lakh: Indian grouping: the last three digits, then pairs.
    """

    symbol: str
    before: bool
    space: bool
    group: str
    decimal: str
    lakh: bool = False


def _style(
    symbol: str, pattern: str, separators: str, *, lakh: bool = False
) -> LocalStyle:
    """A style from CLDR's shape: ``"¤#"``, ``"¤ #"``, ``"# ¤"``."""
    group, decimal = separators[0], separators[1]
    return LocalStyle(
        symbol=symbol,
        before=pattern.startswith("\u00a4"),
        space=" " in pattern,
        group=_NBSP if group == " " else group,
        decimal=decimal,
        lakh=lakh,
    )


LOCAL: Final = MappingProxyType(
    {
        "AUD": _style("$", "\u00a4#", ",."),  # en-AU
        "BRL": _style("R$", "\u00a4 #", ".,"),  # pt-BR
        "CAD": _style("$", "\u00a4#", ",."),  # en-CA
        "CHF": _style("CHF", "\u00a4 #", "\u2019."),  # de-CH
        "CNY": _style("\u00a5", "\u00a4#", ",."),  # zh-CN
        "CZK": _style("K\u010d", "# \u00a4", " ,"),  # cs-CZ
        "DKK": _style("kr.", "# \u00a4", ".,"),  # da-DK
        "EUR": _style("\u20ac", "# \u00a4", ".,"),  # de-DE
        "GBP": _style("\u00a3", "\u00a4#", ",."),  # en-GB
        "HKD": _style("HK$", "\u00a4#", ",."),  # zh-HK
        "HUF": _style("Ft", "# \u00a4", " ,"),  # hu-HU
        "INR": _style("\u20b9", "\u00a4#", ",.", lakh=True),  # en-IN
        "JPY": _style("\uffe5", "\u00a4#", ",."),  # ja-JP
        "KRW": _style("\u20a9", "\u00a4#", ",."),  # ko-KR
        "MXN": _style("$", "\u00a4#", ",."),  # es-MX
        "NOK": _style("kr", "# \u00a4", " ,"),  # nb-NO
        "NZD": _style("$", "\u00a4#", ",."),  # en-NZ
        "PLN": _style("z\u0142", "# \u00a4", " ,"),  # pl-PL
        "RUB": _style("\u20bd", "# \u00a4", " ,"),  # ru-RU
        "SEK": _style("kr", "# \u00a4", " ,"),  # sv-SE
        "SGD": _style("$", "\u00a4#", ",."),  # en-SG
        "TRY": _style("\u20ba", "\u00a4#", ".,"),  # tr-TR
        "USD": _style("$", "\u00a4#", ",."),  # en-US
        "ZAR": _style("R", "\u00a4#", " ,"),  # en-ZA
    }
)
"""The home notation of the common currencies, by code (CLDR, the locale
named beside each)."""


def international(sign: str, digits: str, currency: str) -> str:
    """``sign`` and English ``digits`` (``"1,234.50"``) with the currency.

    >>> international("-", "5.00", "EUR"), international("", "12.50", "CHF")
    ('-€5.00', 'CHF 12.50')
    """
    symbol = SYMBOLS.get(currency)
    if symbol is None:
        return f"{sign}{currency} {digits}"
    return f"{sign}{symbol}{digits}"


def local(sign: str, digits: str, currency: str) -> str:
    r"""``sign`` and English ``digits`` in the currency's home notation.

    >>> local("", "1,234.50", "EUR")
    '1.234,50\xa0€'
    >>> local("", "123,456.50", "INR"), local("-", "1,234.50", "BRL")
    ('₹1,23,456.50', '-R$\xa01.234,50')
    """
    style = LOCAL.get(currency)
    if style is None:
        return international(sign, digits, currency)
    whole, point, part = digits.partition(".")
    whole = whole.replace(",", "")
    if style.lakh and len(whole) > _THOUSANDS:
        head, tail = whole[:-_THOUSANDS], whole[-_THOUSANDS:]
        pairs = [head[max(i - 2, 0) : i] for i in range(len(head), 0, -2)]
        groups = [*reversed(pairs), tail]
    else:
        groups = [whole[max(i - 3, 0) : i] for i in range(len(whole), 0, -3)]
        groups.reverse()
    number = style.group.join(groups) + (style.decimal + part if point else "")
    gap = _NBSP if style.space else ""
    if style.before:
        return f"{sign}{style.symbol}{gap}{number}"
    return f"{sign}{number}{gap}{style.symbol}"
