"""Subscriptions: immutable account state and its transitions.

A :class:`Subscription` is a value. Every transition (start, change plan,
change an add-on's quantity, record usage, bill) returns a new subscription
and what the transition produced, and leaves the old one as it was. So
previewing a change or an invoice is the real computation with its new
state thrown away: there is no second code path for previews.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Final, final

from prorata._add_on import AddOn, Item
from prorata._invoice import (
    BillingPolicy,
    BillingSchedule,
    BillingTiming,
    ChangeBilling,
    Invoice,
    InvoiceLine,
    InvoiceLineKind,
    bill_lines,
    overage_lines,
    settle_checked,
)
from prorata._money import Money, RoundingMode, round_ratio
from prorata._period import (
    BillingCycle,
    BillingPeriod,
    require_aware,
    to_utc,
)
from prorata._plan import (
    AllowanceCarry,
    Plan,
    PlanChange,
    Usage,
    carry_allowances,
)
from prorata._proration import (
    LineKind,
    Proration,
    ProrationLine,
    Walk,
    as_written,
    price_time,
    resets_anchor,
    sum_lines,
)
from prorata._rules import require_self_serve
from prorata.errors import (
    ArgumentTypeError,
    ChangeOrderError,
    CurrencyMismatchError,
    OutsidePeriodError,
    UnknownMetricError,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from prorata._period import Interval

__all__ = [
    "ChangeOutcome",
    "QuantityChange",
    "QuantityOutcome",
    "Settlement",
    "Subscription",
    "bill_all",
]


class Settlement(StrEnum):
    """When the net of a change is billed."""

    INVOICE_NOW = "invoice-now"
    """On an invoice of its own, at the moment of the change."""
    NEXT_INVOICE = "next-invoice"
    """On the next regular invoice."""
    SPLIT = "split"
    """Partly on an invoice issued at once, partly on the next one."""
    NOT_BILLED = "not-billed"
    """Not at all (``ChangeBilling.NEVER``, or nothing to bill)."""


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeOutcome:
    """What a plan change produced: its lines, its net and how it is billed.

    Args:
        proration: The plan change's credit, charge and net.
        lines: The credit and charge lines the change bills (none when
            billing in arrears, which bills time used at the period's end).
        net: The sum of ``lines`` under the proration policy.
        settlement: Invoiced now, or added to the next invoice.
        reason: Why, in words a support person can read out.
        invoice: The invoice issued at once, if any.

    Business 1 -> Business 2 ten days into a 30-day month, billed on the next
    invoice:

    >>> from datetime import UTC, datetime
    >>> from prorata import (Basis, BillingPolicy, ProrationPolicy,
    ...                      Subscription, builtin_catalog)
    >>> plans = builtin_catalog()
    >>> policy = BillingPolicy(
    ...     proration=ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH))
    >>> sub, _ = Subscription.start(plans["business-1"],
    ...     datetime(2024, 6, 1, tzinfo=UTC), policy=policy)
    >>> sub, outcome = sub.change_plan(plans["business-2"],
    ...     datetime(2024, 6, 11, tzinfo=UTC))
    >>> print(outcome.net, outcome.settlement)
    $73.33 next-invoice
    """

    proration: Proration
    lines: tuple[InvoiceLine, ...]
    net: Money
    settlement: Settlement
    reason: str
    invoice: Invoice | None
    allowances: tuple[AllowanceCarry, ...] = ()

    def explain(self) -> str:
        """The proration's explanation, then how it is billed and why.

        Lifetime allowances carried across the change are listed too: the
        hosting page's Starter -> Pro with one migration used has "one extra
        migration added to your account, not two".
        """
        out = [self.proration.explain()]
        out.extend(
            f"{carry.metric}: {carry.used} used, {carry.available_before} "
            f"available before, {carry.available_after} after "
            f"({carry.delta:+d})"
            for carry in self.allowances
        )
        out.append(f"Billed: {self.settlement}, {self.reason}")
        return "\n".join(out)


@final
@dataclass(frozen=True, slots=True)
class QuantityChange:
    """An add-on's quantity set to ``quantity`` from ``at`` on."""

    add_on: AddOn
    quantity: int
    at: datetime

    def __post_init__(self) -> None:
        """Validate the add-on and the quantity (as an Item) and the moment.

        Raises:
            InvalidPlanError: Not an add-on, or not a count of zero or more.
            NaiveDatetimeError: ``at`` is not an aware datetime.
        """
        Item(self.add_on, self.quantity)
        require_aware("quantity change moment", self.at)


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class QuantityOutcome:
    """What a change of an add-on's quantity produced.

    Args:
        change: The quantity change.
        lines: The credit for the old quantity's unused time and the
            charge for the new quantity's remaining time (none when billing
            in arrears).
        net: The sum of ``lines`` under the proration policy.
        settlement: Invoiced now, or added to the next invoice.
        reason: Why, in words a support person can read out.
        invoice: The invoice issued at once, if any.

    Two extra sites raised to three ten days into a 30-day month:

    >>> from datetime import UTC, datetime
    >>> from prorata import AddOn, Item, Money, Subscription, builtin_catalog
    >>> site = AddOn(id="extra-site", name="Extra site",
    ...              price=Money("20", "USD"))
    >>> sub, _ = Subscription.start(builtin_catalog()["pro"],
    ...     datetime(2024, 6, 1, tzinfo=UTC), items=[Item(site, 2)])
    >>> sub, outcome = sub.change_quantity(site, 3,
    ...     datetime(2024, 6, 11, tzinfo=UTC))
    >>> print(outcome.net)
    $13.33
    """

    change: QuantityChange
    lines: tuple[InvoiceLine, ...]
    net: Money
    settlement: Settlement
    reason: str
    invoice: Invoice | None


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class _Billing:
    """How a change's lines are billed: the state after, and why."""

    state: Subscription
    lines: tuple[InvoiceLine, ...]
    settlement: Settlement
    reason: str
    invoice: Invoice | None


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class Subscription:
    """A customer's subscription as an immutable value.

    Build one with :meth:`start`; change it with :meth:`change_plan`,
    :meth:`change_quantity`, :meth:`record_usage` and :meth:`bill`, each of
    which returns a new subscription.

    Args:
        policy: How the subscription is billed.
        schedule: Its billing dates and calculation dates.
        started_at: When it started.
        next_index: The cycle index of the next regular invoice.
        window_start: The start of what is not yet invoiced (the last
            calculation date, or the start).
        window_plan: The plan in force at ``window_start``.
        window_items: The add-on items in force at ``window_start``.
        changes: The plan changes since ``window_start``, oldest first.
        quantity_changes: The add-on quantity changes since then.
        usage: The usage recorded and not yet invoiced.
        deferred: Proration lines waiting for the next invoice.
        credit_balance: Credit the customer holds against future invoices.
        lifetime_used: The use of each lifetime allowance so far, across
            every plan: one :class:`~prorata.Usage` per metric, its
            quantity the total and its moment the latest use.
        walk: Where the current period's plan changes leave the proration
            walk (the plan in force, what is billed for it, the running
            period cost), so the next change is priced from it alone;
            ``None`` walks the changes afresh.

    Business 1 from June 1st, upgraded to Business 2 ten days in:

    >>> from datetime import UTC, datetime
    >>> from prorata import (Basis, BillingPolicy, ProrationPolicy,
    ...                      Subscription, builtin_catalog)
    >>> plans = builtin_catalog()
    >>> policy = BillingPolicy(
    ...     proration=ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH))
    >>> sub, _ = Subscription.start(plans["business-1"],
    ...     datetime(2024, 6, 1, tzinfo=UTC), policy=policy)
    >>> sub, _ = sub.change_plan(plans["business-2"],
    ...     datetime(2024, 6, 11, tzinfo=UTC))
    >>> sub, invoice = sub.bill()
    >>> print(sub.plan.name, invoice.amount_due)
    Business 2 $298.33
    """

    policy: BillingPolicy
    schedule: BillingSchedule
    started_at: datetime
    next_index: int
    window_start: datetime
    window_plan: Plan
    window_items: tuple[Item, ...] = ()
    changes: tuple[PlanChange, ...] = ()
    quantity_changes: tuple[QuantityChange, ...] = ()
    usage: tuple[Usage, ...] = ()
    deferred: tuple[InvoiceLine, ...] = ()
    credit_balance: Money
    lifetime_used: tuple[Usage, ...] = ()
    walk: Walk | None = None

    # -- construction ------------------------------------------------------

    @classmethod
    def start(
        cls,
        plan: Plan,
        at: datetime,
        *,
        policy: BillingPolicy | None = None,
        anchor: datetime | None = None,
        items: Iterable[Item] = (),
    ) -> tuple[Subscription, Invoice | None]:
        """Start a subscription to ``plan`` (and add-on ``items``) at ``at``.

        Billed in advance, the sign-up invoice charges the first period (or
        what remains of it, when the billing-cycle ``anchor`` lies
        elsewhere); billed in arrears, nothing is billed at sign-up.

        Args:
            plan: The first plan.
            at: The subscription date.
            policy: How to bill; in advance, seconds basis by default.
            anchor: The billing-cycle anchor; ``at`` by default.
            items: Add-ons and their quantities.

        Returns:
            The subscription, and the sign-up invoice or ``None``.

        Raises:
            NaiveDatetimeError: ``at`` or ``anchor`` has no time zone.
            ArgumentTypeError: ``plan``, ``policy`` or an item has a wrong
                type.
            CurrencyMismatchError: An add-on priced in another currency.
            InvalidPlanError: An add-on that cannot be priced for the
                plan's interval.
        """
        if not isinstance(plan, Plan):
            raise ArgumentTypeError("plan", plan, "a Plan")
        policy = BillingPolicy() if policy is None else policy
        if not isinstance(policy, BillingPolicy):
            raise ArgumentTypeError("policy", policy, "a BillingPolicy")
        require_aware("subscription start", at)
        cycle = BillingCycle(at if anchor is None else anchor, plan.interval)
        subscription = cls(
            policy=policy,
            schedule=BillingSchedule(
                cycle=cycle,
                timing=policy.timing,
                calculation_lead=policy.calculation_lead,
            ),
            started_at=at,
            next_index=cycle.index_of(at) + 1,
            window_start=at,
            window_plan=plan,
            window_items=_items_tuple(items),
            credit_balance=Money.zero(plan.currency),
        )
        for item in subscription.window_items:
            subscription._check_add_on(item)
        if policy.timing is BillingTiming.IN_ARREARS:
            return subscription, None
        period = subscription.period
        if at == period.start:
            lines = subscription._in_advance(
                plan, period, subscription.window_items
            )
        else:  # a billing-cycle anchor elsewhere: the rest of this period
            lines = bill_lines(
                subscription._price_all(
                    LineKind.REMAINING_TIME, plan, at, period.end
                ),
                policy.proration,
            )
        return subscription, subscription._settle(lines, at, at)

    # -- derived state -----------------------------------------------------

    @property
    def plan(self) -> Plan:
        """The plan in force now: after the last change."""
        return self.changes[-1].new if self.changes else self.window_plan

    @property
    def items(self) -> tuple[Item, ...]:
        """The add-on items in force now, with a quantity above zero."""
        return self._items(lambda _: True)

    @property
    def currency(self) -> str:
        """The subscription's currency."""
        return self.window_plan.currency

    @property
    def period(self) -> BillingPeriod:
        """The current billing period: the one the next invoice closes."""
        return self.schedule.cycle.period(self.next_index - 1)

    @property
    def next_billing_date(self) -> datetime:
        """The billing date of the next regular invoice."""
        return self.schedule.billing_date(self.next_index)

    @property
    def next_calculation_date(self) -> datetime:
        """When the next regular invoice is calculated."""
        return self.schedule.calculation_date(self.next_billing_date)

    def plan_at(self, moment: datetime) -> Plan:
        """Return the plan in force at ``moment`` (since the window start)."""
        return self._plan_at(to_utc(require_aware("moment", moment)))

    def _plan_at(self, instant: datetime) -> Plan:
        """:meth:`plan_at` of a moment already checked, in UTC."""
        index = bisect_right(self.changes, instant, key=_utc_at)
        return self.changes[index - 1].new if index else self.window_plan

    def _plan_before(self, moment: datetime) -> Plan:
        """The plan in force just before ``moment``: before changes at it."""
        index = bisect_left(self.changes, to_utc(moment), key=_utc_at)
        return self.changes[index - 1].new if index else self.window_plan

    def items_at(self, moment: datetime) -> tuple[Item, ...]:
        """Return the add-on items in force at ``moment``."""
        instant = to_utc(require_aware("moment", moment))
        return self._items(lambda change: to_utc(change.at) <= instant)

    def _items(
        self, applies: Callable[[QuantityChange], bool]
    ) -> tuple[Item, ...]:
        quantities = {i.add_on: i.quantity for i in self.window_items}
        for change in self.quantity_changes:
            if applies(change):
                quantities[change.add_on] = change.quantity
        return tuple(Item(a, q) for a, q in quantities.items() if q)

    def _segments(
        self, start: datetime, end: datetime
    ) -> list[tuple[Plan, datetime, datetime]]:
        """The plans in force over ``[start, end)``, tiling it."""
        segments: list[tuple[Plan, datetime, datetime]] = []
        plan, since = self._plan_at(to_utc(start)), start
        for change in self.changes:
            if to_utc(start) < to_utc(change.at) < to_utc(end):
                segments.append((plan, since, change.at))
                plan, since = change.new, change.at
        segments.append((plan, since, end))
        return segments

    def _item_segments(
        self, start: datetime, end: datetime
    ) -> list[tuple[Item, datetime, datetime]]:
        """Each add-on's quantity over ``[start, end)``, zero left out."""
        segments: list[tuple[Item, datetime, datetime]] = []
        add_ons = {i.add_on for i in self.window_items} | {
            c.add_on for c in self.quantity_changes
        }
        for add_on in sorted(add_ons, key=lambda a: a.id):
            held = {i.add_on: i.quantity for i in self.items_at(start)}
            quantity, since = held.get(add_on, 0), start
            for change in self.quantity_changes:
                if change.add_on == add_on and (
                    to_utc(start) < to_utc(change.at) < to_utc(end)
                ):
                    segments.append((Item(add_on, quantity), since, change.at))
                    quantity, since = change.quantity, change.at
            segments.append((Item(add_on, quantity), since, end))
        return [s for s in segments if s[0].quantity]

    # -- transitions -------------------------------------------------------

    def change_plan(
        self, new: Plan, at: datetime, *, assisted: bool = False
    ) -> tuple[Subscription, ChangeOutcome]:
        """Switch to ``new`` at ``at``: prorate, then bill now or later.

        Billed in advance, the credit for the old plan's unused time and the
        charge for the new plan's remaining time are invoiced at once when
        their net exceeds the policy's ``charge_now_above``, and otherwise
        wait for the next invoice. Billed in arrears, nothing is billed now:
        the next invoice charges each plan for the time it was in force.
        Add-ons move with the plan unchanged.

        A change to, from or between annual plans, or between intervals,
        closes the old plan instead (see :meth:`_reset`): the hosting page's
        "your monthly plan will be closed and a new annual plan opened" and
        "will cancel the plan and create a new plan with a new billing date,
        including add-ons". Annual to monthly, which the pages do not
        describe, is treated the same way, as Stripe treats any change of
        interval.

        Args:
            new: The plan to switch to.
            at: The moment of the change.
            assisted: The change is made by staff (sales, billing), so the
                self-serve rules (:func:`~prorata.check_change`) do not
                apply.

        Raises:
            ChangeRefusedError: The change is not self-serve and not
                ``assisted``.
            ChangeOrderError: ``at`` is before the subscription started or
                before an earlier change.
            OutsidePeriodError: ``at`` is outside the current period (bill
                the subscription up to it first).
            CurrencyMismatchError: ``new`` is priced in another currency.
            NaiveDatetimeError: ``at`` has no time zone.
        """
        change = PlanChange(self.plan, new, at=at)
        self._check_moment("change", at)
        if not assisted:
            require_self_serve(self.plan, new)
        period = self.period
        proration, walk = self._walk().step(
            change, period, self.policy.proration
        )
        if resets_anchor(change.old, change.new):
            return self._reset(proration)
        billing = self._bill_change(
            replace(self, changes=(*self.changes, change), walk=walk),
            tuple(bill_lines(proration.lines, self.policy.proration)),
            proration.net,
            at,
        )
        return billing.state, ChangeOutcome(
            proration=proration,
            lines=billing.lines,
            net=proration.net,
            settlement=billing.settlement,
            reason=billing.reason,
            invoice=billing.invoice,
            allowances=self._carry(change),
        )

    def change_quantity(
        self, add_on: AddOn, quantity: int, at: datetime
    ) -> tuple[Subscription, QuantityOutcome]:
        """Set an add-on's quantity from ``at`` on; prorated like a plan.

        The old quantity is credited for the unused time and the new one
        charged for the remaining time (more sites, more seats), then billed
        now or later by the same rules as a plan change.

        Raises:
            ChangeOrderError: ``at`` is before the subscription started or
                before an earlier change.
            OutsidePeriodError: ``at`` is outside the current period.
            CurrencyMismatchError: The add-on is in another currency.
            InvalidPlanError: A negative quantity, or an add-on that cannot
                be priced for the plan's interval.
        """
        item = Item(add_on, quantity)
        self._check_add_on(item)
        self._check_moment("quantity change", at)
        held = {i.add_on: i.quantity for i in self.items}.get(add_on, 0)
        period, proration = self.period, self.policy.proration
        lines = []
        for kind, count, treatment in (
            (LineKind.UNUSED_TIME, held, proration.credit),
            (LineKind.REMAINING_TIME, quantity, proration.charge),
        ):
            if count:
                lines.append(
                    price_time(
                        kind,
                        add_on,
                        at,
                        period.end,
                        period=period,
                        policy=proration,
                        quantity=count,
                        price=add_on.price_for(self.schedule.cycle.interval),
                        treatment=treatment,
                    )
                )
        net = (
            sum_lines(lines, self.policy.proration)
            if lines
            else Money.zero(self.currency)
        )
        change = QuantityChange(add_on, quantity, at)
        billing = self._bill_change(
            replace(self, quantity_changes=(*self.quantity_changes, change)),
            tuple(bill_lines(lines, proration)),
            net,
            at,
        )
        return billing.state, QuantityOutcome(
            change=change,
            lines=billing.lines,
            net=net,
            settlement=billing.settlement,
            reason=billing.reason,
            invoice=billing.invoice,
        )

    def record_usage(
        self,
        metric: str,
        quantity: int,
        at: datetime,
        *,
        unmetered: bool = False,
    ) -> Subscription:
        """Record usage; it is billed under the plan in force at ``at``.

        A metric the plan in force meters is billed as overage beyond its
        allowance. A lifetime allowance's metric (``"migrations"``) is
        added to :attr:`lifetime_used`, which carries across every change.
        Any other metric is refused, so a typo never vanishes from an
        invoice, unless ``unmetered`` says to record it unbilled.

        Raises:
            OutsidePeriodError: ``at`` is before the usage not yet invoiced
                or after the current period.
            UnknownMetricError: The plan in force neither meters the metric
                nor counts it as a lifetime allowance, and not
                ``unmetered``.
            InvalidPlanError: An empty metric or a negative quantity.
            NaiveDatetimeError: ``at`` has no time zone.
        """
        record = Usage(metric, quantity, at)
        moment = to_utc(at)
        if not (to_utc(self.window_start) <= moment < to_utc(self.period.end)):
            raise OutsidePeriodError(
                "usage moment", at, self.window_start, self.period.end
            )
        plan = self.plan_at(at)
        lifetime = {allowance.metric for allowance in plan.lifetime}
        if metric in lifetime or metric in self.lifetime_usage:
            return replace(self, lifetime_used=self._used_more(record))
        if plan.allowance(metric) is None and not unmetered:
            raise UnknownMetricError(metric, plan.id, self._known_metrics())
        return replace(self, usage=(*self.usage, record))

    @property
    def lifetime_usage(self) -> dict[str, int]:
        """How many of each lifetime allowance have been used, so far."""
        return {use.metric: use.quantity for use in self.lifetime_used}

    def _used_more(self, record: Usage) -> tuple[Usage, ...]:
        """The lifetime totals with ``record`` added to its metric's."""
        totals = [u for u in self.lifetime_used if u.metric != record.metric]
        before = self.lifetime_usage.get(record.metric, 0)
        latest = max(
            (u.at for u in self.lifetime_used if u.metric == record.metric),
            default=record.at,
            key=to_utc,
        )
        moment = max(latest, record.at, key=to_utc)
        totals.append(Usage(record.metric, before + record.quantity, moment))
        return tuple(sorted(totals, key=lambda use: use.metric))

    def _known_metrics(self) -> list[str]:
        """Every metric the plans of this window meter or count."""
        known: set[str] = set()
        for plan in (self.window_plan, *(c.new for c in self.changes)):
            known.update(a.metric for a in plan.allowances)
            known.update(f"{a.metric} (lifetime)" for a in plan.lifetime)
        return sorted(known)

    def _carry(self, change: PlanChange) -> tuple[AllowanceCarry, ...]:
        """The lifetime allowances carried across ``change``."""
        return carry_allowances(change.old, change.new, self.lifetime_usage)

    def preview_invoice(self) -> Invoice:
        """Return the next regular invoice as it stands now.

        Billed in advance: the deferred proration lines, then the next
        period's plan and add-ons, then overage. Billed in arrears: each
        plan and add-on for the time it was in force in the current period,
        then overage. Overage covers the usage before the calculation date,
        each record under the plan in force when it happened; the credit
        balance is applied last.
        """
        return self._next_invoice()

    def bill(self) -> tuple[Subscription, Invoice]:
        """Issue the next regular invoice and move to the next period.

        The same computation as :meth:`preview_invoice`; the new state keeps
        only what the invoice did not cover: usage after the calculation
        date, and the changes since then.
        """
        invoice = self._next_invoice()
        cut = to_utc(invoice.calculated_at)
        return replace(
            self,
            next_index=self.next_index + 1,
            window_start=invoice.calculated_at,
            window_plan=self._plan_before(cut),
            window_items=self._items(lambda c: to_utc(c.at) < cut),
            changes=tuple(c for c in self.changes if to_utc(c.at) >= cut),
            quantity_changes=tuple(
                c for c in self.quantity_changes if to_utc(c.at) >= cut
            ),
            usage=tuple(u for u in self.usage if to_utc(u.at) >= cut),
            deferred=(),
            credit_balance=invoice.credit_balance_after,
            walk=None,
        ), invoice

    # -- helpers -----------------------------------------------------------

    def _check_add_on(self, item: object) -> None:
        if not isinstance(item, Item):
            raise ArgumentTypeError("item", item, "an Item")
        if item.add_on.currency != self.currency:
            raise CurrencyMismatchError(
                self.currency, item.add_on.currency, "bill add-ons in"
            )
        item.add_on.price_for(self.schedule.cycle.interval)

    def _walk(self) -> Walk:
        """Where the period's plan changes leave its walk.

        Kept in :attr:`walk` after each change, so that a change costs the
        same however many came before it; walked afresh only when missing.
        """
        if self.walk is not None:
            return self.walk
        period = self.period
        first = to_utc(max(period.start, self.started_at, key=to_utc))
        walk = Walk.begin(
            self._plan_before(first), period, self.policy.proration
        )
        for change in self.changes:
            if to_utc(change.at) >= first:
                walk = walk.step(change, period, self.policy.proration)[1]
        return walk

    def _check_moment(self, what: str, at: datetime) -> None:
        moment = to_utc(require_aware(f"{what} moment", at))
        if moment < to_utc(self.started_at):
            raise ChangeOrderError(
                len(self.changes),
                f"the {what} at {at.isoformat()} is before the subscription "
                f"started ({self.started_at.isoformat()}); date it after",
            )
        # Both are kept oldest first: the last of each is the latest.
        latest = [c[-1].at for c in (self.changes, self.quantity_changes) if c]
        if latest and moment < max(to_utc(a) for a in latest):
            raise ChangeOrderError(
                len(self.changes),
                f"the {what} at {at.isoformat()} is before an earlier "
                f"change ({max(latest, key=to_utc).isoformat()}); record "
                "changes oldest first",
            )
        period = self.period
        if not period.contains(at):
            raise OutsidePeriodError(
                f"{what} moment (bill the subscription up to it first)",
                at,
                period.start,
                period.end,
            )

    def _bill_change(
        self,
        changed: Subscription,
        lines: tuple[InvoiceLine, ...],
        net: Money,
        at: datetime,
    ) -> _Billing:
        """Invoice a change's lines now, or defer them: one rule for all.

        ``changed`` is the state with the change recorded; the result is
        that state once the lines are invoiced or deferred.
        """
        if self.policy.timing is BillingTiming.IN_ARREARS:
            return _Billing(
                state=changed,
                lines=(),
                settlement=Settlement.NEXT_INVOICE,
                reason=(
                    "billed in arrears: the next invoice charges each plan "
                    "and add-on for the time it was in force"
                ),
                invoice=None,
            )
        policy = self.policy
        threshold = policy.charge_now_above
        now: list[InvoiceLine]
        later: list[InvoiceLine]
        if threshold is not None and net > threshold:
            now, later = list(lines), []
            why = (
                f"the net {net} is above the {threshold} threshold: "
                "invoiced at once"
            )
        else:
            now, later, why = self._route(lines, net)
        invoice = self._settle(now, at, at) if now else None
        state = replace(changed, deferred=(*self.deferred, *later))
        if invoice is not None:
            state = replace(state, credit_balance=invoice.credit_balance_after)
        if now and later:
            settlement = Settlement.SPLIT
        elif now:
            settlement = Settlement.INVOICE_NOW
        elif later:
            settlement = Settlement.NEXT_INVOICE
        else:
            settlement = Settlement.NOT_BILLED
        return _Billing(
            state=state,
            lines=(*now, *later),
            settlement=settlement,
            reason=why,
            invoice=invoice,
        )

    def _route(
        self, lines: tuple[InvoiceLine, ...], net: Money
    ) -> tuple[list[InvoiceLine], list[InvoiceLine], str]:
        """Send charges and credits where the policy bills each of them."""
        policy = self.policy
        zero = Money.zero(self.currency)
        now: list[InvoiceLine] = []
        later: list[InvoiceLine] = []
        said: dict[str, ChangeBilling] = {}
        for line in lines:
            credit = line.amount < zero
            billing = (
                policy.credit_billing if credit else policy.charge_billing
            )
            said["credits" if credit else "charges"] = billing
            if billing is ChangeBilling.INVOICE_NOW:
                now.append(line)
            elif billing is ChangeBilling.NEXT_INVOICE:
                later.append(line)
        return now, later, self._why(net, said)

    def _why(self, net: Money, said: dict[str, ChangeBilling]) -> str:
        """Say why a change is billed as it is, for a support person."""
        policy = self.policy
        threshold = policy.charge_now_above
        if policy.charge_billing is not policy.credit_billing:
            return "; ".join(f"{n}: {_BILLED[b]}" for n, b in said.items())
        if threshold is None or (
            policy.charge_billing is not ChangeBilling.NEXT_INVOICE
        ):
            return f"the net {net}: {_BILLED[policy.charge_billing]}"
        if net < Money.zero(self.currency):
            return (
                f"the net is a credit of {-net}: it reduces the next invoice "
                "and is never paid out at once"
            )
        return (
            f"the net {net} is not above the {threshold} threshold: added "
            "to the next invoice"
        )

    def _price_all(
        self,
        kind: LineKind,
        plan: Plan,
        start: datetime,
        end: datetime,
        items: Iterable[Item] | None = None,
    ) -> list[ProrationLine]:
        """Price the plan and the add-ons over ``[start, end)``.

        Both are priced against the whole current period.
        """
        period, policy = self.period, self.policy.proration
        interval = self.schedule.cycle.interval
        priced = [
            price_time(kind, plan, start, end, period=period, policy=policy)
        ]
        priced.extend(
            price_time(
                kind,
                item.add_on,
                start,
                end,
                period=period,
                policy=policy,
                quantity=item.quantity,
                price=item.add_on.price_for(interval),
            )
            for item in (self.items_at(start) if items is None else items)
        )
        return priced

    def _in_advance(
        self, plan: Plan, period: BillingPeriod, items: Iterable[Item] = ()
    ) -> list[InvoiceLine]:
        """The plan and add-ons for a whole period, billed at its start."""
        mode = self.policy.proration.rounding
        lines = [
            _whole_period(
                plan, plan.price, 1, period, plan.interval, mode=mode
            )
        ]
        lines.extend(
            _whole_period(
                item.add_on,
                item.add_on.price_for(plan.interval),
                item.quantity,
                period,
                plan.interval,
                mode=mode,
            )
            for item in items
        )
        return lines

    def _used_time_lines(self, until: datetime) -> list[InvoiceLine]:
        """Price each plan and add-on for its time in force, up to ``until``.

        That is what billing in arrears charges for the current period.
        """
        period, policy = self.period, self.policy.proration
        first = max(period.start, self.started_at, key=to_utc)
        lines = [
            price_time(
                LineKind.USED_TIME,
                plan,
                start,
                end,
                period=period,
                policy=policy,
            )
            for plan, start, end in self._segments(first, until)
        ]
        interval = self.schedule.cycle.interval
        lines.extend(
            price_time(
                LineKind.USED_TIME,
                item.add_on,
                start,
                end,
                period=period,
                policy=policy,
                quantity=item.quantity,
                price=item.add_on.price_for(interval),
            )
            for item, start, end in self._item_segments(first, until)
        )
        return bill_lines(lines, policy)

    def _overage_lines(self, until: datetime) -> list[InvoiceLine]:
        """Overage of the usage recorded before ``until``."""
        billable = [u for u in self.usage if to_utc(u.at) < to_utc(until)]
        if not billable:
            return []
        window = self._segments(self.window_start, until)
        return overage_lines(billable, window, self.policy)

    def _settle(
        self, lines: list[InvoiceLine], issued: datetime, calculated: datetime
    ) -> Invoice:
        return settle_checked(
            tuple(lines),
            currency=self.currency,
            issued_at=issued,
            calculated_at=calculated,
            credit_balance=self.credit_balance,
            handling=self.policy.credits,
        )

    def _next_invoice(self) -> Invoice:
        billing_date = self.next_billing_date
        calculated = self.schedule.calculation_date(billing_date)
        if self.policy.timing is BillingTiming.IN_ADVANCE:
            upcoming = self.schedule.cycle.period(self.next_index)
            lines = [
                *self.deferred,
                *self._in_advance(self.plan, upcoming, self.items),
            ]
        else:
            lines = self._used_time_lines(self.period.end)
        lines.extend(self._overage_lines(calculated))
        return self._settle(lines, billing_date, calculated)

    def _reset(
        self, proration: Proration
    ) -> tuple[Subscription, ChangeOutcome]:
        """Close the old plan at the change and open the new one there.

        The old plan's time (and its add-ons') up to the change is settled
        on an invoice issued at once: billed in advance, the unused time is
        credited; billed in arrears, the used time is charged. Overage so
        far is billed under the old terms. The new plan and the same add-ons
        start a new billing cycle anchored at the change; billed in advance,
        their first period is on the same invoice, so the credit is "applied
        toward the amount due for the new annual plan", and what the credit
        exceeds becomes credit balance.
        """
        change = proration.change
        old, new, at = change.old, change.new, change.at
        cycle = BillingCycle(at, new.interval)
        items = self.items
        unused: list[ProrationLine] = []
        if self.policy.timing is BillingTiming.IN_ADVANCE:
            unused = self._price_all(
                LineKind.UNUSED_TIME, old, at, self.period.end, items
            )
            lines = [
                *self.deferred,
                *bill_lines(unused, self.policy.proration),
                *self._in_advance(new, cycle.period(0), items),
            ]
        else:
            lines = self._used_time_lines(at)
        lines.extend(self._overage_lines(at))
        invoice = self._settle(lines, at, at)
        reset = replace(
            self,
            schedule=replace(self.schedule, cycle=cycle),
            next_index=1,
            window_start=at,
            window_plan=new,
            window_items=items,
            changes=(),
            quantity_changes=(),
            walk=None,
            usage=tuple(u for u in self.usage if to_utc(u.at) >= to_utc(at)),
            deferred=(),
            credit_balance=invoice.credit_balance_after,
        )
        reason = (
            f"{old.name} -> {new.name} closes {old.name} and opens "
            f"{new.name} with a new billing date, "
            f"{at.isoformat(sep=' ')}: invoiced at once"
        )
        if unused:
            credit = -sum((c.amount for c in unused), Money.zero(new.currency))
            reason += (
                f", the {credit} unused on {old.name} applied to the "
                f"{new.name} price"
            )
        return reset, ChangeOutcome(
            proration=proration,
            lines=invoice.lines,
            net=invoice.subtotal,
            settlement=Settlement.INVOICE_NOW,
            reason=reason,
            invoice=invoice,
            allowances=self._carry(change),
        )


