"""Tests for the ISO 4217 minor-unit table."""

from __future__ import annotations

import re

import pytest

from prorata._currencies import MINOR_UNITS

_CODE = re.compile(r"[A-Z]{3}")


def test_every_key_is_three_uppercase_ascii_letters() -> None:
    """Every currency code is exactly three uppercase ASCII letters."""
    bad = [code for code in MINOR_UNITS if not _CODE.fullmatch(code)]
    assert bad == []


def test_every_exponent_is_between_zero_and_four() -> None:
    """Every minor-unit exponent is a plain int in 0..4."""
    bad = {
        code: exponent
        for code, exponent in MINOR_UNITS.items()
        if type(exponent) is not int or not 0 <= exponent <= 4
    }
    assert bad == {}


def test_keys_are_sorted() -> None:
    """The table is written in alphabetical order of code."""
    codes = list(MINOR_UNITS)
    assert codes == sorted(codes)


def test_table_is_not_trivially_small() -> None:
    """The table holds the full list of active codes, not a sample."""
    assert len(MINOR_UNITS) >= 150


@pytest.mark.parametrize(
    ("code", "exponent"),
    [
        ("USD", 2),
        ("EUR", 2),
        ("GBP", 2),
        ("JPY", 0),
        ("KRW", 0),
        ("CLP", 0),
        ("ISK", 0),
        ("VND", 0),
        ("XAF", 0),
        ("XOF", 0),
        ("KWD", 3),
        ("BHD", 3),
        ("TND", 3),
        ("JOD", 3),
        ("OMR", 3),
        ("CLF", 4),
        ("UYW", 4),
    ],
)
def test_well_known_exponents(code: str, exponent: int) -> None:
    """Well-known currencies carry the exponent ISO 4217 gives them."""
    assert MINOR_UNITS[code] == exponent


@pytest.mark.parametrize("code", ["VES", "MRU", "STN", "SLE", "ZWG", "XCG"])
def test_recent_codes_are_present(code: str) -> None:
    """Codes introduced in recent amendments are in the table."""
    assert MINOR_UNITS[code] == 2


@pytest.mark.parametrize(
    "code",
    ["XAU", "XAG", "XPT", "XPD", "XDR", "XTS", "XXX", "XSU", "XUA", "XBA"],
)
def test_codes_without_minor_unit_are_absent(code: str) -> None:
    """Codes whose minor unit is N.A. are left out of the table."""
    assert code not in MINOR_UNITS
