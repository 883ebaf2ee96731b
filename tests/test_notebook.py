"""The example notebook runs from top to bottom (#6).

Its code cells are executed in order in one namespace, as a kernel would,
without Jupyter: the notebook needs nothing beyond prorata.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from tests.common import run_notebook


def test_notebook_runs_and_shows_the_page_figure() -> None:
    """Every cell runs; day 10 is the page's $73.33; the net never grows as
    the change moves later; the plot is an SVG with a bar a day."""
    namespace, printed = run_notebook()
    nets = namespace["nets"]
    assert isinstance(nets, list)
    assert [str(n) for n in nets][10] == "$73.33"
    assert all(a >= b for a, b in itertools.pairwise(nets))
    svg = namespace["svg"]
    assert isinstance(svg, str)
    assert svg.startswith("<svg")
    assert svg.count("<rect") == 30
    assert "30 bars" in printed
    by_preset = namespace["by_preset"]
    assert isinstance(by_preset, dict)
    assert by_preset["stripe-classic"] == "$71.50"  # 0.65 x (225 - 115)
    assert Decimal(by_preset["hosting-page"].removeprefix("$")) > 0


def test_results_render_as_tables() -> None:
    """Prorations show as an HTML table in a notebook."""
    namespace, _ = run_notebook()
    q = namespace["q"]
    html = q._repr_html_()  # type: ignore[attr-defined]
    assert html.startswith("<table>")
    assert "-$76.67" in html
    assert "&gt;" in html  # the arrow in the caption is escaped


def test_results_have_readable_reprs() -> None:
    """A result's repr is one line with what matters, not a nested dump."""
    namespace, _ = run_notebook()
    q = namespace["q"]
    text = repr(q)
    assert "\n" not in text
    assert len(text) < 200
    assert "net $73.33" in text
    assert repr(q.lines[0]) == (  # type: ignore[attr-defined]
        "<ProrationLine unused-time: Unused time on Business 1 (20 days) = "
        "-$76.67>"
    )
