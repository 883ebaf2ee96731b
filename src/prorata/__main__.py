"""The ``prorata`` command: ``demo``, ``quote`` and ``invoice``.

Every command prints an explanation, or with ``--json`` a JSON document.
Exit codes: 0 done; 1 bad input or a refused change (one line on stderr, no
traceback); 2 bad usage (one line on stderr, e.g. an unknown flag or a
``--lead-days`` that is not a whole number). A reader that closes the pipe
early (``prorata demo | head -1``) ends the command quietly.

Everything read from the command line is checked here, before the library
sees it, so a mistake is reported by the flag it came from.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Final, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prorata._billing import BillingPolicy, BillingTiming
from prorata._catalog import Catalog, builtin_catalog, load_catalog
from prorata._examples import WORKED_EXAMPLES, demo
from prorata._money import Money
from prorata._period import BillingCycle, BillingPeriod
from prorata._plan import PlanChange
from prorata._policy import Basis, ProrationPolicy
from prorata._rules import require_self_serve
from prorata._serialize import invoice_view, proration_view
from prorata._subscription import Subscription
from prorata._walk import prorate
from prorata.errors import (
    CatalogError,
    InvalidDateError,
    ProrataError,
    UnknownMetricError,
    UnknownPlanError,
)
from prorata.presets import PRESETS

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import tzinfo

    from prorata._plan import Plan

__all__ = ["main"]

# The moments the command accepts, in UTC: well inside ``datetime``'s range,
# so that a period, a renewal after it and a calculation lead before it can
# always be computed.
_EARLIEST: Final = datetime(1000, 1, 1, tzinfo=UTC)
_LATEST: Final = datetime(9000, 1, 1, tzinfo=UTC)
# The most days --period-days and --lead-days take: ten years.
_MOST_DAYS: Final = 3660
_DAY: Final = timedelta(days=1)
_DIGITS: Final = re.compile(r"[0-9]+", re.ASCII)
_AMOUNT: Final = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,6})?", re.ASCII)
_LINE_BREAKS: Final = {
    ord(c): repr(c)[1:-1] for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
}


class CommandLineError(ProrataError, ValueError):
    """A flag's value that the command cannot use; the message names it."""


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
    try:
        code = _run(argv)
        if sys.stdout is not None:  # None when started with stdout closed
            sys.stdout.flush()  # here, where a closed pipe can be caught
    except BrokenPipeError:
        # The reader has gone (``prorata demo | head -1``): nothing more can
        # be said on stdout, and it is no failure worth a line on stderr.
        # Point stdout at devnull so the flush at exit cannot fail again, as
        # the Python documentation's "Note on SIGPIPE" does.
        _silence_stdout()
        return 1
    return code


