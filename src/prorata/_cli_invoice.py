"""The ``prorata invoice`` command: a subscription's invoices, told by flags.

Changes, usage, top-ups, a scheduled change and a cancellation are applied
in time order; a moment in a later period first bills the subscription
through it (``Subscription.bill_through``), so any moment after
``--start`` is taken.
The command prints each invoice issued on the way, then the next invoice
(or, once the subscription has ended, that it ended).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from prorata._billing_policy import (
    BillingAnchor,
    BillingPolicy,
    BillingTiming,
)
from prorata._cli import (
    AMOUNT,
    DIGITS,
    CommandLineError,
    catalog_of,
    common_flags,
    days_flag,
    moment_of,
    plan_of,
    policy_of,
    shown,
)
from prorata._invoice import CancelCredit
from prorata._money import Money
from prorata._period import to_utc
from prorata._routing import ChangeOutcome, ProrationBehavior
from prorata._serialize import change_view, invoice_view
from prorata._subscription import Subscription
from prorata.errors import (
    InvalidAmountError,
    SubscriptionEndedError,
    UnknownMetricError,
)
from prorata.presets import CONVENTIONS

if TYPE_CHECKING:
    import argparse

    from prorata._catalog import Catalog
    from prorata._invoice import Invoice

__all__ = ["invoice_flags"]

# One event of the command line: when, which flag, what, how many.
_Event = tuple[datetime, str, str, int]
_ORDER: Final = {
    "--change": 0,
    "--schedule": 0,
    "--usage": 1,
    "--top-up": 1,
    "--cancel": 2,
}


def invoice_flags(bill: argparse.ArgumentParser) -> None:
    """The flags of ``prorata invoice``."""
    bill.add_argument("--plan", required=True, help="the first plan's id")
    bill.add_argument("--start", required=True, help="subscription date")
    bill.add_argument(
        "--change",
        action="append",
        default=[],
        metavar="PLAN@MOMENT",
        help="a plan change, e.g. business-2@2024-06-11 (repeatable); a "
        "moment in a later period bills the subscription up to it first",
    )
    bill.add_argument(
        "--usage",
        action="append",
        default=[],
        metavar="METRIC=QUANTITY@MOMENT",
        help="usage, e.g. visits=100000@2024-06-29 (repeatable)",
    )
    bill.add_argument(
        "--top-up",
        action="append",
        default=[],
        metavar="AMOUNT@MOMENT",
        help="prepaid credit bought untaxed, e.g. 30@2024-06-10 "
        "(repeatable): each invoice draws on it after tax",
    )
    _lifecycle_flags(bill)
    bill.add_argument(
        "--timing",
        choices=[t.value for t in BillingTiming],
        help="in-advance unless the --preset bills otherwise",
    )
    bill.add_argument(
        "--threshold",
        help="invoice a change at once when its net exceeds this amount",
    )
    bill.add_argument(
        "--lead-days",
        type=days_flag("--lead-days", 0),
        help="days before each billing date the invoice is calculated (0 "
        "unless the --preset says otherwise)",
    )
    common_flags(bill)
    bill.set_defaults(run=_invoice)


def _lifecycle_flags(bill: argparse.ArgumentParser) -> None:
    """The flags of schedules, cancellation and per-change options."""
    bill.add_argument(
        "--schedule",
        metavar="PLAN[@MOMENT]",
        help="schedule a change: for the next billing date (after the other "
        "events), or for MOMENT",
    )
    bill.add_argument(
        "--move-anchor",
        metavar="MOMENT",
        help="move the billing day to MOMENT's at the next billing date "
        "(after the other events): that invoice bills the stub to it",
    )
    bill.add_argument(
        "--cancel", metavar="MOMENT", help="cancel the subscription then"
    )
    bill.add_argument(
        "--cancel-at-period-end",
        action="store_true",
        help="cancel at the end of the period of the last event",
    )
    bill.add_argument(
        "--cancel-credit",
        choices=[c.value for c in CancelCredit],
        help="what a cancellation returns for unused time (default credit)",
    )
    bill.add_argument(
        "--proration-behavior",
        choices=[b.value for b in ProrationBehavior],
        help="how each --change is prorated and billed (Stripe's names)",
    )
    bill.add_argument(
        "--billing-anchor",
        choices=[a.value for a in BillingAnchor],
        default=BillingAnchor.UNCHANGED.value,
        help="now: each --change restarts the billing period",
    )
    bill.add_argument(
        "--through",
        metavar="MOMENT",
        help="bill every billing date up to MOMENT, after the events",
    )


def _events(args: argparse.Namespace) -> list[_Event]:
    """The dated events of the flags, in time order."""
    events: list[_Event] = []
    for text in args.change:
        plan_id, at_sign, when = text.rpartition("@")
        if not (at_sign and plan_id):
            raise CommandLineError(
                f"--change {shown(text)} is not PLAN@MOMENT; write e.g. "
                "--change business-2@2024-06-11"
            )
        events.append(
            (moment_of(when, "--change", args), "--change", plan_id, 0)
        )
    for text in args.usage:
        metric, quantity, when = _usage(text)
        at = moment_of(when, "--usage", args)
        events.append((at, "--usage", metric, quantity))
    for text in args.top_up:
        amount, at_sign, when = text.rpartition("@")
        if not (at_sign and AMOUNT.fullmatch(amount)):
            raise CommandLineError(
                f"--top-up {shown(text)} is not AMOUNT@MOMENT; write e.g. "
                "--top-up 30@2024-06-10"
            )
        at = moment_of(when, "--top-up", args)
        events.append((at, "--top-up", amount, 0))
    if args.cancel is not None:
        events.append(
            (moment_of(args.cancel, "--cancel", args), "--cancel", "", 0)
        )
    return sorted(events, key=lambda e: (to_utc(e[0]), _ORDER[e[1]]))


def _billing_policy(args: argparse.Namespace, currency: str) -> BillingPolicy:
    # A preset brings its whole convention (timing, lead, threshold, when a
    # change is invoiced); the flags given override its parts.
    base = CONVENTIONS[args.preset] if args.preset else BillingPolicy()
    above = base.charge_now_above
    if args.threshold is not None:
        above = Money(_threshold(args.threshold), currency)
    elif above is not None and above.currency != currency:
        raise CommandLineError(
            f"--preset {args.preset}: its threshold is {above}, in "
            f"{above.currency}, and the plans are in {currency}; pass "
            "--threshold in their currency"
        )
    return replace(
        base,
        proration=policy_of(args),
        timing=base.timing
        if args.timing is None
        else BillingTiming(args.timing),
        charge_now_above=above,
        calculation_lead=(
            base.calculation_lead
            if args.lead_days is None
            else timedelta(days=args.lead_days)
        ),
    )


def _invoice(args: argparse.Namespace) -> str:
    start = moment_of(args.start, "--start", args)
    events = _events(args)
    catalog = catalog_of(args)
    first = plan_of(catalog, args.plan, "--plan")
    sub, signup = Subscription.start(
        first, start, policy=_billing_policy(args, first.currency)
    )
    issued: list[Invoice] = []
    changes: list[ChangeOutcome] = []
    for at, flag, what, quantity in events:
        if to_utc(at) < to_utc(start):
            raise CommandLineError(
                f"{flag} at {at.isoformat()} is before --start "
                f"{start.isoformat()}; pass moments from --start on"
            )
        sub = _reach(sub, at, issued)
        event = (at, flag, what, quantity)
        sub = _apply(sub, args, catalog, event, (issued, changes))
    sub = _finish(sub, args, catalog, issued)
    return _report(sub, signup, (issued, changes), json_out=args.json)


def _reach(
    sub: Subscription, at: datetime, issued: list[Invoice]
) -> Subscription:
    """Bill the subscription up to ``at`` when ``at`` is in a later period."""
    if sub.ended or to_utc(at) < to_utc(sub.period.end):
        return sub
    sub, invoices = sub.bill_through(at)
    issued.extend(invoices)
    return sub


def _apply(
    sub: Subscription,
    args: argparse.Namespace,
    catalog: Catalog,
    event: _Event,
    kept: tuple[list[Invoice], list[ChangeOutcome]],
) -> Subscription:
    """Apply one dated event; keep what it issues and a change's outcome."""
    at, flag, what, quantity = event
    issued, changes = kept
    if flag == "--usage":
        return _record_usage(sub, what, quantity, at)
    if flag == "--top-up":
        return _top_up(sub, what)
    if flag == "--cancel":
        sub, ended = sub.cancel(at, credit=args.cancel_credit)
        invoice = ended.invoice
    else:
        sub, outcome = sub.change_plan(
            plan_of(catalog, what, flag),
            at,
            proration_behavior=args.proration_behavior,
            billing_anchor=args.billing_anchor,
        )
        changes.append(outcome)
        invoice = outcome.invoice
    issued.extend([] if invoice is None else [invoice])
    return sub


