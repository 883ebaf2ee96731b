"""An independent reference for prorata, written from the published rules.

Nothing here comes from prorata but ``Money``'s public surface (to build
and read amounts): every basis, day count, change-day rule, treatment,
credit basis and rounding mode is re-derived from its published
definition with :class:`fractions.Fraction`, :mod:`datetime` and
:mod:`zoneinfo`, so a differential test (``tests/test_reference.py``) can
hold prorata to it. Options are read off a policy object by name and
compared by their string values.

Sources of the definitions:

- prorata's own published definitions: the docstrings of ``Basis``,
  ``DayCount``, ``ChangeDay``, ``Treatment``, ``CreditBasis`` and
  ``RoundingStage`` (``src/prorata/_policy.py``), ``RoundingMode``
  (``src/prorata/_money.py``), and ``docs/design.md`` ("Day counting":
  positions, days from the start's wall clock).
- Zuora, "Prorating: 30 days or actual days" (docs.zuora.com), the table
  of actual, Actual/360 and Strict 30/360 ratios; written half-open here:
  [2021-01-27, 2021-02-01) is 4/30, [2021-02-27, 2021-03-01) 4/30,
  [2020-02-01, 2020-03-01) 30/30, [2021-04-21, 2021-04-30) 9/30.
- Kill Bill, ``invoice/.../generator/InvoiceDateUtils.java``
  (``daysBetweenWithFixedDaysInMonth``: actual days within a month; across
  a month, actual days less ``lastDayOfStartMonth - fixedDays``) and its
  ``TestInvoiceDateUtilsWithFixedProration`` ratios (22/30 and 20/28), and
  ``TestInvoiceFixedProration`` (14.63 = 19.95 x 22/30).
- prorata issue #11 (the rules the library is being fixed to follow).
- ``docs/research/conventions-a.md`` and ``conventions-b.md`` for the
  platforms' worked figures (Chargebee's day mode, Lago, Stripe).

The rules, in short:

- A basis measures a *position*: whole units from the period's start to a
  moment. A line's units are a difference of positions; its share is units
  over the whole period's units. Amount = price x units / total, exact,
  then rounded to the currency's minor unit with the policy's mode (a
  credit is rounded as the positive amount it is and then negated). Stage
  ``line`` rounds each line and adds; ``net`` rounds only the exact net.
- ``seconds``: whole seconds elapsed in UTC, floored; ``minutes``: whole
  clock minutes, both instants cut to their minute (UTC).
- Day bases: day ``k`` begins at ``start + k`` days on the start's wall
  clock, in its zone and with its fold, compared as UTC instants. A
  begun day is counted down (``new-plan``) or up (``old-plan``); under
  ``both`` (inclusive counting) the old plan's used time counts the change
  day up, and its credit and the new plan's charge count it down, as under
  ``new-plan``.
- Strict 30/360 (``30/360``, ``thirty-day-month``): by calendar date, the
  number of a date being ``N x (12 x year + month) + day``, the day not
  capped, ``N`` the policy's ``month_days``; the days between two dates
  are the difference of their numbers. The time left, from a moment's
  billing day to the period's end, is counted so; a period of whole
  calendar months has ``N`` days a month (otherwise its dates' difference),
  and a position is that total less the time left, kept within
  ``[0, total]``, and 0 on the first day. With ``N`` under 30, a moment
  (or bound) on a day past ``N + 1`` is refused.
- ``fixed-month`` (Actual/360): actual days over ``N`` days a month; whole
  months only.
- ``daily-rate``: price / the period's days, rounded with the policy's
  mode, times whole days.
- ``months_first`` (Zuora's "prorate by month first", ``actual`` and
  ``fixed-month`` day counts, whole-month periods): whole months plus the
  days of a stub over its month's days (or ``month_days``).
- Treatments: ``prorated`` the units, ``full`` the whole period's units,
  ``none`` nothing. Credit basis ``paid``: a share of what stays billed for
  the plan in force, ``billed x left / held``.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Final, Literal

from prorata import Money

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "Change",
    "Frame",
    "Line",
    "Options",
    "RefProration",
    "Refused",
    "day_index",
    "frame",
    "month_cut",
    "prorate",
    "round_units",
    "thirty_360_date",
    "timeline",
    "whole_months",
]

_DAY: Final = timedelta(days=1)
_SECOND: Final = timedelta(seconds=1)
_MINUTE: Final = timedelta(minutes=1)

Rule = Literal["down", "up"]


def _value(option: object) -> str:
    """An option's string value, whether an enum member or a string."""
    value = getattr(option, "value", option)
    return str(value)


