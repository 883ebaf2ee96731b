"""Prorated plan changes: credit for unused time, charge for remaining time.

One function, :func:`price_time`, prices a plan over a stretch of a
period; every line of every result comes from it. One walk over the
changes, ``_walk``, prices every change: :func:`prorate_timeline` takes all
of it, :func:`prorate` its first step, so both share one code path.
"""

from __future__ import annotations

from collections import abc
from dataclasses import FrozenInstanceError, dataclass, fields
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from typing import (
    TYPE_CHECKING,
    ClassVar,
    Final,
    NamedTuple,
    NoReturn,
    TypeAlias,
    TypedDict,
    final,
)

from prorata._add_on import AddOn
from prorata._html import html_table
from prorata._money import (
    SCALES,
    Money,
    round_exact,
    round_units_of,
    trusted_units,
)
from prorata._period import (
    BillingPeriod,
    IntervalUnit,
    elapsed_days,
    elapsed_days_30_360,
    elapsed_months,
    elapsed_seconds,
    whole_months,
    whole_seconds,
)
from prorata._plan import Plan, PlanChange
from prorata._policy import (
    DEFAULT_POLICY,
    Basis,
    ChangeDay,
    CreditBasis,
    DayCount,
    ProrationPolicy,
    RoundingStage,
    Treatment,
)
from prorata.errors import (
    ArgumentTypeError,
    ChangeOrderError,
    OutsidePeriodError,
    PeriodTooShortError,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = [
    "LineKind",
    "Portion",
    "Proration",
    "ProrationLine",
    "TimeUnit",
    "Timeline",
    "prorate",
    "prorate_timeline",
]

_SECONDS_A_DAY: Final = 86_400
_SCALES: Final = SCALES


class TimeUnit(StrEnum):
    """The unit a :class:`Portion` counts."""

    SECOND = "second"
    MINUTE = "minute"
    DAY = "day"
    MONTH = "month"


def _position(
    policy: ProrationPolicy,
    period: BillingPeriod,
    at: datetime,
    *,
    as_end: bool,
) -> int | Fraction:
    """Return the units of time from the period's start to ``at``.

    ``as_end`` says whether ``at`` ends the stretch being priced (the old
    plan's used time) or starts it (the unused and remaining time): under
    the day bases the policy's ``change_day`` decides, for a moment in the
    middle of a day, whether that day is counted before or after it.
    Whole units, except when ``months_first`` counts months and a fraction.
    """
    if policy.basis is _SECONDS_BASIS:  # the default, decided first
        return elapsed_seconds(period, at)
    if policy.months_first:
        count = policy.effective_day_count
        fixed = None if count is DayCount.ACTUAL else policy.month_days
        up = _up(policy, as_end)
        return elapsed_months(period, at, up=up, month_days=fixed)
    return _whole_position(policy, period, at, as_end=as_end)


def _up(policy: ProrationPolicy, as_end: bool) -> bool:  # noqa: FBT001
    owner = policy.change_day
    return owner is ChangeDay.OLD_PLAN or (owner is ChangeDay.BOTH and as_end)


def _whole_position(
    policy: ProrationPolicy,
    period: BillingPeriod,
    at: datetime,
    *,
    as_end: bool,
) -> int:
    """:func:`_position` for every basis that counts whole units."""
    basis = policy.basis
    if basis is Basis.SECONDS:
        return elapsed_seconds(period, at)
    if basis is Basis.MINUTES:
        return elapsed_seconds(period, at) // 60
    if policy.effective_day_count is DayCount.THIRTY_360:
        return elapsed_days_30_360(
            period, at, up=_up(policy, as_end), month_days=policy.month_days
        )
    return elapsed_days(period, at, up=_up(policy, as_end))


def _total(policy: ProrationPolicy, period: BillingPeriod) -> int | Fraction:
    """Return the period's units: the denominator of every share of it."""
    return _total_in(policy, period, period.start.tzinfo, period.end.tzinfo)


def _whole_total(policy: ProrationPolicy, period: BillingPeriod) -> int:
    """:func:`_total` for every basis that counts whole units."""
    total = _total(policy, period)
    assert type(total) is int  # noqa: S101 - only months_first gives a Fraction
    return total


# The period totals are cached by the period's zones as well as the period:
# two periods of the same instants in two zones are equal and hash alike,
# yet count different days when one of the zones changes its clocks.


@lru_cache(maxsize=4096)
def _total_in(
    policy: ProrationPolicy,
    period: BillingPeriod,
    start_zone: tzinfo | None,  # noqa: ARG001 - part of the cache key
    end_zone: tzinfo | None,  # noqa: ARG001 - part of the cache key
) -> int | Fraction:
    if policy.months_first:
        return _position(policy, period, period.end, as_end=True)
    if policy.counts_days and policy.day_count is DayCount.FIXED_MONTH:
        months = whole_months(period)
        if months is None:
            raise PeriodTooShortError(
                period.start,
                period.end,
                policy.basis,
                why="is no whole number of months, which the fixed-month day "
                f"count needs (each month counts {policy.month_days} days)",
                advice="use a whole-month period, or the 'actual' or "
                "'30/360' day count",
            )
        return months * policy.month_days
    return _whole_position(policy, period, period.end, as_end=True)


def _too_short(
    policy: ProrationPolicy, period: BillingPeriod
) -> PeriodTooShortError:
    """The error for a period that counts no time under the policy."""
    if not policy.months_first:
        return PeriodTooShortError(period.start, period.end, policy.basis)
    return PeriodTooShortError(
        period.start,
        period.end,
        policy.basis,
        why=f"counts no time under the {policy.basis} basis with whole "
        "months first (measured over fixed-length months, one day of a "
        "longer month counts nothing)",
        advice="use the seconds basis, months_first=False or a longer period",
    )


def _unit(policy: ProrationPolicy) -> TimeUnit:
    if policy.months_first:
        return TimeUnit.MONTH
    if policy.basis is Basis.SECONDS:
        return TimeUnit.SECOND
    if policy.basis is Basis.MINUTES:
        return TimeUnit.MINUTE
    return TimeUnit.DAY


@final
@dataclass(frozen=True, slots=True)
class Portion:
    """A stretch of a period: ``units`` out of the period's ``total``.

    >>> Portion(20, 30, TimeUnit.DAY).fraction
    Fraction(2, 3)
    >>> str(Portion(1_728_000, 2_592_000, TimeUnit.SECOND))
    '20 days'
    """

    units: int | Fraction
    total: int | Fraction
    unit: TimeUnit

    @property
    def fraction(self) -> Fraction:
        """The exact share of the period."""
        return Fraction(self.units) / self.total

    def __str__(self) -> str:
        """Return ``'20 days'``, ``'1 day'`` or ``'2 days, 3:04:05'``."""
        if self.unit is TimeUnit.MONTH:
            return _months(Fraction(self.units))
        seconds = int(self.units) * _SECONDS[self.unit]
        days, rest = divmod(seconds, _SECONDS_A_DAY)
        if rest:
            return str(timedelta(seconds=seconds))
        return f"{days} day{'' if days == 1 else 's'}"


def _months(value: Fraction) -> str:
    """``'1 month'``, ``'14/31 of a month'``, ``'2 months and 14/31'``."""
    whole, part = divmod(value, 1)
    plural = "" if whole == 1 else "s"
    if not part:
        return f"{whole} month{plural}"
    if not whole:
        return f"{part} of a month"
    return f"{whole} month{plural} and {part}"


_SECONDS: Final = {
    TimeUnit.SECOND: 1,
    TimeUnit.MINUTE: 60,
    TimeUnit.DAY: _SECONDS_A_DAY,
}


class LineKind(StrEnum):
    """What a :class:`ProrationLine` prices."""

    UNUSED_TIME = "unused-time"
    """The credit for the old plan's time after the change (negative)."""
    REMAINING_TIME = "remaining-time"
    """The charge for the new plan's time after the change."""
    USED_TIME = "used-time"
    """The value of a plan's time while it was in force; paid in advance,
    shown to explain the period, never billed again."""


_LABELS: Final = {
    LineKind.UNUSED_TIME: "Unused time on",
    LineKind.REMAINING_TIME: "Remaining time on",
    LineKind.USED_TIME: "Used time on",
}


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class ProrationLine:
    """One priced stretch of a plan: amount = price x units / total.

    Args:
        kind: Credit, charge or used time (:class:`LineKind`).
        plan: The plan priced.
        start: The first instant priced.
        end: The instant pricing stops (exclusive).
        portion: The units of time priced out of the period's units.
        rate: Under the daily-rate basis, the rounded price of one day;
            ``None`` otherwise.
        exact: The signed exact amount before the policy's rounding.
        amount: The signed amount rounded to the currency's minor unit;
            negative for a credit.

    The credit line of Business 1 -> Business 2 ten days into a 30-day month:

    >>> from datetime import UTC, datetime, timedelta
    >>> from prorata import (Basis, BillingPeriod, PlanChange, ProrationPolicy,
    ...                      builtin_catalog, prorate)
    >>> plans = builtin_catalog()
    >>> b1, b2 = plans["business-1"], plans["business-2"]
    >>> june = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
    >>> p = prorate(PlanChange(b1, b2, at=june.start + timedelta(days=10)),
    ...             june, ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH))
    >>> print(p.unused)
    Unused time on Business 1 (20 days) = -$76.67
    >>> p.unused.calculation
    '$115 / 30 * 20 = $76.67'
    """

    kind: LineKind
    plan: Plan | AddOn
    start: datetime
    end: datetime
    portion: Portion
    rate: Money | None
    exact: Fraction
    amount: Money
    quantity: int = 1
    price: Money | None = None

    @property
    def unit_price(self) -> Money:
        """The price of one unit for the whole period, as used here."""
        return self.plan.price if self.price is None else self.price

    @property
    def description(self) -> str:
        """``'Unused time on Business 1 (20 days)'``, ``'... 3 x Site'``."""
        times = "" if self.quantity == 1 else f"{self.quantity} x "
        label = _LABELS[self.kind]
        return f"{label} {times}{self.plan.name} ({self.portion})"

    @property
    def calculation(self) -> str:
        """How the amount comes about, as the hosting page writes it.

        ``'$115 / 30 * 20 = $76.67'``, or with a daily rate
        ``'$35 / 30 = $1.17 a day; $1.17 * 29 = $33.93'``.
        """
        units, total = self.portion.units, self.portion.total
        result = abs(self.amount)
        price = as_written(self.unit_price)
        times = "" if self.quantity == 1 else f"{self.quantity} x "
        if self.rate is None:
            return f"{times}{price} / {total} * {units} = {result}"
        return (
            f"{price} / {total} = {self.rate} a day; "
            f"{times}{self.rate} * {units} = {result}"
        )

    def __str__(self) -> str:
        """``'Unused time on Business 1 (20 days) = -$76.67'``."""
        return f"{self.description} = {self.amount}"

    def __repr__(self) -> str:
        """One readable line: ``<ProrationLine unused-time ... = -$76.67>``."""
        return f"<ProrationLine {self.kind.value}: {self}>"


class _Context(TypedDict):
    period: BillingPeriod
    policy: ProrationPolicy


def as_written(price: Money) -> str:
    """Show a whole price as a help page writes it: ``$115``, not $115.00."""
    text = str(price)
    if price.amount == price.amount.to_integral_value() and price.exponent:
        return text.replace(f".{'0' * price.exponent}", "", 1)
    return text


def price_time(
    kind: LineKind,
    plan: Plan | AddOn,
    start: datetime,
    end: datetime,
    *,
    period: BillingPeriod,
    policy: ProrationPolicy,
    quantity: int = 1,
    price: Money | None = None,
    treatment: Treatment = Treatment.PRORATED,
) -> ProrationLine:
    """Price ``plan`` over ``[start, end)`` of ``period``: the one formula.

    ``quantity`` units at ``price`` (the plan's own price unless given) for
    the whole period. Internal to prorata (not exported): invoices and
    subscriptions price time through it too, so every amount of time has
    one formula.
    """
    total = _total(policy, period)
    if total <= 0:
        raise _too_short(policy, period)
    if treatment is _PRORATED:
        units = _position(policy, period, end, as_end=True) - _position(
            policy, period, start, as_end=False
        )
    else:
        units = total if treatment is _FULL else 0
    unit_price = plan.price if price is None else price
    currency, mode = unit_price.currency, policy.rounding
    # Rounding applies to the magnitude: a FLOOR credit is a smaller credit.
    sign = -1 if kind is _UNUSED_TIME else 1
    rate: Money | None = None
    if policy.basis is _DAILY_RATE:
        rate = round_exact(unit_price.exact / total, currency, mode)
        exact = rate.exact * quantity * units
        amount = round_exact(exact, currency, mode)
    elif type(units) is int and type(total) is int:
        # The common case, in integers: one Fraction, one exact division,
        # the sign put in the integers rather than negating the results.
        numerator, denominator = unit_price.integer_ratio()
        numerator *= quantity * units
        denominator *= total
        exact = Fraction(sign * numerator, denominator)
        rounded = round_units_of(
            numerator * _SCALES[currency], denominator, mode
        )
        amount = trusted_units(sign * rounded, currency)
        sign = 1  # applied
    else:
        exact = unit_price.exact * quantity * units / total
        amount = round_exact(exact, currency, mode)
    if sign < 0:
        exact, amount = -exact, -amount
    return _line(
        kind,
        plan,
        start,
        end,
        _portion(units, total, _unit(policy)),
        rate,
        exact,
        amount,
        quantity,
        price,
    )


_new_object: Final = object.__new__


def _portion(
    units: int | Fraction, total: int | Fraction, unit: TimeUnit
) -> Portion:
    """``Portion(units, total, unit)`` without the dataclass's __init__."""
    portion = _new_object(Portion)
    _PORTION_UNITS(portion, units)
    _PORTION_TOTAL(portion, total)
    _PORTION_UNIT(portion, unit)
    return portion


def _line(  # noqa: PLR0917 - the fields, in their order
    kind: LineKind,
    plan: Plan | AddOn,
    start: datetime,
    end: datetime,
    portion: Portion,
    rate: Money | None,
    exact: Fraction,
    amount: Money,
    quantity: int,
    price: Money | None,
) -> ProrationLine:
    """A :class:`ProrationLine` without the dataclass's keyword __init__.

    It sets each slot as the generated __init__ does, for price_time, which
    builds a line for every stretch of time priced anywhere.
    """
    line = _new_object(ProrationLine)
    for set_slot, value in zip(
        _LINE_SLOTS,
        (
            kind,
            plan,
            start,
            end,
            portion,
            rate,
            exact,
            amount,
            quantity,
            price,
        ),
        strict=True,
    ):
        set_slot(line, value)
    return line


@final
class Proration:
    """What one plan change inside a billing period costs.

    ``credit`` and ``charge`` are separate lines; ``net`` is their sum under
    the policy's rounding stage. Nothing here is billed yet: invoices decide
    when each amount is paid.

    Args:
        change: The plan change priced.
        period: The billing period it falls in.
        policy: The conventions followed.
        used: The old plan's time in force before the change (paid in
            advance; shown to explain the period, not billed).
        unused: The credit line for the old plan's time after the change.
        remaining: The charge line for the new plan's time after the change.
        net_exact: The exact sum of credit and charge.
        net: What the change adds to the bill; negative for a credit.
        period_cost: What the whole period costs with this change: every
            plan for the time it was in force up to the change, plus the new
            plan for the remaining time (the hosting page's "$37.76 ($33.93
            for 29 days on the Starter plan, $3.83 for one day on the
            Business 1 plan)"). Rounded per line, or once under
            ``RoundingStage.NET``.

    Business 1 -> Business 2 ten days into a 30-day month:

    >>> from datetime import UTC, datetime, timedelta
    >>> from prorata import (Basis, BillingPeriod, PlanChange, ProrationPolicy,
    ...                      builtin_catalog, prorate)
    >>> plans = builtin_catalog()
    >>> b1, b2 = plans["business-1"], plans["business-2"]
    >>> june = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
    >>> p = prorate(PlanChange(b1, b2, at=june.start + timedelta(days=10)),
    ...             june, ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH))
    >>> print(p.credit, p.charge, p.net)
    $76.67 $150.00 $73.33
    """

    __slots__ = ("_built", "_change", "_net", "_period", "_policy", "_state")

    _change: PlanChange
    _period: BillingPeriod
    _policy: ProrationPolicy
    _net: Money
    _state: _Deferred | None
    _built: _Built | None

    def __init__(
        self,
        *,
        change: PlanChange,
        period: BillingPeriod,
        policy: ProrationPolicy,
        used: ProrationLine,
        unused: ProrationLine,
        remaining: ProrationLine,
        net_exact: Fraction,
        net: Money,
        period_cost: Money,
    ) -> None:
        """Hold the result; :func:`prorate` is how one is normally made."""
        _set = object.__setattr__
        _set(self, "_change", change)
        _set(self, "_period", period)
        _set(self, "_policy", policy)
        _set(self, "_net", net)
        _set(self, "_state", None)
        _set(
            self,
            "_built",
            _Built(used, unused, remaining, net_exact, period_cost),
        )

    # A Proration from _priced holds its change, period, policy, net and
    # _state (credit and charge as integers); its lines are built, by
    # price_time, when one of them is first read.

    @property
    def change(self) -> PlanChange:
        """The plan change priced."""
        return self._change

    @property
    def period(self) -> BillingPeriod:
        """The billing period it falls in."""
        return self._period

    @property
    def policy(self) -> ProrationPolicy:
        """The conventions followed."""
        return self._policy

    @property
    def net(self) -> Money:
        """What the change adds to the bill; negative for a credit."""
        return self._net

    @property
    def used(self) -> ProrationLine:
        """The old plan's time in force before the change."""
        return self._lines().used

    @property
    def unused(self) -> ProrationLine:
        """The credit line for the old plan's time after the change."""
        return self._lines().unused

    @property
    def remaining(self) -> ProrationLine:
        """The charge line for the new plan's time after the change."""
        return self._lines().remaining

    @property
    def net_exact(self) -> Fraction:
        """The exact sum of credit and charge."""
        return self._lines().net_exact

    @property
    def period_cost(self) -> Money:
        """What the whole period costs with this change (see the class)."""
        return self._lines().period_cost

    @property
    def credit(self) -> Money:
        """The credit for unused time on the old plan, as a positive amount."""
        state = self._state
        if state is None:
            return -self.unused.amount
        return trusted_units(state[0], self._net.currency)

    @property
    def charge(self) -> Money:
        """The charge for the remaining time on the new plan."""
        state = self._state
        if state is None:
            return self.remaining.amount
        return trusted_units(state[1], self._net.currency)

    def _lines(self) -> _Built:
        built = self._built
        if built is None:
            built = self._build()
            object.__setattr__(self, "_built", built)
        return built

    def _build(self) -> _Built:
        """Price the lines through :func:`price_time`, as :func:`_walk` does.

        Only a Proration from :func:`_priced` gets here: a change on its
        own, its old plan in force from the period's start, its period
        cost that used time plus the remaining time, rounded per line.
        """
        change, period, policy = self.change, self.period, self.policy
        used, remaining = _time_lines(
            change, period.start, period=period, policy=policy
        )
        unused = _list_credit(change, period=period, policy=policy)
        return _Built(
            used,
            unused,
            remaining,
            unused.exact + remaining.exact,
            used.amount + remaining.amount,
        )

    _FIELDS: ClassVar[tuple[str, ...]] = (
        "change",
        "period",
        "policy",
        "used",
        "unused",
        "remaining",
        "net_exact",
        "net",
        "period_cost",
    )

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._FIELDS)

    def __eq__(self, other: object) -> bool:
        """Equal when every field is equal, as for the other results."""
        if not isinstance(other, Proration):
            return NotImplemented
        return self is other or self._fields() == other._fields()

    def __hash__(self) -> int:
        """Hash the fields, so equal results hash equal."""
        return hash(self._fields())

    def __setattr__(self, name: str, value: object) -> NoReturn:
        """Refuse every assignment: a result is immutable."""
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        """Refuse every deletion: a result is immutable."""
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle every field, built lines included."""
        return (_restore_proration, self._fields())

    @property
    def lines(self) -> tuple[ProrationLine, ProrationLine]:
        """The billable lines: the credit, then the charge."""
        return (self.unused, self.remaining)

    def __repr__(self) -> str:
        """One readable line: the change, credit, charge and net."""
        change = self.change
        return (
            f"<Proration {change.old.id} -> {change.new.id} at "
            f"{change.at.isoformat()}: credit {self.credit}, charge "
            f"{self.charge}, net {self.net}>"
        )

    def _repr_html_(self) -> str:
        """A table for notebooks: each line, its calculation, the net."""
        change = self.change
        return html_table(
            f"{change.old.name} -> {change.new.name} at "
            f"{change.at.isoformat(sep=' ')}",
            [
                (x.description, x.calculation, str(x.amount))
                for x in self.lines
            ],
            ("Total", str(self.net)),
        )

    def explain(self) -> str:
        """Render the lines the way the hosting page's "Calculation" does."""
        change = self.change
        head = (
            f"{change.old.name} -> {change.new.name} ({change.direction}) "
            f"at {change.at.isoformat(sep=' ')}"
        )
        return "\n".join(
            [
                head,
                _period_line(self.period, self.policy),
                *_change_block(self),
            ]
        )


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class Timeline:
    """Several plan changes inside one billing period, in order.

    Args:
        plan: The plan in force at the period's start.
        period: The billing period.
        policy: The conventions followed.
        prorations: One :class:`Proration` per change, in order.
        segments: One used-time line per plan in force, tiling the period.

    :func:`prorate_timeline` builds one; its docstring shows Starter ->
    Pro -> Business 1 in one month.
    """

    plan: Plan
    period: BillingPeriod
    policy: ProrationPolicy
    prorations: tuple[Proration, ...]
    segments: tuple[ProrationLine, ...]

    def _total(self, amounts: Iterable[Money]) -> Money:
        return sum(amounts, Money.zero(self.plan.currency))

    @property
    def credit(self) -> Money:
        """All credits for unused time, as a positive amount."""
        return self._total(p.credit for p in self.prorations)

    @property
    def charge(self) -> Money:
        """All charges for remaining time."""
        return self._total(p.charge for p in self.prorations)

    @property
    def net(self) -> Money:
        """The sum of the changes' nets: what the changes add to the bill."""
        return self._total(p.net for p in self.prorations)

    @property
    def lines(self) -> tuple[ProrationLine, ...]:
        """Every billable line, a credit and a charge per change, in order."""
        return tuple(line for p in self.prorations for line in p.lines)

    @property
    def period_cost(self) -> Money:
        """What the period costs: each plan for the time it was in force.

        The sum of the rounded segments, or under ``RoundingStage.NET`` the
        exact sum rounded once.
        """
        return sum_lines(self.segments, self.policy)

    def __repr__(self) -> str:
        """One readable line: the plan, the changes and the net of all."""
        return (
            f"<Timeline from {self.plan.id}, {len(self.prorations)} "
            f"change(s): net {self.net}, period cost {self.period_cost}>"
        )

    def _repr_html_(self) -> str:
        """A table for notebooks: every change's lines, the net of all."""
        return html_table(
            f"Starting on {self.plan.name}",
            [
                (x.description, x.calculation, str(x.amount))
                for x in self.lines
            ],
            ("Net of all changes", str(self.net)),
        )

    def explain(self) -> str:
        """Render every change, then the period's segments and totals."""
        out = [
            f"Starting on {self.plan.name}",
            _period_line(self.period, self.policy),
        ]
        for proration in self.prorations:
            change = proration.change
            out.append(
                f"-- {change.old.name} -> {change.new.name} "
                f"({change.direction}) at {change.at.isoformat(sep=' ')}"
            )
            out.extend(_change_block(proration)[:-2])
        out.append(f"Net of all changes: {self.net}")
        out.extend(
            f"{segment} ({segment.calculation})" for segment in self.segments
        )
        out.append(f"Period cost with the changes: {self.period_cost}")
        return "\n".join(out)


