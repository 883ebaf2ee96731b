"""The ``prorata`` command: ``python -m prorata demo``."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from prorata._examples import demo

if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    >>> main(["demo"])  # doctest: +ELLIPSIS
    == Business 1 -> Business 2, 10 days into a 30-day month
    ...
    0
    """
    parser = argparse.ArgumentParser(
        prog="prorata",
        description="Exact, explainable proration of plan changes.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "demo", help="print every worked example of the seed pages"
    )
    parser.parse_args(argv)
    print(demo())
    return 0


if __name__ == "__main__":
    sys.exit(main())
