"""Every refusal: the right error type, a message naming the bad value."""

from __future__ import annotations

import inspect

import pytest

import prorata
from prorata import ProrataError, errors
from tests.common import BAD_INPUT, Bad


@pytest.mark.parametrize("bad", BAD_INPUT, ids=[bad.name for bad in BAD_INPUT])
def test_bad_input_is_refused(bad: Bad) -> None:
    """The call raises its specific error, and the message names the value."""
    with pytest.raises(bad.error) as caught:
        bad.call()
    assert bad.says in str(caught.value)
    assert type(caught.value) is bad.error


def test_every_error_derives_from_the_root_and_a_builtin() -> None:
    """except ProrataError catches all; except ValueError, TypeError,
    KeyError (for an unknown plan id) or ImportError (an optional package
    missing) too."""
    classes = [
        value
        for _, value in inspect.getmembers(errors, inspect.isclass)
        if issubclass(value, Exception) and value.__module__ == errors.__name__
    ]
    assert len(classes) >= 10
    for cls in classes:
        assert issubclass(cls, ProrataError)
        if cls is not ProrataError:
            builtin = ValueError | TypeError | LookupError | ImportError
            assert issubclass(cls, builtin), cls


def test_every_error_is_exported() -> None:
    """All error classes are reachable from the package and in __all__."""
    for name in errors.__all__:
        assert getattr(prorata, name) is getattr(errors, name)
        assert name in prorata.__all__


def test_messages_say_what_to_do() -> None:
    """Each message carries a remedy, not only a complaint."""
    remedies = ("pass", "use", "round", "choose", "list", "convert", "give")
    for bad in BAD_INPUT:
        with pytest.raises(ProrataError) as caught:
            bad.call()
        message = str(caught.value).lower()
        assert any(word in message for word in remedies), (bad.name, message)


def test_error_messages_abbreviate_what_they_cannot_show() -> None:
    """A 5,000-digit int, a long string, a failing repr: all rendered."""

    class Unshowable:
        def __repr__(self) -> str:
            raise RuntimeError

    assert errors.shown(10**5000) == "<int of about 5,001 digits>"
    assert errors.shown(-(10**400)).endswith("digits>")
    assert len(errors.shown("x" * 10**6)) < 200
    assert "1,000,002 chars" in errors.shown("x" * 10**6)
    assert errors.shown(Unshowable()) == "<Unshowable that cannot be shown>"
    assert errors.shown(12) == "12"
