"""Subscriptions: immutable account state and its transitions.

A :class:`Subscription` is a value. Every transition (start, change plan,
change an add-on's quantity, record usage, bill) returns a new subscription
and what the transition produced, and leaves the old one as it was. So
previewing a change or an invoice is the real computation with its new
state thrown away: there is no second code path for previews.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, final

from prorata._add_on import AddOn, Item
from prorata._billing import (
    BillingPolicy,
    BillingSchedule,
    BillingTiming,
    closing_lines,
    next_invoice,
    settle_for,
)
from prorata._charges import check_item, quantity_lines, signup_lines
from prorata._history import (
    QuantityChange,
    check_moment,
    items_where,
    known_metrics,
    plan_at,
    plan_before,
    with_lifetime_use,
)
from prorata._invoice import Invoice, InvoiceLine, bill_lines
from prorata._money import Money
from prorata._period import BillingCycle, require_aware, to_utc
from prorata._plan import (
    AllowanceCarry,
    Plan,
    PlanChange,
    Usage,
    carry_allowances,
)
from prorata._pricing import sum_lines
from prorata._proration import Proration, resets_anchor
from prorata._routing import (
    ChangeOutcome,
    QuantityOutcome,
    Routing,
    Settlement,
    reset_reason,
    route,
)
from prorata._rules import require_self_serve
from prorata._walk import Walk
from prorata.errors import (
    ArgumentTypeError,
    OutsidePeriodError,
    UnknownMetricError,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from prorata._period import BillingPeriod

__all__ = [
    "Subscription",
    "bill_all",
]


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class Subscription:
    """A customer's subscription as an immutable value.

    Build one with :meth:`start`; change it with :meth:`change_plan`,
    :meth:`change_quantity`, :meth:`record_usage` and :meth:`bill`, each of
    which returns a new subscription.

    Args:
        policy: How the subscription is billed.
        cycle: Its billing cycle: the billing dates are its boundaries.
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
    cycle: BillingCycle
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
            cycle=cycle,
            started_at=at,
            next_index=cycle.index_of(at) + 1,
            window_start=at,
            window_plan=plan,
            window_items=_items_tuple(items),
            credit_balance=Money.zero(plan.currency),
        )
        for item in subscription.window_items:
            check_item(item, plan.currency, cycle.interval)
        if policy.timing is BillingTiming.IN_ARREARS:
            return subscription, None
        lines = signup_lines(
            plan,
            subscription.window_items,
            at,
            period=subscription.period,
            policy=policy.proration,
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
        return items_where(
            self.window_items, self.quantity_changes, lambda _: True
        )

    @property
    def currency(self) -> str:
        """The subscription's currency."""
        return self.window_plan.currency

    @property
    def schedule(self) -> BillingSchedule:
        """Its billing and calculation dates: the cycle under the policy."""
        return BillingSchedule(cycle=self.cycle, policy=self.policy)

    @property
    def period(self) -> BillingPeriod:
        """The current billing period: the one the next invoice closes."""
        return self.cycle.period(self.next_index - 1)

    @property
    def next_billing_date(self) -> datetime:
        """The billing date of the next regular invoice."""
        return self.cycle.boundary(self.next_index)

    @property
    def next_calculation_date(self) -> datetime:
        """When the next regular invoice is calculated."""
        return self.schedule.calculation_date(self.next_billing_date)

    def plan_at(self, moment: datetime) -> Plan:
        """Return the plan in force at ``moment`` (since the window start)."""
        instant = to_utc(require_aware("moment", moment))
        return plan_at(self.window_plan, self.changes, instant)

    def items_at(self, moment: datetime) -> tuple[Item, ...]:
        """Return the add-on items in force at ``moment``."""
        instant = to_utc(require_aware("moment", moment))
        return items_where(
            self.window_items,
            self.quantity_changes,
            lambda change: to_utc(change.at) <= instant,
        )

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
        state, routing, invoice = self._billed(
            replace(self, changes=(*self.changes, change), walk=walk),
            bill_lines(proration.lines, self.policy.proration),
            proration.net,
            at,
        )
        return state, ChangeOutcome(
            proration=proration,
            lines=(*routing.now, *routing.later),
            net=proration.net,
            settlement=routing.settlement,
            reason=routing.reason,
            invoice=invoice,
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
        check_item(item, self.currency, self.cycle.interval)
        self._check_moment("quantity change", at)
        held = {i.add_on: i.quantity for i in self.items}.get(add_on, 0)
        proration = self.policy.proration
        lines = quantity_lines(
            Item(add_on, held),
            item,
            at,
            self.cycle.interval,
            period=self.period,
            policy=proration,
        )
        net = (
            sum_lines(lines, proration) if lines else Money.zero(self.currency)
        )
        change = QuantityChange(add_on, quantity, at)
        state, routing, invoice = self._billed(
            replace(self, quantity_changes=(*self.quantity_changes, change)),
            bill_lines(lines, proration),
            net,
            at,
        )
        return state, QuantityOutcome(
            change=change,
            lines=(*routing.now, *routing.later),
            net=net,
            settlement=routing.settlement,
            reason=routing.reason,
            invoice=invoice,
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
            used = with_lifetime_use(self.lifetime_used, record)
            return replace(self, lifetime_used=used)
        if plan.allowance(metric) is None and not unmetered:
            raise UnknownMetricError(
                metric, plan.id, known_metrics(self.window_plan, self.changes)
            )
        return replace(self, usage=(*self.usage, record))

    @property
    def lifetime_usage(self) -> dict[str, int]:
        """How many of each lifetime allowance have been used, so far."""
        return {use.metric: use.quantity for use in self.lifetime_used}

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
        return next_invoice(self)

    def bill(self) -> tuple[Subscription, Invoice]:
        """Issue the next regular invoice and move to the next period.

        The same computation as :meth:`preview_invoice`; the new state keeps
        only what the invoice did not cover: usage after the calculation
        date, and the changes since then.
        """
        invoice = next_invoice(self)
        cut = to_utc(invoice.calculated_at)
        return replace(
            self,
            next_index=self.next_index + 1,
            window_start=invoice.calculated_at,
            window_plan=plan_before(self.window_plan, self.changes, cut),
            window_items=items_where(
                self.window_items,
                self.quantity_changes,
                lambda c: to_utc(c.at) < cut,
            ),
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

    def _walk(self) -> Walk:
        """Where the period's plan changes leave its walk.

        Kept in :attr:`walk` after each change, so that a change costs the
        same however many came before it; walked afresh only when missing.
        """
        if self.walk is not None:
            return self.walk
        period = self.period
        first = max(period.start, self.started_at, key=to_utc)
        return Walk.through(
            plan_before(self.window_plan, self.changes, first),
            self.changes,
            first,
            period,
            self.policy.proration,
        )

    def _check_moment(self, what: str, at: datetime) -> None:
        check_moment(
            what,
            at,
            started_at=self.started_at,
            latest=[
                c[-1].at for c in (self.changes, self.quantity_changes) if c
            ],
            index=len(self.changes),
            period=self.period,
        )

    def _billed(
        self,
        changed: Subscription,
        lines: list[InvoiceLine],
        net: Money,
        at: datetime,
    ) -> tuple[Subscription, Routing, Invoice | None]:
        """Invoice a change's lines now, or defer them: one rule for all.

        ``changed`` is the state with the change recorded; the result is
        that state once the lines are invoiced or deferred, where
        :func:`~prorata._billing.route` sends them, and the invoice issued.
        """
        routing = route(self.policy, lines, net)
        invoice = None
        if routing.now:
            invoice = self._settle(list(routing.now), at, at)
        state = replace(changed, deferred=(*self.deferred, *routing.later))
        if invoice is not None:
            state = replace(state, credit_balance=invoice.credit_balance_after)
        return state, routing, invoice

    def _settle(
        self, lines: list[InvoiceLine], issued: datetime, calculated: datetime
    ) -> Invoice:
        return settle_for(self, lines, issued, calculated)

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
        new, at = change.new, change.at
        cycle = BillingCycle(at, new.interval)
        items = self.items
        lines, unused = closing_lines(self, change, cycle.period(0), items)
        invoice = self._settle(lines, at, at)
        reset = replace(
            self,
            cycle=cycle,
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
        return reset, ChangeOutcome(
            proration=proration,
            lines=invoice.lines,
            net=invoice.subtotal,
            settlement=Settlement.INVOICE_NOW,
            reason=reset_reason(change, unused),
            invoice=invoice,
            allowances=self._carry(change),
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