def sum_lines(
    lines: Iterable[ProrationLine], policy: ProrationPolicy
) -> Money:
    """Add lines under the policy's rounding stage.

    Per line: the sum of the rounded amounts. Net: the exact sum, rounded
    once.
    """
    lines = tuple(lines)
    currency = lines[0].amount.currency
    if policy.rounding_stage is RoundingStage.LINE:
        return sum((line.amount for line in lines), Money.zero(currency))
    exact = sum((line.exact for line in lines), Fraction(0))
    return round_exact(exact, currency, policy.rounding)


def _period_line(period: BillingPeriod, policy: ProrationPolicy) -> str:
    return (
        f"Period {period.start.isoformat(sep=' ')} to "
        f"{period.end.isoformat(sep=' ')}; {policy.describe()}"
    )


def _change_block(proration: Proration) -> list[str]:
    out: list[str] = []
    for line in proration.lines:
        out.extend((str(line), f"    {line.calculation}"))
    total = f"Total: {proration.net}"
    if proration.policy.rounding_stage is RoundingStage.NET:
        total += " (the exact net, rounded once)"
    out.append(total)
    used = proration.used
    out.extend(
        (
            f"{used} ({used.calculation}, paid in advance)",
            f"Period cost with the change: {proration.period_cost}",
        )
    )
    return out


