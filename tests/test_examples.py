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
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from prorata import presets
from tests.notebooks import NOTEBOOK, execute, to_html, written

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
    the change moves later; the chart is an SVG with a bar a day."""
    _, namespace = execute()
    nets = namespace["nets"]
    assert isinstance(nets, list)
    assert [str(n) for n in nets][10] == "$73.33"
    assert all(a >= b for a, b in itertools.pairwise(nets))
    svg = namespace["svg"]
    assert isinstance(svg, str)
    assert svg.startswith("<svg")
    assert svg.count("<rect") == 30
    by_preset = namespace["by_preset"]
    assert isinstance(by_preset, dict)
    assert by_preset["stripe-classic"] == "$71.50"  # 0.65 x (225 - 115)
    assert Decimal(by_preset["hosting-page"].removeprefix("$")) > 0


def test_notebook_frames_a_thousand_quotes_per_preset() -> None:
    """The DataFrame cell: 1,000 quotes under every preset, one frame."""
    _, namespace = execute()
    frame, quotes = namespace["frame"], namespace["quotes"]
    assert frame.shape == (1_000 * len(presets.PRESETS), 13)  # type: ignore[attr-defined]
    assert sum(frame["net"]) == sum(q.net.amount for q in quotes)  # type: ignore[index, attr-defined]


def test_the_shipped_notebook_holds_its_outputs() -> None:
    """examples/what_if.ipynb ships executed, with the outputs its cells
    give now (rewrite them with ``python -m tests.notebooks``)."""
    executed, _ = execute()
    assert NOTEBOOK.read_text(encoding="utf-8") == written(executed)
    outputs = [
        output
        for cell in executed["cells"]
        if cell["cell_type"] == "code"
        for output in cell["outputs"]
    ]
    html = "".join(
        "".join(output["data"].get("text/html", []))
        for output in outputs
        if output["output_type"] == "execute_result"
    )
    assert html.count('class="prorata-timeline"') == 2


# A script the rendered page runs: it reports what the browser built, and
# turns any error into a console message the test can see.
_PROBE = """<script>
window.addEventListener("error",
  e => console.error("page error: " + e.message));
document.addEventListener("DOMContentLoaded", () => {
  const timelines = [...document.querySelectorAll("svg.prorata-timeline")];
  const count = name => timelines.map(
    t => t.querySelectorAll(name).length).join(",");
  console.log("timelines=" + timelines.length + " labels="
              + count(".axis-label") + " titles=" + count(".axis-title"));
});
</script>"""


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, (
        "the notebook is checked in headless Chromium: apt-get install -y "
        "chromium (the README's second command does)"
    )
    return found


def test_the_notebook_renders_in_a_headless_browser(tmp_path: Path) -> None:
    """The executed notebook, as HTML, in headless Chromium: its timelines
    are drawn with their axis labels and axis titles, nothing raises on the
    page, and a screenshot is kept in build/test-artifacts/."""
    executed, _ = execute()
    page = tmp_path / "what_if.html"
    page.write_text(
        to_html(executed).replace("</body>", f"{_PROBE}</body>"),
        encoding="utf-8",
    )
    browser = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
    ]
    done = subprocess.run(
        [*browser, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    assert not [line for line in console if "error" in line.lower()], console
    (report,) = [line for line in console if "timelines=" in line]
    assert '"timelines=2 labels=3,4 titles=1,1"' in report, report
    assert done.stdout.count("<svg") >= 3  # the chart and two timelines
    artifacts = Path(__file__).parent.parent / "build" / "test-artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    shot = artifacts / "what_if.png"
    shot.unlink(missing_ok=True)
    done = subprocess.run(
        [
            *browser,
            "--window-size=1000,4000",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 50_000  # a page of text and pictures
