"""Shared pytest set-up: Hypothesis profiles.

``dev`` (the default) explores randomly; ``ci`` (chosen when ``CI`` is set)
is derandomized so a CI run is reproducible, and both drop the deadline so a
slow machine does not turn into a flaky failure.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("dev", deadline=None, max_examples=200)
settings.register_profile(
    "ci", deadline=None, max_examples=200, derandomize=True
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
