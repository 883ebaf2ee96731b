"""Explanations: the text and HTML a result renders when it is read.

The results (:class:`~prorata.Proration`, :class:`~prorata.Timeline`,
:class:`~prorata.Invoice`, :class:`~prorata.ChangeOutcome`) store values:
lines, amounts, moments. Their ``explain()`` and ``_repr_html_()`` call the
functions here, which read those values through the protocols below, so
rendering needs nothing from the layers that compute the results.
"""

from __future__ import annotations

from datetime import UTC
from html import escape
from typing import TYPE_CHECKING, Protocol

from prorata._picture import Bar, Mark, timeline_svg
from prorata._policy import RoundingStage

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from prorata._money import Money
    from prorata._period import BillingPeriod
    from prorata._plan import AllowanceCarry, Plan, PlanChange
    from prorata._policy import ProrationPolicy
    from prorata._pricing import ProrationLine

__all__ = [
    "invoice_html",
    "invoice_text",
    "outcome_text",
    "proration_html",
    "proration_text",
    "timeline_html",
    "timeline_text",
]


class ChangeView(Protocol):
    """What a priced change shows: a :class:`~prorata.Proration`."""

    @property
    def change(self) -> PlanChange: ...
    @property
    def period(self) -> BillingPeriod: ...
    @property
    def policy(self) -> ProrationPolicy: ...
    @property
    def lines(self) -> tuple[ProrationLine, ...]: ...
    @property
    def net(self) -> Money: ...
    @property
    def used(self) -> ProrationLine: ...
    @property
    def period_cost(self) -> Money: ...
    @property
    def credit(self) -> Money: ...
    @property
    def charge(self) -> Money: ...


class _TimelineView(Protocol):
    @property
    def plan(self) -> Plan: ...
    @property
    def period(self) -> BillingPeriod: ...
    @property
    def policy(self) -> ProrationPolicy: ...
    @property
    def prorations(self) -> Sequence[ChangeView]: ...
    @property
    def lines(self) -> tuple[ProrationLine, ...]: ...
    @property
    def net(self) -> Money: ...
    @property
    def segments(self) -> Sequence[ProrationLine]: ...
    @property
    def period_cost(self) -> Money: ...


class _LineView(Protocol):
    @property
    def description(self) -> str: ...
    @property
    def calculation(self) -> str: ...
    @property
    def amount(self) -> Money: ...
    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...


class _TaxView(Protocol):
    @property
    def rate(self) -> object: ...
    @property
    def taxable(self) -> Money: ...
    @property
    def amount(self) -> Money: ...


class _InvoiceView(Protocol):
    @property
    def issued_at(self) -> datetime: ...
    @property
    def calculated_at(self) -> datetime: ...
    @property
    def lines(self) -> Sequence[_LineView]: ...
    @property
    def subtotal(self) -> Money: ...
    @property
    def credit_balance_before(self) -> Money: ...
    @property
    def credit_applied(self) -> Money: ...
    @property
    def amount_due(self) -> Money: ...
    @property
    def refund(self) -> Money: ...
    @property
    def credit_balance_after(self) -> Money: ...
    @property
    def forfeited(self) -> Money: ...
    @property
    def prepaid_balance_before(self) -> Money: ...
    @property
    def prepaid_applied(self) -> Money: ...
    @property
    def prepaid_balance_after(self) -> Money: ...
    @property
    def taxes(self) -> Sequence[_TaxView]: ...
    @property
    def total(self) -> Money: ...


def html_table(
    caption: str,
    rows: list[tuple[str, str, str]],
    *totals: tuple[str, str],
) -> str:
    """Render lines as a small HTML table: what, how, amount; then totals.

    Every text is escaped; amounts are right-aligned.
    """
    cells = "".join(
        f"<tr><td>{escape(what)}</td><td><code>{escape(how)}</code></td>"
        f'<td style="text-align:right">{escape(amount)}</td></tr>'
        for what, how, amount in rows
    )
    closing = "".join(
        f'<tr><th colspan="2" style="text-align:left">{escape(label)}</th>'
        f'<th style="text-align:right">{escape(amount)}</th></tr>'
        for label, amount in totals
    )
    return (
        f"<table><caption>{escape(caption)}</caption>"
        "<tr><th>line</th><th>calculation</th><th>amount</th></tr>"
        f"{cells}{closing}</table>"
    )