@dataclass(frozen=True, slots=True)
class Options:
    """A policy's options as plain values, read off it by name."""

    basis: str = "seconds"
    day_count: str = "actual"
    month_days: int = 30
    change_day: str = "new-plan"
    months_first: bool = False
    credit: str = "prorated"
    charge: str = "prorated"
    credit_basis: str = "list-price"
    rounding: str = "half-up"
    rounding_stage: str = "line"

    @classmethod
    def of(cls, policy: object) -> Options:
        """Read every option off ``policy`` with ``getattr``."""
        return cls(
            basis=_value(getattr(policy, "basis")),  # noqa: B009
            day_count=_value(getattr(policy, "day_count")),  # noqa: B009
            month_days=int(getattr(policy, "month_days")),  # noqa: B009
            change_day=_value(getattr(policy, "change_day")),  # noqa: B009
            months_first=bool(getattr(policy, "months_first")),  # noqa: B009
            credit=_value(getattr(policy, "credit")),  # noqa: B009
            charge=_value(getattr(policy, "charge")),  # noqa: B009
            credit_basis=_value(getattr(policy, "credit_basis")),  # noqa: B009
            rounding=_value(getattr(policy, "rounding")),  # noqa: B009
            rounding_stage=_value(
                getattr(policy, "rounding_stage")  # noqa: B009
            ),
        )

    @property
    def counting(self) -> str:
        """What counts time: a time basis, or the day count in force."""
        if self.basis in {"seconds", "minutes"}:
            return self.basis
        if self.basis == "thirty-day-month":
            return "30/360"
        return self.day_count

    @property
    def old_keeps(self) -> Rule:
        """How the change moment is placed for the old plan's side.

        The old plan's used time ends there: under ``old-plan`` and
        ``both`` the old plan's used time keeps the change day. Its credit
        starts where the new plan's time does (``new_starts``).
        """
        return "up" if self.change_day in {"old-plan", "both"} else "down"

    @property
    def new_starts(self) -> Rule:
        """How the change moment is placed for the new plan's side.

        The new plan's time starts there: under ``old-plan`` from the next
        day, otherwise with the change day.
        """
        return "up" if self.change_day == "old-plan" else "down"


# -- rounding -----------------------------------------------------------------


def round_units(value: Fraction, mode: str) -> int:
    """Round ``value`` to an integer by one of the seven named modes.

    The modes are :mod:`decimal`'s: half-up (ties away from zero),
    half-even, half-down (ties toward zero), up (away from zero), down
    (toward zero), ceiling, floor.
    """
    floor = value.numerator // value.denominator
    rest = value - floor
    if rest == 0:
        return floor
    positive = value > 0
    directed = {
        "floor": floor,
        "ceiling": floor + 1,
        "down": floor if positive else floor + 1,
        "up": floor + 1 if positive else floor,
    }
    if mode in directed:
        return directed[mode]
    half = Fraction(1, 2)
    if rest != half:
        return floor + 1 if rest > half else floor
    ties = {
        "half-up": floor + 1 if positive else floor,
        "half-down": floor if positive else floor + 1,
        "half-even": floor + (floor % 2),
    }
    return ties[mode]


def round_money(value: Fraction, like: Money, mode: str) -> Money:
    """Round ``value`` to ``like``'s currency's minor unit."""
    scale = 10**like.exponent
    return Money.from_minor_units(
        round_units(value * scale, mode), like.currency
    )