def prorate(
    change: PlanChange,
    period: BillingPeriod,
    policy: ProrationPolicy = DEFAULT_POLICY,
) -> Proration:
    """Price one plan change: credit for unused time, charge for the rest.

    Args:
        change: The change; its moment must fall inside ``period``.
        period: The billing period the old plan was paid for.
        policy: The conventions to follow; seconds basis and half-up
            rounding of each line unless said otherwise.

    Returns:
        The :class:`Proration`, with ``credit``, ``charge``, ``net`` and the
        lines behind them.

    Raises:
        OutsidePeriodError: The change's moment is outside ``period``.
        PeriodTooShortError: The period holds no whole unit of the basis.
        ArgumentTypeError: An argument is not of its documented type.

    The hosting page's Business 1 -> Business 2 example, 10 days into a
    30-day month (``002_440c7b3f4171c8ae.txt``, "Monthly Plans"):

    >>> from datetime import UTC, datetime, timedelta
    >>> from prorata import (Basis, BillingPeriod, Money, Plan, PlanChange,
    ...                      ProrationPolicy, prorate)
    >>> b1 = Plan(id="business-1", name="Business 1",
    ...           price=Money("115", "USD"), rank=3)
    >>> b2 = Plan(id="business-2", name="Business 2",
    ...           price=Money("225", "USD"), rank=4)
    >>> period = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
    >>> q = prorate(PlanChange(b1, b2, at=period.start + timedelta(days=10)),
    ...             period, ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH))
    >>> q.credit, q.charge, q.net
    (Money('76.67', 'USD'), Money('150.00', 'USD'), Money('73.33', 'USD'))
    """
    if not isinstance(change, PlanChange):
        raise ArgumentTypeError("change", change, "a PlanChange")
    plan = change.old
    _check_arguments(plan, period, policy)
    if _deferrable(policy) and not resets_anchor(plan, change.new):
        return _priced(change, period, policy)
    # The first step of prorate_timeline's walk: a single change needs no
    # trailing segment.
    return next(_walk(plan, (change,), period, policy, paid=None))


