"""What the coupons so far left of a line, stretch by stretch of its time.

A compounded percentage (``PercentStacking.COMPOUND``) is of what the
coupons before it left of the time its window covers; :class:`Rest` keeps
that for ``_discounting``.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise
from typing import TYPE_CHECKING, final

from prorata._period import to_utc

if TYPE_CHECKING:
    from collections.abc import Sequence

    from prorata._coupon_windows import CouponWindow
    from prorata._invoice_lines import InvoiceLine

__all__ = ["Rest"]


@final
class Rest:
    """What the coupons so far left of a line, stretch by stretch of time.

    The line's time is cut at each window's start and end inside it; each
    stretch holds its share of the line (by seconds) less what the coupons
    took from it: a percentage in proportion to what each stretch inside
    its window has left, a fixed amount by time, as it is prorated.
    """

    __slots__ = ("_left", "_stretches", "_time")

    def __init__(
        self, line: InvoiceLine, windows: Sequence[CouponWindow]
    ) -> None:
        """Cut ``line``'s time at the ``windows``' edges inside it."""
        first, last = to_utc(line.start), to_utc(line.end)
        whole = abs(line.precise)
        if last <= first:  # a moment: one stretch, covered or not
            self._stretches = [(first, last)]
            self._time = [Fraction(1)]
        else:
            edges = {first, last}
            for window in windows:
                for edge in (window.start, window.end):
                    if edge is not None and first < to_utc(edge) < last:
                        edges.add(to_utc(edge))
            self._stretches = list(pairwise(sorted(edges)))
            span = Fraction((last - first).total_seconds())
            self._time = [
                Fraction((hi - lo).total_seconds()) / span
                for lo, hi in self._stretches
            ]
        self._left = [whole * part for part in self._time]

    def _inside(self, window: CouponWindow) -> list[int]:
        """The stretches inside ``window``."""
        return [
            index
            for index, (lo, hi) in enumerate(self._stretches)
            if window.overlap(lo, hi)
        ]

    def of(self, window: CouponWindow) -> Fraction:
        """What is left of the line's time inside ``window``."""
        return sum(
            (max(self._left[i], Fraction(0)) for i in self._inside(window)),
            Fraction(0),
        )

    def take(
        self, window: CouponWindow, taken: Fraction, *, by_time: bool
    ) -> None:
        """Take ``taken`` off the stretches inside ``window``."""
        inside = self._inside(window)
        weights = [
            self._time[i] if by_time else max(self._left[i], Fraction(0))
            for i in inside
        ]
        total = sum(weights, Fraction(0))
        if not total:
            return
        for index, weight in zip(inside, weights, strict=True):
            self._left[index] -= taken * weight / total