# -- days ---------------------------------------------------------------------


def day_start(start: datetime, k: int) -> datetime:
    """The instant (UTC) billing day ``k`` begins: the start's wall clock.

    ``start.date() + k`` at ``start``'s time of day, in its zone, with its
    fold; a wall time in a DST gap resolves as :mod:`zoneinfo` does.
    """
    wall = datetime.combine(
        start.date() + timedelta(days=k), start.time(), tzinfo=start.tzinfo
    ).replace(fold=start.fold)
    return wall.astimezone(UTC)


def day_index(start: datetime, at: datetime, rule: Rule) -> int:
    """Billing days from ``start`` to ``at``: begun days down or up."""
    moment = at.astimezone(UTC)
    k = (moment - start.astimezone(UTC)) // _DAY
    while day_start(start, k) > moment:
        k -= 1
    while day_start(start, k + 1) <= moment:
        k += 1
    if rule == "up" and day_start(start, k) != moment:
        k += 1
    return k


def thirty_360_date(day: date, month_days: int = 30) -> int:
    """The strict 30/360 position of a calendar date, uncapped."""
    return month_days * (12 * day.year + day.month) + day.day


def _on_day(year: int, month: int, anchor: int) -> int:
    return min(anchor, monthrange(year, month)[1])


def month_cut(start: datetime, end: datetime) -> tuple[int, int] | None:
    """The whole calendar months of ``[start, end)`` and their anchor day.

    Whole: the end begins a billing day (the start's wall clock) and both
    dates fall on one anchor day of the month (clamped to short months);
    of the anchor days that fit, the smallest (Apr 30 to Jun 30 is cut at
    May 30).
    """
    k = day_index(start, end, "down")
    if day_start(start, k) != end.astimezone(UTC):
        return None
    first, last = start.date(), start.date() + timedelta(days=k)
    months = 12 * (last.year - first.year) + last.month - first.month
    if months < 1:
        return None
    for anchor in range(1, 32):
        if _on_day(first.year, first.month, anchor) == first.day and (
            _on_day(last.year, last.month, anchor) == last.day
        ):
            return months, anchor
    return None


def whole_months(start: datetime, end: datetime) -> int | None:
    """How many calendar months ``[start, end)`` spans, if whole."""
    cut = month_cut(start, end)
    return None if cut is None else cut[0]


def _boundary(first: date, months: int, anchor: int) -> date:
    year, month = divmod(first.month - 1 + months, 12)
    year += first.year
    return date(year, month + 1, _on_day(year, month + 1, anchor))


# -- a period under a policy --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Refused:
    """The rules give no answer: prorata must raise a ProrataError."""

    why: str


class RefusedError(Exception):
    """Raised inside a computation the rules give no answer for."""


