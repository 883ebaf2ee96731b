"""examples/billing_service: a month-end run killed part way bills nobody
twice (#18).

A real subprocess runs the month end over SQLite and is killed with SIGKILL
after some invoices are written; a second run finishes the job. Every
subscription is then billed exactly once, and the totals equal those of a
run that was never interrupted, on a copy of the same database.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from types import ModuleType

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


def _module() -> ModuleType:
    """The example as a module, to call its functions in-process."""
    spec = importlib.util.spec_from_file_location("billing_service", SERVICE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


JULY_1 = datetime(2024, 7, 1, tzinfo=UTC)


def test_a_subscription_billed_meanwhile_is_not_billed_again(
    tmp_path: Path,
) -> None:
    """Two runs that both listed a subscription: the second finds it no
    longer due, inside its own transaction, and bills nothing (an early
    August invoice in a run through July 1 would be the bug; review #18)."""
    service = _module()
    db = tmp_path / "b.db"
    service.init(db, 1)
    connection = service.connect(db)
    (key,) = connection.execute("select id from subscriptions").fetchone()
    assert service.bill_one(connection, key, JULY_1) is True  # run A
    assert service.bill_one(connection, key, JULY_1) is False  # run B
    issued = [
        row[0]
        for row in connection.execute("select period_start from invoices")
    ]
    connection.close()
    assert issued == ["2024-07-01T00:00:00+00:00"]


def test_a_state_behind_its_invoice_is_skipped_not_fatal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """If a state comes back behind the invoice already written, the
    unique key refuses the second invoice; the run says so and bills the
    others (it stopped at that row, and so did every rerun)."""
    service = _module()
    db = tmp_path / "b.db"
    service.init(db, 2)
    connection = service.connect(db)
    first, second = (
        key
        for (key,) in connection.execute(
            "select id from subscriptions order by id"
        )
    )
    (stale,) = connection.execute(
        "select state from subscriptions where id = ?", (first,)
    ).fetchone()
    service.bill_one(connection, first, JULY_1)
    connection.execute(
        "update subscriptions set state = ?, next_billing = ? where id = ?",
        (stale, "2024-07-01T00:00:00+00:00", first),
    )
    connection.close()
    assert service.run(db, JULY_1) == 1
    assert f"{first}: the invoice of 2024-07-01" in capsys.readouterr().err
    connection = service.connect(db)
    billed = sorted(
        key
        for (key,) in connection.execute(
            "select subscription_id from invoices"
        )
    )
    connection.close()
    assert billed == [first, second]


def test_through_keeps_its_offset(tmp_path: Path) -> None:
    """--through 2024-06-30T20:00:00-07:00 is July 1, 03:00 UTC: every
    subscription is due by then (its offset was dropped; review #18)."""
    db = tmp_path / "b.db"
    finished("init", str(db), "--subscriptions", "3")
    out = finished("run", str(db), "--through", "2024-06-30T20:00:00-07:00")
    assert out == "billed 3 subscriptions\n"
    out = finished("run", str(db), "--through", "2024-06-30T20:00:00+00:00")
    assert out == "billed 0 subscriptions\n"