def prorate_timeline(
    plan: Plan,
    changes: Iterable[PlanChange],
    period: BillingPeriod,
    policy: ProrationPolicy = DEFAULT_POLICY,
    *,
    paid: Money | None = None,
) -> Timeline:
    """Price several changes inside one period ("multiple times in a month").

    Each change credits the unused time of the plan it leaves and charges
    the remaining time of the plan it enters, so a chain A -> B -> C costs
    A's price plus the nets, which is (exactly, before rounding) A, B and C
    each priced for the time it was in force.

    Args:
        plan: The plan in force at the period's start.
        changes: The changes, oldest first; each must leave the plan the
            one before it entered.
        period: The billing period.
        policy: The conventions to follow.
        paid: What was billed for ``plan`` over the whole period, for the
            ``CreditBasis.PAID`` credit basis; its price by default.

    Returns:
        The :class:`Timeline` with one :class:`Proration` per change and one
        used-time segment per plan in force.

    Raises:
        ChangeOrderError: A change is dated before the one before it, or
            leaves a plan that is not the one in force.
        OutsidePeriodError: A change's moment is outside ``period``.
        PeriodTooShortError: The period holds no whole unit of the basis.
        ArgumentTypeError: An argument is not of its documented type.

    Starter -> Pro -> Business 1, ten days each in a 30-day month: the period
    costs each plan for a third of the month, $11.67 + $23.33 + $38.33:

    >>> from datetime import UTC, datetime, timedelta
    >>> from prorata import (Basis, BillingPeriod, PlanChange, ProrationPolicy,
    ...                      builtin_catalog, prorate_timeline)
    >>> plans = builtin_catalog()
    >>> s, p, b = plans["starter"], plans["pro"], plans["business-1"]
    >>> june = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
    >>> day = timedelta(days=1)
    >>> policy = ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH)
    >>> t = prorate_timeline(s, [PlanChange(s, p, at=june.start + 10 * day),
    ...                          PlanChange(p, b, at=june.start + 20 * day)],
    ...                      june, policy)
    >>> print(t.net, t.period_cost)
    $38.34 $73.33
    """
    if not isinstance(changes, abc.Iterable):
        raise ArgumentTypeError("changes", changes, "an iterable of changes")
    if paid is not None and not isinstance(paid, Money):
        raise ArgumentTypeError("paid", paid, "a Money or None")
    prorations = tuple(_walk(plan, changes, period, policy, paid=paid))
    segments = [proration.used for proration in prorations]
    current, since = plan, period.start
    if prorations:
        current, since = prorations[-1].change.new, prorations[-1].change.at
    if not prorations or not resets_anchor(
        prorations[-1].change.old, current
    ):
        segments.append(
            price_time(
                LineKind.USED_TIME,
                current,
                since,
                period.end,
                period=period,
                policy=policy,
            )
        )
    return Timeline(
        plan=plan,
        period=period,
        policy=policy,
        prorations=prorations,
        segments=tuple(segments),
    )