def _rows(lines: Sequence[_LineView]) -> list[tuple[str, str, str]]:
    return [(x.description, x.calculation, str(x.amount)) for x in lines]


def _period_line(period: BillingPeriod, policy: ProrationPolicy) -> str:
    return (
        f"Period {period.start.isoformat(sep=' ')} to "
        f"{period.end.isoformat(sep=' ')}; {policy.describe()}"
    )


def _lines_block(lines: Sequence[ProrationLine]) -> list[str]:
    out: list[str] = []
    for line in lines:
        out.extend((str(line), f"    {line.calculation}"))
    return out


def _heading(change: PlanChange) -> str:
    return (
        f"{change.old.name} -> {change.new.name} ({change.direction}) "
        f"at {change.at.isoformat(sep=' ')}"
    )


def proration_text(proration: ChangeView) -> str:
    """A change the way the hosting page's "Calculation" writes it."""
    total = f"Total: {proration.net}"
    if proration.policy.rounding_stage is RoundingStage.NET:
        total += " (the exact net, rounded once)"
    used = proration.used
    return "\n".join(
        [
            _heading(proration.change),
            _period_line(proration.period, proration.policy),
            *_lines_block(proration.lines),
            total,
            f"{used} ({used.calculation}, paid in advance)",
            f"Period cost with the change: {proration.period_cost}",
        ]
    )


def proration_html(proration: ChangeView) -> str:
    """A change as a notebook table: each line, its calculation, the net."""
    change = proration.change
    return html_table(
        f"{change.old.name} -> {change.new.name} at "
        f"{change.at.isoformat(sep=' ')}",
        _rows(proration.lines),
        ("Total", str(proration.net)),
    )


def timeline_text(timeline: _TimelineView) -> str:
    """Every change, then the period's segments and totals."""
    out = [
        f"Starting on {timeline.plan.name}",
        _period_line(timeline.period, timeline.policy),
    ]
    for proration in timeline.prorations:
        out.append(f"-- {_heading(proration.change)}")
        out.extend(_lines_block(proration.lines))
        total = f"Total: {proration.net}"
        if timeline.policy.rounding_stage is RoundingStage.NET:
            total += " (the exact net, rounded once)"
        out.append(total)
    out.append(f"Net of all changes: {timeline.net}")
    out.extend(
        f"{segment} ({segment.calculation})" for segment in timeline.segments
    )
    out.append(f"Period cost with the changes: {timeline.period_cost}")
    return "\n".join(out)


def timeline_html(timeline: _TimelineView) -> str:
    """A timeline for notebooks: its picture, then every change's lines."""
    return timeline_picture(timeline) + html_table(
        f"Starting on {timeline.plan.name}",
        _rows(timeline.lines),
        ("Net of all changes", str(timeline.net)),
    )


def timeline_picture(timeline: _TimelineView) -> str:
    """The period's plans on a time axis, as an SVG.

    Each plan's used time, the credit of the change that ends it and the
    charge of the one that starts it.
    """
    bars = []
    for segment in timeline.segments:
        notes = [f"used {segment.amount}"]
        for proration in timeline.prorations:
            if proration.change.at == segment.start:
                notes.append(f"charge {proration.charge}")
            if proration.change.at == segment.end:
                notes.append(f"credit -{proration.credit}")
        bars.append(
            Bar(
                segment.plan.name, segment.start, segment.end, ", ".join(notes)
            )
        )
    period = timeline.period
    marks = [
        Mark(p.change.at, f"-> {p.change.new.name}", change=True)
        for p in timeline.prorations
    ]
    return timeline_svg(
        f"{timeline.plan.name}, {_day(period.start)} to {_day(period.end)}: "
        f"net {timeline.net}",
        (period.start, period.end),
        bars,
        marks,
    )


def _day(moment: datetime) -> str:
    return moment.date().isoformat()


