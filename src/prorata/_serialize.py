"""JSON-safe views of results: amounts as strings, datetimes as ISO 8601.

These are what ``prorata ... --json`` prints and what a service can send on:
every amount a decimal string in its currency's minor unit, every exact
value a fraction string (``"-230/3"``), every moment with its offset.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from datetime import datetime
    from fractions import Fraction

    from prorata._invoice import Invoice, InvoiceLine
    from prorata._money import Money
    from prorata._proration import Proration, ProrationLine

__all__ = ["JsonValue", "invoice_view", "proration_view"]

#: What the views are made of: JSON's own types.
JsonValue: TypeAlias = (
    "str | int | bool | list[JsonValue] | dict[str, JsonValue] | None"
)


def _amount(money: Money) -> str:
    return f"{money.amount:f}"


def _moment(moment: datetime) -> str:
    return moment.isoformat()


def _exact(value: Fraction | int) -> str:
    return str(value)


def _line(line: ProrationLine) -> dict[str, JsonValue]:
    return {
        "kind": line.kind.value,
        "description": line.description,
        "plan": line.plan.id,
        "quantity": line.quantity,
        "start": _moment(line.start),
        "end": _moment(line.end),
        "units": _exact(line.portion.units),
        "total_units": _exact(line.portion.total),
        "unit": line.portion.unit.value,
        "amount": _amount(line.amount),
        "exact": _exact(line.exact),
        "calculation": line.calculation,
    }


def proration_view(proration: Proration) -> dict[str, JsonValue]:
    """Return a JSON-safe view of a proration.

    >>> from datetime import UTC, datetime, timedelta
    >>> from prorata import BillingPeriod, Money, Plan, PlanChange, prorate
    >>> a = Plan(id="a", price=Money("10", "USD"))
    >>> b = Plan(id="b", price=Money("20", "USD"))
    >>> period = BillingPeriod.of_days(datetime(2024, 6, 1, tzinfo=UTC), 30)
    >>> view = proration_view(prorate(
    ...     PlanChange(a, b, at=period.start + timedelta(days=10)), period))
    >>> view["credit"], view["charge"], view["net"], view["currency"]
    ('6.67', '13.33', '6.66', 'USD')
    """
    change = proration.change
    return {
        "from": change.old.id,
        "to": change.new.id,
        "at": _moment(change.at),
        "direction": change.direction.value,
        "period_start": _moment(proration.period.start),
        "period_end": _moment(proration.period.end),
        "policy": proration.policy.describe(),
        "currency": proration.net.currency,
        "credit": _amount(proration.credit),
        "charge": _amount(proration.charge),
        "net": _amount(proration.net),
        "net_exact": _exact(proration.net_exact),
        "period_cost": _amount(proration.period_cost),
        "lines": [_line(line) for line in proration.lines],
        "used": _line(proration.used),
        "explanation": proration.explain(),
    }


def _invoice_line(line: InvoiceLine) -> dict[str, JsonValue]:
    return {
        "kind": line.kind.value,
        "description": line.description,
        "amount": _amount(line.amount),
        "start": _moment(line.start),
        "end": _moment(line.end),
        "calculation": line.calculation,
    }


def invoice_view(invoice: Invoice) -> dict[str, JsonValue]:
    """Return a JSON-safe view of an invoice."""
    return {
        "issued_at": _moment(invoice.issued_at),
        "calculated_at": _moment(invoice.calculated_at),
        "currency": invoice.subtotal.currency,
        "lines": [_invoice_line(line) for line in invoice.lines],
        "subtotal": _amount(invoice.subtotal),
        "credit_balance_before": _amount(invoice.credit_balance_before),
        "credit_applied": _amount(invoice.credit_applied),
        "amount_due": _amount(invoice.amount_due),
        "refund": _amount(invoice.refund),
        "credit_balance_after": _amount(invoice.credit_balance_after),
        "explanation": invoice.explain(),
    }
