"""examples/billing_service: a month-end run killed part way bills nobody
twice (#18).

A real subprocess runs the month end over SQLite and is killed with SIGKILL
after some invoices are written; a second run finishes the job. Every
subscription is then billed exactly once, and the totals equal those of a
run that was never interrupted, on a copy of the same database.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

SERVICE = (
    Path(__file__).parent.parent
    / "examples"
    / "billing_service"
    / "service.py"
)
COUNT = 120


def service(*args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(SERVICE), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )


def finished(*args: str) -> str:
    process = service(*args)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return out


def invoices(db: Path) -> list[tuple[str, str]]:
    connection = sqlite3.connect(db)
    try:
        rows = connection.execute(
            "select subscription_id, period_start from invoices"
        ).fetchall()
    finally:
        connection.close()
    return rows


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same subscriptions twice: one run killed, one left alone."""
    folder = tmp_path_factory.mktemp("billing")
    killed, whole = folder / "killed.db", folder / "whole.db"
    finished("init", str(killed), "--subscriptions", str(COUNT))
    shutil.copy(killed, whole)
    return killed, whole


def test_a_run_killed_part_way_and_rerun_bills_each_once(
    databases: tuple[Path, Path],
) -> None:
    killed, whole = databases
    run = service("run", str(killed), PRORATA_EXAMPLE_PAUSE="0.02")
    deadline = time.monotonic() + 120
    while len(invoices(killed)) < COUNT // 4:
        assert run.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    run.send_signal(signal.SIGKILL)
    run.communicate(timeout=30)  # waits, and closes its pipes
    assert run.returncode == -signal.SIGKILL
    part = invoices(killed)
    assert COUNT // 4 <= len(part) < COUNT  # it died part way

    out = finished("run", str(killed))
    assert out == f"billed {COUNT - len(part)} subscriptions\n"
    rows = invoices(killed)
    keys = [key for key, _ in rows]
    assert len(keys) == len(set(keys)) == COUNT  # each once, all of them
    assert {period for _, period in rows} == {"2024-07-01T00:00:00+00:00"}

    finished("run", str(whole))
    assert json.loads(finished("totals", str(killed))) == json.loads(
        finished("totals", str(whole))
    )
    assert finished("run", str(killed)) == "billed 0 subscriptions\n"


def test_the_unique_key_refuses_a_second_invoice(
    databases: tuple[Path, Path],
) -> None:
    """Even a run that lost track of what it billed cannot bill twice: the
    database refuses a second invoice for a subscription and period."""
    _, whole = databases
    connection = sqlite3.connect(whole)
    try:
        key, period = connection.execute(
            "select subscription_id, period_start from invoices limit 1"
        ).fetchone()
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            connection.execute(
                "insert into invoices values (?, ?, '1', 'USD', '{}')",
                (key, period),
            )
    finally:
        connection.close()
