"""The billing run distributed on Dask gives the single-process totals (#7).

Worker processes receive pickled subscriptions, bill them and send back
totals; the sums must agree to the cent with the same run in one process.
"""

from __future__ import annotations

import runpy
from pathlib import Path

EXAMPLE = Path(__file__).parent.parent / "examples" / "dask_billing_run.py"


def test_distributed_totals_equal_single_process_totals() -> None:
    """Four partitions on two worker processes: the same cents."""
    run = runpy.run_path(str(EXAMPLE))["run"]
    distributed, local = run(200, partitions=4)
    assert distributed == local
    due, carried, invoices = distributed
    assert invoices == 200
    assert due.amount > 0
    assert carried.currency == "USD"
