"""Short reprs and HTML tables for the models and results of prorata.

A repr is what a notebook, a debugger or a log line shows: it stays under
:data:`LONGEST` characters. A model's repr is the evaluable constructor call
of the fields that differ from their defaults when that fits
(``Plan(id='pro', price=Money('70', 'USD'))``); when it does not, a summary
in angle brackets names each such field briefly: a plan or an add-on by its
id, an amount as people read it, a moment in ISO 8601, a tuple by its
length (``<Plan id=pro, name=Pro, price=$70.00, allowances=1 item>``). The
full detail is in the fields, and behind ``explain()`` where a result has
one.

``html_table`` is the same brief view as an HTML table, the
``_repr_html_`` of a model with no picture of its own.
"""

from __future__ import annotations

from dataclasses import MISSING, fields, is_dataclass
from datetime import datetime
from enum import Enum
from html import escape
from typing import Final, TypeVar

__all__ = [
    "LONGEST",
    "brief",
    "capped",
    "displayed",
    "fitted",
    "rows_table",
    "summary",
]

_T = TypeVar("_T")

LONGEST: Final = 199
"""The most characters a repr has."""

# The most characters a value takes in a summary.
_VALUE: Final = 48


def changed_fields(model: object) -> list[tuple[str, object]]:
    """The dataclass fields of ``model`` that differ from their defaults.

    A field without a default is always shown; ``repr=False`` ones never.
    """
    shown: list[tuple[str, object]] = []
    for item in fields(model):  # type: ignore[arg-type]
        if not item.repr:
            continue
        value = getattr(model, item.name)
        if item.default is not MISSING:
            default: object = item.default
        elif item.default_factory is not MISSING:
            default = item.default_factory()
        else:
            shown.append((item.name, value))
            continue
        if value is not default and value != default:
            shown.append((item.name, value))
    return shown


def brief(value: object) -> str:
    """A value in a few characters: what a summary shows of it."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, tuple | list):
        count = len(value)
        return f"{count} item" if count == 1 else f"{count} items"
    named = getattr(value, "id", None)
    if isinstance(named, str) and is_dataclass(value):
        return named
    text = str(value)
    if len(text) > _VALUE:
        return f"{text[: _VALUE - 3]}..."
    return text


def compact_repr(model: object) -> str:
    """The evaluable call when it is short, else the brief summary."""
    name = type(model).__name__
    shown = changed_fields(model)
    evaluable = ", ".join(f"{field}={value!r}" for field, value in shown)
    if len(name) + len(evaluable) + 2 <= LONGEST:
        return f"{name}({evaluable})"
    return summary(name, [(field, brief(value)) for field, value in shown])


def fitted(model: object, evaluable: str) -> str:
    """A model's own evaluable repr when it is short, else its summary."""
    if len(evaluable) <= LONGEST:
        return evaluable
    shown = changed_fields(model)
    return summary(
        type(model).__name__, [(field, brief(value)) for field, value in shown]
    )


def capped(text: str) -> str:
    """A result's one-line repr, cut to :data:`LONGEST` characters."""
    if len(text) > LONGEST:
        return f"{text[: LONGEST - 4]}...>"
    return text


def summary(name: str, parts: list[tuple[str, str]]) -> str:
    """``<Name a=1, b=2>``, cut to :data:`LONGEST` characters."""
    text = ", ".join(f"{field}={value}" for field, value in parts)
    whole = f"<{name} {text}>" if text else f"<{name}>"
    if len(whole) > LONGEST:
        return f"{whole[: LONGEST - 4]}...>"
    return whole


def html_table(model: object, caption: str | None = None) -> str:
    """The model's changed fields as an HTML table, each value brief."""
    return rows_table(
        caption or type(model).__name__,
        [(field, brief(value)) for field, value in changed_fields(model)],
    )


def rows_table(caption: str, rows: list[tuple[str, str]]) -> str:
    """An HTML table of named values, every text escaped."""
    body = "".join(
        f"<tr><th style='text-align:left'>{escape(name)}</th>"
        f"<td>{escape(value)}</td></tr>"
        for name, value in rows
    )
    return (
        f"<table class='prorata'><caption>{escape(caption)}</caption>"
        f"{body}</table>"
    )


def _html(model: object) -> str:
    """The model's fields as an HTML table, for notebooks."""
    return html_table(model)


def displayed(cls: type[_T]) -> type[_T]:
    """Give a model class the short repr and the HTML table it lacks.

    Put under ``@dataclass``, so that the dataclass keeps the ``__repr__``
    set here instead of writing its own.
    """
    if "__repr__" not in vars(cls):
        cls.__repr__ = compact_repr  # type: ignore[method-assign]
    if "_repr_html_" not in vars(cls):
        cls._repr_html_ = _html  # type: ignore[attr-defined]
    return cls
