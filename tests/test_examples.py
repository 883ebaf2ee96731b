"""The scripts in examples/ run and print what their .out files say."""

from __future__ import annotations

import contextlib
import io
import runpy
import sys
from pathlib import Path

import pytest

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
