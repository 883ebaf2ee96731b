"""The picture of a billing period: an SVG timeline, drawn by hand.

Plan segments are bars on a time axis, from the period's start to its end,
with the dates under the axis; each change is a dashed line at its instant,
each usage record a mark; every bar names its plan and what it was credited
or charged. Rows stack bars that overlap (an invoice's lines). Coordinates
are whole numbers computed from whole seconds: no float enters, and the
same period always draws the same picture. Every text is escaped; the SVG
needs no script, style sheet or font beyond the page's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Bar", "Mark", "timeline_svg"]

_WIDTH: Final = 720
_LEFT: Final = 24
_RIGHT: Final = 24
_TOP: Final = 40
_ROW: Final = 46
_ROWS: Final = 12
_FILLS: Final = ("#cfe3f6", "#f7dcc4", "#d7efd3", "#e6d9f2")


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: a label over ``[start, end)``, a note under it, a row."""

    label: str
    start: datetime
    end: datetime
    note: str = ""
    row: int = 0


@dataclass(frozen=True, slots=True)
class Mark:
    """A moment on the axis: a change (dashed line) or a usage record."""

    at: datetime
    label: str
    change: bool = False


def _seconds(moment: datetime, origin: datetime) -> int:
    span = moment.astimezone(UTC) - origin.astimezone(UTC)
    return span.days * 86_400 + span.seconds


def _day(moment: datetime) -> str:
    return moment.date().isoformat()


def _bar(bar: Bar, fill: str, left: int, right: int) -> str:
    """One bar: its rectangle, its label, its note, its span on hover."""
    top = _TOP + bar.row * _ROW
    return (
        f'<g class="segment"><title>{escape(bar.label)}: '
        f"{escape(bar.start.isoformat(sep=' '))} to "
        f"{escape(bar.end.isoformat(sep=' '))}</title>"
        f'<rect x="{left}" y="{top}" width="{max(right - left, 1)}" '
        f'height="{_ROW - 8}" fill="{fill}" stroke="#555"/>'
        f'<text x="{left + 4}" y="{top + 15}">{escape(bar.label)}</text>'
        f'<text class="note" x="{left + 4}" y="{top + 30}">'
        f"{escape(bar.note)}</text></g>"
    )


def _mark(mark: Mark, at: int, axis: int) -> str:
    """A change's dashed line and name, or a usage record's mark."""
    if mark.change:
        return (
            f'<g class="change"><line x1="{at}" y1="{_TOP - 6}" '
            f'x2="{at}" y2="{axis}" stroke="#b00" stroke-dasharray="4 3"/>'
            f'<text x="{at + 3}" y="{_TOP - 8}" fill="#b00">'
            f"{escape(mark.label)}</text></g>"
        )
    return (
        f'<g class="usage"><title>{escape(mark.label)}</title>'
        f'<path d="M{at} {axis - 2} l-5 -9 h10 z" fill="#333"/>'
        f'<text x="{at + 7}" y="{axis - 3}" font-size="9">'
        f"{escape(mark.label)}</text></g>"
    )


def _axis(ticks: dict[str, int], axis: int, zone: str) -> str:
    """The time axis: its line, a tick and a date at each tick, a title."""
    line = (
        f'<line class="axis" x1="{_LEFT}" y1="{axis}" '
        f'x2="{_WIDTH - _RIGHT}" y2="{axis}" stroke="#000"/>'
    )
    parts = [line]
    for label, at in ticks.items():
        anchor = "end" if at >= _WIDTH - _RIGHT - 40 else "start"
        parts.append(
            f'<line x1="{at}" y1="{axis}" x2="{at}" y2="{axis + 5}" '
            'stroke="#000"/>'
            f'<text class="axis-label" x="{at}" y="{axis + 18}" '
            f'text-anchor="{anchor}">{escape(label)}</text>'
        )
    parts.append(
        f'<text class="axis-title" x="{_WIDTH // 2}" y="{axis + 36}" '
        f'text-anchor="middle">time ({escape(zone)})</text></svg>'
    )
    return "".join(parts)


def timeline_svg(
    title: str,
    span: tuple[datetime, datetime],
    bars: Sequence[Bar],
    marks: Sequence[Mark] = (),
) -> str:
    """The SVG of ``bars`` and ``marks`` over ``span``, titled.

    >>> from datetime import UTC, datetime
    >>> june, july = (datetime(2024, 6, 1, tzinfo=UTC),
    ...               datetime(2024, 7, 1, tzinfo=UTC))
    >>> svg = timeline_svg("June", (june, july), [Bar("Pro", june, july)])
    >>> svg.startswith("<svg"), svg.count("axis-label")
    (True, 2)
    """
    start, end = span
    total = max(_seconds(end, start), 1)
    inner = _WIDTH - _LEFT - _RIGHT

    def x(moment: datetime) -> int:
        offset = min(max(_seconds(moment, start), 0), total)
        return _LEFT + inner * offset // total

    rows = min(max((bar.row for bar in bars), default=0) + 1, _ROWS)
    axis = _TOP + rows * _ROW + 8
    height = axis + 44
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="prorata-timeline" '
        f'width="{_WIDTH}" height="{height}" '
        f'viewBox="0 0 {_WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" font-family="sans-serif" '
        f'font-size="11"><title>{escape(title)}</title>'
        f'<text class="title" x="{_LEFT}" y="20" font-size="14" '
        f'font-weight="bold">{escape(title)}</text>'
    )
    parts = [head]
    parts += [
        _bar(bar, _FILLS[index % len(_FILLS)], x(bar.start), x(bar.end))
        for index, bar in enumerate(bars)
        if bar.row < _ROWS
    ]
    parts += [_mark(mark, x(mark.at), axis) for mark in marks]
    ticks = {_day(start): x(start), _day(end): x(end)}
    for mark in marks:
        if mark.change:
            ticks.setdefault(_day(mark.at), x(mark.at))
    parts.append(_axis(ticks, axis, start.tzname() or "UTC"))
    return "".join(parts)
