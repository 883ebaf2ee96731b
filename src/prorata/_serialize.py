"""JSON-safe views of results: amounts as strings, datetimes as ISO 8601.

These are what ``prorata ... --json`` prints and what a service can send on:
the records of :mod:`prorata._records` (one vocabulary for a quote, a
change, an invoice and their lines) with every amount a decimal string in
its currency's minor unit, every exact value a fraction string
(``"-230/3"``), every moment with its offset. And the storage form,
:func:`to_dict` and :func:`from_dict`, that reads back.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import fields, is_dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import UnionType
from typing import (
    TYPE_CHECKING,
    Any,
    Final,
    TypeAlias,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)
from zoneinfo import ZoneInfo

from prorata._money import Money
from prorata._period import require_aware
from prorata._records import invoice_record, line_record, quote_record
from prorata.errors import (
    ArgumentTypeError,
    ProrataError,
    SerializationError,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from prorata._invoice import Invoice
    from prorata._invoice_lines import InvoiceLine
    from prorata._pricing import ProrationLine
    from prorata._proration import Proration
    from prorata._routing import ChangeOutcome

T = TypeVar("T")

__all__ = [
    "JsonValue",
    "change_view",
    "from_dict",
    "invoice_view",
    "proration_view",
    "to_dict",
]

#: What the views are made of: JSON's own types.
JsonValue: TypeAlias = (
    "str | int | bool | list[JsonValue] | dict[str, JsonValue] | None"
)


def _amount(money: Money) -> str:
    return f"{money.amount:f}"


def _moment(moment: datetime) -> str:
    """Write a moment as ISO 8601 with its offset and zone.

    An IANA zone's name follows the offset (RFC 9557:
    ``2024-03-31T03:00:00+02:00[Europe/Berlin]``), so that wall-clock days
    and anchored periods come back in the same zone.
    """
    text = moment.isoformat()
    if isinstance(moment.tzinfo, ZoneInfo):
        text += f"[{moment.tzinfo.key}]"
    return text


def _exact(value: Fraction | int) -> str:
    return str(value)


def _json(record: Mapping[str, object]) -> dict[str, JsonValue]:
    """A record in JSON's types: amounts and fractions as strings."""
    view: dict[str, JsonValue] = {}
    for key, value in record.items():
        if isinstance(value, Decimal):
            view[key] = f"{value:f}"
        elif isinstance(value, datetime):
            view[key] = _moment(value)
        elif isinstance(value, Fraction):
            view[key] = _exact(value)
        else:
            view[key] = value  # type: ignore[assignment]  # str, int, None
    return view


def _quote(proration: Proration) -> dict[str, JsonValue]:
    """A quote's record, its policy as options and in words.

    The options are ``to_dict``'s, which ``from_dict`` reads back.
    """
    view = _json(quote_record(proration))
    options = to_dict(proration.policy)
    del options["type"]
    view["policy"] = options
    view["policy_description"] = proration.policy.describe()
    return view


def _lines(lines: Iterable[ProrationLine | InvoiceLine]) -> list[JsonValue]:
    return [_json(line_record(line)) for line in lines]


def proration_view(proration: Proration) -> dict[str, JsonValue]:
    """Return a JSON-safe view of a proration: its record, its lines.

    The names are :class:`prorata.QuoteRecord`'s and
    :class:`prorata.LineRecord`'s, the same as an invoice's lines.

    >>> from datetime import UTC, datetime, timedelta
    >>> from prorata import BillingPeriod, Money, Plan, PlanChange, prorate
    >>> a = Plan(id="a", price=Money("10", "USD"))
    >>> b = Plan(id="b", price=Money("20", "USD"))
    >>> period = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
    >>> view = proration_view(prorate(
    ...     PlanChange(a, b, at=period.start + timedelta(days=10)), period))
    >>> view["credit"], view["charge"], view["net"], view["currency"]
    ('6.67', '13.33', '6.66', 'USD')
    >>> view["lines"][0]["product"], view["lines"][0]["exact"]
    ('a', '-20/3')
    """
    return {
        **_quote(proration),
        "net_exact": _exact(proration.net_exact),
        "lines": _lines(proration.lines),
        "used": _json(line_record(proration.used)),
        "explanation": proration.explain(),
    }


