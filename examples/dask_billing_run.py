"""The month-end billing run on a Dask distributed local cluster.

Subscriptions are built in partitions, sent to worker processes (they
pickle), billed there with ``prorata.bill_all``, and the totals gathered;
the same run in one process must give the same totals to the cent.

Needs the optional extra: pip install -e '.[dask]'
Run: python examples/dask_billing_run.py [N]
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta

from prorata import (
    BillingPolicy,
    Money,
    Subscription,
    bill_all,
    builtin_catalog,
    presets,
)

START = datetime(2024, 6, 1, tzinfo=UTC)
POLICY = BillingPolicy(
    proration=presets.HOSTING_PAGE, charge_now_above=Money("100", "USD")
)
PLANS = ("starter", "pro", "business-1", "business-2")


def partition(seed: int, count: int) -> list[Subscription]:
    """Build one partition of subscriptions with usage and plan changes."""
    rng = random.Random(seed)
    catalog = builtin_catalog()
    subs = []
    for _ in range(count):
        sub, _ = Subscription.start(
            catalog[rng.choice(PLANS)], START, policy=POLICY
        )
        sub = sub.record_usage(
            "visits", rng.randrange(300_000), START + timedelta(days=3)
        )
        if rng.random() < 0.5:
            sub, _ = sub.change_plan(
                catalog[rng.choice(PLANS)],
                START + timedelta(days=rng.randrange(1, 30)),
            )
        subs.append(sub)
    return subs


def bill_partition(subs: list[Subscription]) -> tuple[Money, Money, int]:
    """Bill a partition: amount due, credit carried forward, invoices."""
    due = carried = Money.zero("USD")
    count = 0
    for _, invoice in bill_all(subs):
        due += invoice.amount_due
        carried += invoice.credit_balance_after
        count += 1
    return due, carried, count


def combine(parts: list[tuple[Money, Money, int]]) -> tuple[Money, Money, int]:
    """Add the partitions' totals."""
    due = sum((p[0] for p in parts), Money.zero("USD"))
    carried = sum((p[1] for p in parts), Money.zero("USD"))
    return due, carried, sum(p[2] for p in parts)


def run(
    count: int, partitions: int = 4
) -> tuple[tuple[Money, Money, int], ...]:
    """Bill ``count`` subscriptions on a local cluster and in-process."""
    from dask.distributed import Client, LocalCluster  # noqa: PLC0415

    size = count // partitions
    seeds = range(partitions)
    with (
        LocalCluster(  # type: ignore[no-untyped-call,unused-ignore]
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: runs side by side
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call,unused-ignore]
    ):
        futures = [client.submit(partition, seed, size) for seed in seeds]
        billed = client.map(bill_partition, futures)
        distributed = combine(client.gather(billed))
    local = combine([bill_partition(partition(seed, size)) for seed in seeds])
    return distributed, local


def main() -> None:
    """Run both ways and print the totals, which must agree."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    distributed, local = run(count)
    for name, (due, carried, invoices) in (
        ("distributed", distributed),
        ("one process", local),
    ):
        print(f"{name}: {invoices} invoices, due {due}, credit {carried}")
    print("equal to the cent:", distributed == local)


if __name__ == "__main__":
    main()