@dataclass(frozen=True, slots=True)
class Frame:
    """A period under a policy: its total units and every position.

    ``total`` is the denominator of every share; ``last`` the position of
    the period's end. They differ only under ``fixed-month``, where a
    31-day month holds 31 days over 30. ``anchor`` is the day of the month
    ``months_first`` cuts months at.
    """

    options: Options
    start: datetime
    end: datetime
    total: int | Fraction
    last: int | Fraction
    anchor: int = 0

    def position(self, at: datetime, rule: Rule) -> int | Fraction:
        """Units from the period's start to ``at``: whole, or months."""
        counting = self.options.counting
        if self.options.months_first:
            return self._months(at, rule)
        elapsed = at.astimezone(UTC) - self.start.astimezone(UTC)
        if counting == "seconds":
            return elapsed // _SECOND
        if counting == "minutes":
            # Clock minutes: both instants cut to their minute.
            first = self.start.astimezone(UTC).replace(second=0, microsecond=0)
            moment = at.astimezone(UTC).replace(second=0, microsecond=0)
            return (moment - first) // _MINUTE
        days = day_index(self.start, at, rule)
        if counting == "30/360":
            return self._thirty_360(self.start.date() + timedelta(days=days))
        return days  # actual days, over actual days or a fixed month

    def _thirty_360(self, day: date) -> int:
        """The 30/360 position of a billing day: the total less what is
        left to the end, counted by calendar date."""
        n = self.options.month_days
        if day.day > n + 1:
            raise RefusedError(f"{day} counts after the next month's 1st")
        first = self.start.date()
        end = first + timedelta(days=day_index(self.start, self.end, "down"))
        if end.day > n + 1:
            raise RefusedError(f"{end} counts after the next month's 1st")
        if day <= first:
            return 0
        left = thirty_360_date(end, n) - thirty_360_date(day, n)
        return min(int(self.total), max(0, int(self.total) - left))

    def _months(self, at: datetime, rule: Rule) -> Fraction:
        """Zuora's "prorate by month first": months, then a stub of days.

        What is left from ``at``'s day is the whole months from the next
        boundary to the end plus the days to that boundary over the days
        of the month it falls in (``actual``) or over ``month_days``
        (``fixed-month``; under ``30/360`` the days counted by calendar
        date, a month's 31st its 30th), at most one month; the position is
        the period's months less that.
        """
        first = self.start.date()
        day = first + timedelta(days=day_index(self.start, at, rule))
        j = 12 * (day.year - first.year) + day.month - first.month
        if _boundary(first, j, self.anchor) > day:
            j -= 1
        low = _boundary(first, j, self.anchor)
        high = _boundary(first, j + 1, self.anchor)
        if day == low:
            return Fraction(j)
        counting, n = self.options.counting, self.options.month_days
        length = (high - low).days if counting == "actual" else n
        left = (high - day).days
        if counting == "30/360":
            left = thirty_360_date(high, n) - thirty_360_date(day, n)
        stub = min(Fraction(max(left, 0), length), Fraction(1))
        return j + 1 - stub


def frame(start: datetime, end: datetime, policy: object) -> Frame | Refused:
    """The period's total under the policy, or why it has none."""
    options = Options.of(policy)
    counting = options.counting
    if options.months_first:
        cut = month_cut(start, end)
        if (
            cut is None
            or counting not in {"actual", "fixed-month", "30/360"}
            or options.basis == "daily-rate"
        ):
            raise NotImplementedError("months_first: whole months, days")
        return Frame(options, start, end, cut[0], cut[0], cut[1])
    months = whole_months(start, end)
    n = options.month_days
    if counting == "30/360":
        first = start.date()
        end_day = first + timedelta(days=day_index(start, end, "down"))
        if max(first.day, end_day.day) > n + 1:
            return Refused("a bound counts after the next month's 1st")
        total: int | Fraction = (
            n * months
            if months is not None
            else thirty_360_date(end_day, n) - thirty_360_date(first, n)
        )
        last: int | Fraction = total
    else:
        last = Frame(options, start, end, 0, 0).position(end, "down")
        total = last
    if counting == "fixed-month":
        if months is None:
            return Refused("fixed-month needs whole months")
        total = n * months
    if total <= 0 or last <= 0:
        return Refused("the period holds no whole unit")
    return Frame(options, start, end, total, last)


# -- prorations ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """One priced stretch: its units of the total, exact and rounded."""

    units: int | Fraction
    total: int | Fraction
    exact: Fraction
    amount: Money


@dataclass(frozen=True, slots=True)
class RefProration:
    """One change: used, unused (credit, negative), remaining, the net."""

    used: Line
    unused: Line
    remaining: Line
    net_exact: Fraction
    net: Money


@dataclass(frozen=True, slots=True)
class Change:
    """A change to a plan at ``new_price``; treatments override policy."""

    new_price: Money
    at: datetime
    credit: str | None = None
    charge: str | None = None


