"""Building frozen slotted values fast: :func:`shell` and :func:`unchecked`.

A frozen value refuses assignment, so filling one from values already
checked costs a slot setter call a field, each a bound-method call. Its
shell is a plain class of the very same layout (the same base, the same
slots) that assigns as any object does: a value is filled in its shell
by ordinary attribute stores, then given its real class, which CPython
allows between classes of one layout. What comes out is an instance of
the real class like any other, and refuses assignment from then on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = ["filler", "shell", "unchecked"]

_T = TypeVar("_T")


def shell(cls: type) -> type:
    """A plain class with ``cls``'s layout, whose instances can become one.

    Raises:
        TypeError: ``cls`` has no slots, or an instance of the shell cannot
            take ``cls`` as its class (checked once, here).
    """
    slots = vars(cls).get("__slots__")
    if slots is None:
        raise TypeError(f"{cls.__name__} has no __slots__ of its own")
    made: type = type(
        f"{cls.__name__}Shell",
        cls.__bases__,
        {"__slots__": slots, "__module__": cls.__module__},
    )
    probe: object = object.__new__(made)
    probe.__class__ = cls  # raises TypeError unless the layouts agree
    return made


def unchecked(cls: type[_T], names: tuple[str, ...]) -> Callable[..., _T]:
    """A constructor that sets ``names``' slots in order, checking nothing.

    What a frozen dataclass's ``__init__`` does, without its keyword
    parsing or its checks, for values built on a hot path from values
    already checked: each class declares its own, typed, as ``_make``
    beside its fields. Like ``dataclasses``, it writes the function's
    source (one attribute store a field in the shell, straight-line) and
    compiles it.
    """
    made = filler(
        ", ".join(names),
        [f"    made.{name} = {name}" for name in names],
        {"_shell": shell(cls), "_cls": cls},
    )
    return cast("Callable[..., _T]", made)


def filler(
    parameters: str,
    stores: Iterable[str],
    scope: dict[str, object],
    cls: str = "_cls",
) -> Callable[..., object]:
    """Compile a function that fills a shell: ``def make(parameters)``.

    Its value is made in ``scope["_shell"]``, filled by ``stores`` (lines
    of source, ``made.name = ...``), then given the class the expression
    ``cls`` names, and returned. What :func:`unchecked` compiles, and the
    copies of a subscription's state.
    """
    source = "\n".join(
        [
            f"def make({parameters}):",
            "    made = _new(_shell)",
            *stores,
            f"    made.__class__ = {cls}",
            "    return made",
        ]
    )
    scope = {**scope, "_new": object.__new__}
    exec(source, scope)  # noqa: S102 - our own names, as dataclasses does
    make = scope["make"]
    assert callable(make)  # noqa: S101 - just compiled
    return make