def resets_anchor(old: Plan, new: Plan) -> bool:
    """Whether a change closes the old plan and opens a new billing cycle.

    A change of interval, or to, from or between yearly plans, does (the
    hosting page: "your monthly plan will be closed and a new annual plan
    opened"; Stripe re-anchors on any change of interval): the new plan is
    charged for its own first period from the change, never priced over
    the rest of the old plan's period.
    """
    before, after = old.interval, new.interval
    if before is not after and (
        before.unit is not after.unit or before.count != after.count
    ):
        return True
    return before.unit is _YEAR


def _time_lines(
    change: PlanChange,
    since: datetime,
    *,
    period: BillingPeriod,
    policy: ProrationPolicy,
) -> tuple[ProrationLine, ProrationLine]:
    """Price the old plan's used time and the new plan's remaining time.

    The used time runs from ``since`` to the change; the remaining time
    from the change to the period's end.
    """
    used = price_time(
        LineKind.USED_TIME,
        change.old,
        since,
        change.at,
        period=period,
        policy=policy,
    )
    if resets_anchor(change.old, change.new):
        # The old plan closes at the change and the new one opens its own
        # cycle there: its first period, never the old period's rest.
        period = BillingPeriod(change.at, change.new.interval.after(change.at))
    remaining = price_time(
        LineKind.REMAINING_TIME,
        change.new,
        change.at,
        period.end,
        period=period,
        policy=policy,
        treatment=change.charge or policy.charge,
    )
    return used, remaining