def _price(
    where: Frame,
    price: Money,
    units: int | Fraction,
    treatment: str,
    *,
    sign: int = 1,
) -> Line:
    """Price ``units`` of ``where``'s total at ``price`` for the period."""
    options, total = where.options, where.total
    held = {"prorated": units, "full": total, "none": 0}[treatment]
    mode = options.rounding
    if options.basis == "daily-rate":
        rate = round_money(price.exact / total, price, mode)
        magnitude = rate.exact * held
    else:
        magnitude = price.exact * held / total
    amount = round_money(magnitude, price, mode)
    return Line(held, total, sign * magnitude, -amount if sign < 0 else amount)


def _net(unused: Line, remaining: Line, options: Options) -> Money:
    if options.rounding_stage == "net":
        return round_money(
            unused.exact + remaining.exact, unused.amount, options.rounding
        )
    return unused.amount + remaining.amount


def timeline(
    first: Money,
    changes: Sequence[Change],
    start: datetime,
    end: datetime,
    policy: object,
    *,
    paid: Money | None = None,
) -> list[RefProration] | Refused:
    """Price changes in order, the first plan (``first``) from ``start``.

    Under the ``paid`` credit basis each credit is a share of what stays
    billed for the plan in force over ``[since, end)``: ``billed x left /
    held`` in units of the basis, ``billed`` being ``paid`` for the first
    plan and then the kept share less the credit plus the charge. When
    ``paid`` is unset, what was billed for the first plan is its list
    price, so the first credit is the list-price credit (a same-plan
    change then nets zero under every basis and day count). On the
    ``daily-rate`` basis only that first credit is defined; later ones
    raise ``NotImplementedError``.
    """
    try:
        where = frame(start, end, policy)
    except RefusedError as error:
        return Refused(str(error))
    if isinstance(where, Refused):
        return where
    try:
        return _walk(where, first, changes, paid)
    except RefusedError as error:
        return Refused(str(error))


def _walk(
    where: Frame,
    first: Money,
    changes: Sequence[Change],
    paid: Money | None,
) -> list[RefProration]:
    """:func:`timeline` in a frame that prices."""
    options, last = where.options, where.last
    current = first
    since: int | Fraction = 0  # where the plan in force started
    billed = (first if paid is None else paid).exact
    out: list[RefProration] = []
    for index, change in enumerate(changes):
        kept = where.position(change.at, options.old_keeps)
        keep = where.position(change.at, options.new_starts)
        enter = keep
        credit = change.credit or options.credit
        charge = change.charge or options.charge
        used = _price(where, current, kept - since, "prorated")
        list_credit = _price(where, current, last - keep, credit, sign=-1)
        remaining = _price(where, change.new_price, last - enter, charge)
        unused = list_credit
        if options.credit_basis == "paid":
            # What is billed covers the period's units (its total) for the
            # price, then the units left after each change.
            held, left = (last - since if index else where.total), last - keep
            if options.basis == "daily-rate" and (index or paid is not None):
                raise NotImplementedError("paid credit of a daily rate")
            share = billed * left / held if held else Fraction(0)
            if index or paid is not None:
                exact = {
                    "prorated": share,
                    "full": billed,
                    "none": Fraction(0),
                }[credit]
                amount = round_money(exact, first, options.rounding)
                unused = Line(left, held, -exact, -amount)
            else:  # what was billed is the list price: the list credit
                unused = Line(left, held, unused.exact, unused.amount)
            billed = share + unused.amount.exact + remaining.amount.exact
        out.append(
            RefProration(
                used=used,
                unused=unused,
                remaining=remaining,
                net_exact=unused.exact + remaining.exact,
                net=_net(unused, remaining, options),
            )
        )
        current, since = change.new_price, enter
    return out


def prorate(
    old: Money,
    new: Money,
    at: datetime,
    start: datetime,
    end: datetime,
    policy: object,
    *,
    credit: str | None = None,
    charge: str | None = None,
) -> RefProration | Refused:
    """One change from ``old`` to ``new`` at ``at`` in ``[start, end)``."""
    result = timeline(
        old, [Change(new, at, credit, charge)], start, end, policy
    )
    return result if isinstance(result, Refused) else result[0]