def invoice_view(invoice: Invoice) -> dict[str, JsonValue]:
    """Return a JSON-safe view of an invoice: its record, its lines."""
    record: dict[str, object] = dict(invoice_record(invoice))
    del record["line_count"]  # the lines themselves follow
    return {
        **_json(record),
        "lines": _lines(invoice.lines),
        "explanation": invoice.explain(),
    }


def change_view(outcome: ChangeOutcome) -> dict[str, JsonValue]:
    """Return a JSON-safe view of a change's outcome.

    The quote's record, the lines it bills, how and why, and whether it was
    invoiced at once.
    """
    return {
        **_quote(outcome.proration),
        "lines": _lines(outcome.lines),
        "billed_net": _amount(outcome.net),
        "settlement": outcome.settlement.value,
        "reason": outcome.reason,
        "invoiced_at_once": outcome.invoice is not None,
    }


# -- round trips --------------------------------------------------------------
# Every model and result is a frozen dataclass, a Proration (which lists its
# fields in _FIELDS) or a Money; the fields' type hints (the constructor's,
# for a Proration) say how to read each value back, so the dicts stay
# plain: amounts, decimals and exact fractions as strings, moments as ISO
# 8601 with their offset, durations as whole microseconds, and a "type" key
# per object.


def to_dict(value: object) -> dict[str, JsonValue]:
    """Convert a prorata model or result to a plain JSON-safe dict.

    Raises:
        ArgumentTypeError: ``value`` is not a prorata model or result.

    >>> from prorata import Money, Plan
    >>> to_dict(Plan(id="pro", name="Pro", price=Money("70", "USD")))
    ... # doctest: +NORMALIZE_WHITESPACE
    {'type': 'Plan', 'id': 'pro', 'name': 'Pro',
     'price': {'amount': '70', 'currency': 'USD'},
     'interval': {'type': 'Interval', 'unit': 'month', 'count': 1},
     'rank': 0, 'allowances': [], 'lifetime': [], 'sales_only': False,
     'custom': False, 'legacy': False, 'taxes': [], 'minimum': None,
     'trial': None}
    """
    encoded = _encode(value)
    if not isinstance(encoded, dict) or "type" not in encoded:
        raise ArgumentTypeError("value", value, "a prorata model or result")
    return encoded


def from_dict(data: Mapping[str, object], kind: type[T]) -> T:
    """Read back what :func:`to_dict` wrote, as an instance of ``kind``.

    Raises:
        SerializationError: The data does not describe a ``kind``; the
            message names the field.

    >>> from prorata import Money, Plan
    >>> plan = Plan(id="pro", price=Money("70", "USD"))
    >>> from_dict(to_dict(plan), Plan) == plan
    True
    """
    if not isinstance(kind, type) or (
        kind is not Money and _field_names(kind) is None
    ):
        raise SerializationError("kind", kind, "a prorata model class")
    if not isinstance(data, Mapping):
        raise SerializationError(kind.__name__, data, "a dict")
    try:
        value = _decode(data, kind, kind.__name__)
    except SerializationError:
        raise
    except _UNREADABLE as error:  # whatever the data broke on its way in
        raise SerializationError(kind.__name__, data, str(error)) from None
    if not isinstance(value, kind):
        raise SerializationError(
            kind.__name__, data.get("type"), "a " + kind.__name__
        )
    return value


def _money(value: Money) -> JsonValue:
    return {"amount": f"{value.amount:f}", "currency": value.currency}


def _microseconds(value: timedelta) -> JsonValue:
    return value // timedelta(microseconds=1)


_WRITERS: Final[tuple[tuple[type, Callable[[Any], JsonValue]], ...]] = (
    (Money, _money),
    (datetime, _moment),
    (timedelta, _microseconds),
    (Fraction, str),
    (Decimal, str),
    (tuple, lambda value: [_encode(item) for item in value]),
    (list, lambda value: [_encode(item) for item in value]),
)


def _encode(value: object) -> JsonValue:
    if isinstance(value, StrEnum):  # a str subclass: its plain value
        return value.value
    if value is None or isinstance(value, bool | int | str):
        return value
    for kind, write in _WRITERS:
        if isinstance(value, kind):
            return write(value)
    if isinstance(value, Mapping):
        return {str(key): _encode(item) for key, item in value.items()}
    names = _field_names(type(value))
    if names is not None:
        out: dict[str, JsonValue] = {"type": type(value).__name__}
        for name in names:
            out[name] = _encode(getattr(value, name))
        return out
    raise ArgumentTypeError("value", value, "a prorata model or result")


