"""Subscriptions: immutable account state and its transitions.

A :class:`Subscription` is a value. Every transition (start, change plan,
record usage, bill) returns a new subscription and what the transition
produced, and leaves the old one as it was. So previewing a change or an
invoice is the real computation with its new state thrown away: there is no
second code path for previews.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import final

from prorata._invoice import (
    BillingPolicy,
    BillingSchedule,
    BillingTiming,
    Invoice,
    InvoiceLine,
    InvoiceLineKind,
    overage_lines,
    settle,
)
from prorata._money import Money, round_exact
from prorata._period import (
    BillingCycle,
    BillingPeriod,
    IntervalUnit,
    require_aware,
    to_utc,
)
from prorata._plan import Plan, PlanChange, Usage
from prorata._proration import (
    LineKind,
    Proration,
    as_written,
    price_time,
    prorate_timeline,
)
from prorata._rules import require_self_serve
from prorata.errors import (
    ArgumentTypeError,
    ChangeOrderError,
    OutsidePeriodError,
)

__all__ = ["ChangeOutcome", "Settlement", "Subscription"]


class Settlement(StrEnum):
    """When the net of a plan change is billed."""

    INVOICE_NOW = "invoice-now"
    """On an invoice of its own, at the moment of the change."""
    NEXT_INVOICE = "next-invoice"
    """On the next regular invoice."""


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeOutcome:
    """What a plan change produced: the proration and how it is billed.

    Args:
        proration: The credit, charge and net of the change.
        settlement: Invoiced now, or added to the next invoice.
        reason: Why, in words a support person can read out.
        invoice: The invoice issued at once, if any.
    """

    proration: Proration
    settlement: Settlement
    reason: str
    invoice: Invoice | None


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class Subscription:
    """A customer's subscription as an immutable value.

    Build one with :meth:`start`; change it with :meth:`change_plan`,
    :meth:`record_usage` and :meth:`bill`, each of which returns a new
    subscription.

    Args:
        policy: How the subscription is billed.
        schedule: Its billing dates and calculation dates.
        started_at: When it started.
        next_index: The cycle index of the next regular invoice.
        window_start: The start of the usage not yet invoiced (the last
            calculation date, or the start).
        window_plan: The plan in force at ``window_start``.
        changes: The plan changes since ``window_start``, oldest first.
        usage: The usage recorded and not yet invoiced.
        deferred: Proration lines waiting for the next invoice.
        credit_balance: Credit the customer holds against future invoices.
    """

    policy: BillingPolicy
    schedule: BillingSchedule
    started_at: datetime
    next_index: int
    window_start: datetime
    window_plan: Plan
    changes: tuple[PlanChange, ...] = ()
    usage: tuple[Usage, ...] = ()
    deferred: tuple[InvoiceLine, ...] = ()
    credit_balance: Money

    # -- construction ------------------------------------------------------

    @classmethod
    def start(
        cls,
        plan: Plan,
        at: datetime,
        *,
        policy: BillingPolicy | None = None,
        anchor: datetime | None = None,
    ) -> tuple[Subscription, Invoice | None]:
        """Start a subscription to ``plan`` at ``at``.

        Billed in advance, the sign-up invoice charges the first period (or
        what remains of it, when the billing-cycle ``anchor`` lies
        elsewhere); billed in arrears, nothing is billed at sign-up.

        Args:
            plan: The first plan.
            at: The subscription date.
            policy: How to bill; in advance, seconds basis by default.
            anchor: The billing-cycle anchor; ``at`` by default.

        Returns:
            The subscription, and the sign-up invoice or ``None``.

        Raises:
            NaiveDatetimeError: ``at`` or ``anchor`` has no time zone.
            ArgumentTypeError: ``plan`` or ``policy`` has a wrong type.
        """
        if not isinstance(plan, Plan):
            raise ArgumentTypeError("plan", plan, "a Plan")
        policy = BillingPolicy() if policy is None else policy
        if not isinstance(policy, BillingPolicy):
            raise ArgumentTypeError("policy", policy, "a BillingPolicy")
        require_aware("subscription start", at)
        cycle = BillingCycle(at if anchor is None else anchor, plan.interval)
        schedule = BillingSchedule(
            cycle=cycle,
            timing=policy.timing,
            calculation_lead=policy.calculation_lead,
        )
        subscription = cls(
            policy=policy,
            schedule=schedule,
            started_at=at,
            next_index=cycle.index_of(at) + 1,
            window_start=at,
            window_plan=plan,
            credit_balance=Money.zero(plan.currency),
        )
        if policy.timing is BillingTiming.IN_ARREARS:
            return subscription, None
        period = subscription.period
        if at == period.start:
            first = _in_advance(plan, period)
        else:  # a billing-cycle anchor elsewhere: the rest of this period
            first = InvoiceLine.from_proration(
                price_time(
                    LineKind.REMAINING_TIME,
                    plan,
                    at,
                    period.end,
                    period=period,
                    policy=policy.proration,
                )
            )
        invoice = settle(
            [first],
            currency=plan.currency,
            issued_at=at,
            calculated_at=at,
            credit_balance=subscription.credit_balance,
        )
        return subscription, invoice

    # -- derived state -----------------------------------------------------

    @property
    def plan(self) -> Plan:
        """The plan in force now: after the last change."""
        return self.changes[-1].new if self.changes else self.window_plan

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
        plan = self.window_plan
        for change in self.changes:
            if to_utc(change.at) <= to_utc(moment):
                plan = change.new
        return plan

    def _plan_before(self, moment: datetime) -> Plan:
        """The plan in force just before ``moment``: before changes at it."""
        plan = self.window_plan
        for change in self.changes:
            if to_utc(change.at) < to_utc(moment):
                plan = change.new
        return plan

    def _segments(
        self, start: datetime, end: datetime
    ) -> list[tuple[Plan, datetime, datetime]]:
        """The plans in force over ``[start, end)``, tiling it."""
        segments: list[tuple[Plan, datetime, datetime]] = []
        plan, since = self.plan_at(start), start
        for change in self.changes:
            if to_utc(start) < to_utc(change.at) < to_utc(end):
                segments.append((plan, since, change.at))
                plan, since = change.new, change.at
        segments.append((plan, since, end))
        return segments

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

        A change to, from or between annual plans, or between intervals,
        closes the old plan instead (see :meth:`_reset`): the hosting page's
        "your monthly plan will be closed and a new annual plan opened" and
        "will cancel the plan and create a new plan with a new billing
        date". Annual to monthly, which the pages do not describe, is
        treated the same way, as Stripe treats any change of interval.

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
        first = max(period.start, self.started_at, key=to_utc)
        in_period = tuple(
            c for c in self.changes if to_utc(c.at) >= to_utc(first)
        )
        timeline = prorate_timeline(
            self._plan_before(first),
            (*in_period, change),
            period,
            self.policy.proration,
        )
        proration = timeline.prorations[-1]
        if _resets_anchor(change.old, change.new):
            return self._reset(proration)
        changed = replace(self, changes=(*self.changes, change))
        if self.policy.timing is BillingTiming.IN_ARREARS:
            return changed, ChangeOutcome(
                proration=proration,
                settlement=Settlement.NEXT_INVOICE,
                reason=(
                    "billed in arrears: the next invoice charges each plan "
                    "for the time it was in force"
                ),
                invoice=None,
            )
        lines = tuple(
            InvoiceLine.from_proration(line) for line in proration.lines
        )
        threshold = self.policy.charge_now_above
        net = proration.net
        if threshold is not None and net > threshold:
            invoice = settle(
                lines,
                currency=self.currency,
                issued_at=at,
                calculated_at=at,
                credit_balance=self.credit_balance,
                handling=self.policy.credits,
            )
            return replace(
                changed, credit_balance=invoice.credit_balance_after
            ), ChangeOutcome(
                proration=proration,
                settlement=Settlement.INVOICE_NOW,
                reason=(
                    f"the net {net} is above the {threshold} threshold: "
                    "invoiced at once"
                ),
                invoice=invoice,
            )
        if threshold is None:
            why = f"the net {net} goes on the next invoice"
        elif net < Money.zero(self.currency):
            why = (
                f"the net is a credit of {-net}: it reduces the next "
                "invoice and is never paid out at once"
            )
        else:
            why = (
                f"the net {net} is not above the {threshold} threshold: "
                "added to the next invoice"
            )
        return replace(
            changed, deferred=(*self.deferred, *lines)
        ), ChangeOutcome(
            proration=proration,
            settlement=Settlement.NEXT_INVOICE,
            reason=why,
            invoice=None,
        )

    def record_usage(
        self, metric: str, quantity: int, at: datetime
    ) -> Subscription:
        """Record usage; it is billed under the plan in force at ``at``.

        Raises:
            OutsidePeriodError: ``at`` is before the usage not yet invoiced
                or after the current period.
            InvalidPlanError: An empty metric or a negative quantity.
            NaiveDatetimeError: ``at`` has no time zone.
        """
        record = Usage(metric, quantity, at)
        moment = to_utc(at)
        if not (to_utc(self.window_start) <= moment < to_utc(self.period.end)):
            raise OutsidePeriodError(
                "usage moment", at, self.window_start, self.period.end
            )
        return replace(self, usage=(*self.usage, record))

    def preview_invoice(self) -> Invoice:
        """Return the next regular invoice as it stands now.

        Billed in advance: the deferred proration lines, the next period's
        price, then overage. Billed in arrears: each plan for the time it
        was in force in the current period, then overage. Overage covers
        the usage before the calculation date, each record under the plan in
        force when it happened; the credit balance is applied last.
        """
        return self._next_invoice()

    def bill(self) -> tuple[Subscription, Invoice]:
        """Issue the next regular invoice and move to the next period.

        The same computation as :meth:`preview_invoice`; the new state keeps
        only what the invoice did not cover: usage after the calculation
        date, and the changes since then.
        """
        invoice = self._next_invoice()
        cut = invoice.calculated_at
        later = tuple(c for c in self.changes if to_utc(c.at) >= to_utc(cut))
        return replace(
            self,
            next_index=self.next_index + 1,
            window_start=cut,
            window_plan=self.plan_at(cut),
            changes=later,
            usage=tuple(u for u in self.usage if to_utc(u.at) >= to_utc(cut)),
            deferred=(),
            credit_balance=invoice.credit_balance_after,
        ), invoice

    # -- helpers -----------------------------------------------------------

    def _check_moment(self, what: str, at: datetime) -> None:
        moment = to_utc(at)
        if moment < to_utc(self.started_at):
            raise ChangeOrderError(
                len(self.changes),
                f"the {what} at {at.isoformat()} is before the subscription "
                f"started ({self.started_at.isoformat()}); date it after",
            )
        if self.changes and moment < to_utc(self.changes[-1].at):
            raise ChangeOrderError(
                len(self.changes),
                f"the {what} at {at.isoformat()} is before the previous "
                f"change ({self.changes[-1].at.isoformat()}); record changes "
                "oldest first",
            )
        period = self.period
        if not period.contains(at):
            raise OutsidePeriodError(
                f"{what} moment (bill the subscription up to it first)",
                at,
                period.start,
                period.end,
            )

    def _used_time_lines(self, until: datetime) -> list[InvoiceLine]:
        """Price each plan for its time in force, up to ``until``.

        That is what billing in arrears charges for the current period.
        """
        period = self.period
        first = max(period.start, self.started_at, key=to_utc)
        return [
            InvoiceLine.from_proration(
                price_time(
                    LineKind.USED_TIME,
                    plan,
                    start,
                    end,
                    period=period,
                    policy=self.policy.proration,
                )
            )
            for plan, start, end in self._segments(first, until)
        ]

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
        return settle(
            lines,
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
            lines = [*self.deferred, _in_advance(self.plan, upcoming)]
        else:
            lines = self._used_time_lines(self.period.end)
        lines.extend(self._overage_lines(calculated))
        return self._settle(lines, billing_date, calculated)

    def _reset(
        self, proration: Proration
    ) -> tuple[Subscription, ChangeOutcome]:
        """Close the old plan at the change and open the new one there.

        The old plan's time up to the change is settled on an invoice issued
        at once: billed in advance, its unused time is credited; billed in
        arrears, its used time is charged. Overage so far is billed under
        its terms. The new plan starts a new billing cycle anchored at the
        change; billed in advance, its first period is on the same invoice,
        so the credit is "applied toward the amount due for the new annual
        plan", and what the credit exceeds becomes credit balance.
        """
        change = proration.change
        old, new, at = change.old, change.new, change.at
        cycle = BillingCycle(at, new.interval)
        if self.policy.timing is BillingTiming.IN_ADVANCE:
            lines = [
                *self.deferred,
                InvoiceLine.from_proration(proration.unused),
                _in_advance(new, cycle.period(0)),
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
            changes=(),
            usage=tuple(u for u in self.usage if to_utc(u.at) >= to_utc(at)),
            deferred=(),
            credit_balance=invoice.credit_balance_after,
        )
        reason = (
            f"{old.name} -> {new.name} closes {old.name} and opens "
            f"{new.name} with a new billing date, "
            f"{at.isoformat(sep=' ')}: invoiced at once"
        )
        if self.policy.timing is BillingTiming.IN_ADVANCE:
            reason += (
                f", the {proration.credit} unused on {old.name} applied to "
                f"the {new.name} price"
            )
        return reset, ChangeOutcome(
            proration=proration,
            settlement=Settlement.INVOICE_NOW,
            reason=reason,
            invoice=invoice,
        )


def _resets_anchor(old: Plan, new: Plan) -> bool:
    """Whether a change closes the old plan and re-anchors the cycle."""
    yearly = IntervalUnit.YEAR
    return old.interval != new.interval or yearly in (
        old.interval.unit,
        new.interval.unit,
    )


def _in_advance(plan: Plan, period: BillingPeriod) -> InvoiceLine:
    """The price of a whole period of ``plan``, billed at its start."""
    return InvoiceLine(
        kind=InvoiceLineKind.SUBSCRIPTION,
        description=f"Price for {plan.interval} of {plan.name}",
        amount=round_exact(plan.price.exact, plan.currency),
        start=period.start,
        end=period.end,
        calculation=f"{as_written(plan.price)} for {plan.interval}",
    )
