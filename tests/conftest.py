"""Shared pytest set-up: Hypothesis profiles, and what not to collect.

``dev`` (the default) explores randomly; ``ci`` (chosen when ``CI`` is set)
is derandomized so a CI run is reproducible, and both drop the deadline so a
slow machine does not turn into a flaky failure.

``tests/typing/`` is for mypy only: its calls that must not type-check
would fail if ``--doctest-modules`` imported it.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from hypothesis import settings

if TYPE_CHECKING:
    import pytest

collect_ignore_glob = ["typing/*.py"]

settings.register_profile("dev", deadline=None, max_examples=200)
settings.register_profile(
    "ci", deadline=None, max_examples=200, derandomize=True
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Report how many guarded calls tests/test_fuzz.py made, if it ran."""
    for name, module in list(sys.modules.items()):
        calls = getattr(module, "CALLS", None)
        if name.endswith("test_fuzz") and isinstance(calls, dict) and calls:
            terminalreporter.write_sep(
                "-",
                f"fuzz: {sum(calls.values()):,} guarded calls "
                f"in {len(calls)} tests",
            )
