"""Flat records of quotes, invoices and lines, and DataFrames of them (#18).

The worked figures are the hosting page's (shared/seeds, "Plan switching":
Business 1 -> Business 2 on day 11 of 30, credit $76.67, charge $150.00,
total $73.33).
"""

from __future__ import annotations

import json
import sys
import typing
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from prorata import (
    ArgumentTypeError,
    BillingPeriod,
    InvoiceLine,
    InvoiceLineKind,
    InvoiceRecord,
    LineRecord,
    MissingDependencyError,
    Money,
    PlanChange,
    ProrationPolicy,
    QuoteRecord,
    Subscription,
    builtin_catalog,
    from_dict,
    invoice_record,
    line_records,
    presets,
    prorate,
    prorate_timeline,
    quote_record,
    settle,
    to_frame,
)
from prorata.__main__ import main
from tests.common import QUOTE_ARGV

CATALOG = builtin_catalog()
QUOTE = list(QUOTE_ARGV)
JUNE = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
B1, B2 = CATALOG["business-1"], CATALOG["business-2"]
DAY_11 = datetime(2024, 6, 11, tzinfo=UTC)


def test_a_quote_record_holds_the_pages_figures() -> None:
    """The seed's upgrade, flat: amounts as Decimal, the currency beside."""
    row = quote_record(prorate(PlanChange(B1, B2, at=DAY_11), JUNE))
    assert (row["credit"], row["charge"], row["net"]) == (
        Decimal("76.67"),
        Decimal("150.00"),
        Decimal("73.33"),
    )
    assert row["currency"] == "USD"
    assert (row["old_plan"], row["new_plan"], row["direction"]) == (
        "business-1",
        "business-2",
        "upgrade",
    )
    assert (row["at"], row["period_start"], row["period_end"]) == (
        DAY_11,
        JUNE.start,
        JUNE.end,
    )
    assert set(row) == set(typing.get_type_hints(QuoteRecord))


def test_line_records_of_a_quote_and_a_timeline() -> None:
    """Each line's kind, product, amount and exact value."""
    change = PlanChange(B1, B2, at=DAY_11)
    lines = line_records(prorate(change, JUNE))
    assert [(r["kind"], r["product"], r["amount"]) for r in lines] == [
        ("unused-time", "business-1", Decimal("-76.67")),
        ("remaining-time", "business-2", Decimal("150.00")),
    ]
    assert lines[0]["exact"] * 3 == -230  # 115 x 20 / 30 = 230/3
    timeline = line_records(prorate_timeline(B1, [change], JUNE))
    assert [r["amount"] for r in timeline] == [
        Decimal("-76.67"),
        Decimal("150.00"),
    ]
    assert set(lines[0]) == set(typing.get_type_hints(LineRecord))


def test_an_invoice_record_adds_up() -> None:
    """Subtotal, tax and total; the balance before and after."""
    sub, _ = Subscription.start(B1, JUNE.start)
    sub, _ = sub.issue_credit(
        Money("20", "USD"), JUNE.start + timedelta(days=2)
    )
    _, invoice = sub.bill()
    row = invoice_record(invoice)
    assert row["subtotal"] == Decimal("115.00")
    assert row["total"] == row["subtotal"] + row["tax"]
    assert row["credit_balance_before"] == Decimal("20.00")
    assert row["amount_due"] == Decimal("95.00")
    assert (
        row["line_count"] == len(invoice.lines) == len(line_records(invoice))
    )
    assert set(row) == set(typing.get_type_hints(InvoiceRecord))


def test_a_hand_written_line_has_no_product() -> None:
    """An invoice line that bills no product records ``product=None``."""
    at = JUNE.start
    line = InvoiceLine(
        kind=InvoiceLineKind.SUBSCRIPTION,
        description="By hand",
        amount=Money("5", "USD"),
        start=at,
        end=JUNE.end,
        calculation="",
    )
    invoice = settle(
        [line],
        currency="USD",
        issued_at=at,
        calculated_at=at,
        credit_balance=Money.zero("USD"),
    )
    (row,) = line_records(invoice)
    assert row["product"] is None
    assert row["exact"] == 5