def _field_names(kind: type) -> tuple[str, ...] | None:
    """The fields of a model or result class; ``None`` for other classes.

    A dataclass, or a class listing its constructor's keywords in
    ``_FIELDS`` (a :class:`~prorata.Proration`, which builds some fields
    when they are first read).
    """
    if is_dataclass(kind):  # what its constructor takes, not derived fields
        return tuple(item.name for item in fields(kind) if item.init)
    names: tuple[str, ...] | None = getattr(kind, "_FIELDS", None)
    return names


def _of(data: object, kind: type[T]) -> T:
    """Return ``data`` if it is exactly of ``kind`` (a bool is no int)."""
    if type(data) is not kind:
        raise TypeError(f"a {kind.__name__}")
    return data


def _read_money(data: object) -> Money:
    amount = _of(data, dict)
    return Money(_of(amount["amount"], str), _of(amount["currency"], str))


def _read_datetime(data: object) -> datetime:
    text, _, zone = _of(data, str).partition("[")
    moment = require_aware("moment", datetime.fromisoformat(text))
    if not zone:
        return moment
    tz = ZoneInfo(zone.removesuffix("]"))
    # Keep the wall time as written, with the fold whose offset matches:
    # a repeated hour, and even a skipped one, comes back as it was.
    wall = moment.replace(tzinfo=tz)
    for fold in (0, 1):
        candidate = wall.replace(fold=fold)
        if candidate.utcoffset() == moment.utcoffset():
            return candidate
    return moment.astimezone(tz)


_READERS: Final[dict[object, Callable[[object], object]]] = {
    Money: _read_money,
    datetime: _read_datetime,
    timedelta: lambda data: timedelta(microseconds=_of(data, int)),
    Fraction: lambda data: Fraction(_of(data, str)),
    Decimal: lambda data: Decimal(_of(data, str)),
    int: lambda data: _of(data, int),
    str: lambda data: _of(data, str),
    bool: lambda data: _of(data, bool),
    type(None): lambda data: _of(data, type(None)),
}


# What reading malformed data can raise: a missing key, a wrong type, a
# bad number ("0/0"), a zone name too long for a file name, data nested
# too deep.
_UNREADABLE: Final = (
    LookupError,
    TypeError,
    ValueError,
    ArithmeticError,
    OSError,
    RecursionError,
)


def _decode(data: object, hint: object, where: str) -> object:
    """Read ``data`` as the type ``hint`` names; ``where`` is its path."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in {Union, UnionType}:
        return _decode_union(data, args, where)
    if isinstance(hint, type) and _field_names(hint) is not None:
        return _decode_object(data, hint, where)
    try:
        if origin is tuple:
            return tuple(
                _decode(item, args[0], f"{where}[{index}]")
                for index, item in enumerate(_of(data, list))
            )
        if origin in {dict, Mapping}:
            return {
                key: _decode(item, args[1], f"{where}.{key}")
                for key, item in _of(data, dict).items()
            }
        if isinstance(hint, type) and issubclass(hint, StrEnum):
            return hint(_of(data, str))
        return _READERS[hint](data)
    except SerializationError:
        raise
    except (*_UNREADABLE, ProrataError) as error:
        raise SerializationError(where, data, str(error)) from None


def _decode_union(
    data: object, options: tuple[object, ...], where: str
) -> object:
    if data is None and type(None) in options:
        return None
    if isinstance(data, dict) and "type" in data:
        for option in options:
            if isinstance(option, type) and option.__name__ == data["type"]:
                return _decode(data, option, where)
    for option in options:
        if option is not type(None):
            with suppress(SerializationError):
                return _decode(data, option, where)
    raise SerializationError(where, data, " or ".join(map(str, options)))


def _decode_object(data: object, kind: type, where: str) -> object:
    if not isinstance(data, dict) or data.get("type") != kind.__name__:
        raise SerializationError(where, data, f"a {kind.__name__} object")
    hints = get_type_hints(
        kind if is_dataclass(kind) else vars(kind)["__init__"]
    )
    values = {
        name: _decode(data[name], hints[name], f"{where}.{name}")
        for name in _field_names(kind) or ()
        if name in data
    }
    try:
        return kind(**values)
    except (*_UNREADABLE, ProrataError) as error:  # a missing field, say
        raise SerializationError(where, data, str(error)) from None
