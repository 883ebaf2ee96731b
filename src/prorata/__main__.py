"""The ``prorata`` command: ``demo``, ``quote`` and ``invoice``.

Every command prints an explanation, or with ``--json`` a JSON document.
Exit codes: 0 done; 1 bad input or a refused change (one line on stderr, no
traceback); 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prorata._catalog import Catalog, builtin_catalog, load_catalog
from prorata._examples import WORKED_EXAMPLES, demo
from prorata._invoice import BillingPolicy, BillingTiming
from prorata._money import Money
from prorata._period import BillingCycle, BillingPeriod
from prorata._plan import PlanChange
from prorata._policy import Basis, ProrationPolicy
from prorata._proration import prorate
from prorata._rules import require_self_serve
from prorata._serialize import invoice_view, proration_view
from prorata._subscription import Subscription
from prorata.errors import InvalidAmountError, InvalidDateError, ProrataError
from prorata.presets import PRESETS

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import tzinfo

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    >>> main(["quote", "--from", "business-1", "--to", "business-2",
    ...       "--period-start", "2024-06-01", "--at", "2024-06-11",
    ...       "--basis", "thirty-day-month"])  # doctest: +ELLIPSIS
    Business 1 -> Business 2 (upgrade) at 2024-06-11 00:00:00+00:00
    ...
    Total: $73.33
    ...
    0
    """
    args = _parser().parse_args(argv)
    try:
        output = args.run(args)
    except ProrataError as error:
        print(f"prorata: error: {error}", file=sys.stderr)
        return 1
    print(output)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="prorata",
        description=(
            "Exact, explainable proration of subscription plan changes. "
            "Without --catalog, the built-in example catalog holds the plans "
            "of both source pages."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True)

    show = commands.add_parser(
        "demo", help="print every worked example of the source pages"
    )
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(run=_demo)

    quote = commands.add_parser(
        "quote", help="price one plan change and explain it"
    )
    quote.add_argument("--from", dest="old", required=True, help="plan id")
    quote.add_argument("--to", dest="new", required=True, help="plan id")
    quote.add_argument(
        "--period-start",
        required=True,
        help="start of the billing period, or any earlier billing date "
        "(the anchor)",
    )
    quote.add_argument(
        "--period-days",
        type=int,
        help="a period of this many days (e.g. 30) instead of the plan's "
        "anchored interval",
    )
    quote.add_argument("--at", required=True, help="moment of the change")
    quote.add_argument(
        "--assisted",
        action="store_true",
        help="made by staff: skip the self-serve rules",
    )
    _common(quote)
    quote.set_defaults(run=_quote)

    bill = commands.add_parser(
        "invoice", help="preview the next invoice of a subscription"
    )
    bill.add_argument("--plan", required=True, help="the first plan's id")
    bill.add_argument("--start", required=True, help="subscription date")
    bill.add_argument(
        "--change",
        action="append",
        default=[],
        metavar="PLAN@MOMENT",
        help="a plan change, e.g. business-2@2024-06-11 (repeatable)",
    )
    bill.add_argument(
        "--usage",
        action="append",
        default=[],
        metavar="METRIC=QUANTITY@MOMENT",
        help="usage, e.g. visits=100000@2024-06-29 (repeatable)",
    )
    bill.add_argument(
        "--timing",
        choices=[t.value for t in BillingTiming],
        default=BillingTiming.IN_ADVANCE.value,
    )
    bill.add_argument(
        "--threshold",
        help="invoice a change at once when its net exceeds this amount",
    )
    bill.add_argument(
        "--lead-days",
        type=int,
        default=0,
        help="days before each billing date the invoice is calculated",
    )
    _common(bill)
    bill.set_defaults(run=_invoice)
    return parser


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--basis",
        choices=[b.value for b in Basis],
        help="time basis (default: seconds, or the preset's)",
    )
    command.add_argument(
        "--preset", choices=sorted(PRESETS), help="a named convention"
    )
    command.add_argument(
        "--timezone",
        default="UTC",
        help="zone of dates written without an offset (default UTC)",
    )
    command.add_argument("--catalog", help="a .toml or .json plan catalog")
    command.add_argument("--json", action="store_true", help="print JSON")


def _catalog(args: argparse.Namespace) -> Catalog:
    return (
        builtin_catalog()
        if args.catalog is None
        else load_catalog(args.catalog)
    )


def _policy(args: argparse.Namespace) -> ProrationPolicy:
    policy = PRESETS[args.preset] if args.preset else ProrationPolicy()
    if args.basis:
        return ProrationPolicy(
            basis=Basis(args.basis),
            rounding=policy.rounding,
            rounding_stage=policy.rounding_stage,
        )
    return policy


def _zone(args: argparse.Namespace) -> tzinfo:
    if args.timezone.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(args.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidDateError("time zone", args.timezone) from None


def _moment(text: str, name: str, args: argparse.Namespace) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidDateError(name, text) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_zone(args))
    return moment


def _demo(args: argparse.Namespace) -> str:
    if not args.json:
        return demo()
    return json.dumps(
        [
            {
                "title": example.title,
                "source": example.source,
                "page_says": example.expected,
                "explanation": example.explain(),
            }
            for example in WORKED_EXAMPLES
        ],
        indent=2,
    )


def _quote(args: argparse.Namespace) -> str:
    catalog = _catalog(args)
    old, new = catalog[args.old], catalog[args.new]
    start = _moment(args.period_start, "--period-start", args)
    at = _moment(args.at, "--at", args)
    if args.period_days is not None:
        period = BillingPeriod.of_days(start, args.period_days)
    else:
        period = BillingCycle(start, old.interval).containing(at)
    if not args.assisted:
        require_self_serve(old, new)
    proration = prorate(PlanChange(old, new, at=at), period, _policy(args))
    if args.json:
        return json.dumps(proration_view(proration), indent=2)
    return proration.explain()


def _invoice(args: argparse.Namespace) -> str:
    catalog = _catalog(args)
    policy = BillingPolicy(
        proration=_policy(args),
        timing=BillingTiming(args.timing),
        charge_now_above=(
            None
            if args.threshold is None
            else Money(args.threshold, catalog[args.plan].currency)
        ),
        calculation_lead=timedelta(days=args.lead_days),
    )
    start = _moment(args.start, "--start", args)
    sub, signup = Subscription.start(catalog[args.plan], start, policy=policy)
    events: list[tuple[datetime, str, str]] = []
    for text in args.change:
        plan_id, _, when = text.partition("@")
        events.append((_moment(when, "--change", args), "change", plan_id))
    for text in args.usage:
        what, _, when = text.partition("@")
        events.append((_moment(when, "--usage", args), "usage", what))
    immediate = [] if signup is None else [signup]
    for at, kind, what in sorted(events, key=lambda e: e[0]):
        if kind == "change":
            sub, outcome = sub.change_plan(catalog[what], at)
            if outcome.invoice is not None:
                immediate.append(outcome.invoice)
        else:
            metric, _, quantity = what.partition("=")
            if not quantity.isdigit():
                raise InvalidAmountError(
                    quantity, "a usage quantity is a whole number"
                )
            sub = sub.record_usage(metric, int(quantity), at)
    invoice = sub.preview_invoice()
    if args.json:
        return json.dumps(
            {
                "invoiced_before": [invoice_view(i) for i in immediate],
                "next_invoice": invoice_view(invoice),
            },
            indent=2,
        )
    return invoice.explain()


if __name__ == "__main__":
    sys.exit(main())