def test_a_thousand_quotes_under_every_preset_make_one_frame() -> None:
    """1,000 moments of June x every preset: one row each, nets exact."""
    moments = [
        JUNE.start + timedelta(seconds=1 + k * (JUNE.seconds - 2) // 999)
        for k in range(1_000)
    ]
    quotes = [
        prorate(PlanChange(B1, B2, at=at), JUNE, policy)
        for policy in presets.PRESETS.values()
        for at in moments
    ]
    frame = to_frame(quotes)
    assert frame.shape == (1_000 * len(presets.PRESETS), 12)
    assert all(isinstance(net, Decimal) for net in frame["net"])
    assert sum(frame["net"]) == sum(q.net.amount for q in quotes)
    for k in range(0, len(quotes), 997):  # rows keep the quotes' order
        assert frame["net"].iloc[k] == quotes[k].net.amount
        assert frame["at"].iloc[k] == quotes[k].change.at


def test_a_frame_of_lines_and_of_records() -> None:
    """Lines become line rows; records are taken as they are."""
    quote = prorate(PlanChange(B1, B2, at=DAY_11), JUNE)
    assert list(to_frame(quote.lines)["amount"]) == [
        Decimal("-76.67"),
        Decimal("150.00"),
    ]
    assert to_frame([quote_record(quote)]).shape == (1, 12)


@pytest.mark.parametrize(
    ("items", "says"),
    [
        (42, "an iterable of results"),
        ("quotes", "an iterable of results"),
        ([object()], "a Proration, an Invoice, a line or a record"),
        ("mixed", "results of one kind"),
    ],
)
def test_bad_items(items: object, says: str) -> None:
    """Anything but results of one kind is refused, with what to pass."""
    if items == "mixed":
        quote = prorate(PlanChange(B1, B2, at=DAY_11), JUNE)
        items = [quote, quote.lines[0]]
    with pytest.raises(ArgumentTypeError, match=says):
        to_frame(items)  # type: ignore[arg-type]


def test_without_pandas_the_error_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pandas missing: a MissingDependencyError, not an ImportError alone."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingDependencyError, match=r"prorata\[pandas\]"):
        to_frame([])


def test_quote_and_invoice_json_share_one_vocabulary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A line is written with the same keys by ``quote`` and ``invoice``;
    the quote's keys are the record's, and so are a change's."""
    assert main([*QUOTE, "--json"]) == 0
    quote = json.loads(capsys.readouterr().out)
    assert (
        main(
            [
                "invoice",
                "--plan",
                "business-1",
                "--start",
                "2024-06-01",
                "--change",
                "business-2@2024-06-11",
                "--json",
            ]
        )
        == 0
    )
    invoice = json.loads(capsys.readouterr().out)
    line_keys = set(typing.get_type_hints(LineRecord))
    assert set(quote["lines"][0]) == line_keys
    assert set(invoice["next_invoice"]["lines"][0]) == line_keys
    assert set(typing.get_type_hints(QuoteRecord)) <= set(quote)
    (change,) = invoice["changes"]
    assert set(typing.get_type_hints(QuoteRecord)) <= set(change)
    assert change["settlement"] == "next-invoice"


def test_the_json_policy_is_its_options_not_prose(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``quote --json`` writes the policy as its options, which read back
    as the policy the preset is, and beside them its description."""
    assert main([*QUOTE, "--preset", "kill-bill", "--json"]) == 0
    view = json.loads(capsys.readouterr().out)
    options = {"type": "ProrationPolicy", **view["policy"]}
    assert from_dict(options, ProrationPolicy) == presets.KILL_BILL
    assert view["policy_description"] == presets.KILL_BILL.describe()
