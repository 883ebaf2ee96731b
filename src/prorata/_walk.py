"""Walking a period's changes: :func:`prorate` and :func:`prorate_timeline`.

A :class:`Walk` is where a walk through a period's changes stands after the
last one: the plan in force and since when, what is billed for it, the
running period cost. :meth:`Walk.step` prices the next change from that
alone, so a timeline costs one step a change and a
:class:`~prorata.Subscription` keeps its walk between changes. A change on
its own, under the policies whose lines are whole-unit ratios rounded one
by one, is priced as its credit and charge amounts alone (``_priced``), its
lines built through the same formula when first read.
"""

from __future__ import annotations

from collections import abc
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from typing import TYPE_CHECKING, Final, TypedDict, final

from prorata._anchoring import closes_period
from prorata._measure import total_units, unit_of, units_between
from prorata._money import Money, round_exact, trusted_units
from prorata._period import BillingPeriod
from prorata._plan import Plan, PlanChange
from prorata._policy import (
    DEFAULT_POLICY,
    Basis,
    CreditBasis,
    ProrationPolicy,
    RoundingStage,
    Treatment,
)
from prorata._pricing import (
    LineKind,
    Portion,
    ProrationLine,
    held_units,
    price_time,
    sum_lines,
)
from prorata._proration import (
    Proration,
    Timeline,
    list_credit,
    time_lines,
)
from prorata._rounding import SCALES, amount
from prorata.errors import (
    ArgumentTypeError,
    ChangeOrderError,
    OutsidePeriodError,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = [
    "Walk",
    "prorate",
    "prorate_timeline",
]


class _Context(TypedDict):
    period: BillingPeriod
    policy: ProrationPolicy


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
    if not isinstance(period, BillingPeriod):
        raise ArgumentTypeError("period", period, "a BillingPeriod")
    if not isinstance(policy, ProrationPolicy):
        raise ArgumentTypeError("policy", policy, "a ProrationPolicy")
    # (A PlanChange's plans are Plans: it checks them.) Where every line of
    # a change is a whole-unit ratio rounded alone, _priced prices its
    # credit and charge alone and leaves its lines to be built, by
    # price_time, when read.
    plan = change.old
    if policy._lines_alone and not closes_period(  # noqa: SLF001
        plan, change.new, policy.anchor_reset
    ):
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
    if not prorations or not closes_period(
        prorations[-1].change.old, current, policy.anchor_reset
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
            held=total_units(policy, period),
            used_amount=Money.zero(plan.currency),
            used_exact=Fraction(0),
        )

    @classmethod
    def opening(
        cls,
        plan: Plan,
        since: datetime,
        period: BillingPeriod,
        policy: ProrationPolicy,
        paid: Money,
    ) -> Walk:
        """Start at ``since``, ``plan`` billed ``paid`` for the time left.

        A first period that runs to a billing day starts inside the period.
        """
        _check_arguments(plan, period, policy)
        return cls(
            plan=plan,
            since=since,
            billed=paid.exact,
            held=units_between(policy, period, since, period.end)[0],
            used_amount=Money.zero(plan.currency),
            used_exact=Fraction(0),
        )

    @classmethod
    def through(
        cls,
        plan: Plan,
        changes: Iterable[PlanChange],
        since: datetime,
        period: BillingPeriod,
        policy: ProrationPolicy,
    ) -> Walk:
        """Walk the changes from ``since`` on, ``plan`` in force then.

        Changes before ``since`` are left out: they belong to an earlier
        window of the period.
        """
        walk = cls.begin(plan, period, policy)
        first = since.astimezone(UTC)
        for change in changes:
            if change.at.astimezone(UTC) >= first:
                walk = walk.step(change, period, policy)[1]
        return walk

    def step(
        self,
        change: PlanChange,
        period: BillingPeriod,
        policy: ProrationPolicy,
        anchor: datetime | None = None,
    ) -> tuple[Proration, Walk]:
        """Price ``change``, the next of the period; return where it leaves.

        A change to another interval that keeps the billing day prices the
        new plan over its period from the cycle's ``anchor``.

        Raises:
            ChangeOrderError: ``change`` follows a change that closed the
                period, is dated before the last one, or leaves a plan not
                in force.
            OutsidePeriodError: ``change`` is outside ``period``.
        """
        index = self.changes
        self._check(change, period)
        context = _Context(period=period, policy=policy)
        used, remaining = time_lines(
            change, self.since, anchor=anchor, **context
        )
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
            unused = list_credit(change, **context)
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
            closed=closes_period(change.old, change.new, policy.anchor_reset),
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
    :func:`prorate` does not price it alone: one :meth:`Walk.step` a change.
    """
    walk = Walk.begin(plan, period, policy, paid)
    for change in changes:
        proration, walk = walk.step(change, period, policy)
        yield proration


# Enum members as module constants: the hot path reads them once a change.
_DAILY_RATE: Final = Basis.DAILY_RATE
_PRORATED: Final = Treatment.PRORATED
_FULL: Final = Treatment.FULL


def _priced(
    change: PlanChange, period: BillingPeriod, policy: ProrationPolicy
) -> Proration:
    """Price one change's credit and charge alone; leave its lines for later.

    Each amount is :func:`~prorata._money.amount` of the units and total
    that :func:`~prorata._pricing.price_time` prices when the lines are
    built, so the lines carry exactly these amounts.
    """
    # Alone, a change leaves the plan in force and follows no other change:
    # of _check_change's checks only its moment inside the period applies.
    at = _moment_in(change, period)
    left, total = units_between(policy, period, at, period.end)
    old, new = change.old.price, change.new.price
    currency, mode = old.currency, policy.rounding
    # The units each treatment prices (held_units; prorated, the common
    # case, decided here).
    credit = change.credit or policy.credit
    credit_units = (
        left if credit is _PRORATED else held_units(credit, left, total)
    )
    charge = change.charge or policy.charge
    charge_units = (
        left if charge is _PRORATED else held_units(charge, left, total)
    )
    old_n, old_d = old.integer_ratio()
    new_n, new_d = new.integer_ratio()
    credited = amount(old_n, old_d, credit_units, total, currency, mode)[2]
    charged = amount(new_n, new_d, charge_units, total, currency, mode)[2]
    net = trusted_units(charged - credited, currency)
    return Proration._make(
        change, period, policy, net, (credited, charged, currency), None
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
    left = units_between(policy, period, at, period.end)[0]
    currency, mode = plan.currency, policy.rounding
    rate: Money | None = None
    units = held_units(treatment, left, held)
    numerator, denominator = billed.numerator, billed.denominator
    count, total = units, held
    share: Fraction = Fraction(0)
    if not held:  # no time left to share: a full credit returns it all
        count, total = (1 if treatment is _FULL else 0), 1
    elif policy.basis is _DAILY_RATE:
        day = amount(numerator, denominator, 1, held, currency, mode)[2]
        rate = trusted_units(day, currency)
        numerator, denominator, total = day, SCALES[currency], 1
        share = Fraction(day * left, denominator)
    else:
        if policy.share_places is not None:
            # The share stated to the policy's places prices, as in
            # price_time: the credit of what was billed follows it too.
            places = 10**policy.share_places
            count = (2 * Fraction(count) * places + held) // (2 * held)
            total = places
        top, bottom, _ = amount(
            numerator, denominator, left, held, currency, mode
        )
        share = Fraction(top, bottom)
    top, bottom, rounded = amount(
        numerator, denominator, count, total, currency, mode
    )
    line = ProrationLine(
        kind=LineKind.UNUSED_TIME,
        plan=plan,
        start=at,
        end=period.end,
        portion=Portion(left, held, unit_of(policy)),
        rate=rate,
        exact=-Fraction(top, bottom),
        amount=trusted_units(-rounded, currency),
        price=round_exact(billed, currency, mode),
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
    at = change.utc_at
    if not period.utc_start <= at < period.utc_end:
        raise OutsidePeriodError(
            "change moment", change.at, period.start, period.end
        )
    return at
