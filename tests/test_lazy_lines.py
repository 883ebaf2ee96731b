"""Invoice lines write their description and calculation when first read.

A line prorata builds (a renewal, an overage, a proration's credit or
charge) keeps what renders its two strings until one is read (#17), so an
invoice nobody prints costs no string formatting. Read, copied, pickled,
compared or replaced, such a line is the line its fields say: the
strings are the ones ``InvoiceLine(...)`` would hold, as the hosting
page's worked example and the docs print them.
"""

from __future__ import annotations

import copy
import pickle
from dataclasses import fields, replace

import pytest

from prorata import InvoiceLine, Subscription, builtin_catalog
from tests.common import utc

PLANS = builtin_catalog()


def _invoice_lines() -> tuple[InvoiceLine, ...]:
    """The July invoice of Business 1 from June 1, 140,000 visits on June 3
    and an upgrade to Business 2 on June 11: the deferred credit and charge,
    July's renewal and June's overage, none of them read yet."""
    sub, _ = Subscription.start(PLANS["business-1"], utc(2024, 6, 1))
    sub = sub.record_usage("visits", 140_000, utc(2024, 6, 3))
    sub, _ = sub.change_plan(PLANS["business-2"], utc(2024, 6, 11))
    return sub.preview_invoice().lines


def _unread(line: InvoiceLine) -> bool:
    return object.__getattribute__(line, "_text") is not None


def test_lines_are_built_unread_and_read_once() -> None:
    lines = _invoice_lines()
    assert [line.kind.value for line in lines] == [
        "unused-time",
        "remaining-time",
        "subscription",
        "overage",
    ]
    assert all(_unread(line) for line in lines)
    texts = [str(line) for line in lines]
    assert not any(_unread(line) for line in lines)
    assert texts == [
        "Unused time on Business 1 (20 days) = -$76.67",
        "Remaining time on Business 2 (20 days) = $150.00",
        "Price for 1 month of Business 2 = $225.00",
        (
            "Overage on Business 1: 140,000 visits against 100,000 "
            "included = $40.00"
        ),
    ]
    assert lines[3].calculation == (
        "40,000 visits over: 40 started blocks of 1,000 x $1.00 = $40.00"
    )


def test_an_unread_line_equals_the_same_line_written_out() -> None:
    """Equality, hash, copy, pickle and replace read the strings first."""
    for line in _invoice_lines():
        written = InvoiceLine(
            **{f.name: getattr(line, f.name) for f in fields(line) if f.init}
        )
        assert not _unread(written)
    for line in _invoice_lines():
        twin = pickle.loads(pickle.dumps(line))  # noqa: S301 - our own
        assert twin == line
        assert hash(twin) == hash(line)
    lines = _invoice_lines()
    for line in lines:
        assert copy.deepcopy(line).description == line.description
    renewal = _invoice_lines()[2]
    doubled = replace(renewal, quantity=2)
    assert doubled.description == "Price for 1 month of Business 2"
    assert repr(_invoice_lines()[0]) == (
        "<InvoiceLine unused-time: Unused time on Business 1 (20 days) "
        "= -$76.67>"
    )


def test_a_typo_is_still_an_attribute_error() -> None:
    line = _invoice_lines()[0]
    with pytest.raises(AttributeError, match="descripton"):
        line.descripton  # type: ignore[attr-defined]  # noqa: B018