def _run(argv: Sequence[str] | None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        _require_one_value_each(parser, args)
    except SystemExit as done:
        # argparse ends --help with 0 and a usage error with 2.
        return done.code if isinstance(done.code, int) else 2
    try:
        output = args.run(args)
    except ProrataError as error:
        _fail(f"prorata: error: {error}")
        return 1
    print(output)
    return 0


def _require_one_value_each(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> None:
    """Refuse ``--flag=--``, which argparse (3.11) reads as a list.

    argparse drops a ``--`` from a flag's values, even the one written after
    ``=``, and stores the empty list left.
    """
    for command in parser._actions:  # noqa: SLF001
        if not isinstance(command, argparse._SubParsersAction):  # noqa: SLF001
            continue
        chosen = command.choices[args.command]
        for action in chosen._actions:  # noqa: SLF001
            value = getattr(args, action.dest, None)
            # [] from a single flag, [..., [], ...] from a repeated one
            if (
                isinstance(value, list)
                and value is not action.default
                and (not value or any(isinstance(v, list) for v in value))
            ):
                chosen.error(
                    f"argument {action.option_strings[-1]}: expected one "
                    "value, not --"
                )


def _fail(message: str) -> None:
    """Print ``message`` on stderr as exactly one line."""
    print(message.translate(_LINE_BREAKS), file=sys.stderr)


def _silence_stdout() -> None:
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (a test's buffer): nothing to redirect
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr."""

    def error(self, message: str) -> NoReturn:
        """Print the mistake and where to read the usage; exit with 2."""
        _fail(f"{self.prog}: error: {message} (see {self.prog} --help)")
        sys.exit(2)


def _days(flag: str, least: int) -> argparse._ActionType:
    """Read a flag's whole number of days, from ``least`` to ten years."""

    def read(text: str) -> int:
        if not _DIGITS.fullmatch(text.removeprefix("-")):
            raise argparse.ArgumentTypeError(
                f"{_show(text)} is not a whole number of days; pass e.g. "
                f"{flag} 30"
            )
        if len(text) > len(str(_MOST_DAYS)) + 1 or not (
            least <= int(text) <= _MOST_DAYS
        ):
            raise argparse.ArgumentTypeError(
                f"{_show(text)} is out of range; pass {least} to "
                f"{_MOST_DAYS} days"
            )
        return int(text)

    return read


def _show(text: str) -> str:
    """Quote a value from the command line, shortened if it is long."""
    if len(text) > 60:  # noqa: PLR2004
        return f"{text[:40]!r}... ({len(text)} characters)"
    return repr(text)


@cache  # argparse parsers keep no state between parse_args calls
def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    _quote_flags(
        commands.add_parser(
            "quote", help="price one plan change and explain it"
        )
    )
    _invoice_flags(
        commands.add_parser(
            "invoice", help="preview the next invoice of a subscription"
        )
    )
    return parser


def _quote_flags(quote: argparse.ArgumentParser) -> None:
    """The flags of ``prorata quote``."""
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
        type=_days("--period-days", 1),
        help="a period of this many days (e.g. 30) instead of the plan's "
        "anchored interval",
    )
    quote.add_argument(
        "--at",
        required=True,
        help="moment of the change, on or after --period-start",
    )
    quote.add_argument(
        "--assisted",
        action="store_true",
        help="made by staff: skip the self-serve rules",
    )
    _common(quote)
    quote.set_defaults(run=_quote)


def _invoice_flags(bill: argparse.ArgumentParser) -> None:
    """The flags of ``prorata invoice``."""
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
        type=_days("--lead-days", 0),
        default=0,
        help="days before each billing date the invoice is calculated",
    )
    _common(bill)
    bill.set_defaults(run=_invoice)


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
    if args.catalog is None:
        return _builtin_catalog()
    try:
        return load_catalog(args.catalog)
    except CatalogError as error:
        raise CommandLineError(f"--catalog {error}") from None


@cache  # a Catalog is immutable: read the built-in one once per process
def _builtin_catalog() -> Catalog:
    return builtin_catalog()


def _plan(catalog: Catalog, plan_id: str, flag: str) -> Plan:
    """Look a plan up, naming the flag that asked for it."""
    try:
        return catalog[plan_id]
    except UnknownPlanError as error:
        raise CommandLineError(f"{flag}: {error}") from None


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
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a name too long for a file name, or a directory of the
        # zone database ("America").
        raise CommandLineError(
            f"--timezone {_show(args.timezone)} is not a time zone; pass an "
            "IANA name such as Europe/Berlin or America/New_York, or UTC"
        ) from None


def _moment(text: str, flag: str, args: argparse.Namespace) -> datetime:
    try:
        if not text.isascii():  # ISO 8601 digits are ASCII digits
            raise ValueError(text)  # noqa: TRY301
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidDateError(flag, text) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_zone(args))
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:  # year 1 east of UTC, or 9999 west of it
        utc = _LATEST if moment.year > _EARLIEST.year else _EARLIEST - _DAY
    if not _EARLIEST <= utc < _LATEST:
        raise CommandLineError(
            f"{flag} {_show(text)} is out of range; pass a moment from "
            f"{_EARLIEST.date()} to before {_LATEST.date()} (UTC)"
        )
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
    start = _moment(args.period_start, "--period-start", args)
    at = _moment(args.at, "--at", args)
    if at.astimezone(UTC) < start.astimezone(UTC):  # not by wall clocks
        # The anchored cycle would hold an earlier period: a quote for a
        # period the customer did not ask about.
        raise CommandLineError(
            f"--at {_show(args.at)} is before --period-start "
            f"{_show(args.period_start)}; pass an --at on or after it"
        )
    if args.period_days is not None:
        period = BillingPeriod.of_days(start, args.period_days)
        if not period.contains(at):
            raise CommandLineError(
                f"--at {_show(args.at)} is after the {args.period_days}-day "
                f"period from --period-start {_show(args.period_start)}, "
                f"which ends at {period.end.isoformat()}; pass an --at "
                "before then or a longer --period-days"
            )
    catalog = _catalog(args)
    old = _plan(catalog, args.old, "--from")
    new = _plan(catalog, args.new, "--to")
    if args.period_days is None:
        period = BillingCycle(start, old.interval).containing(at)
    if not args.assisted:
        require_self_serve(old, new)
    proration = prorate(PlanChange(old, new, at=at), period, _policy(args))
    if args.json:
        return json.dumps(proration_view(proration), indent=2)
    return proration.explain()