def _list_credit(
    change: PlanChange, *, period: BillingPeriod, policy: ProrationPolicy
) -> ProrationLine:
    """The credit for the old plan's unused time, at its list price."""
    return price_time(
        LineKind.UNUSED_TIME,
        change.old,
        change.at,
        period.end,
        period=period,
        policy=policy,
        treatment=change.credit or policy.credit,
    )


def _check_arguments(plan: object, period: object, policy: object) -> None:
    if not isinstance(policy, ProrationPolicy):
        raise ArgumentTypeError("policy", policy, "a ProrationPolicy")
    if not isinstance(plan, Plan):
        raise ArgumentTypeError("plan", plan, "a Plan")
    if not isinstance(period, BillingPeriod):
        raise ArgumentTypeError("period", period, "a BillingPeriod")


@final
@dataclass(frozen=True, slots=True)
class Walk:
    """Where a walk through a period's changes stands after the last one.

    Enough to price the next change without the earlier ones: the plan in
    force and since when, what is billed for it (the paid credit basis),
    and the running sum of the used-time segments for the period cost.
    Internal to prorata: a :class:`~prorata.Subscription` keeps one so that
    each change costs the same however many came before it.
    """

    plan: Plan
    since: datetime
    billed: Fraction
    held: int | Fraction
    used_amount: Money
    used_exact: Fraction
    changes: int = 0
    closed: bool = False

    @classmethod
    def begin(
        cls,
        plan: Plan,
        period: BillingPeriod,
        policy: ProrationPolicy,
        paid: Money | None = None,
    ) -> Walk:
        """Start at the period's start, ``plan`` billed ``paid`` for it."""
        _check_arguments(plan, period, policy)
        return cls(
            plan=plan,
            since=period.start,
            billed=(plan.price if paid is None else paid).exact,
            # The units what is billed covers: the whole period's for the
            # price, then the time left after each change.
            held=_total(policy, period),
            used_amount=Money.zero(plan.currency),
            used_exact=Fraction(0),
        )

    def step(
        self,
        change: PlanChange,
        period: BillingPeriod,
        policy: ProrationPolicy,
    ) -> tuple[Proration, Walk]:
        """Price ``change``, the next of the period; return where it leaves.

        Raises:
            ChangeOrderError: ``change`` follows a change that closed the
                period, is dated before the last one, or leaves a plan not
                in force.
            OutsidePeriodError: ``change`` is outside ``period``.
        """
        index = self.changes
        self._check(change, period)
        context = _Context(period=period, policy=policy)
        used, remaining = _time_lines(change, self.since, **context)
        billed, held = self.billed, self.held
        if policy.credit_basis is CreditBasis.PAID:
            unused, share, held = _paid_credit(
                change.old,
                billed,
                held,
                change.at,
                change.credit or policy.credit,
                **context,
            )
            # What stays billed for [at, end): the unused share, less the
            # credit given, plus the charge billed.
            billed = share + unused.amount.exact + remaining.amount.exact
        else:
            unused = _list_credit(change, **context)
        used_amount = self.used_amount + used.amount
        used_exact = self.used_exact + used.exact
        proration = Proration(
            change=change,
            period=period,
            policy=policy,
            used=used,
            unused=unused,
            remaining=remaining,
            net_exact=unused.exact + remaining.exact,
            net=sum_lines((unused, remaining), policy),
            period_cost=_period_cost(
                used_amount, used_exact, remaining, policy
            ),
        )
        walked = Walk(
            plan=change.new,
            since=change.at,
            billed=billed,
            held=held,
            used_amount=used_amount,
            used_exact=used_exact,
            changes=index + 1,
            closed=resets_anchor(change.old, change.new),
        )
        return proration, walked

    def _check(self, change: PlanChange, period: BillingPeriod) -> None:
        """Refuse a change after a reset, out of order or outside."""
        if self.closed:
            raise ChangeOrderError(
                self.changes,
                "follows a change of interval or to or from a yearly plan, "
                "which closes the period; price it in the new plan's period",
            )
        _check_change(self.changes, change, self.plan, self.since, period)


