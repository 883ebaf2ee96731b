"""Subscriptions: immutable account state and its transitions.

A :class:`Subscription` is a value. Every transition (start, change plan,
change an add-on's quantity, record usage, schedule, cancel, bill) returns
a new subscription and what the transition produced, and leaves the old one
as it was: a preview is the real computation, its new state thrown away.
Its fields and what they imply are ``_state``'s; the transitions are the
functions of ``_changes`` and ``_lifecycle``, which the methods here call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, final

from prorata._backdating import (
    backdated_cancel,
    backdated_change,
    backdated_quantity,
    backdated_usage,
    is_backdated,
)
from prorata._billing_policy import BillingAnchor
from prorata._changes import change_quantity, record_usage
from prorata._credits import Credits
from prorata._ending import CancelOutcome, cancel_credit
from prorata._interruptions import Interruptions
from prorata._lifecycle import (
    add_charge,
    apply_coupon,
    bill_next,
    bill_through,
    cancel,
    check_pending,
    preview,
    withdraw_cancellation,
)
from prorata._routing import (
    ChangeOptions,
    ChangeOutcome,
    ProrationBehavior,
    ProrationBehaviorName,
    QuantityOutcome,
)
from prorata._schedules import (
    changed,
    move_anchor,
    schedule_change,
    withdraw_change,
)
from prorata._trial import started
from prorata.errors import PendingChangeError, SubscriptionEndedError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime, timedelta

    from prorata._add_on import AddOn, Charge, Item
    from prorata._billing_policy import BillingAnchorName, BillingPolicy
    from prorata._discount import Coupon
    from prorata._invoice import CancelCredit, CancelCreditName, Invoice
    from prorata._period import Interval
    from prorata._plan import Plan
    from prorata._policy import ChangeDay, ChangeDayName

__all__ = ["Subscription"]


@final
@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class Subscription(Interruptions, Credits):
    """A customer's subscription as an immutable value.

    Build one with :meth:`start`; change it with :meth:`change_plan`,
    :meth:`change_quantity`, :meth:`record_usage`, :meth:`schedule_change`,
    :meth:`cancel`, :meth:`issue_credit`, :meth:`top_up`, :meth:`bill` and
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
        prepaid_balance: Prepaid credit (:meth:`top_up`, a wallet bought
            untaxed) that invoices draw on after the credit balance.
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
        trial_end: When its free trial ends, if it started with one.
        paused: The pause in force, if it is paused.
        origin: The state at the start of the current window, and
        ledger: the windows billed within the policy's
            ``backdating_limit`` (each one's start, its records, what it
            billed), from which a record dated before the last invoice is
            corrected; with
        issued: the invoices issued at once in the current window.

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
        trial: timedelta | datetime | Interval | None = None,
        coupons: Iterable[Coupon] = (),
        charges: Iterable[Charge] = (),
        account_day: int | None = None,
    ) -> tuple[Subscription, Invoice | None]:
        """Start a subscription to ``plan`` (and add-on ``items``) at ``at``.

        Billed in advance, the sign-up invoice charges the first period (or
        what remains of it, when the billing-cycle ``anchor`` lies
        elsewhere); billed in arrears, nothing is billed at sign-up.

        With a free ``trial`` (its length, or its end), nothing is billed
        until it ends: changes during it bill no proration and a
        cancellation bills nothing. The first period then starts at the
        trial's end, anchored there, or on ``anchor`` if one is given, when
        the first invoice bills the stub to the anchor's next date (a
        14-day trial from June 1 anchored on the 1st bills 16/30 of a
        month on June 15).

        Args:
            plan: The first plan.
            at: The subscription date.
            policy: How to bill; in advance, seconds basis by default.
            anchor: The billing-cycle anchor; ``at`` by default.
            items: Add-ons and their quantities.
            trial: A free trial's length (a ``timedelta``, or an
                :class:`Interval` such as a plan's own ``trial``) or end;
                none by default.
            coupons: Coupons billed as discount lines, their periods
                counted from the first period billed.
            charges: One-time charges (a set-up fee: ``setup_fee_discount``),
                billed at ``at`` on the sign-up invoice, or on an invoice of
                their own when there is none (in arrears, or with a trial).
            account_day: The account's billing day (1 to 31), which the first
                period runs to (as an ``anchor`` there); a yearly plan under
                ``yearly_alignment="subscription"`` bills from its first paid
                day, the day kept for a later plan of months.

        Returns:
            The subscription, and the sign-up invoice or ``None`` (in
            arrears, or with a trial).

        Raises:
            NaiveDatetimeError: ``at`` or ``anchor`` has no time zone.
            ArgumentTypeError: ``plan``, ``policy`` or an item has a wrong
                type.
            CurrencyMismatchError: An add-on priced in another currency.
            InvalidPlanError: An add-on that cannot be priced for the
                plan's interval.
            TrialError: A trial that does not end after ``at``, or is
                longer than the policy's ``max_trial``.
            AnchorError: ``account_day`` with ``anchor``, or for a plan
                counted in weeks or days.
            DiscountTermError: Under ``coupon_products="redemption"``, a
                coupon whose products do not include ``plan``.
        """
        return started(
            cls,
            plan,
            at,
            policy=policy,
            anchor=anchor,
            items=items,
            trial=trial,
            coupons=coupons,
            charges=charges,
            account_day=account_day,
        )

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
        billing_day: int | None = None,
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

        A change the proration's ``anchor_reset`` restarts the cycle for
        (by default one to, from or between annual plans, or between
        intervals: "your monthly plan will be closed and a new annual plan
        opened") closes the old plan instead, as ``billing_anchor="now"``
        does: its unused (in arrears, used) time and the new plan's first
        period, or its time to the kept billing day, are invoiced at once.
        So does every change under the policy's ``billing_anchor="now"``;
        under ``downgrades="at-period-end"`` a downgrade waits for the
        next billing date and bills nothing now.

        During a free trial nothing is prorated. The trial runs on to its
        end, whose invoice bills the plan in force then; under the policy's
        ``trial_change="end-trial"`` (Meteroid's) the change ends the trial
        instead: the new plan's first period starts at ``at``, anchored
        there, and is invoiced at once (in advance).

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
            billing_day: Under ``anchor_reset="billing-day"``, the day of
                the month the new plan bills on from now, for a Kill Bill
                catalog aligning it on ``SUBSCRIPTION`` or ``BUNDLE`` (its
                default, ``ACCOUNT``, keeps the day). Not for weekly or
                daily plans, in a trial, or for a waiting downgrade.
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
            billing_day=billing_day,
        )
        if is_backdated(self, at):
            return backdated_change(
                self, new, at, assisted=assisted, options=options
            )
        check_pending(self, "the change at", at)
        return changed(self, new, at, assisted=assisted, options=options)

    def change_quantity(
        self, add_on: AddOn, quantity: int, at: datetime
    ) -> tuple[Subscription, QuantityOutcome]:
        """Set an add-on's quantity from ``at`` on; prorated like a plan.

        The old quantity is credited for the unused time and the new one
        charged for the remaining time (more sites, more seats), then billed
        now or later by the same rules as a plan change (under the
        policy's ``billing_anchor="now"`` the period restarts at ``at``).

        Raises:
            ChangeOrderError: ``at`` is before the subscription started or
                before an earlier change.
            OutsidePeriodError: ``at`` is outside the current period.
            PendingChangeError: ``at`` is at or after a scheduled change.
            CurrencyMismatchError: The add-on is in another currency.
            InvalidPlanError: A negative quantity, or an add-on that cannot
                be priced for the plan's interval.
        """
        if is_backdated(self, at):
            return backdated_quantity(self, add_on, quantity, at)
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
            TrialError: Usage in a free trial, which bills nothing, and not
                ``unmetered``.
        """
        if is_backdated(self, at) and not self.ended:
            return backdated_usage(
                self, metric, quantity, at, unmetered=unmetered
            )
        check_pending(self, "the usage at", at)
        return record_usage(self, metric, quantity, at, unmetered=unmetered)

    # -- the future: schedules and the end -------------------------------

    def schedule_change(
        self,
        new: Plan,
        at: datetime | None = None,
        *,
        assisted: bool = False,
        anchor: datetime | None = None,
    ) -> Subscription:
        """Schedule a change to ``new``: nothing is billed now.

        By default it takes effect at the next billing date, whose invoice
        then bills the new plan ("downgrade at renewal"); a later ``at``
        makes it then, prorated as :meth:`change_plan` would. At most one
        change is pending: a later schedule replaces it, and
        :meth:`withdraw_change` withdraws it. :meth:`preview_invoice` shows
        what it will bill. An ``anchor`` moves the billing-cycle anchor
        with the change, as :meth:`move_anchor` does; ``at`` must then be
        a billing date. In a free trial a change is scheduled only under
        the policy's ``trial_change="end-trial"``, for the trial's end
        (Meteroid): it follows the end if the trial ends early or is
        extended, and a change made meanwhile withdraws it.

        Raises:
            TrialError: In a trial, under ``trial_change="keep-trial"`` (a
                change made now already waits for the trial's end), or for
                another moment than the end, or with an ``anchor``.
            SubscriptionEndedError: The subscription has ended, or ends by
                ``at``.
            BilledMomentError: ``at`` is not after the last change or what
                is already billed.
            ChangeRefusedError: The change is not self-serve, not
                ``assisted``.
            CurrencyMismatchError: ``new`` is priced in another currency.
            AnchorError: An ``anchor`` with ``at`` not a billing date.
        """
        return schedule_change(self, new, at, assisted=assisted, anchor=anchor)

    def move_anchor(self, anchor: datetime) -> Subscription:
        """Move the billing-cycle anchor to ``anchor`` from the next bill.

        What is billed stays billed. That billing date's invoice bills the
        stub from it to the anchor's next date, priced over the new cycle's
        period that contains it (Kill Bill's and Zuora's billing-day
        change); whole periods run from the anchor after it. A plan change
        made meanwhile moves with it (the stub bills the plan in force);
        one that would move the billing date is refused (``AnchorError``);
        a coupon for a number of periods keeps the number it has left, the
        stub counting as one. In a free trial, the first period is anchored
        on ``anchor`` instead.

        Raises:
            SubscriptionEndedError: The subscription ends by then.
            PauseError: The subscription is paused.
            AnchorError: A change is scheduled for another moment.
            NaiveDatetimeError: ``anchor`` has no time zone.
        """
        return move_anchor(self, anchor)

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
        if (
            at is not None
            and at_period_end is False
            and is_backdated(self, at)
            and not self.ended
        ):
            return backdated_cancel(self, at, cancel_credit(self, credit))
        return cancel(self, at, at_period_end=at_period_end, credit=credit)

    def withdraw_cancellation(self) -> Subscription:
        """Withdraw a cancellation that has not taken effect yet.

        Raises:
            NothingPendingError: It is not cancelled.
            SubscriptionEndedError: It has ended already.
        """
        return withdraw_cancellation(self)

    def add_charge(
        self, charge: Charge, at: datetime
    ) -> tuple[Subscription, Invoice]:
        """Bill a one-time ``charge`` at ``at``, on an invoice at once.

        Credited on a cancellation in this period only with ``credit_back``.

        Raises:
            ArgumentTypeError: ``charge`` is not a :class:`~prorata.Charge`.
            CurrencyMismatchError: It is priced in another currency.
            InvalidPlanError: A setup fee, billed with the sign-up only.
            SubscriptionEndedError: The subscription has ended.
            BilledMomentError: ``at`` is before what is already billed.
        """
        return add_charge(self, charge, at)

    def apply_coupon(self, coupon: Coupon, at: datetime) -> Subscription:
        """Apply ``coupon`` from ``at`` on, to the lines billed from then.

        What is already invoiced is not re-priced; its ``periods`` count
        from the period ``at`` falls in (``months``: ``CouponMonths``).

        Raises:
            ArgumentTypeError: ``coupon`` is not a :class:`~prorata.Coupon`.
            SubscriptionEndedError: The subscription has ended.
            BilledMomentError: ``at`` is before what is already billed.
            DiscountTermError: The coupon outlasts a cancelled subscription
                and the policy's ``discounts_past_end`` is ``False``; or,
                under ``coupon_products="redemption"``, the plan in force
                at ``at`` is not one of its products.
        """
        return apply_coupon(self, coupon, at)

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
        if not invoices and not state.ended:  # in arrears, a trial's end
            state, invoices = bill_next(state)
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