_BILLED: Final = {
    ChangeBilling.NEXT_INVOICE: "on the next invoice",
    ChangeBilling.INVOICE_NOW: "invoiced at once",
    ChangeBilling.NEVER: "not billed",
}


def _utc_at(change: PlanChange) -> datetime:
    """A change's moment in UTC, to bisect the changes by."""
    return to_utc(change.at)


def _whole_period(
    product: Plan | AddOn,
    price: Money,
    quantity: int,
    period: BillingPeriod,
    length: Interval,
    *,
    mode: RoundingMode,
) -> InvoiceLine:
    """A whole period of ``quantity`` x ``product``, billed at its start.

    Rounded by the policy's rounding mode, as a prorated line is.
    """
    times = "" if quantity == 1 else f"{quantity} x "
    numerator, denominator = price.integer_ratio()
    return InvoiceLine(
        kind=InvoiceLineKind.SUBSCRIPTION,
        description=f"Price for {length} of {times}{product.name}",
        amount=round_ratio(
            numerator * quantity, denominator, price.currency, mode
        ),
        start=period.start,
        end=period.end,
        calculation=f"{times}{as_written(price)} for {length}",
    )


def _items_tuple(items: object) -> tuple[Item, ...]:
    if not isinstance(items, tuple | list):
        raise ArgumentTypeError("items", items, "a tuple of Item")
    return tuple(items)


def bill_all(
    subscriptions: Iterable[Subscription],
) -> Iterator[tuple[Subscription, Invoice]]:
    """Bill each subscription's next invoice, lazily: a billing run.

    Takes any iterable (a generator reading rows from a database, say) and
    yields ``(next state, invoice)`` one subscription at a time, holding
    nothing else, so a run of millions streams in constant memory.

    >>> from datetime import UTC, datetime
    >>> from prorata import Money, Plan, Subscription, bill_all
    >>> plan = Plan(id="plus", price=Money("10", "USD"))
    >>> subs = (Subscription.start(plan, datetime(2024, 6, d, tzinfo=UTC))[0]
    ...         for d in range(1, 4))
    >>> [str(invoice.amount_due) for _, invoice in bill_all(subs)]
    ['$10.00', '$10.00', '$10.00']
    """
    if not isinstance(subscriptions, Iterable):
        raise ArgumentTypeError(
            "subscriptions", subscriptions, "an iterable of Subscriptions"
        )
    for subscription in subscriptions:
        if not isinstance(subscription, Subscription):
            raise ArgumentTypeError(
                "subscription", subscription, "a Subscription"
            )
        yield subscription.bill()