def _period_cost(
    used_amount: Money,
    used_exact: Fraction,
    remaining: ProrationLine,
    policy: ProrationPolicy,
) -> Money:
    """The used time so far plus the remaining time, as the stage adds."""
    if policy.rounding_stage is RoundingStage.LINE:
        return used_amount + remaining.amount
    return round_exact(
        used_exact + remaining.exact,
        remaining.amount.currency,
        policy.rounding,
    )


def _walk(
    plan: Plan,
    changes: Iterable[PlanChange],
    period: BillingPeriod,
    policy: ProrationPolicy,
    *,
    paid: Money | None,
) -> Iterator[Proration]:
    """Price the changes one by one, each line through :func:`price_time`.

    The single code path of a timeline, and of a change on its own when
    :func:`_deferrable` does not hold: one :meth:`Walk.step` a change.
    """
    walk = Walk.begin(plan, period, policy, paid)
    for change in changes:
        proration, walk = walk.step(change, period, policy)
        yield proration


def _deferrable(policy: ProrationPolicy) -> bool:
    """Whether every line of a change is a whole-unit ratio rounded alone.

    Then :func:`_priced` prices a change's amounts in integers and leaves
    its line objects to be built by :func:`price_time` when they are read.
    """
    return (
        policy.credit_basis is _LIST_PRICE
        and policy.rounding_stage is _LINE_STAGE
        and policy.basis is not _DAILY_RATE
        and not policy.months_first
    )


# Enum members as module constants: the hot path reads them once a change.
_SECONDS_BASIS: Final = Basis.SECONDS
_DAILY_RATE: Final = Basis.DAILY_RATE
_LIST_PRICE: Final = CreditBasis.LIST_PRICE
_LINE_STAGE: Final = RoundingStage.LINE
_PRORATED: Final = Treatment.PRORATED
_UNUSED_TIME: Final = LineKind.UNUSED_TIME
_FULL: Final = Treatment.FULL
_YEAR: Final = IntervalUnit.YEAR


_Deferred: TypeAlias = tuple[int, int]
"""A :class:`Proration`'s credit and charge in minor units, its lines not
yet built (the change, period and policy are enough to build them)."""


class _Built(NamedTuple):
    """A :class:`Proration`'s lines and the amounts read from them."""

    used: ProrationLine
    unused: ProrationLine
    remaining: ProrationLine
    net_exact: Fraction
    period_cost: Money


def _priced(
    change: PlanChange, period: BillingPeriod, policy: ProrationPolicy
) -> Proration:
    """Price one change in integer minor units; leave its lines for later.

    Each amount is the ratio :func:`price_time` rounds (price x units /
    total, scaled to minor units), through the same rounding, so the lines
    built later carry exactly these amounts (the suite checks it).
    """
    # Alone, a change leaves the plan in force and follows no other change:
    # of _check_change's checks only its moment inside the period applies.
    at = _moment_in(change, period)
    if policy.basis is _SECONDS_BASIS:
        origin = period.utc_start
        total = end = whole_seconds(period.utc_end - origin)
        if total <= 0:
            raise _too_short(policy, period)
        position = whole_seconds(at - origin)
    else:
        total, end = _whole_bounds(policy, period)
        position = _whole_position(policy, period, change.at, as_end=False)
    old, new = change.old.price, change.new.price
    currency = old.currency
    scale = _SCALES[currency]
    old_n, old_d = old.integer_ratio()
    new_n, new_d = new.integer_ratio()
    left = end - position
    # price x units / total in minor units: the ratio price_time rounds.
    credit = change.credit or policy.credit
    charge = change.charge or policy.charge
    credit_n = old_n * scale
    credit_n *= left if credit is _PRORATED else _held(credit, left, total)
    charge_n = new_n * scale
    charge_n *= left if charge is _PRORATED else _held(charge, left, total)
    mode = policy.rounding
    credited = round_units_of(credit_n, old_d * total, mode)
    charged = round_units_of(charge_n, new_d * total, mode)
    result = _new_proration(Proration)
    _set_change(result, change)
    _set_period(result, period)
    _set_policy(result, policy)
    _set_net(result, trusted_units(charged - credited, currency))
    _set_state(result, (credited, charged))
    _set_built(result, None)
    return result


