"""The shells that build frozen slotted values (``prorata._shells``)."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from prorata import Money
from prorata._money import trusted_units
from prorata._shells import shell, unchecked


@dataclasses.dataclass(frozen=True, slots=True)
class _Pair:
    left: int
    right: str


def test_a_value_built_in_its_shell_is_the_real_class_and_frozen() -> None:
    """What ``unchecked`` builds is the class itself, equal to what the
    dataclass's own ``__init__`` builds, and refuses assignment."""
    make = unchecked(_Pair, ("left", "right"))
    made = make(3, "x")
    assert type(made) is _Pair
    assert made == _Pair(3, "x")
    assert hash(made) == hash(_Pair(3, "x"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.left = 4  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(made)) == made  # noqa: S301 - ours


def test_trusted_money_is_money_and_refuses_assignment() -> None:
    """``trusted_units`` fills Money's shell: the result is a ``Money``
    equal to the checked constructor's, and as frozen."""
    money = trusted_units(1234, "USD")
    assert type(money) is Money
    assert money == Money("12.34", "USD")
    assert str(money) == str(Money("12.34", "USD"))
    with pytest.raises(AttributeError):
        money._units = 1


def test_a_class_without_slots_has_no_shell() -> None:
    """A class whose instances carry a ``__dict__`` is refused."""

    class Plain:
        pass

    with pytest.raises(TypeError, match="no __slots__"):
        shell(Plain)


def test_a_shell_of_another_layout_is_refused() -> None:
    """The probe fails once, at ``shell``, when CPython would refuse the
    class assignment (a base with a layout of its own)."""

    class Slotted(int):
        __slots__ = ()

    with pytest.raises(TypeError):
        shell(Slotted)
