"""Subscriptions: immutable account state and its transitions.

A :class:`Subscription` is a value. Every transition (start, change plan,
change an add-on's quantity, record usage, schedule, cancel, bill) returns
a new subscription and what the transition produced, and leaves the old one
as it was. So previewing a change or an invoice is the real computation
with its new state thrown away: there is no second code path for previews.
Its fields and what they imply are ``_state``'s; the transitions are the
functions of ``_changes`` and ``_lifecycle``, which the methods here call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, final

from prorata._billing import BillingPolicy, BillingTiming
from prorata._changes import (
    change_plan,
    change_quantity,
    record_usage,
    settle_now,
)
from prorata._charges import check_item, signup_lines
from prorata._ending import CancelOutcome, issue_credit
from prorata._lifecycle import (
    bill_next,
    bill_through,
    cancel,
    check_pending,
    preview,
    schedule_change,
    withdraw_cancellation,
    withdraw_change,
)
from prorata._money import Money
from prorata._period import BillingCycle, require_aware
from prorata._plan import Plan
from prorata._routing import (
    BillingAnchor,
    BillingAnchorName,
    ChangeOptions,
    ChangeOutcome,
    ProrationBehavior,
    ProrationBehaviorName,
    QuantityOutcome,
)
from prorata._state import SubscriptionState
from prorata.errors import (
    ArgumentTypeError,
    PendingChangeError,
    SubscriptionEndedError,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime

    from prorata._add_on import AddOn, Item
    from prorata._invoice import CancelCredit, CancelCreditName, Invoice
    from prorata._policy import ChangeDay, ChangeDayName

__all__ = [
    "Subscription",
    "bill_all",
]


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class Subscription(SubscriptionState):
    """A customer's subscription as an immutable value.

    Build one with :meth:`start`; change it with :meth:`change_plan`,
    :meth:`change_quantity`, :meth:`record_usage`, :meth:`schedule_change`,
    :meth:`cancel`, :meth:`issue_credit`, :meth:`bill` and
    :meth:`bill_through`, each of which returns a new subscription.

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
        paid: What was billed in advance for the current period (its plan
            and add-ons, and the lines of its changes): what a cancellation
            or a credit can return at most.
        returned: The credits and refunds issued against the period.
        lifetime_used: The use of each lifetime allowance so far, across
            every plan: one :class:`~prorata.Usage` per metric, its
            quantity the total and its moment the latest use.
        walk: Where the current period's plan changes leave the proration
            walk (the plan in force, what is billed for it, the running
            period cost), so the next change is priced from it alone;
            ``None`` walks the changes afresh.
        pending_change: A plan change scheduled for later, if any.
        cancellation: When the subscription ends and what the end returns
            for unused time, once cancelled.

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
        zero = Money.zero(plan.currency)
        subscription = cls(
            policy=policy,
            cycle=cycle,
            started_at=at,
            next_index=cycle.index_of(at) + 1,
            window_start=at,
            window_plan=plan,
            window_items=_items_tuple(items),
            credit_balance=zero,
            paid=zero,
            returned=zero,
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
        invoice = settle_now(subscription, lines, at)
        return replace(
            subscription,
            credit_balance=invoice.credit_balance_after,
            paid=invoice.subtotal,
        ), invoice

    # -- changes within the period -----------------------------------------

    def change_plan(
        self,
        new: Plan,
        at: datetime,
        *,
        assisted: bool = False,
        proration_behavior: (
            ProrationBehavior | ProrationBehaviorName | None
        ) = None,
        billing_anchor: BillingAnchor | BillingAnchorName = (
            BillingAnchor.UNCHANGED
        ),
        change_day: ChangeDay | ChangeDayName | None = None,
        policy: BillingPolicy | None = None,
    ) -> tuple[Subscription, ChangeOutcome]:
        """Switch to ``new`` at ``at``: prorate, then bill now or later.

        Billed in advance, the credit for the old plan's unused time and the
        charge for the new plan's remaining time are invoiced at once when
        their net exceeds the policy's ``charge_now_above``, and otherwise
        wait for the next invoice. Billed in arrears, nothing is billed now
        (unless the policy's ``used_time_billing`` invoices the time used
        so far at once): the next invoice charges each plan for the time it
        was in force. Add-ons move with the plan unchanged.

        A change to, from or between annual plans, or between intervals,
        closes the old plan instead, as does ``billing_anchor="now"``: the
        hosting page's "your monthly plan will be closed and a new annual
        plan opened" and "will cancel the plan and create a new plan with a
        new billing date, including add-ons". The old plan's unused time
        (or, in arrears, its used time) and the new plan's first period are
        invoiced at once. Annual to monthly, which the pages do not
        describe, is treated the same way, as Stripe treats any change of
        interval.

        The options after ``assisted`` apply to this change alone, over the
        subscription's policy: the change bills what it would bill on a
        subscription whose policy had them.

        Args:
            new: The plan to switch to.
            at: The moment of the change.
            assisted: The change is made by staff (sales, billing), so the
                self-serve rules (:func:`~prorata.check_change`) do not
                apply.
            proration_behavior: Stripe's ``create_prorations`` (credit and
                charge on the next invoice), ``always_invoice`` (invoiced at
                once) or ``none`` (no credit, no charge).
            billing_anchor: ``unchanged`` (default) or ``now``, which
                restarts the billing period at the change.
            change_day: Which plan owns the day of the change under a
                day-based basis (:class:`~prorata.ChangeDay`).
            policy: A whole billing policy for this change; its timing and
                calculation lead must be the subscription's.

        Raises:
            ChangeRefusedError: The change is not self-serve and not
                ``assisted``.
            ChangeOrderError: ``at`` is before the subscription started or
                before an earlier change.
            OutsidePeriodError: ``at`` is outside the current period (bill
                the subscription up to it first, with :meth:`bill_through`).
            BilledMomentError: ``at`` is before what is already billed.
            PendingChangeError: ``at`` is at or after a scheduled change.
            SubscriptionEndedError: The subscription ends by ``at``.
            InvalidPolicyError: An unknown option value.
            CurrencyMismatchError: ``new`` is priced in another currency.
            NaiveDatetimeError: ``at`` has no time zone.
        """
        options = ChangeOptions(
            policy=policy,
            proration_behavior=proration_behavior,
            billing_anchor=billing_anchor,
            change_day=change_day,
        )
        check_pending(self, "the change at", at)
        return change_plan(self, new, at, assisted=assisted, options=options)

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
            PendingChangeError: ``at`` is at or after a scheduled change.
            CurrencyMismatchError: The add-on is in another currency.
            InvalidPlanError: A negative quantity, or an add-on that cannot
                be priced for the plan's interval.
        """
        check_pending(self, "the quantity change at", at)
        return change_quantity(self, add_on, quantity, at)

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
                or after the current period (or the end).
            PendingChangeError: ``at`` is at or after a scheduled change.
            UnknownMetricError: The plan in force neither meters the metric
                nor counts it as a lifetime allowance, and not
                ``unmetered``.
            InvalidPlanError: An empty metric or a negative quantity.
            NaiveDatetimeError: ``at`` has no time zone.
        """
        check_pending(self, "the usage at", at)
        return record_usage(self, metric, quantity, at, unmetered=unmetered)

    # -- the future: schedules and the end -------------------------------

    def schedule_change(
        self, new: Plan, at: datetime | None = None, *, assisted: bool = False
    ) -> Subscription:
        """Schedule a change to ``new``: nothing is billed now.

        By default it takes effect at the next billing date, whose invoice
        then bills the new plan ("downgrade at renewal"); a later ``at``
        makes it then, prorated as :meth:`change_plan` would. At most one
        change is pending: a later schedule replaces it, and
        :meth:`withdraw_change` withdraws it. :meth:`preview_invoice` shows
        what it will bill.

        Raises:
            SubscriptionEndedError: The subscription has ended, or ends by
                ``at``.
            BilledMomentError: ``at`` is not after the last change or what
                is already billed.
            ChangeRefusedError: The change is not self-serve, not
                ``assisted``.
            CurrencyMismatchError: ``new`` is priced in another currency.
        """
        return schedule_change(self, new, at, assisted=assisted)

    def withdraw_change(self) -> Subscription:
        """Withdraw the scheduled change.

        Raises:
            NothingPendingError: No change is scheduled.
        """
        return withdraw_change(self)

    def cancel(
        self,
        at: datetime | None = None,
        *,
        at_period_end: bool = False,
        credit: CancelCredit | CancelCreditName | None = None,
    ) -> tuple[Subscription, CancelOutcome]:
        """End the subscription at ``at``, or at the end of the period.

        Within the current period, it ends at once: the final invoice
        bills what is still due (deferred lines, overage; in arrears, the
        time used) and returns the unused time paid in advance as
        ``credit`` says (the policy's ``cancel_credit`` by default: a
        credit to the balance), capped at what was billed for the period
        less the time used and what was already returned; the policy's
        ``final_balance`` then settles the credit balance left. At the end
        of the period (``at_period_end``) or a later date, nothing is
        billed now and the subscription ends when billing reaches it.

        Raises:
            AlreadyCancelledError: It is already cancelled.
            SubscriptionEndedError: It has ended.
            BilledMomentError: ``at`` is before what is already billed or
                the last change.
            PendingChangeError: ``at`` is after a scheduled change.
            InvalidPolicyError: ``credit`` is not a :class:`CancelCredit`.
            ArgumentTypeError: Neither or both of ``at`` and
                ``at_period_end``.
        """
        return cancel(self, at, at_period_end=at_period_end, credit=credit)

    def withdraw_cancellation(self) -> Subscription:
        """Withdraw a cancellation that has not taken effect yet.

        Raises:
            NothingPendingError: It is not cancelled.
            SubscriptionEndedError: It has ended already.
        """
        return withdraw_cancellation(self)

    def issue_credit(
        self,
        amount: Money,
        at: datetime,
        *,
        refund: bool = False,
        note: str = "Credit issued against the period",
    ) -> tuple[Subscription, Invoice]:
        """Credit ``amount`` (or refund it) against the period's invoice.

        The credit goes to the credit balance, or is paid back with
        ``refund``; either way it counts against what a cancellation can
        return later.

        Raises:
            InvalidAmountError: ``amount`` is not above zero, or more than
                what is left of what was billed for the period.
            CurrencyMismatchError: ``amount`` is in another currency.
            SubscriptionEndedError: The subscription has ended.
            BilledMomentError: ``at`` is before what is already billed.
        """
        return issue_credit(self, amount, at, refund=refund, note=note)

    # -- billing -------------------------------------------------------------

    def preview_invoice(self) -> Invoice:
        """Return the next invoice as it stands now.

        Billed in advance: the deferred proration lines, then the next
        period's plan and add-ons (the scheduled plan, if a change is
        scheduled for the billing date), then overage. Billed in arrears:
        each plan and add-on for the time it was in force in the current
        period, then overage. Overage covers the usage before the
        calculation date, each record under the plan in force when it
        happened; the credit balance is applied last. A subscription ending
        by the billing date previews its final invoice.

        Raises:
            SubscriptionEndedError: The subscription has ended.
        """
        return preview(self)

    def bill(self) -> tuple[Subscription, Invoice]:
        """Issue the next invoice and move to the next period (or the end).

        The same computation as :meth:`preview_invoice`; the new state keeps
        only what the invoice did not cover: usage after the calculation
        date, and the changes since then.

        Raises:
            SubscriptionEndedError: The subscription has ended, or ends with
                nothing left to bill (:meth:`bill_through` records the end).
            PendingChangeError: A scheduled change would issue an invoice
                of its own first: use :meth:`bill_through`.
        """
        state, invoices = bill_next(self)
        if not invoices:
            raise SubscriptionEndedError(
                "bill",
                self.ends_at,
                "nothing is left to bill, so no invoice is issued; "
                "bill_through() returns the ended subscription",
            )
        if len(invoices) > 1:
            scheduled = self.pending_change
            raise PendingChangeError(
                "bill() of the billing date",
                self.next_billing_date,
                None if scheduled is None else scheduled.at,
            )
        return state, invoices[0]

    def bill_through(
        self, until: datetime, *, limit: int = 1000
    ) -> tuple[Subscription, tuple[Invoice, ...]]:
        """Bill every billing date up to ``until``, and what falls before.

        Returns each invoice in order: the regular ones (equal to calling
        :meth:`bill` for each), a scheduled change's invoice, the final
        invoice of a cancellation. Changes, usage and cancellations may then
        be recorded in the period that contains ``until``. At most
        ``limit`` regular invoices are issued, so a mistyped year fails
        fast instead of billing for centuries.

        Raises:
            SubscriptionEndedError: The subscription has ended.
            BilledMomentError: ``until`` is before what is already billed.
            BillingLimitError: It would take more than ``limit`` invoices.
            NaiveDatetimeError: ``until`` has no time zone.
        """
        state, invoices = bill_through(self, until, limit=limit)
        return state, tuple(invoices)


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
