"""The prorata command line, tried as a new user would (#6)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

QUOTE = [
    "quote",
    "--from",
    "business-1",
    "--to",
    "business-2",
    "--period-start",
    "2024-06-01",
    "--at",
    "2024-06-11",
    "--basis",
    "thirty-day-month",
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "prorata", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_quote_explains_the_page_example() -> None:
    """The hosting page's 76.67 / 150.00 / 73.33, with its calculations."""
    result = run(*QUOTE)
    assert result.returncode == 0, result.stderr
    assert "Unused time on Business 1 (20 days) = -$76.67" in result.stdout
    assert "Remaining time on Business 2 (20 days) = $150.00" in result.stdout
    assert "Total: $73.33" in result.stdout


def test_quote_json_parses() -> None:
    """--json prints one JSON document with amounts as strings."""
    result = run(*QUOTE, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["credit"], data["charge"], data["net"]) == (
        "76.67",
        "150.00",
        "73.33",
    )
    assert data["lines"][0]["exact"] == "-230/3"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (["--at", "2024-06-31"], "'2024-06-31' is not an ISO 8601"),
        (["--to", "platinum"], "plan 'platinum' is not in"),
        (["--to", "enterprise"], "is not self-serve"),
    ],
    ids=["bad-date", "unknown-plan", "refused-change"],
)
def test_errors_are_one_line_and_exit_1(change: list[str], says: str) -> None:
    """Bad input and refused changes: one line on stderr, exit code 1."""
    args = list(QUOTE)
    flag, value = change
    args[args.index(flag) + 1] = value
    result = run(*args)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("prorata: error: ")
    assert says in lines[0]


def test_bad_usage_exits_2() -> None:
    """A missing argument is a usage error."""
    result = run("quote", "--from", "business-1")
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_invoice_previews_the_next_invoice() -> None:
    """Starter -> Business 1 on day 30 with 100,000 visits: $192.66."""
    result = run(
        "invoice",
        "--plan",
        "starter",
        "--start",
        "2024-06-01",
        "--usage",
        "visits=100000@2024-06-29",
        "--change",
        "business-1@2024-06-30",
        "--basis",
        "daily-rate",
        "--threshold",
        "100",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["next_invoice"]["amount_due"] == "192.66"
    kinds = [line["kind"] for line in data["next_invoice"]["lines"]]
    assert kinds == [
        "unused-time",
        "remaining-time",
        "subscription",
        "overage",
    ]


def test_demo_json() -> None:
    """demo --json lists every worked example with its source."""
    result = run("demo", "--json")
    examples = json.loads(result.stdout)
    assert len(examples) >= 8
    assert all("source" in example for example in examples)


def test_preset_option() -> None:
    """--preset picks a named convention."""
    result = run(*QUOTE[:-2], "--preset", "kill-bill-fixed-30", "--json")
    assert json.loads(result.stdout)["net"] == "73.33"
