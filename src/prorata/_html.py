"""Small HTML tables for notebooks (``_repr_html_``); imports nothing."""

from __future__ import annotations

from html import escape

__all__ = ["html_table"]


def html_table(
    caption: str, rows: list[tuple[str, str, str]], total: tuple[str, str]
) -> str:
    """Render lines as a small HTML table: what, how, amount; then a total.

    Every text is escaped; amounts are right-aligned.
    """
    cells = "".join(
        f"<tr><td>{escape(what)}</td><td><code>{escape(how)}</code></td>"
        f'<td style="text-align:right">{escape(amount)}</td></tr>'
        for what, how, amount in rows
    )
    label, amount = total
    return (
        f"<table><caption>{escape(caption)}</caption>"
        "<tr><th>line</th><th>calculation</th><th>amount</th></tr>"
        f'{cells}<tr><th colspan="2" style="text-align:left">'
        f'{escape(label)}</th><th style="text-align:right">'
        f"{escape(amount)}</th></tr></table>"
    )
