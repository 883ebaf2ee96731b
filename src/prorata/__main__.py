"""The ``prorata`` command: ``demo``, ``plans``, ``quote`` and ``invoice``.

Every command prints an explanation, or with ``--json`` a JSON document.
Exit codes: 0 done; 1 bad input or a refused change (one line on stderr, no
traceback); 2 bad usage (one line on stderr, e.g. an unknown flag or a
``--lead-days`` that is not a whole number). A reader that closes the pipe
early (``prorata demo | head -1``) ends the command quietly.

Everything read from the command line is checked (``_cli``) before the
library sees it, so a mistake is reported by the flag it came from;
``_cli_invoice`` holds the ``invoice`` command.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Final, NoReturn

from prorata._catalog import CATALOG_SCHEMA, catalog_data
from prorata._cli import (
    CommandLineError,
    catalog_of,
    common_flags,
    days_flag,
    moment_of,
    plan_of,
    policy_of,
    shown,
)
from prorata._cli_invoice import invoice_flags
from prorata._examples import WORKED_EXAMPLES, demo
from prorata._period import BillingCycle, BillingPeriod
from prorata._plan import PlanChange
from prorata._rules import require_self_serve
from prorata._serialize import proration_view
from prorata._walk import prorate
from prorata.errors import ProrataError

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]

_LINE_BREAKS: Final = {
    ord(c): repr(c)[1:-1] for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
}


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
    parser.add_argument(
        "--version", action="version", version=f"prorata {_version()}"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    show = commands.add_parser(
        "demo", help="print every worked example of the source pages"
    )
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(run=_demo)
    listing = commands.add_parser(
        "plans", help="list the plans of a catalog (the built-in one)"
    )
    listing.add_argument("--catalog", help="a .toml or .json plan catalog")
    listing.add_argument(
        "--json", action="store_true", help="print the catalog as JSON"
    )
    listing.add_argument(
        "--schema",
        action="store_true",
        help="print the JSON Schema of catalogs, for editors",
    )
    listing.set_defaults(run=_plans)
    _quote_flags(
        commands.add_parser(
            "quote", help="price one plan change and explain it"
        )
    )
    invoice_flags(
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
        type=days_flag("--period-days", 1),
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
    common_flags(quote)
    quote.set_defaults(run=_quote)


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


def _version() -> str:
    """The installed distribution's version."""
    try:
        return version("prorata")
    except PackageNotFoundError:  # run from a source tree, not installed
        return "(not installed)"


def _plans(args: argparse.Namespace) -> str:
    """Each plan of the catalog: id, name, price, interval, rank, terms."""
    if args.schema:
        return CATALOG_SCHEMA.read_text(encoding="utf-8").rstrip()
    catalog = catalog_of(args)
    if args.json:
        return json.dumps(catalog_data(catalog), indent=2)
    rows = [("id", "name", "price", "interval", "rank", "terms")]
    for plan in catalog:
        terms = [
            f"{a.metric}: {a.included:,} included, {a.overage_price} per "
            f"{a.per:,} over"
            for a in plan.allowances
        ]
        terms += [f"{a.metric}: {a.included:,} in all" for a in plan.lifetime]
        terms += [
            flag.replace("_", " ")
            for flag in ("sales_only", "custom", "legacy")
            if getattr(plan, flag)
        ]
        rows.append(
            (
                plan.id,
                plan.name,
                str(plan.price),
                str(plan.interval),
                str(plan.rank),
                "; ".join(terms),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    return "\n".join(
        (
            "  ".join(
                cell.ljust(width)
                for cell, width in zip(row, widths, strict=False)
            )
            + "  "
            + row[5]
        ).rstrip()
        for row in rows
    )


def _quote(args: argparse.Namespace) -> str:
    start = moment_of(args.period_start, "--period-start", args)
    at = moment_of(args.at, "--at", args)
    if at.astimezone(UTC) < start.astimezone(UTC):  # not by wall clocks
        # The anchored cycle would hold an earlier period: a quote for a
        # period the customer did not ask about.
        raise CommandLineError(
            f"--at {shown(args.at)} is before --period-start "
            f"{shown(args.period_start)}; pass an --at on or after it"
        )
    if args.period_days is not None:
        period = BillingPeriod.of_days(start, args.period_days)
        if not period.contains(at):
            raise CommandLineError(
                f"--at {shown(args.at)} is after the {args.period_days}-day "
                f"period from --period-start {shown(args.period_start)}, "
                f"which ends at {period.end.isoformat()}; pass an --at "
                "before then or a longer --period-days"
            )
    catalog = catalog_of(args)
    old = plan_of(catalog, args.old, "--from")
    new = plan_of(catalog, args.new, "--to")
    if args.period_days is None:
        period = BillingCycle(start, old.interval).containing(at)
    if not args.assisted:
        require_self_serve(old, new)
    proration = prorate(PlanChange(old, new, at=at), period, policy_of(args))
    if args.json:
        return json.dumps(proration_view(proration), indent=2)
    return proration.explain()


if __name__ == "__main__":
    sys.exit(main())
