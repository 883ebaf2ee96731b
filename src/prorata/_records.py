"""Flat, typed records of quotes, invoices and their lines, for tables.

A record is a plain ``dict`` with a fixed set of keys (a ``TypedDict``):
amounts are ``Decimal`` with the ``currency`` beside them, moments aware
``datetime``, options their string values. A list of records is what
``pandas.DataFrame``, ``csv.DictWriter`` or a database driver takes;
:func:`to_frame` builds the frame itself when pandas is installed
(``pip install 'prorata[pandas]'``). The JSON of the command line and of
:func:`prorata.to_dict`'s views use the same names.

>>> from datetime import UTC, datetime
>>> from prorata import BillingPeriod, PlanChange, builtin_catalog, prorate
>>> catalog = builtin_catalog()
>>> june = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
>>> quote = prorate(PlanChange(catalog["business-1"], catalog["business-2"],
...                            at=datetime(2024, 6, 11, tzinfo=UTC)), june)
>>> row = quote_record(quote)
>>> row["credit"], row["charge"], row["net"], row["currency"]
(Decimal('76.67'), Decimal('150.00'), Decimal('73.33'), 'USD')
>>> [line["kind"] for line in line_records(quote)]
['unused-time', 'remaining-time']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# The records' annotations are read at run time (typing.get_type_hints).
from datetime import datetime  # noqa: TC003
from decimal import Decimal  # noqa: TC003
from fractions import Fraction  # noqa: TC003
from typing import TYPE_CHECKING, TypedDict

from prorata._invoice import Invoice
from prorata._invoice_lines import InvoiceLine
from prorata._pricing import ProrationLine
from prorata._proration import Proration, Timeline
from prorata.errors import ArgumentTypeError, MissingDependencyError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "InvoiceRecord",
    "LineRecord",
    "QuoteRecord",
    "invoice_record",
    "line_record",
    "line_records",
    "quote_record",
    "to_frame",
]


class QuoteRecord(TypedDict):
    """One priced plan change: who, when, and its three amounts."""

    old_plan: str
    new_plan: str
    direction: str
    at: datetime
    period_start: datetime
    period_end: datetime
    currency: str
    credit: Decimal
    charge: Decimal
    net: Decimal
    period_cost: Decimal
    policy: str


class LineRecord(TypedDict):
    """One line of a quote, a timeline or an invoice."""

    kind: str
    description: str
    product: str | None
    quantity: int
    start: datetime
    end: datetime
    currency: str
    amount: Decimal
    exact: Fraction
    calculation: str


class InvoiceRecord(TypedDict):
    """One invoice: its dates, totals and the balances around it."""

    issued_at: datetime
    calculated_at: datetime
    currency: str
    line_count: int
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    credit_balance_before: Decimal
    credit_applied: Decimal
    amount_due: Decimal
    refund: Decimal
    credit_balance_after: Decimal
    forfeited: Decimal
    prepaid_balance_before: Decimal
    prepaid_applied: Decimal
    prepaid_balance_after: Decimal


def quote_record(quote: Proration) -> QuoteRecord:
    """The flat record of a priced change.

    Raises:
        ArgumentTypeError: ``quote`` is not a :class:`Proration`.
    """
    if not isinstance(quote, Proration):
        raise ArgumentTypeError("quote", quote, "a Proration")
    change = quote.change
    return QuoteRecord(
        old_plan=change.old.id,
        new_plan=change.new.id,
        direction=change.direction.value,
        at=change.at,
        period_start=quote.period.start,
        period_end=quote.period.end,
        currency=quote.net.currency,
        credit=quote.credit.amount,
        charge=quote.charge.amount,
        net=quote.net.amount,
        period_cost=quote.period_cost.amount,
        policy=quote.policy.describe(),
    )


def invoice_record(invoice: Invoice) -> InvoiceRecord:
    """The flat record of an invoice (its lines by :func:`line_records`).

    Raises:
        ArgumentTypeError: ``invoice`` is not an :class:`Invoice`.
    """
    if not isinstance(invoice, Invoice):
        raise ArgumentTypeError("invoice", invoice, "an Invoice")
    return InvoiceRecord(
        issued_at=invoice.issued_at,
        calculated_at=invoice.calculated_at,
        currency=invoice.subtotal.currency,
        line_count=len(invoice.lines),
        subtotal=invoice.subtotal.amount,
        tax=invoice.tax.amount,
        total=invoice.total.amount,
        credit_balance_before=invoice.credit_balance_before.amount,
        credit_applied=invoice.credit_applied.amount,
        amount_due=invoice.amount_due.amount,
        refund=invoice.refund.amount,
        credit_balance_after=invoice.credit_balance_after.amount,
        forfeited=invoice.forfeited.amount,
        prepaid_balance_before=invoice.prepaid_balance_before.amount,
        prepaid_applied=invoice.prepaid_applied.amount,
        prepaid_balance_after=invoice.prepaid_balance_after.amount,
    )


def line_record(line: ProrationLine | InvoiceLine) -> LineRecord:
    """The flat record of one line."""
    if isinstance(line, ProrationLine):
        product: str | None = line.plan.id
        exact = line.exact
    else:
        product = None if line.product is None else line.product.id
        exact = line.precise
    return LineRecord(
        kind=line.kind.value,
        description=line.description,
        product=product,
        quantity=line.quantity,
        start=line.start,
        end=line.end,
        currency=line.amount.currency,
        amount=line.amount.amount,
        exact=exact,
        calculation=line.calculation,
    )


def line_records(result: Proration | Timeline | Invoice) -> list[LineRecord]:
    """The flat records of a result's lines, in order.

    Raises:
        ArgumentTypeError: ``result`` is not a proration, a timeline or an
            invoice.
    """
    if not isinstance(result, Proration | Timeline | Invoice):
        raise ArgumentTypeError(
            "result", result, "a Proration, a Timeline or an Invoice"
        )
    return [line_record(line) for line in result.lines]


_Row = QuoteRecord | InvoiceRecord | LineRecord


def _row(item: object) -> _Row | Mapping[str, object]:
    """The record of one item of :func:`to_frame`."""
    if isinstance(item, Proration):
        return quote_record(item)
    if isinstance(item, Invoice):
        return invoice_record(item)
    if isinstance(item, ProrationLine | InvoiceLine):
        return line_record(item)
    if isinstance(item, Mapping):
        return item
    raise ArgumentTypeError(
        "item",
        item,
        "a Proration, an Invoice, a line or a record (a dict)",
    )


def to_frame(
    items: Iterable[Proration | Invoice | ProrationLine | InvoiceLine]
    | Iterable[Mapping[str, object]],
) -> pd.DataFrame:
    """A pandas DataFrame with one row per item, columns as the records'.

    Quotes become :class:`QuoteRecord` rows, invoices
    :class:`InvoiceRecord` rows, lines :class:`LineRecord` rows; records
    (dicts) are taken as they are. Amounts stay ``Decimal`` (an ``object``
    column), exactly.

    Raises:
        MissingDependencyError: pandas is not installed.
        ArgumentTypeError: ``items`` is not iterable, an item is none of
            those, or the items are of different kinds.
    """
    try:
        import pandas as pd  # noqa: PLC0415 - an optional dependency
    except ImportError:
        raise MissingDependencyError("pandas", "to_frame", "pandas") from None
    if not isinstance(items, Iterable) or isinstance(items, str | Mapping):
        raise ArgumentTypeError("items", items, "an iterable of results")
    rows = [_row(item) for item in items]
    kinds = {frozenset(row) for row in rows}
    if len(kinds) > 1:
        raise ArgumentTypeError(
            "items", items, "results of one kind (quotes, invoices or lines)"
        )
    return pd.DataFrame.from_records(rows)
