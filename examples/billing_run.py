"""A month-end billing run over a CSV of subscriptions.

Each row starts a subscription (billed in advance under the hosting page's
conventions), applies its plan change and usage, then bills the month end:
the amounts due, the credit carried forward, and the totals of the run.

Run: python examples/billing_run.py [subscriptions.csv]
"""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime
from pathlib import Path

from prorata import (
    BillingPolicy,
    Money,
    Subscription,
    builtin_catalog,
    presets,
)

HERE = Path(__file__).parent
POLICY = BillingPolicy(
    proration=presets.HOSTING_PAGE, charge_now_above=Money("100", "USD")
)


def day(text: str) -> datetime:
    """A date of the CSV, at midnight UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def main() -> None:
    """Bill every row and print one line each, then the totals."""
    path = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "subscriptions.csv"
    )
    catalog = builtin_catalog()
    due = charged_now = carried = Money.zero("USD")
    with path.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            sub, _ = Subscription.start(
                catalog[row["plan"]], day(row["start"]), policy=POLICY
            )
            if row["visits"]:
                sub = sub.record_usage(
                    "visits", int(row["visits"]), day(row["visits_at"])
                )
            if row["change_to"]:
                sub, outcome = sub.change_plan(
                    catalog[row["change_to"]], day(row["change_at"])
                )
                if outcome.invoice is not None:
                    charged_now += outcome.invoice.amount_due
            sub, invoice = sub.bill()
            due += invoice.amount_due
            carried += invoice.credit_balance_after
            print(
                f"{row['id']:<10} {invoice.issued_at.date()}  due "
                f"{invoice.amount_due!s:>10}  credit carried "
                f"{invoice.credit_balance_after!s:>9}"
            )
    print(f"charged at the changes: {charged_now}")
    print(f"due at month end:       {due}")
    print(f"credit carried forward: {carried}")


if __name__ == "__main__":
    main()
