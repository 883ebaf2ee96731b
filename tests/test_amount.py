"""The one formula, ``_rounding.amount``, against :mod:`decimal`'s modes.

An independent reference: the exact ratio ``n / d x count / total`` in
``Fraction``, its rounding decided by the ``decimal`` rounding of the
same name.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from prorata import RoundingMode
from prorata._rounding import amount
from tests.common import DECIMAL_ROUNDING

_counts = st.one_of(
    st.integers(0, 10**7),
    st.fractions(min_value=0, max_value=10**4, max_denominator=400),
)


def _reference(
    value: Fraction, mode: RoundingMode, places: int
) -> int:
    """``value`` in minor units, rounded by ``decimal``'s mode.

    The floor plus 0.25, 0.5 or 0.75 (below, at or above half a unit past
    it) is exact in ``Decimal`` and keeps the one thing a mode looks at.
    """
    scaled = value * 10**places
    floor = scaled.numerator // scaled.denominator
    rest = scaled - floor
    probe = Decimal(floor) + (
        Decimal("0.5")
        if rest == Fraction(1, 2)
        else Decimal("0.25")
        if rest < Fraction(1, 2) and rest
        else Decimal("0.75")
        if rest
        else Decimal(0)
    )
    with localcontext() as context:
        context.prec = 80
        return int(probe.quantize(Decimal(1), DECIMAL_ROUNDING[mode]))


@given(
    numerator=st.integers(-(10**9), 10**9),
    denominator=st.integers(1, 10**4),
    count=_counts,
    total=st.one_of(
        st.integers(1, 10**7),
        st.fractions(min_value=Fraction(1, 100), max_value=10**4),
    ),
    mode=st.sampled_from(tuple(RoundingMode)),
    currency=st.sampled_from(("USD", "JPY", "KWD")),
)
def test_amount_rounds_the_exact_ratio_as_decimal_does(
    numerator: int,
    denominator: int,
    count: int | Fraction,
    total: int | Fraction,
    mode: RoundingMode,
    currency: str,
) -> None:
    """Exact part and rounded units, every mode, int and Fraction counts."""
    top, bottom, units = amount(
        numerator, denominator, count, total, currency, mode
    )
    exact = Fraction(numerator, denominator) * Fraction(count) / total
    assert Fraction(top, bottom) == exact
    assert bottom > 0
    places = {"USD": 2, "JPY": 0, "KWD": 3}[currency]
    assert units == _reference(exact, mode, places)


@given(
    half_units=st.integers(-(10**6), 10**6),
    factor=st.integers(1, 50),
    mode=st.sampled_from(tuple(RoundingMode)),
)
def test_amount_breaks_ties_as_decimal_does(
    half_units: int, factor: int, mode: RoundingMode
) -> None:
    """Exact halves of a cent (``half_units / 2`` cents, spread over a
    count and total of ``factor``): every mode's tie rule, either sign."""
    units = amount(half_units, 200, factor, factor, "USD", mode)[2]
    assert units == _reference(Fraction(half_units, 200), mode, 2)
