"""Proration policies: the named conventions a proration follows."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final, final

from prorata._money import RoundingMode
from prorata.errors import InvalidPolicyError

__all__ = [
    "DEFAULT_POLICY",
    "Basis",
    "ProrationPolicy",
    "RoundingStage",
    "coerce_options",
]


def coerce_options(
    owner: object, options: tuple[tuple[str, type[StrEnum]], ...]
) -> None:
    """Turn each named option of a frozen ``owner`` into its enum member.

    Raises:
        InvalidPolicyError: A value that is not one of its enum's values.
    """
    for name, kind in options:
        value = getattr(owner, name)
        try:
            member = kind(value)
        except ValueError:
            raise InvalidPolicyError(
                name, value, [item.value for item in kind]
            ) from None
        object.__setattr__(owner, name, member)


class Basis(StrEnum):
    """How time is measured when a price is split over part of a period.

    Every basis measures a position from the period's start in whole units;
    the share of a stretch of time is its units over the period's units,
    always the whole period, never the window that is left.
    """

    SECONDS = "seconds"
    """Whole seconds over the period's seconds: "prorated down to the second"
    (hosting page, ``002_440c7b3f4171c8ae.txt``; Stripe's default). A change
    moment is floored to its second. The library's default."""

    DAYS = "days"
    """Whole days over the period's actual days (28 to 31 for a month). Days
    run from the wall-clock time of the period's start in its time zone; the
    day of a change goes to the new plan."""

    THIRTY_DAY_MONTH = "thirty-day-month"
    """Days counted 30/360: every month of the period counts 30 days, so a
    monthly period has 30 days whatever its month and anchor day, as the
    hosting page's worked examples assume ("in a 30 day month"). Days into a
    month count as they are, up to 30: the 31st counts nothing and the last
    day of February counts what is left of the 30."""

    DAILY_RATE = "daily-rate"
    """A daily rate, price / days in the period rounded to the minor unit,
    times whole days: the hosting page's "$1.17 per day" and "$33.93 for 29
    days". It rounds the rate first, so it can differ from ``DAYS`` by a few
    cents; that is the convention, not an error."""


class RoundingStage(StrEnum):
    """Where the one rounding to minor units happens."""

    LINE = "line"
    """Round each line, then add the rounded lines: the hosting page's
    -$19.84 is $19.83 - $39.67, not -$19.8333 rounded. The default."""

    NET = "net"
    """Keep lines exact and round only the net; the lines still show their
    own rounded amounts, which may then differ from the net by a cent."""


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class ProrationPolicy:
    """The conventions one proration follows; every option has a default.

    Args:
        basis: How time is measured (:class:`Basis`); seconds by default.
        rounding: The :class:`~prorata.RoundingMode`; half-up by default.
        rounding_stage: Round each line or only the net
            (:class:`RoundingStage`); each line by default.

    Raises:
        InvalidPolicyError: An option that is not one of its enum's values.

    >>> ProrationPolicy(basis="days")
    ProrationPolicy(basis=<Basis.DAYS: 'days'>, \
rounding=<RoundingMode.HALF_UP: 'half-up'>, \
rounding_stage=<RoundingStage.LINE: 'line'>)
    """

    basis: Basis = Basis.SECONDS
    rounding: RoundingMode = RoundingMode.HALF_UP
    rounding_stage: RoundingStage = RoundingStage.LINE

    def __post_init__(self) -> None:
        """Turn option strings into their enum members, or refuse them."""
        coerce_options(
            self,
            (
                ("basis", Basis),
                ("rounding", RoundingMode),
                ("rounding_stage", RoundingStage),
            ),
        )

    def describe(self) -> str:
        """Return a short human description of the policy.

        >>> DEFAULT_POLICY.describe()
        'basis seconds, half-up rounding per line'
        """
        stage = (
            "per line"
            if self.rounding_stage is RoundingStage.LINE
            else "of the net"
        )
        return f"basis {self.basis}, {self.rounding} rounding {stage}"


DEFAULT_POLICY: Final = ProrationPolicy()
"""Seconds basis, half-up rounding of each line."""
