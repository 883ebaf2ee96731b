"""What the commands of ``prorata`` share: reading flags, naming them.

Everything read from the command line is checked here, before the library
sees it, so a mistake is reported by the flag it came from
(:class:`CommandLineError`).
"""

from __future__ import annotations

import argparse
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prorata._catalog import Catalog, builtin_catalog, load_catalog
from prorata._policy import Basis, ChangeDay, DayCount, ProrationPolicy
from prorata.errors import (
    CatalogError,
    InvalidDateError,
    InvalidPolicyError,
    ProrataError,
    UnknownPlanError,
)
from prorata.presets import PRESETS

if TYPE_CHECKING:
    from datetime import tzinfo

    from prorata._plan import Plan

__all__ = [
    "AMOUNT",
    "DIGITS",
    "CommandLineError",
    "catalog_of",
    "common_flags",
    "days_flag",
    "moment_of",
    "plan_of",
    "policy_of",
    "shown",
]

# The moments the command accepts, in UTC: well inside ``datetime``'s range,
# so that a period, a renewal after it and a calculation lead before it can
# always be computed.
_EARLIEST: Final = datetime(1000, 1, 1, tzinfo=UTC)


_LATEST: Final = datetime(9000, 1, 1, tzinfo=UTC)


# The most days --period-days and --lead-days take: ten years.
MOST_DAYS: Final = 3660


_DAY: Final = timedelta(days=1)


DIGITS: Final = re.compile(r"[0-9]+", re.ASCII)


AMOUNT: Final = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,6})?", re.ASCII)


class CommandLineError(ProrataError, ValueError):
    """A flag's value that the command cannot use; the message names it."""


def days_flag(flag: str, least: int) -> argparse._ActionType:
    """Read a flag's whole number of days, from ``least`` to ten years."""

    def read(text: str) -> int:
        if not DIGITS.fullmatch(text.removeprefix("-")):
            raise argparse.ArgumentTypeError(
                f"{shown(text)} is not a whole number of days; pass e.g. "
                f"{flag} 30"
            )
        if len(text) > len(str(MOST_DAYS)) + 1 or not (
            least <= int(text) <= MOST_DAYS
        ):
            raise argparse.ArgumentTypeError(
                f"{shown(text)} is out of range; pass {least} to "
                f"{MOST_DAYS} days"
            )
        return int(text)

    return read


def shown(text: str) -> str:
    """Quote a value from the command line, shortened if it is long."""
    if len(text) > 60:  # noqa: PLR2004
        return f"{text[:40]!r}... ({len(text)} characters)"
    return repr(text)


def common_flags(command: argparse.ArgumentParser) -> None:
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


def catalog_of(args: argparse.Namespace) -> Catalog:
    if args.catalog is None:
        return builtin_plans()
    try:
        return load_catalog(args.catalog)
    except CatalogError as error:
        raise CommandLineError(f"--catalog {error}") from None


@cache  # a Catalog is immutable: read the built-in one once per process
def builtin_plans() -> Catalog:
    return builtin_catalog()


def plan_of(catalog: Catalog, plan_id: str, flag: str) -> Plan:
    """Look a plan up, naming the flag that asked for it."""
    try:
        return catalog[plan_id]
    except UnknownPlanError as error:
        raise CommandLineError(f"{flag}: {error}") from None


def policy_of(args: argparse.Namespace) -> ProrationPolicy:
    """The preset's proration, ``--basis`` replacing its basis alone.

    A time basis (seconds, minutes) counts no days: the preset's day
    options (day count, change day, months first) do not apply to it.
    """
    policy = PRESETS[args.preset] if args.preset else ProrationPolicy()
    if not args.basis:
        return policy
    basis = Basis(args.basis)
    try:
        return replace(policy, basis=basis)
    except InvalidPolicyError:
        return replace(
            policy,
            basis=basis,
            day_count=DayCount.ACTUAL,
            month_days=30,
            change_day=ChangeDay.NEW_PLAN,
            months_first=False,
        )


def zone_of(args: argparse.Namespace) -> tzinfo:
    if args.timezone.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(args.timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a name too long for a file name, or a directory of the
        # zone database ("America").
        raise CommandLineError(
            f"--timezone {shown(args.timezone)} is not a time zone; pass an "
            "IANA name such as Europe/Berlin or America/New_York, or UTC"
        ) from None


def moment_of(text: str, flag: str, args: argparse.Namespace) -> datetime:
    try:
        if not text.isascii():  # ISO 8601 digits are ASCII digits
            raise ValueError(text)  # noqa: TRY301
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidDateError(flag, text) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone_of(args))
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:  # year 1 east of UTC, or 9999 west of it
        utc = _LATEST if moment.year > _EARLIEST.year else _EARLIEST - _DAY
    if not _EARLIEST <= utc < _LATEST:
        raise CommandLineError(
            f"{flag} {shown(text)} is out of range; pass a moment from "
            f"{_EARLIEST.date()} to before {_LATEST.date()} (UTC)"
        )
    return moment
