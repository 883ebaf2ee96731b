"""The example notebook runs from top to bottom (#6).

Its code cells are executed in order in one namespace, as a kernel would,
without Jupyter: the notebook needs nothing beyond prorata.
"""

from __future__ import annotations

from tests.common import run_notebook


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