def invoice_text(invoice: _InvoiceView) -> str:
    """Each line with its calculation, then the totals and the balance."""
    out = [f"Invoice of {invoice.issued_at.isoformat(sep=' ')}"]
    if invoice.calculated_at != invoice.issued_at:
        out[0] += f" (calculated {invoice.calculated_at.isoformat(sep=' ')})"
    for line in invoice.lines:
        out.extend((str(line), f"    {line.calculation}"))
    out.append(f"Total: {invoice.subtotal}")
    if invoice.taxes:
        out.extend(f"Tax: {tax}" for tax in invoice.taxes)
        out.append(f"Total with tax: {invoice.total}")
    if invoice.credit_applied:
        out.append(
            f"Credit balance applied: -{invoice.credit_applied} "
            f"(of {invoice.credit_balance_before})"
        )
    if invoice.prepaid_applied:
        out.append(
            f"Prepaid credit applied: -{invoice.prepaid_applied} "
            f"(of {invoice.prepaid_balance_before})"
        )
    out.append(f"Amount due: {invoice.amount_due}")
    if invoice.refund:
        out.append(f"Refunded: {invoice.refund}")
    if invoice.forfeited:
        out.append(f"Credit balance forfeited: {invoice.forfeited}")
    out.append(
        f"Credit balance carried forward: {invoice.credit_balance_after}"
    )
    if invoice.prepaid_balance_before or invoice.prepaid_balance_after:
        out.append(
            f"Prepaid credit carried forward: {invoice.prepaid_balance_after}"
        )
    return "\n".join(out)


def invoice_html(invoice: _InvoiceView) -> str:
    """An invoice as a notebook table: each line, the amount due."""
    rows = _rows(invoice.lines)
    rows.extend(
        (f"Tax: {tax.rate}", f"on {tax.taxable}", str(tax.amount))
        for tax in invoice.taxes
    )
    if invoice.credit_applied:
        rows.append(
            ("Credit balance applied", "", str(-invoice.credit_applied))
        )
    if invoice.prepaid_applied:
        rows.append(
            ("Prepaid credit applied", "", str(-invoice.prepaid_applied))
        )
    totals = [("Amount due", str(invoice.amount_due))]
    if invoice.refund:
        totals.append(("Refunded", str(invoice.refund)))
    if invoice.forfeited:
        totals.append(("Credit balance forfeited", str(invoice.forfeited)))
    totals.append(
        ("Credit balance carried forward", str(invoice.credit_balance_after))
    )
    if invoice.prepaid_balance_before or invoice.prepaid_balance_after:
        totals.append(
            (
                "Prepaid credit carried forward",
                str(invoice.prepaid_balance_after),
            )
        )
    return invoice_picture(invoice) + html_table(
        f"Invoice of {invoice.issued_at.isoformat(sep=' ')}", rows, *totals
    )


def invoice_picture(invoice: _InvoiceView) -> str:
    """Each line of an invoice as a bar over the time it bills, as an SVG.

    One row a line (the first twelve), from the earliest start to the
    latest end.
    """
    lines = list(invoice.lines)
    if not lines:
        return ""
    start = min((line.start for line in lines), key=_utc)
    end = max((line.end for line in lines), key=_utc)
    if _utc(end) <= _utc(start):  # lines of one instant: no time to draw
        return ""
    bars = [
        Bar(line.description, line.start, line.end, str(line.amount), row)
        for row, line in enumerate(lines)
    ]
    return timeline_svg(
        f"Invoice of {_day(invoice.issued_at)}: due {invoice.amount_due}",
        (start, end),
        bars,
    )


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def outcome_text(
    proration: ChangeView,
    allowances: Sequence[AllowanceCarry],
    settlement: str,
    reason: str,
) -> str:
    """A change's explanation, the allowances carried, how it is billed."""
    out = [proration_text(proration)]
    out.extend(
        f"{carry.metric}: {carry.used} used, {carry.available_before} "
        f"available before, {carry.available_after} after "
        f"({carry.delta:+d})"
        for carry in allowances
    )
    out.append(f"Billed: {settlement}, {reason}")
    return "\n".join(out)
