"""Plan catalogs: plans, prices, intervals, allowances and rule flags.

A catalog is read from TOML (``tomllib``) or JSON. Every mistake is refused
with a message naming the file, the plan and the field, so a catalog can be
fixed from the message alone.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass
from html import escape
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any, Final, final

from prorata import errors
from prorata._allowance import LifetimeAllowance, UsageAllowance
from prorata._display import displayed, summary
from prorata._money import Money
from prorata._period import Interval
from prorata._plan import Plan
from prorata.errors import (
    ArgumentTypeError,
    CatalogError,
    CurrencyMismatchError,
    InvalidIntervalError,
    ProrataError,
    UnknownCurrencyError,
    UnknownPlanError,
    shown,
)

__all__ = [
    "CATALOG_SCHEMA",
    "Catalog",
    "builtin_catalog",
    "catalog_data",
    "load_catalog",
    "parse_catalog",
]

#: The JSON Schema of a catalog (draft 2020-12), shipped beside the
#: built-in catalog, for editors and services that check catalogs first.
CATALOG_SCHEMA: Final = resources.files("prorata") / "catalog.schema.json"

_PLAN_FIELDS: Final = frozenset(
    {
        "id",
        "name",
        "price",
        "currency",
        "interval",
        "rank",
        "allowances",
        "lifetime",
        "sales_only",
        "custom",
        "legacy",
        "annual_months_free",
    }
)


@final
@dataclass(frozen=True, slots=True)
@displayed
class Catalog:
    """The plans on offer, by id, in the order the catalog lists them.

    >>> catalog = builtin_catalog()
    >>> catalog["business-1"].price
    Money('115', 'USD')
    >>> "enterprise" in catalog, len(catalog) > 4
    (True, True)
    """

    plans: Mapping[str, Plan]
    source: str = "<catalog>"

    def __post_init__(self) -> None:
        """Check that the plans are plans by id and the source a str."""
        if not isinstance(self.plans, Mapping) or not all(
            isinstance(key, str) and isinstance(plan, Plan)
            for key, plan in self.plans.items()
        ):
            raise ArgumentTypeError(
                "plans", self.plans, "a mapping of plan id to Plan"
            )
        if not isinstance(self.source, str):
            raise ArgumentTypeError("source", self.source, "a str")

    def __getitem__(self, plan_id: str) -> Plan:
        """Return the plan with ``plan_id``.

        Raises:
            ArgumentTypeError: ``plan_id`` is not a str.
            UnknownPlanError: No such plan; the message lists the known ids.
        """
        if not isinstance(plan_id, str):
            raise ArgumentTypeError("plan id", plan_id, "a str")
        try:
            return self.plans[plan_id]
        except KeyError:
            raise UnknownPlanError(
                plan_id, self.source, list(self.plans)
            ) from None

    def __contains__(self, plan_id: object) -> bool:
        """Whether a plan has ``plan_id`` (never, unless it is a str)."""
        return isinstance(plan_id, str) and plan_id in self.plans

    def __iter__(self) -> Iterator[Plan]:
        """Yield the plans in catalog order."""
        return iter(self.plans.values())

    def __len__(self) -> int:
        """How many plans the catalog has."""
        return len(self.plans)

    def __repr__(self) -> str:
        """``<Catalog source=..., plans=starter, pro, ...>``, in brief."""
        return summary(
            "Catalog",
            [("source", self.source), ("plans", ", ".join(self.plans))],
        )

    def _repr_html_(self) -> str:
        """The plans as an HTML table: id, name, price, interval, rank."""
        head = "".join(
            f"<th>{name}</th>"
            for name in ("id", "name", "price", "interval", "rank")
        )
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td>{escape(str(cell))}</td>"
                for cell in (
                    plan.id,
                    plan.name,
                    plan.price,
                    plan.interval,
                    plan.rank,
                )
            )
            + "</tr>"
            for plan in self
        )
        return (
            f"<table class='prorata'><caption>{escape(self.source)}</caption>"
            f"<tr>{head}</tr>{rows}</table>"
        )


def load_catalog(path: str | Path) -> Catalog:
    """Read a catalog from a ``.toml`` or ``.json`` file.

    Raises:
        CatalogError: The file cannot be read or parsed, or a plan or one of
            its fields is wrong; the message names the file, plan and field.

    A catalog of one plan, written to a temporary file:

    >>> import pathlib, tempfile
    >>> from prorata import load_catalog
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "plans.toml")
    ...     _ = path.write_text(
    ...         'plans = [{id = "pro", price = "70", currency = "USD"}]',
    ...         encoding="utf-8")
    ...     catalog = load_catalog(path)
    >>> catalog["pro"].price
    Money('70', 'USD')
    """
    if not isinstance(path, str | PathLike):
        raise ArgumentTypeError("path", path, "a str or a pathlib.Path")
    try:
        file = Path(path)
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogError(
            shown(str(path)), None, None, error.strerror or "unreadable"
        ) from None
    except UnicodeDecodeError as error:
        raise CatalogError(
            str(file), None, None, f"is not UTF-8 text: {error.reason}"
        ) from None
    except (TypeError, ValueError) as error:  # a NUL byte in the path, say
        raise CatalogError(shown(str(path)), None, None, str(error)) from None
    return _parse_text(text, file.suffix.lower(), str(file))


def builtin_catalog() -> Catalog:
    """Return the example catalog shipped with prorata: both pages' plans.

    The hosting page's Starter, Pro, Business 1 and 2, monthly and annual
    (two months free), and the SaaS page's Free, Plus and Enterprise; figures
    the pages do not give are marked illustrative in the file.

    The hosting page's plans by id:

    >>> from prorata import builtin_catalog
    >>> plans = builtin_catalog()
    >>> print(plans["starter"].price, plans["business-2"].price)
    $35.00 $225.00
    >>> "business-1-annual" in plans
    True
    """
    text = (
        resources.files("prorata")
        .joinpath("catalog.toml")
        .read_text(encoding="utf-8")
    )
    return _parse_text(text, ".toml", "prorata/catalog.toml")


def catalog_data(catalog: Catalog) -> dict[str, list[dict[str, Any]]]:
    """The catalog as the data :func:`parse_catalog` reads back.

    Plan by plan: an annual plan as a plan of its own, its price as it
    stands.

    >>> data = catalog_data(builtin_catalog())
    >>> data["plans"][0]["price"], data["plans"][1]["interval"]
    ('35', '1 year')
    >>> list(parse_catalog(data)) == list(builtin_catalog())
    True
    """
    return {"plans": [_entry_of(plan) for plan in catalog]}


def _entry_of(plan: Plan) -> dict[str, Any]:
    """One plan as a catalog entry: what differs from the defaults."""
    entry: dict[str, Any] = {
        "id": plan.id,
        "name": plan.name,
        "price": f"{plan.price.amount:f}",
        "currency": plan.currency,
        "interval": str(plan.interval),
        "rank": plan.rank,
    }
    if plan.allowances:
        entry["allowances"] = [
            {
                "metric": a.metric,
                "included": a.included,
                "overage_price": f"{a.overage_price.amount:f}",
                "per": a.per,
            }
            for a in plan.allowances
        ]
    if plan.lifetime:
        entry["lifetime"] = [
            {"metric": a.metric, "included": a.included} for a in plan.lifetime
        ]
    for flag in ("sales_only", "custom", "legacy"):
        if getattr(plan, flag):
            entry[flag] = True
    return entry


def _parse_text(text: str, suffix: str, source: str) -> Catalog:
    data: object
    try:
        if suffix == ".toml":
            data = tomllib.loads(text)
        elif suffix == ".json":
            data = json.loads(text, parse_float=_refuse_float)
        else:
            raise CatalogError(
                source, None, None, "is neither .toml nor .json"
            )
    except (ValueError, RecursionError) as error:
        # Decode errors, and what the parsers raise past them: a number of
        # over 4,300 digits (ValueError) or arrays nested too deep.
        raise CatalogError(
            source, None, None, f"does not parse: {error}"
        ) from None
    return parse_catalog(data, source)


def _refuse_float(text: str) -> object:
    """Keep a JSON number with a fraction aside, so it can be refused."""
    return _Float(text)


@final
@dataclass(frozen=True, slots=True)
class _Float:
    """A JSON number with a fraction or an exponent, kept for the message."""

    text: str


def parse_catalog(data: object, source: str = "<data>") -> Catalog:
    """Build a catalog from already-parsed data (a dict with a plans list).

    Prices are strings or whole numbers; a float is refused, because it
    cannot hold cents exactly. Each plan names its ``currency`` or inherits
    the catalog's.

    Raises:
        CatalogError: A missing or wrong field, naming the plan and field.

    Plans from a dict, e.g. read from JSON or a database:

    >>> from prorata import parse_catalog
    >>> catalog = parse_catalog({"currency": "USD", "plans": [
    ...     {"id": "starter", "name": "Starter", "price": "35"},
    ...     {"id": "pro", "name": "Pro", "price": 70}]})
    >>> [plan.name for plan in catalog], catalog["pro"].price
    (['Starter', 'Pro'], Money('70', 'USD'))
    """
    if not isinstance(source, str):
        raise ArgumentTypeError("source", source, "a str")
    if not isinstance(data, Mapping):
        raise CatalogError(source, None, None, "is not a table of plans")
    default_currency = data.get("currency")
    plans = data.get("plans")
    if not isinstance(plans, list) or not plans:
        raise CatalogError(
            source, None, "plans", "is missing or empty; list the plans"
        )
    built: dict[str, Plan] = {}
    for position, entry in enumerate(plans):
        for plan in _plans(entry, position, default_currency, source):
            if plan.id in built:
                raise CatalogError(
                    source,
                    plan.id,
                    "id",
                    "is used by two plans; ids must be unique",
                )
            built[plan.id] = plan
    return Catalog(plans=built, source=source)


def _plans(
    entry: object, position: int, currency: object, source: str
) -> list[Plan]:
    label = f"#{position + 1}"
    if not isinstance(entry, Mapping):
        raise CatalogError(source, label, None, "is not a table")
    return _plan_entry(entry, label, currency, source)


def _allowance(
    entry: Mapping[str, Any], currency: str, source: str, label: str
) -> UsageAllowance:
    """Build one ``[[plans.allowances]]`` table; the class checks it."""
    price = _amount(entry.get("overage_price"), source, label, "overage_price")
    return UsageAllowance(
        metric=entry.get("metric", ""),
        included=entry.get("included", 0),
        overage_price=Money(price, currency),  # the currency checked here
        per=entry.get("per", 1),
    )


def _plan_entry(
    entry: Mapping[str, Any], label: str, currency: object, source: str
) -> list[Plan]:
    """Build one entry's plans; the constructors check every value."""
    plan_id = entry.get("id")
    label = plan_id if isinstance(plan_id, str) and plan_id else label
    unknown = set(entry) - _PLAN_FIELDS
    if unknown:
        raise CatalogError(source, label, min(unknown), "is not a plan field")
    if "price" not in entry:
        raise CatalogError(source, label, "price", "is missing")
    try:
        plan = Plan(
            id=entry.get("id", ""),
            name=entry.get("name", ""),
            price=Money(
                _amount(entry["price"], source, label, "price"),
                entry.get("currency", currency),  # checked by Money
            ),
            interval=_interval(entry.get("interval", "month"), source, label),
            rank=entry.get("rank", 0),
            allowances=tuple(
                _allowance(a, entry.get("currency", currency), source, label)
                for a in _tables(entry, "allowances", source, label)
            ),
            lifetime=tuple(
                LifetimeAllowance(
                    metric=a.get("metric", ""), included=a.get("included", 0)
                )
                for a in _tables(entry, "lifetime", source, label)
            ),
            sales_only=entry.get("sales_only", False),
            custom=entry.get("custom", False),
            legacy=entry.get("legacy", False),
        )
    except CatalogError:
        raise
    except ProrataError as error:
        raise CatalogError(
            source, label, _field_of(error), str(error)
        ) from None
    months_free = entry.get("annual_months_free")
    if months_free is None:
        return [plan]
    try:
        return [plan, plan.annual(months_free=months_free)]
    except ProrataError as error:
        raise CatalogError(
            source, label, "annual_months_free", str(error)
        ) from None