def _finish(
    sub: Subscription,
    args: argparse.Namespace,
    catalog: Catalog,
    issued: list[Invoice],
) -> Subscription:
    """The undated requests, then billing ``--through`` a moment."""
    if args.schedule is not None:
        plan_id, at_sign, when = args.schedule.rpartition("@")
        if not at_sign:
            plan_id, when = args.schedule, ""
        at = moment_of(when, "--schedule", args) if when else None
        sub = sub.schedule_change(plan_of(catalog, plan_id, "--schedule"), at)
    if args.move_anchor is not None:
        sub = sub.move_anchor(
            moment_of(args.move_anchor, "--move-anchor", args)
        )
    if args.cancel_at_period_end:
        sub, _ = sub.cancel(at_period_end=True, credit=args.cancel_credit)
    if args.through is not None and not sub.ended:
        sub, invoices = sub.bill_through(
            moment_of(args.through, "--through", args)
        )
        issued.extend(invoices)
    return sub


def _report(
    sub: Subscription,
    signup: Invoice | None,
    kept: tuple[list[Invoice], list[ChangeOutcome]],
    *,
    json_out: bool,
) -> str:
    """Each change, each invoice issued after the sign-up, the next one.

    Each change in a line with how it is billed and why; each invoice issued
    on the way (at once or on a billing date); then the next one, or the
    end. The JSON lists the sign-up invoice first among those issued before.
    """
    issued, changes = kept
    upcoming = None if sub.ended else sub.preview_invoice()
    ends = None if sub.ends_at is None else sub.ends_at.isoformat(sep=" ")
    if json_out:
        return json.dumps(
            {
                "changes": [change_view(outcome) for outcome in changes],
                "invoiced_before": [
                    invoice_view(i)
                    for i in ([] if signup is None else [signup]) + issued
                ],
                "next_invoice": None
                if upcoming is None
                else invoice_view(upcoming),
                "ends_at": None
                if sub.ends_at is None
                else sub.ends_at.isoformat(),
            },
            indent=2,
        )
    parts = [_change_text(outcome) for outcome in changes]
    parts += [_issued_text(i) for i in issued]
    if upcoming is not None:
        parts.append(upcoming.explain())
    if ends is not None:
        parts.append(
            f"The subscription {'ended' if sub.ended else 'ends'} at {ends}."
        )
    return "\n\n".join(parts)


