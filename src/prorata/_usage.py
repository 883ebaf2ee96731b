"""Usage: what each plan segment used, and the overage that falls due.

Each usage record belongs to the plan segment in force at its moment, found
by bisection, and is priced under that segment's plan (upgrades are not
applied retroactively). Overage is priced through the one formula of
``_pricing``, per started block or pro rata, and billed as invoice lines.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Final, Literal, TypeAlias

from prorata._invoice_lines import InvoiceLine, InvoiceLineKind, exact_or_none
from prorata._money import EXACT, trusted_units
from prorata._rounding import amount

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from prorata._allowance import UsageAllowance
    from prorata._period import BillingPeriod
    from prorata._plan import Plan, Usage
    from prorata._rounding import RoundingMode

__all__ = [
    "AllowanceProration",
    "AllowanceProrationName",
    "OverageBilling",
    "OverageBillingName",
    "overage_lines",
]


class AllowanceProration(StrEnum):
    """How much of an allowance a plan segment shorter than a period gets."""

    FULL = "full"
    """Each plan segment keeps its plan's whole allowance: the hosting
    page's Starter customer, upgraded on day 30, is charged for 75,000
    visits over 25,000, not over 29/30 of it. The default."""

    PRORATED = "prorated"
    """The allowance times the segment's share of the usage window."""


class OverageBilling(StrEnum):
    """How usage beyond an allowance is priced."""

    PER_STARTED_BLOCK = "per-started-block"
    """Every started block costs the block price: 75,001 visits over at $1
    per 1,000 cost $76. The default, as package pricing rounds up."""

    PRO_RATA = "pro-rata"
    """Each unit costs the block price / block size: 75,500 visits over
    cost $75.50."""


# tests/test_api.py keeps each option alias the same as its enum.
#: The values of :class:`AllowanceProration`, accepted as plain strings.
AllowanceProrationName: TypeAlias = Literal["full", "prorated"]
#: The values of :class:`OverageBilling`, accepted as plain strings.
OverageBillingName: TypeAlias = Literal["per-started-block", "pro-rata"]

_SECOND: Final = timedelta(seconds=1)


def _used_by_segment(
    usage: Sequence[Usage], bounds: Sequence[tuple[datetime, datetime]]
) -> list[dict[str, int]]:
    """Return each segment's use of each metric.

    ``bounds`` are the segments' UTC bounds. Every record goes to the
    segment its moment falls in, found by bisection, so the cost is that of
    the records and segments, not of their product.
    """
    used: list[dict[str, int]] = [{} for _ in bounds]
    first, last = bounds[0][0], bounds[-1][1]
    starts = [start for start, _ in bounds] if len(bounds) > 1 else None
    for record in usage:
        at = record.utc_at
        if at < first or at >= last:
            continue
        bucket = used[0 if starts is None else bisect_right(starts, at) - 1]
        bucket[record.metric] = bucket.get(record.metric, 0) + record.quantity
    return used


def overage_lines(
    usage: Sequence[Usage],
    segments: Sequence[tuple[Plan, datetime, datetime]],
    *,
    allowance: AllowanceProration,
    overage: OverageBilling,
    rounding: RoundingMode,
    period: BillingPeriod | None = None,
) -> list[InvoiceLine]:
    """Price usage beyond each plan segment's allowance, under its terms.

    Each usage record belongs to the segment in force at its moment, and is
    priced under that segment's plan even if a later plan is dearer or
    includes more: upgrades are not applied retroactively.

    Args:
        usage: The usage records to bill.
        segments: ``(plan, start, end)`` for each plan in force, tiling the
            usage window.
        allowance: Whether a partial segment gets a prorated allowance.
        overage: Overage priced per started block or pro rata.
        rounding: How an amount is rounded to the minor unit.
        period: The billing period, over whose length an allowance with
            ``prorate_by_time`` prorates the units used (the last segment
            running to the period's end); the usage window otherwise.

    Returns:
        One overage line per segment and metric with usage beyond the
        allowance, in segment order; metrics a plan has no allowance for
        are included without limit and bill nothing.
    """
    # Each segment's bounds in UTC (to_utc, written inline on this path).
    bounds = [
        (start.astimezone(UTC), end.astimezone(UTC))
        for _, start, end in segments
    ]
    prorated = allowance is AllowanceProration.PRORATED
    window = (
        max((bounds[-1][1] - bounds[0][0]) // _SECOND, 1) if prorated else 1
    )
    lines: list[InvoiceLine] = []
    last = len(segments) - 1
    for index, used in enumerate(_used_by_segment(usage, bounds)):
        plan, start, end = segments[index]
        begins, ends = bounds[index]
        for metric, units in used.items():
            terms = plan.allowance(metric)
            if terms is None:
                continue
            quantity: int | Fraction = units
            if terms.prorate_by_time:
                quantity = _by_time(units, begins, ends, index == last, period)
            included: int | Fraction = terms.included
            if prorated:
                seconds = (ends - begins) // _SECOND
                included = Fraction(terms.included * seconds, window)
            line = _overage_line(
                plan,
                terms,
                quantity,
                included,
                (start, end),
                overage=overage,
                rounding=rounding,
            )
            if line is not None:
                lines.append(line)
    return lines


def _overage_line(
    plan: Plan,
    terms: UsageAllowance,
    quantity: int | Fraction,
    included: int | Fraction,
    span: tuple[datetime, datetime],
    *,
    overage: OverageBilling,
    rounding: RoundingMode,
) -> InvoiceLine | None:
    """The overage line of one metric in one segment, if any is over."""
    over = quantity - included
    if over <= 0:
        return None
    metric, price, per = terms.metric, terms.overage_price, terms.per
    count: int | Fraction
    if overage is OverageBilling.PER_STARTED_BLOCK:
        count, total = int(-(-over // per)), 1  # ceiling
    else:
        count, total = over, per
    numerator, denominator = price.integer_ratio()
    currency = plan.currency
    top, bottom, rounded = amount(
        numerator,
        denominator,
        count,
        total,
        currency,
        rounding,
    )
    billed = trusted_units(rounded, currency)

    def text() -> tuple[str, str]:
        """The line's description and calculation, when first read."""
        if overage is OverageBilling.PER_STARTED_BLOCK:
            how = f"{count:,} started blocks of {per:,} x {price}"
        else:
            how = f"{_count(over)} x {price} / {per:,}"
        described = (
            f"Overage on {plan.name}: {_count(quantity)} {metric} "
            f"against {_count(included)} included"
        )
        return described, f"{_count(over)} {metric} over: {how} = {billed}"

    return InvoiceLine._lazy(
        InvoiceLineKind.OVERAGE,
        billed,
        span[0],
        span[1],
        plan,
        1,
        exact_or_none(top, bottom, rounded, currency),
        None,
        plan.taxes,
        text,
    )


def _by_time(
    units: int,
    begins: datetime,
    ends: datetime,
    last: bool,  # noqa: FBT001 - positional, internal
    period: BillingPeriod | None,
) -> int | Fraction:
    """``units`` prorated by the segment's time in force over the period.

    The last segment runs to the period's end (its usage window may stop
    at a calculation date before it).
    """
    if period is None:
        return units
    end = period.utc_end if last else ends
    active = (end - begins) // _SECOND
    return Fraction(units * max(active, 0), max(period.seconds, 1))


def _count(value: int | Fraction) -> str:
    """Show a count: whole numbers with separators, else two decimals."""
    if value.denominator == 1:
        return f"{value.numerator:,}"
    hundredths = round(value * 100)
    return f"{Decimal(hundredths).scaleb(-2, EXACT):,.2f}"
