"""The SVG timeline of a billing period (#18).

Positions are checked against arithmetic done here: the axis runs from
x = 24 to x = 696 (672 units), so a change 10 days into a 30-day June
stands at 24 + 672 x 10 / 30 = 248.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from prorata import (
    BillingPeriod,
    PlanChange,
    Subscription,
    builtin_catalog,
    presets,
    prorate_timeline,
)
from prorata._picture import Bar, Mark, timeline_svg

JUNE = datetime(2024, 6, 1, tzinfo=UTC)
JULY = datetime(2024, 7, 1, tzinfo=UTC)
CATALOG = builtin_catalog()


def _texts(svg: str, kind: str) -> list[str]:
    return re.findall(rf'<text class="{kind}"[^>]*>([^<]*)</text>', svg)


def test_a_change_stands_where_its_instant_is() -> None:
    """The dashed line and the bars' edges at 248, the axis 24 to 696."""
    change = JUNE + timedelta(days=10)
    svg = timeline_svg(
        "June",
        (JUNE, JULY),
        [Bar("A", JUNE, change), Bar("B", change, JULY)],
        [Mark(change, "-> B", change=True)],
    )
    assert '<line x1="248" y1="34" x2="248"' in svg
    assert '<rect x="24" y="40" width="224"' in svg  # 248 - 24
    assert '<rect x="248" y="40" width="448"' in svg  # 696 - 248
    assert _texts(svg, "axis-label") == [
        "2024-06-01",
        "2024-07-01",
        "2024-06-11",
    ]
    assert _texts(svg, "axis-title") == ["time (UTC)"]
    assert _texts(svg, "title") == ["June"]


def test_text_is_escaped_and_moments_outside_are_clamped() -> None:
    """A label with markup is text; a mark before the span sits at its
    start."""
    svg = timeline_svg(
        "<b>x</b>",
        (JUNE, JULY),
        [Bar("a & b", JUNE, JULY, "<i>")],
        [Mark(JUNE - timedelta(days=3), "early")],
    )
    assert "<b>" not in svg
    assert "&lt;b&gt;x&lt;/b&gt;" in svg
    assert "a &amp; b" in svg
    assert "&lt;i&gt;" in svg
    assert 'd="M24 ' in svg  # the usage mark at the axis's start


def test_every_coordinate_is_a_whole_number() -> None:
    """Drawn from whole seconds: no decimal point in any coordinate, in a
    period that crosses a change of summer time."""
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2024, 3, 15, tzinfo=berlin)
    end = datetime(2024, 4, 15, tzinfo=berlin)
    svg = timeline_svg(
        "March", (start, end), [Bar("A", start, end)], [Mark(start, "u")]
    )
    named = r'\s(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"'
    numbers = re.findall(named, svg)
    assert numbers
    assert all(re.fullmatch(r"-?[0-9]+", n) for n in numbers), numbers


def test_a_timeline_shows_each_changes_credit_and_charge() -> None:
    """The hosting page's upgrade on day 11: Business 1 is credited
    -$76.67 where it ends, Business 2 charged $150.00 where it starts."""
    period = BillingPeriod.of_days(JUNE, 30)
    b1, b2 = CATALOG["business-1"], CATALOG["business-2"]
    timeline = prorate_timeline(
        b1,
        [PlanChange(b1, b2, at=JUNE + timedelta(days=10))],
        period,
        presets.HOSTING_PAGE,
    )
    html = timeline._repr_html_()
    svg = html[: html.index("</svg>")]
    assert "used $38.33, credit -$76.67" in svg
    assert "used $150.00, charge $150.00" in svg
    assert "-&gt; Business 2" in svg


def test_a_subscription_shows_its_period_changes_and_usage() -> None:
    """Plans in force, the change, a usage mark, what each plan is billed
    on the next invoice."""
    sub, _ = Subscription.start(CATALOG["starter"], JUNE)
    sub = sub.record_usage("visits", 60_000, JUNE + timedelta(days=4))
    sub, _ = sub.change_plan(CATALOG["pro"], JUNE + timedelta(days=12))
    html = sub._repr_html_()
    assert html.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'class="change"' in html
    assert 'class="usage"' in html
    assert "60,000 visits" in html
    assert "credit -$" in html
    assert "charge $" in html
    assert _texts(html, "axis-label")[:2] == ["2024-06-01", "2024-07-01"]


def test_an_invoice_draws_a_row_a_line() -> None:
    """An invoice's lines, each a bar of its own row."""
    sub, _ = Subscription.start(CATALOG["starter"], JUNE)
    sub, _ = sub.change_plan(CATALOG["pro"], JUNE + timedelta(days=12))
    _, invoice = sub.bill()
    html = invoice._repr_html_()
    svg = html[: html.index("</svg>")]
    rows = set(re.findall(r'<rect x="[0-9]+" y="([0-9]+)"', svg))
    assert len(rows) == len(invoice.lines)
    assert "Credit balance carried forward" in html
