"""Fuzz the ``prorata`` command with random argv (#11).

The argv are built from the command's real parser (its commands, flags and
choices) and mixed with garbage: unicode digits that ``int()`` or
``Decimal`` would read, huge and negative numbers, empty and 300-character
strings, line breaks, dates at the years 1 and 9999, unknown flags. Every
run must end with exit code 0, 1 or 2, never a traceback, and a failure with
exactly one line on stderr, within a time limit.

Most argv go through ``prorata.__main__.main`` in-process (thousands, fast);
a few dozen through the installed ``prorata`` script, as a user would run
it, including ``prorata demo | head -1`` through a real pipe. ``CALLS``
counts both; the count is printed at the end of the module's tests.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prorata import builtin_catalog
from prorata.__main__ import _parser, main

if TYPE_CHECKING:
    from collections.abc import Iterator

CALLS: Final = {"in-process": 0, "subprocess": 0}
IN_PROCESS_LIMIT: Final = 5.0  # seconds for one in-process call
SUBPROCESS_LIMIT: Final = 30.0  # seconds for one run of the script


def _commands() -> dict[str, argparse.ArgumentParser]:
    for action in _parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("the parser has no commands")


COMMANDS: Final = _commands()
PLANS: Final = [plan.id for plan in builtin_catalog()]
ZONES: Final = ["UTC", "utc", "Europe/Berlin", "America/New_York"]

# Values a flag may be given: good ones, then every kind of garbage.
DATES: Final = [
    "2024-06-01",
    "2024-06-11",
    "2024-06-30",
    "2024-07-01",
    "2023-01-01",
    "2024-06-11T15:30:00+02:00",
    "2024-03-31T02:30:00",
    "20240611",
    "2024-W24-2",
]
EDGE_DATES: Final = [
    "0001-01-01",
    "0001-01-01T00:00:00+23:59",
    "0002-01-01",
    "0999-12-31",
    "1000-01-01",
    "8999-12-31",
    "9000-01-01",
    "9998-12-31",
    "9999-12-31",
    "9999-12-31T23:59:59.999999",
    "9999-12-31T23:59:59-23:59",
    "2024-02-30",
    "2024-06-01T24:00",
    "2024-06-01T00:00:00+25:00",
    "\uff12\uff10\uff12\uff14-06-01",
    "2024-06-0\u0661",
]
GARBAGE: Final = [
    "",
    " ",
    "\u00b2",
    "\u0663",
    "\uff11\uff12",
    "\u0967\u0966",
    "\U0001d7d9",
    "9" * 30,
    "9" * 5000,
    "-1",
    "-0",
    "+5",
    "1_000",
    " 5 ",
    "1.5",
    "1e3",
    "nan",
    "inf",
    "-inf",
    "0x10",
    "x" * 300,
    "2024-06-01" * 30,
    "a\nb",
    "a\rb",
    "\u2028",
    "\x85",
    "\t",
    "\udcff",
    "../../etc/passwd",
    "/",
    ".",
    "America",
    "Europe//Berlin",
    "zone1970.tab",
    "-",
    "--",
    "-h",
    "--at",
    "@",
    "=",
    "=@",
    "@@",
]
NUMBERS: Final = ["0", "1", "3", "30", "365", "3660", "3661", "007"]
AMOUNTS: Final = ["0", "100", "99.50", "100.001", "0.000001", "-5", "1e2"]
UNKNOWN_FLAGS: Final = ["--bogus", "-x", "--from-", "--json=1", "--tim"]

# No NUL: argv cannot hold one. No lone surrogates but the one
# surrogateescape produces for a byte that is not UTF-8 ("\udcff" above).
TEXT: Final = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=20,
)
GARBAGE_VALUES: Final = st.one_of(
    st.sampled_from(GARBAGE), st.sampled_from(EDGE_DATES), TEXT
)
MOMENTS: Final = st.one_of(st.sampled_from(DATES), GARBAGE_VALUES)


@st.composite
def usage_specs(draw: st.DrawFn) -> str:
    """``METRIC=QUANTITY@MOMENT``, each part good or garbage, or partial."""
    metric = draw(st.sampled_from(["visits", "storage", ""]) | TEXT)
    quantity = draw(st.sampled_from(["100000", "0", "3"]) | GARBAGE_VALUES)
    moment = draw(MOMENTS)
    shape = draw(st.sampled_from(["full", "no-at", "no-equals", "two-ats"]))
    if shape == "no-at":
        return f"{metric}={quantity}"
    if shape == "no-equals":
        return f"{metric}{quantity}@{moment}"
    if shape == "two-ats":
        return f"{metric}={quantity}@{moment}@{moment}"
    return f"{metric}={quantity}@{moment}"


@st.composite
def top_up_specs(draw: st.DrawFn) -> str:
    """``AMOUNT@MOMENT``, each part good or garbage, or no moment."""
    amount = draw(st.sampled_from(AMOUNTS) | GARBAGE_VALUES)
    if draw(st.booleans()):
        return amount
    return f"{amount}@{draw(MOMENTS)}"


@st.composite
def change_specs(draw: st.DrawFn) -> str:
    """``PLAN@MOMENT``, good or garbage."""
    plan = draw(st.sampled_from(PLANS) | GARBAGE_VALUES)
    if draw(st.booleans()):
        return plan
    return f"{plan}@{draw(MOMENTS)}"


# The flags whose value is a spec of parts, each part good or garbage.
SPECS: Final = {
    "--usage": usage_specs,
    "--change": change_specs,
    "--schedule": change_specs,
    "--top-up": top_up_specs,
}


def values_for(action: argparse.Action) -> st.SearchStrategy[str]:
    """The values to try for one flag: its own kinds, then garbage."""
    flag = action.option_strings[-1]
    good: st.SearchStrategy[str]
    if action.choices is not None:
        good = st.sampled_from(sorted(str(c) for c in action.choices))
    elif flag in {"--from", "--to", "--plan"}:
        good = st.sampled_from(PLANS)
    elif flag in {
        "--period-start",
        "--at",
        "--start",
        "--cancel",
        "--through",
        "--move-anchor",
    }:
        good = st.sampled_from(DATES)
    elif flag == "--timezone":
        good = st.sampled_from(ZONES)
    elif flag in {"--period-days", "--lead-days"}:
        good = st.sampled_from(NUMBERS)
    elif flag == "--threshold":
        good = st.sampled_from(AMOUNTS)
    elif flag in SPECS:
        good = SPECS[flag]()
    elif flag == "--catalog":
        good = st.sampled_from(
            ["examples/catalog.toml", "missing.toml", "pyproject.toml"]
        )
    else:
        raise AssertionError(f"no values for the new flag {flag}")
    return st.one_of(good, good, GARBAGE_VALUES)


def flag_args(draw: st.DrawFn, action: argparse.Action) -> list[str]:
    """Zero or more uses of one flag, mostly with values of its kind."""
    flag = draw(st.sampled_from(action.option_strings))
    if flag in {"-h", "--help"}:
        return [flag] if draw(st.integers(0, 40)) == 0 else []
    if draw(st.integers(0, 9)) >= (9 if action.required else 4):
        return []
    repeatable = action.option_strings in (
        ["--change"],
        ["--usage"],
        ["--top-up"],
    )
    used: list[str] = []
    for _ in range(draw(st.integers(1, 3 if repeatable else 1))):
        if action.nargs == 0:
            used.append(flag)
        elif draw(st.integers(0, 5)) == 0:
            used.append(f"{flag}={draw(values_for(action))}")
        else:
            used += [flag, draw(values_for(action))]
    return used


@st.composite
def argvs(draw: st.DrawFn, command: str | None = None) -> list[str]:
    """An argv for ``command`` (any, or garbage, when None)."""
    if command is None:
        command = draw(st.sampled_from([*COMMANDS, "", "bogus", "--help"]))
    argv = [command]
    if command not in COMMANDS:
        return argv + draw(st.lists(GARBAGE_VALUES, max_size=3))
    for action in COMMANDS[command]._actions:
        if action.option_strings:
            argv += flag_args(draw, action)
    if draw(st.integers(0, 5)) == 0:
        at = draw(st.integers(0, len(argv)))
        extra = draw(st.sampled_from(UNKNOWN_FLAGS) | GARBAGE_VALUES)
        argv.insert(at, extra)
    return argv


def check_outcome(argv: list[str], code: object, out: str, err: str) -> None:
    """The rules every run keeps, whatever its argv."""
    assert code in {0, 1, 2}, (argv, code, err)
    assert "Traceback" not in err, (argv, err)
    if code == 0:
        assert err == "", (argv, err)
        assert out, argv
    else:
        assert err.endswith("\n"), (argv, err)
        assert len(err.splitlines()) == 1, (argv, err)
        assert err.startswith("prorata"), (argv, err)
        assert ": error: " in err, (argv, err)
        assert out == "", (argv, out)


def call(argv: list[str]) -> tuple[object, str, str]:
    """Run ``main(argv)`` in-process, as the script would, and check it."""
    out, err = io.StringIO(), io.StringIO()
    began = time.perf_counter()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code: object = main(argv)
        except SystemExit as done:  # main returns its code; be sure of it
            code = done.code
    elapsed = time.perf_counter() - began
    CALLS["in-process"] += 1
    assert elapsed < IN_PROCESS_LIMIT, (argv, elapsed)
    check_outcome(argv, code, out.getvalue(), err.getvalue())
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module", autouse=True)
def _report(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    capture = plugins.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\nCLI fuzz calls: {CALLS['in-process']} in-process, "
                f"{CALLS['subprocess']} subprocess"
            )


def fuzz(examples: int) -> settings:
    """The profile's settings with this many examples, never too slow."""
    return settings(
        max_examples=examples,
        suppress_health_check=[HealthCheck.too_slow],
        deadline=None,
    )


