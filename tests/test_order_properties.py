"""Results do not depend on the order of independent operations.

Usage records are facts about moments: recording them in another order,
or before rather than after a plan change that does not restart the
billing cycle, must bill the same invoice to the cent. A billing run bills
each subscription the same wherever it stands in the run.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    Subscription,
    bill_all,
    builtin_catalog,
)
from tests.common import recorded
from tests.strategies import started, usage_records

START = datetime(2024, 6, 1, tzinfo=UTC)
MONTHLY = ("starter", "pro", "business-1", "business-2")
CATALOG = builtin_catalog()
SECONDS_IN_JUNE = 30 * 86_400


def assert_bills_alike(one: Subscription, other: Subscription) -> None:
    assert one.preview_invoice() == other.preview_invoice()
    assert one.bill()[1] == other.bill()[1]


@given(st.data())
def test_usage_in_any_order_bills_the_same(data: st.DataObject) -> None:
    sub = started(data)
    records = data.draw(usage_records())
    shuffled = data.draw(st.permutations(records))
    assert_bills_alike(recorded(sub, records), recorded(sub, shuffled))


@given(st.data())
def test_usage_before_or_after_a_change_bills_the_same(
    data: st.DataObject,
) -> None:
    # A change between monthly plans keeps the billing cycle, so the usage
    # around it is billed the same whether it was recorded first or last.
    sub = started(data)
    new = CATALOG[data.draw(st.sampled_from(MONTHLY))]
    at = START + timedelta(
        seconds=data.draw(st.integers(1, SECONDS_IN_JUNE - 1))
    )
    records = data.draw(usage_records())
    first, first_outcome = recorded(sub, records).change_plan(new, at)
    last, last_outcome = sub.change_plan(new, at)
    last = recorded(last, records)
    assert first_outcome.net == last_outcome.net
    assert_bills_alike(first, last)


@given(st.data())
def test_a_billing_run_bills_each_the_same_in_any_order(
    data: st.DataObject,
) -> None:
    subs = [
        recorded(started(data), data.draw(usage_records()))
        for _ in range(data.draw(st.integers(1, 6)))
    ]
    order = data.draw(st.permutations(range(len(subs))))
    in_order = [invoice for _, invoice in bill_all(subs)]
    reordered = [invoice for _, invoice in bill_all(subs[i] for i in order)]
    assert [in_order[i] for i in order] == reordered
