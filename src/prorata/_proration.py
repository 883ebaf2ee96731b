"""The results of prorating: :class:`Proration` and :class:`Timeline`.

A :class:`Proration` holds one change's credit, charge and net and the
lines behind them; a :class:`Timeline` several changes of one period. The
lines come from the one formula in ``_pricing``: :func:`time_lines` and
:func:`list_credit` price them, for the walk (``_walk``) and for a
Proration whose lines are built when first read.
"""

from __future__ import annotations

# At run time: the serializer resolves the results' annotations.
from collections.abc import Callable  # noqa: TC003
from dataclasses import FrozenInstanceError, dataclass
from datetime import datetime  # noqa: TC003
from fractions import Fraction  # noqa: TC003
from typing import (
    TYPE_CHECKING,
    ClassVar,
    NamedTuple,
    NoReturn,
    TypeAlias,
    final,
)

from prorata._anchoring import closes_period, kept_anchor, resets_anchor
from prorata._display import capped, displayed
from prorata._explain import (
    proration_html,
    proration_text,
    timeline_html,
    timeline_text,
)
from prorata._money import Money, trusted_units
from prorata._period import (
    BillingCycle,
    BillingPeriod,
)
from prorata._plan import Plan, PlanChange
from prorata._policy import (
    AnchorReset,
    ProrationPolicy,
)
from prorata._pricing import (
    LineKind,
    ProrationLine,
    price_time,
    sum_lines,
)
from prorata._shells import unchecked

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "Proration",
    "Timeline",
    "list_credit",
    "time_lines",
]


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

    _make: ClassVar[
        Callable[
            [
                PlanChange,
                BillingPeriod,
                ProrationPolicy,
                Money,
                _Deferred | None,
                _Built | None,
            ],
            Proration,
        ]
    ]
    """The slots in order, unchecked: for :func:`_priced`, whose lines are
    built when first read."""

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
        return trusted_units(state[0], state[2])

    @property
    def charge(self) -> Money:
        """The charge for the remaining time on the new plan."""
        state = self._state
        if state is None:
            return self.remaining.amount
        return trusted_units(state[1], state[2])

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
        used, remaining = time_lines(
            change, period.start, period=period, policy=policy
        )
        unused = list_credit(change, period=period, policy=policy)
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
        return capped(
            f"<Proration {change.old.id} -> {change.new.id} at "
            f"{change.at.isoformat()}: credit {self.credit}, charge "
            f"{self.charge}, net {self.net}>"
        )

    def _repr_html_(self) -> str:
        """A table for notebooks: each line, its calculation, the net."""
        return proration_html(self)

    def explain(self) -> str:
        """Render the lines the way the hosting page's "Calculation" does."""
        return proration_text(self)


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
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
        return capped(
            f"<Timeline from {self.plan.id}, {len(self.prorations)} "
            f"change(s): net {self.net}, period cost {self.period_cost}>"
        )

    def _repr_html_(self) -> str:
        """A table for notebooks: every change's lines, the net of all."""
        return timeline_html(self)

    def explain(self) -> str:
        """Render every change, then the period's segments and totals."""
        return timeline_text(self)


def opened_period(
    change: PlanChange,
    period: BillingPeriod,
    rule: AnchorReset,
    anchor: datetime | None = None,
) -> BillingPeriod:
    """The period the new plan's remaining time is priced over.

    The old plan's ``period``, unless the change restarts the cycle (the
    new plan's first period from the change) or moves it to another
    interval (the new interval's period holding the change, counted from
    ``anchor``, the cycle's anchor, or else from ``period``'s own
    boundaries).
    """
    new, at = change.new, change.at
    if resets_anchor(change.old, new, rule):
        return BillingPeriod(at, new.interval.after(at))
    if closes_period(change.old, new, rule):
        start = _anchor_of(period) if anchor is None else anchor
        start = kept_anchor(start, at, new.interval, rule)
        return BillingCycle(start, new.interval).containing(at)
    return period


def _anchor_of(period: BillingPeriod) -> datetime:
    """The anchor a period's own boundaries give its cycle.

    Both ends are billing dates; the one on the later day of the month
    keeps the billing day where the other was clamped (29 February to 31
    March: the 31st).
    """
    start, end = period.start, period.end
    return end if end.day > start.day else start


def time_lines(
    change: PlanChange,
    since: datetime,
    *,
    period: BillingPeriod,
    policy: ProrationPolicy,
    anchor: datetime | None = None,
) -> tuple[ProrationLine, ProrationLine]:
    """Price the old plan's used time and the new plan's remaining time.

    The used time runs from ``since`` to the change; the remaining time
    from the change to the end of the period the new plan opens
    (:func:`opened_period`, from the cycle's ``anchor``).
    """
    used = price_time(
        LineKind.USED_TIME,
        change.old,
        since,
        change.at,
        period=period,
        policy=policy,
    )
    # A change that restarts the cycle or moves it to another interval
    # prices the new plan over its own period, never the old period's rest.
    period = opened_period(change, period, policy.anchor_reset, anchor)
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


def list_credit(
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


_Deferred: TypeAlias = tuple[int, int, str]
"""A :class:`Proration`'s credit and charge in minor units of its currency
(the third item), its lines not yet built (the change, period and policy
are enough to build them)."""


class _Built(NamedTuple):
    """A :class:`Proration`'s lines and the amounts read from them."""

    used: ProrationLine
    unused: ProrationLine
    remaining: ProrationLine
    net_exact: Fraction
    period_cost: Money


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


Proration._make = unchecked(
    Proration,
    ("_change", "_period", "_policy", "_net", "_state", "_built"),
)