@fuzz(2000)
@given(argvs("quote"))
def test_quote_argv(argv: list[str]) -> None:
    call(argv)


@fuzz(2000)
@given(argvs("invoice"))
def test_invoice_argv(argv: list[str]) -> None:
    call(argv)


@fuzz(800)
@given(argvs())
def test_any_argv(argv: list[str]) -> None:
    call(argv)


def test_the_fuzz_reaches_the_library() -> None:
    """The argv are not all refused by argparse: some price, some fail."""
    codes = {
        call(["quote", "--from", "pro", "--to", "business-1",
              "--period-start", "2024-06-01", "--at", "2024-06-11"])[0],
        call(["invoice", "--plan", "pro", "--start", "2024-06-01",
              "--usage", "visits=\u00b2@2024-06-02"])[0],
        call(["quote", "--bogus"])[0],
    }  # fmt: skip
    assert codes == {0, 1, 2}


# -- the installed script ----------------------------------------------------


def script() -> str:
    """The ``prorata`` script installed next to this Python."""
    found = shutil.which("prorata", path=str(Path(sys.executable).parent))
    assert found is not None, "prorata is not installed in this environment"
    return found


def run_script(argv: list[str]) -> subprocess.CompletedProcess[str]:
    CALLS["subprocess"] += 1
    return subprocess.run(
        [script(), *argv],
        capture_output=True,
        text=True,
        errors="surrogateescape",
        check=False,
        timeout=SUBPROCESS_LIMIT,
        cwd=Path(__file__).parent.parent,
    )


