"""The public surface: what __all__ promises is there, typed and documented."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import prorata

ROOT = Path(__file__).parent.parent


def test_every_name_in_all_imports() -> None:
    """Every exported name exists and __all__ has no duplicates."""
    assert len(set(prorata.__all__)) == len(prorata.__all__)
    for name in prorata.__all__:
        assert hasattr(prorata, name), name


def test_every_public_callable_is_documented() -> None:
    """Every exported class and function has a docstring."""
    for name in prorata.__all__:
        value = getattr(prorata, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name


def test_py_typed_is_shipped() -> None:
    """The PEP 561 marker is in the package."""
    assert (Path(prorata.__file__).parent / "py.typed").is_file()


def test_every_export_is_named_in_the_docs() -> None:
    """A reader of docs/ meets every public name at least once."""
    docs = "\n".join(
        path.read_text(encoding="utf-8")
        for path in (ROOT / "docs").glob("*.md")
    )
    missing = [name for name in prorata.__all__ if name not in docs]
    assert not missing, missing


def test_demo_command_runs() -> None:
    """`python -m prorata demo` prints the worked examples and exits 0."""
    result = subprocess.run(
        [sys.executable, "-m", "prorata", "demo"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Total: $73.33" in result.stdout
    assert "Total: -$19.84" in result.stdout
    assert "$37.76" in result.stdout


def test_no_command_is_a_usage_error() -> None:
    """Without a command, exit 2 with one line pointing at --help (#11)."""
    result = subprocess.run(
        [sys.executable, "-m", "prorata"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "required: command (see prorata --help)" in result.stderr