def _amount(value: object, source: str, label: str, field: str) -> str | int:
    if isinstance(value, (_Float, float)):
        shown = value.text if isinstance(value, _Float) else repr(value)
        raise CatalogError(
            source,
            label,
            field,
            f"{shown} is a float, which cannot hold cents exactly; write it "
            f'as a string, e.g. "{shown}"',
        )
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise CatalogError(
            source,
            label,
            field,
            f'{errors.shown(value)} is not a price; write e.g. "35"',
        )
    return value


def _interval(value: object, source: str, label: str) -> Interval:
    if isinstance(value, str):
        with suppress(InvalidIntervalError):
            return Interval(value)
    raise CatalogError(
        source,
        label,
        "interval",
        f'{shown(value)} is not an interval; write e.g. "month", "year" or '
        '"30 days"',
    )


# The keys of an allowance table and of a lifetime allowance table.
_TABLE_FIELDS: Final = {
    "allowances": frozenset({"metric", "included", "overage_price", "per"}),
    "lifetime": frozenset({"metric", "included"}),
}


def _tables(
    entry: Mapping[str, Any], field: str, source: str, label: str
) -> list[Mapping[str, Any]]:
    """The tables of ``field``, each with known keys only.

    A typo'd key would otherwise vanish (``overage`` for ``overage_price``).
    """
    value = entry.get(field, [])
    if not isinstance(value, list) or not all(
        isinstance(item, Mapping) for item in value
    ):
        raise CatalogError(source, label, field, "is not a list of tables")
    known = _TABLE_FIELDS[field]
    for table in value:
        unknown = set(table) - known
        if unknown:
            raise CatalogError(
                source,
                label,
                f"{field}.{min(unknown, key=str)}",
                f"is not a field of {field}; use {', '.join(sorted(known))}",
            )
    return value


def _field_of(error: ProrataError) -> str | None:
    """The catalog field a plan's own error is about."""
    if isinstance(error, UnknownCurrencyError | CurrencyMismatchError):
        return "currency"
    field = getattr(error, "field", None)
    return field if isinstance(field, str) else None