@fuzz(40)
@given(st.one_of(argvs("quote"), argvs("invoice"), argvs()))
def test_installed_script_argv(argv: list[str]) -> None:
    result = run_script(argv)
    check_outcome(argv, result.returncode, result.stdout, result.stderr)


@pytest.mark.parametrize(
    "argv",
    [
        ["quote", "--from", "pro", "--to", "business-1", "--period-start",
         "2024-06-01", "--at", "\udcff"],
        ["invoice", "--plan", "starter", "--start", "2024-06-01",
         "--usage", "vis\udcffits=5@2024-06-02"],
        ["demo", "\udcfe\udcff"],
    ],
    ids=["bad-byte-date", "bad-byte-metric", "bad-byte-argument"],
)  # fmt: skip
def test_installed_script_bytes_not_utf8(argv: list[str]) -> None:
    """Bytes that are not UTF-8 in argv (surrogateescape) are no crash."""
    result = run_script(argv)
    check_outcome(argv, result.returncode, result.stdout, result.stderr)


def test_demo_into_head_through_a_real_pipe() -> None:
    """``prorata demo | head -1``: head's first line, prorata quiet."""
    head = shutil.which("head")
    assert head is not None
    first = run_script(["demo"]).stdout.splitlines()[0]
    for _ in range(5):
        CALLS["subprocess"] += 1
        with subprocess.Popen(
            [script(), "demo"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        ) as writer:
            assert writer.stdout is not None
            reader = subprocess.run(
                [head, "-1"],
                stdin=writer.stdout,
                capture_output=True,
                text=True,
                check=True,
                timeout=SUBPROCESS_LIMIT,
            )
            writer.stdout.close()
            _, err = writer.communicate(timeout=SUBPROCESS_LIMIT)
        assert reader.stdout == first + "\n"
        assert err == b""
        assert writer.returncode in {0, 1}


@pytest.mark.parametrize(
    ("argv", "codes"),
    [(["demo"], {1}), (["demo", "--json"], {1}), (["--help"], {0, 1})],
)
def test_a_pipe_closed_before_any_output(
    argv: list[str], codes: set[int]
) -> None:
    """The reader gone before the first write: not a word on stderr (#11).

    The command's own output ends with exit code 1; argparse writes --help
    itself and ignores the broken pipe, so that one may end with 0.
    """
    CALLS["subprocess"] += 1
    read, write = os.pipe()
    os.close(read)  # nobody will ever read: the first write breaks the pipe
    try:
        result = subprocess.run(
            [script(), *argv],
            stdout=write,
            stderr=subprocess.PIPE,
            check=False,
            timeout=SUBPROCESS_LIMIT,
        )
    finally:
        os.close(write)
    assert result.stderr == b""
    assert result.returncode in codes
