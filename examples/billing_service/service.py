"""A billing service's month-end run: subscriptions in SQLite, billed once.

The shape of a real service, with the standard library alone:

- each subscription's state is a row, stored as ``prorata.to_dict`` JSON
  and read back with ``prorata.from_dict``;
- the month-end run bills every subscription whose next billing date has
  come, and writes the invoice and the subscription's new state in one
  transaction, so a crash leaves each subscription either billed (both
  rows written) or not (neither);
- each invoice has a unique key, the subscription and the start of the
  period it opens, so a rerun after a crash skips what was billed and can
  never bill a subscription twice for one period, even if its own
  bookkeeping went wrong.

Run:

    cd examples/billing_service
    python service.py init billing.db --subscriptions 500
    python service.py run billing.db --through 2024-07-01
    python service.py totals billing.db

``run`` can be killed at any moment (``kill -9``) and started again: the
totals are those of a run that was never interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from prorata import (
    BillingPolicy,
    Money,
    ProrataError,
    Subscription,
    builtin_catalog,
    from_dict,
    presets,
    to_dict,
)

START = datetime(2024, 6, 1, tzinfo=UTC)
POLICY = BillingPolicy(
    proration=presets.STRIPE_CLASSIC, charge_now_above=Money("100", "USD")
)
PLANS = ("starter", "pro", "business-1", "business-2")

SCHEMA = """
create table if not exists subscriptions (
    id text primary key,
    state text not null,          -- prorata.to_dict(subscription), as JSON
    next_billing text not null    -- ISO 8601, in UTC: what the run selects on
);
create table if not exists invoices (
    subscription_id text not null references subscriptions (id),
    period_start text not null,   -- the billing date the invoice is issued on
    amount_due text not null,     -- a decimal string, in the currency's units
    currency text not null,
    invoice text not null,        -- prorata.to_dict(invoice), as JSON
    primary key (subscription_id, period_start)
);
"""


def connect(path: Path) -> sqlite3.Connection:
    """Open the database; each ``with connection:`` block is a transaction."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("pragma journal_mode = wal")
    connection.execute("pragma synchronous = full")
    connection.executescript(SCHEMA)
    return connection


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _store(
    connection: sqlite3.Connection, key: str, sub: Subscription
) -> None:
    connection.execute(
        "insert or replace into subscriptions values (?, ?, ?)",
        (key, json.dumps(to_dict(sub)), _utc(sub.next_billing_date)),
    )


def init(path: Path, count: int, seed: int = 11) -> None:
    """Create ``count`` subscriptions with plan changes and usage in June."""
    catalog = builtin_catalog()
    rng = random.Random(seed)
    connection = connect(path)
    with connection:
        connection.execute("begin")
        for number in range(count):
            sub, _ = Subscription.start(
                catalog[rng.choice(PLANS)], START, policy=POLICY
            )
            if rng.random() < 0.6:
                sub = sub.record_usage(
                    "visits",
                    rng.randrange(300_000),
                    START + timedelta(days=rng.randrange(29)),
                )
            if rng.random() < 0.4:
                sub, _ = sub.change_plan(
                    catalog[rng.choice(PLANS)],
                    START + timedelta(seconds=rng.randrange(1, 29 * 86_400)),
                )
            _store(connection, f"sub-{number:05d}", sub)
    connection.close()


def bill_one(
    connection: sqlite3.Connection, key: str, through: datetime
) -> bool:
    """Bill one subscription if it is due by ``through``; say whether.

    One transaction, begun before the state is read: it is read, checked
    due again (another run may have billed it since it was picked), billed,
    and written back with its invoice, or nothing is. The invoice's unique
    key refuses a second invoice for the same period whatever happens: then
    nothing is written, and the run goes on with the others.
    """
    with connection:
        connection.execute("begin immediate")
        row = connection.execute(
            "select state from subscriptions where id = ? "
            "and next_billing <= ?",
            (key, _utc(through)),
        ).fetchone()
        if row is None:  # billed meanwhile: not due any more
            return False
        sub = from_dict(json.loads(row[0]), Subscription)
        billed, invoice = sub.bill()
        try:
            connection.execute(
                "insert into invoices values (?, ?, ?, ?, ?)",
                (
                    key,
                    _utc(invoice.issued_at),
                    f"{invoice.amount_due.amount:f}",
                    invoice.amount_due.currency,
                    json.dumps(to_dict(invoice)),
                ),
            )
        except sqlite3.IntegrityError:
            # Its state lags behind an invoice already written: billing it
            # again would bill twice. Leave it for someone to look at.
            print(
                f"service.py: {key}: the invoice of "
                f"{invoice.issued_at.isoformat()} exists; not billed again",
                file=sys.stderr,
            )
            connection.rollback()
            return False
        _store(connection, key, billed)
    return True


def run(path: Path, through: datetime) -> int:
    """Bill every subscription due by ``through``; return how many were.

    The due ones are listed once, then each is billed in a transaction of
    its own. ``PRORATA_EXAMPLE_PAUSE`` (seconds) waits after each one, so
    that a test can kill the run part way.
    """
    pause = float(os.environ.get("PRORATA_EXAMPLE_PAUSE", "0"))
    connection = connect(path)
    due = [
        key
        for (key,) in connection.execute(
            "select id from subscriptions where next_billing <= ? order by id",
            (_utc(through),),
        )
    ]
    billed = 0
    for key in due:
        billed += bill_one(connection, key, through)
        if pause:
            time.sleep(pause)
    connection.close()
    return billed


def totals(path: Path) -> dict[str, str]:
    """The run's invoices: how many, how many subscriptions, the sum due."""
    connection = connect(path)
    rows = connection.execute(
        "select subscription_id, amount_due from invoices"
    )
    count, subscriptions, due = 0, set(), Decimal(0)
    for key, amount in rows:
        count += 1
        subscriptions.add(key)
        due += Decimal(amount)
    connection.close()
    return {
        "invoices": str(count),
        "subscriptions": str(len(subscriptions)),
        "due": f"{due:f}",
    }


def main(argv: list[str] | None = None) -> int:
    """The command line: ``init``, ``run`` and ``totals``."""
    parser = argparse.ArgumentParser(prog="service.py")
    commands = parser.add_subparsers(dest="command", required=True)
    first = commands.add_parser("init", help="create the subscriptions")
    first.add_argument("db", type=Path)
    first.add_argument("--subscriptions", type=int, default=200)
    month_end = commands.add_parser("run", help="bill what is due")
    month_end.add_argument("db", type=Path)
    month_end.add_argument("--through", default="2024-07-01")
    summed = commands.add_parser("totals", help="print the invoices' totals")
    summed.add_argument("db", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "init":
            init(args.db, args.subscriptions)
        elif args.command == "run":
            through = datetime.fromisoformat(args.through)
            if through.tzinfo is None:  # a date or a naive moment: UTC
                through = through.replace(tzinfo=UTC)
            print(f"billed {run(args.db, through)} subscriptions")
        else:
            print(json.dumps(totals(args.db)))
    except ProrataError as error:
        print(f"service.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