def _change_text(outcome: ChangeOutcome) -> str:
    """One change in a line: when, from and to, its net, how it is billed."""
    change = outcome.proration.change
    return (
        f"Change at {change.at.isoformat(sep=' ')}: {change.old.name} -> "
        f"{change.new.name} ({change.direction.value}), net {outcome.net}, "
        f"{outcome.settlement.value}: {outcome.reason}"
    )


def _issued_text(invoice: Invoice) -> str:
    """An invoice issued on the way, headed as issued."""
    return f"Issued: {invoice.explain()}"


def _threshold(text: str) -> str:
    if not AMOUNT.fullmatch(text):
        raise CommandLineError(
            f"--threshold {shown(text)} is not an amount; pass a decimal "
            "number of the plan's currency such as 100 or 99.50"
        )
    return text


def _usage(text: str) -> tuple[str, int, str]:
    """Split ``METRIC=QUANTITY@MOMENT`` into its parts."""
    what, at_sign, when = text.rpartition("@")
    metric, equals, quantity = what.partition("=")
    if not (at_sign and equals and metric and when):
        raise CommandLineError(
            f"--usage {shown(text)} is not METRIC=QUANTITY@MOMENT; write "
            "e.g. --usage visits=100000@2024-06-29"
        )
    if not DIGITS.fullmatch(quantity) or len(quantity) > 15:  # noqa: PLR2004
        raise CommandLineError(
            f"--usage {shown(text)}: quantity {shown(quantity)} is not a "
            "whole number of at most 15 digits; write e.g. "
            "--usage visits=100000@2024-06-29"
        )
    return metric, int(quantity), when


def _top_up(sub: Subscription, amount: str) -> Subscription:
    """Add one ``--top-up``; an amount it cannot hold names the flag."""
    try:
        return sub.top_up(Money(amount, sub.currency))
    except InvalidAmountError:
        raise CommandLineError(
            f"--top-up amount {shown(amount)} is not a positive amount in "
            f"whole {sub.currency} minor units; write e.g. "
            "--top-up 30@2024-06-10"
        ) from None
    except SubscriptionEndedError as error:
        raise CommandLineError(f"--top-up {shown(amount)}: {error}") from None


def _record_usage(
    sub: Subscription, metric: str, quantity: int, at: datetime
) -> Subscription:
    """Record one ``--usage``; a metric no plan counts names the flag."""
    try:
        return sub.record_usage(metric, quantity, at)
    except UnknownMetricError as error:
        known = ", ".join(error.known) or "none"
        raise CommandLineError(
            f"--usage metric {metric!r} is neither metered nor a lifetime "
            f"allowance of plan {error.plan_id!r}, so no invoice would bill "
            f"it; its plans know {known}"
        ) from None