def _threshold(text: str) -> str:
    if not _AMOUNT.fullmatch(text):
        raise CommandLineError(
            f"--threshold {_show(text)} is not an amount; pass a decimal "
            "number of the plan's currency such as 100 or 99.50"
        )
    return text


def _usage(text: str) -> tuple[str, int, str]:
    """Split ``METRIC=QUANTITY@MOMENT`` into its parts."""
    what, at_sign, when = text.rpartition("@")
    metric, equals, quantity = what.partition("=")
    if not (at_sign and equals and metric and when):
        raise CommandLineError(
            f"--usage {_show(text)} is not METRIC=QUANTITY@MOMENT; write "
            "e.g. --usage visits=100000@2024-06-29"
        )
    if not _DIGITS.fullmatch(quantity) or len(quantity) > 15:  # noqa: PLR2004
        raise CommandLineError(
            f"--usage {_show(text)}: quantity {_show(quantity)} is not a "
            "whole number of at most 15 digits; write e.g. "
            "--usage visits=100000@2024-06-29"
        )
    return metric, int(quantity), when


def _invoice(args: argparse.Namespace) -> str:
    threshold = None if args.threshold is None else _threshold(args.threshold)
    start = _moment(args.start, "--start", args)
    events: list[tuple[datetime, str, str, int]] = []
    for text in args.change:
        plan_id, at_sign, when = text.rpartition("@")
        if not (at_sign and plan_id):
            raise CommandLineError(
                f"--change {_show(text)} is not PLAN@MOMENT; write e.g. "
                "--change business-2@2024-06-11"
            )
        at = _moment(when, "--change", args)
        events.append((at, "--change", plan_id, 0))
    for text in args.usage:
        metric, quantity, when = _usage(text)
        at = _moment(when, "--usage", args)
        events.append((at, "--usage", metric, quantity))
    catalog = _catalog(args)
    first = _plan(catalog, args.plan, "--plan")
    policy = BillingPolicy(
        proration=_policy(args),
        timing=BillingTiming(args.timing),
        charge_now_above=(
            None if threshold is None else Money(threshold, first.currency)
        ),
        calculation_lead=timedelta(days=args.lead_days),
    )
    sub, signup = Subscription.start(first, start, policy=policy)
    immediate = [] if signup is None else [signup]
    for at, flag, what, quantity in sorted(events, key=lambda e: e[0]):
        _require_in_period(sub, at, flag)
        if flag == "--change":
            sub, outcome = sub.change_plan(_plan(catalog, what, flag), at)
            if outcome.invoice is not None:
                immediate.append(outcome.invoice)
        else:
            sub = _record_usage(sub, what, quantity, at)
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


def _require_in_period(sub: Subscription, at: datetime, flag: str) -> None:
    """Refuse a moment the previewed invoice does not cover."""
    period = sub.period
    if not period.contains(at):
        raise CommandLineError(
            f"{flag} at {at.isoformat()} is outside the period the next "
            f"invoice covers, [{period.start.isoformat()}, "
            f"{period.end.isoformat()}); pass moments from --start "
            "to before its end"
        )


if __name__ == "__main__":
    sys.exit(main())
