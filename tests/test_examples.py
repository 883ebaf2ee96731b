"""The examples/ folder: each script prints what its .out file says, and
the notebook runs from top to bottom (#6).

The notebook's code cells are executed in order in one namespace, as a
kernel would, without Jupyter: it needs nothing beyond prorata.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import runpy
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.common import run_notebook

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_prints_its_expected_output(
    script: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each example's output matches the stored expectation, line by line."""
    expected = script.with_suffix(".out").read_text(encoding="utf-8")
    monkeypatch.setattr(sys, "argv", [str(script)])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(str(script), run_name="__main__")
    assert out.getvalue() == expected


def test_there_are_examples() -> None:
    """The folder is not silently empty."""
    assert EXAMPLES


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
