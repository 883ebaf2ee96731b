"""The benchmark scripts still run (no timing is asserted here).

Speed is measured by the scripts under ``benchmarks/``, never in a test;
this only runs each one on a tiny input so that a change to the library
cannot leave them broken, and checks that each prints its figures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_bench_prorate_prints_every_ratio() -> None:
    out = run("bench_prorate.py", "--changes", "200", "--repeat", "2")
    assert "bare Decimal limit" in out
    assert "bare, in a call returning a Money" in out
    assert "prototype, credit, charge, net read" in out
    for read in ("net read", "credit, charge, net read", "every line built"):
        assert f"prorate, {read}" in out
    assert out.count("of the bare limit") == 5


@pytest.mark.parametrize("memory", [[], ["--traced"]], ids=["rss", "traced"])
def test_bench_billing_run_reports_each_size(memory: list[str]) -> None:
    out = run("bench_billing_run.py", "--sizes", "20", "40", *memory)
    assert "N=       20:" in out
    assert "N=       40:" in out
    assert "time x" in out


def test_bench_invoice_preview_prints_its_ratio() -> None:
    out = run(
        "bench_invoice_preview.py", "--subscriptions", "20", "--repeat", "1"
    )
    assert "preview_invoice()" in out
    assert "bill()" in out
    assert "floor prototype" in out
    assert "floor, no strings" in out
    assert out.count("ratio to the bare invoice:") == 4


def test_bench_growth_prints_its_three_ratios() -> None:
    out = run("bench_growth.py", "--scale", "0.05", "--rounds", "1")
    assert "change_plan, change" in out
    assert "bill(), " in out
    assert "prorate_timeline per change" in out
    assert out.count("x\n") == 3