def _whole_bounds(
    policy: ProrationPolicy, period: BillingPeriod
) -> tuple[int, int]:
    """Return the period's units and the position of its end."""
    total = _whole_total(policy, period)
    end = _whole_position(policy, period, period.end, as_end=True)
    if total <= 0:
        raise _too_short(policy, period)
    return total, end


def _held(treatment: Treatment, units: int, total: int) -> int:
    """The units a treatment prices: all, none or those given."""
    if treatment is _PRORATED:
        return units
    return total if treatment is _FULL else 0


_new_proration: Final = object.__new__
# Slot setters for a Proration built by _priced: its lines stay unbuilt
# until first read.
_set_change: Final = vars(Proration)["_change"].__set__
_set_period: Final = vars(Proration)["_period"].__set__
_set_policy: Final = vars(Proration)["_policy"].__set__
_set_state: Final = vars(Proration)["_state"].__set__
_set_net: Final = vars(Proration)["_net"].__set__
_set_built: Final = vars(Proration)["_built"].__set__


def _restore_proration(  # noqa: PLR0917 - the fields, in order
    change: PlanChange,
    period: BillingPeriod,
    policy: ProrationPolicy,
    used: ProrationLine,
    unused: ProrationLine,
    remaining: ProrationLine,
    net_exact: Fraction,
    net: Money,
    period_cost: Money,
) -> Proration:
    """Unpickle a :class:`Proration` from its fields."""
    return Proration(
        change=change,
        period=period,
        policy=policy,
        used=used,
        unused=unused,
        remaining=remaining,
        net_exact=net_exact,
        net=net,
        period_cost=period_cost,
    )


def _paid_credit(
    plan: Plan,
    billed: Fraction,
    held: int | Fraction,
    at: datetime,
    treatment: Treatment,
    *,
    period: BillingPeriod,
    policy: ProrationPolicy,
) -> tuple[ProrationLine, Fraction, int | Fraction]:
    """Credit the unused share of what is billed for ``plan``.

    ``billed`` covers ``held`` units up to the period's end; the unused
    share is ``billed x left / held``, so the credit is never more than was
    billed. Under ``Basis.DAILY_RATE`` it is the rate of what was billed,
    rounded, times the days left, as the charge is. Returns the credit
    line, that share and the units left.
    """
    end = _position(policy, period, period.end, as_end=True)
    left = end - _position(policy, period, at, as_end=False)
    currency = plan.currency
    rate: Money | None = None
    # The units the treatment prices: those left, all or none.
    units = {
        Treatment.PRORATED: left,
        Treatment.FULL: held,
        Treatment.NONE: 0,
    }[treatment]
    if not held:  # no time left to share: a full credit returns it all
        share = Fraction(0)
        exact = billed if treatment is _FULL else share
    elif policy.basis is _DAILY_RATE:
        rate = round_exact(billed / held, currency, policy.rounding)
        share, exact = rate.exact * left, rate.exact * units
    else:
        share, exact = billed * left / held, billed * units / held
    amount = round_exact(exact, currency, policy.rounding)
    line = ProrationLine(
        kind=LineKind.UNUSED_TIME,
        plan=plan,
        start=at,
        end=period.end,
        portion=Portion(left, held, _unit(policy)),
        rate=rate,
        exact=-exact,
        amount=-amount,
        price=round_exact(billed, currency, policy.rounding),
    )
    return line, share, left


def _check_change(
    index: int,
    change: object,
    current: Plan,
    since: datetime,
    period: BillingPeriod,
) -> None:
    """Refuse a change out of order or outside the period."""
    if not isinstance(change, PlanChange):
        raise ArgumentTypeError(f"change #{index + 1}", change, "a PlanChange")
    if change.old is not current and change.old != current:
        raise ChangeOrderError(
            index,
            f"leaves plan {change.old.id!r} but plan {current.id!r} is in "
            "force then; list the changes in the order they happened",
        )
    if _moment_in(change, period) < since.astimezone(UTC):
        raise ChangeOrderError(
            index,
            f"is dated {change.at.isoformat()}, before the change before it "
            f"({since.isoformat()}); list the changes oldest first",
        )


def _moment_in(change: PlanChange, period: BillingPeriod) -> datetime:
    """Return the change's moment in UTC; refuse it outside the period."""
    at = change.at.astimezone(UTC)  # aware: PlanChange checked it
    if not period.utc_start <= at < period.utc_end:
        raise OutsidePeriodError(
            "change moment", change.at, period.start, period.end
        )
    return at


# Slot setters of the frozen result dataclasses, for _portion and _line.
_PORTION_UNITS: Final = vars(Portion)["units"].__set__
_PORTION_TOTAL: Final = vars(Portion)["total"].__set__
_PORTION_UNIT: Final = vars(Portion)["unit"].__set__
_LINE_SLOTS: Final = tuple(
    vars(ProrationLine)[item.name].__set__ for item in fields(ProrationLine)
)
