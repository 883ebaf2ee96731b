"""A scheduled change is a known end of the plan: ``known_end``.

Under ``bill-to-end`` a period billed in advance that contains a change
scheduled for a later date bills the plan only up to it, and the change
then credits nothing for the old plan: Kill Bill bills a recurring item
only up to the next billing event of its subscription, a phase or plan
change as much as a cancellation (killbill/killbill @ cb60779c, invoice/
src/main/java/org/killbill/billing/invoice/generator/
FixedAndRecurringInvoiceItemGenerator.java ``processRecurringEvent``,
the next event's date the end of BillingIntervalDetail); Zuora splits a
charge at a future-dated update into segments, the old one ending at the
update ("Zuora generates RPC2 for the first service period from
01/01/2025 to 06/01/2025 and RPC3 for the second service period from
06/01/2025 to 01/01/2026", docs.zuora.com, charge-metrics, update the
charge price for the service period), and bills the partial period at a
charge's end ("such a partial month/period will always be billed",
docs.zuora.com, common-subscription-information/proration). The add-ons,
which the change keeps, are their own subscriptions (Kill Bill) or
charges (Zuora): billed whole. Figures computed here: half-open days over
the period's days, half up.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from prorata import (
    AddOn,
    BillingPolicy,
    Item,
    Plan,
    Subscription,
    from_dict,
    presets,
    to_dict,
)
from tests.cases import amounts
from tests.common import usd, utc

KB = presets.CONVENTIONS["kill-bill"]
TEN = Plan(id="ten", price=usd("10"), rank=2)
ONE = Plan(id="one", price=usd("1"), rank=1)
SEAT = AddOn(id="seat", price=usd("5"))
CHANGE = utc(2020, 2, 15)


def share(price: str, used: tuple[date, date], days: int) -> str:
    """``price`` x days of ``used`` / ``days``, half up, as printed."""
    cents = (
        Decimal(price) * (used[1] - used[0]).days / days
    ).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"${cents:,}"


def scheduled(
    policy: BillingPolicy = KB, items: tuple[Item, ...] = ()
) -> Subscription:
    """TEN from 2020-01-01 (January billed whole), ONE scheduled for
    2020-02-15 before February is billed."""
    sub, january = Subscription.start(
        TEN, utc(2020, 1, 1), policy=policy, items=items
    )
    assert january is not None
    return sub.schedule_change(ONE, CHANGE, assisted=True)


def test_the_plan_is_billed_to_a_change_known_when_billed() -> None:
    """Kill Bill, invoice/.../generator/TestFixedAndRecurringInvoiceItem
    Generator.java testInAdvance4b: CREATE 2020-01-01 at 10 (BCD 1), a
    future CHANGE on 2020-02-15, target 2020-02-01: items 01-01 to 02-01
    of 10 and 02-01 to 02-15 of less than 10 (its assertions); 14 of
    February's 29 days here."""
    sub, february = scheduled().bill()
    (line,) = february.lines
    assert (line.start, line.end) == (utc(2020, 2, 1), CHANGE)
    assert line.amount < usd("10")
    assert str(line.amount) == share(
        "10", (date(2020, 2, 1), date(2020, 2, 15)), 29
    )
    assert sub.pending_change is not None
    assert sub.pending_change.billed_to_change


def test_the_change_bills_the_new_plan_and_credits_nothing() -> None:
    """testInAdvance5 (the same file): the CHANGE event's own item runs
    from 2020-01-15 to 02-01, the next BCD, below 10, and nothing repairs
    the first: here the new plan's 15 days of 29 alone."""
    sub, _ = scheduled().bill()
    sub, invoices = sub.bill_through(CHANGE)
    (change,) = invoices
    assert amounts(change.lines) == [
        share("1", (date(2020, 2, 15), date(2020, 3, 1)), 29)
    ]
    assert (change.lines[0].start, change.lines[0].end) == (
        CHANGE,
        utc(2020, 3, 1),
    )
    _, march = sub.bill()
    assert amounts(march.lines) == ["$1.00"]


def test_the_add_ons_are_billed_whole() -> None:
    """Two seats at $5 move with the plan: billed for all February, and
    the change neither credits nor charges them."""
    sub, february = scheduled(items=(Item(SEAT, 2),)).bill()
    assert amounts(february.lines) == ["$4.83", "$10.00"]
    assert (february.lines[1].start, february.lines[1].end) == (
        utc(2020, 2, 1),
        utc(2020, 3, 1),
    )
    _, (change,) = sub.bill_through(CHANGE)
    assert amounts(change.lines) == ["$0.52"]


def test_zuora_bills_the_old_segment_to_the_update_too() -> None:
    """Zuora's segments: the old charge to the update, the new one from
    it (on the next invoice, as Zuora bills a change)."""
    sub, february = scheduled(presets.CONVENTIONS["zuora-actual-days"]).bill()
    assert amounts(february.lines) == ["$4.83"]
    _, invoices = sub.bill_through(utc(2020, 3, 1))
    assert [amounts(i.lines) for i in invoices] == [["$0.52", "$1.00"]]


def test_the_default_bills_the_period_whole_and_credits_the_rest() -> None:
    sub, february = scheduled(BillingPolicy()).bill()
    assert amounts(february.lines) == ["$10.00"]
    assert sub.pending_change is not None
    assert not sub.pending_change.billed_to_change


def test_in_arrears_nothing_is_cut() -> None:
    """Billed in arrears, February is billed at its end, for the time each
    plan was in force: nothing to cut."""
    policy = presets.CONVENTIONS["kill-bill-in-arrears"]
    sub, _ = Subscription.start(TEN, utc(2020, 1, 1), policy=policy)
    sub, _ = sub.bill()  # January
    sub = sub.schedule_change(ONE, CHANGE, assisted=True)
    assert sub.pending_change is not None
    assert not sub.pending_change.billed_to_change


def _rest() -> str:
    """The old plan's February after the change: 15 of 29 days."""
    return share("10", (date(2020, 2, 15), date(2020, 3, 1)), 29)


def test_a_withdrawn_change_bills_the_plans_rest_next() -> None:
    sub, _ = scheduled().bill()
    sub = sub.withdraw_change()
    _, march = sub.bill()
    assert amounts(march.lines) == [_rest(), "$10.00"]
    assert (march.lines[0].start, march.lines[0].end) == (
        CHANGE,
        utc(2020, 3, 1),
    )


def test_a_change_scheduled_in_its_place_prorates_from_a_whole_period() -> (
    None
):
    """Rescheduled for 2020-02-20: the change credits the old plan's 10
    days after the 20th, and the rest from the 15th goes on the next
    invoice, as a withdrawn cancellation's does."""
    sub, _ = scheduled().bill()
    sub = sub.schedule_change(ONE, utc(2020, 2, 20), assisted=True)
    _, (change, march) = sub.bill_through(utc(2020, 3, 1))
    after = (date(2020, 2, 20), date(2020, 3, 1))
    assert amounts(change.lines) == [
        "-" + share("10", after, 29),
        share("1", after, 29),
    ]
    assert amounts(march.lines) == [_rest(), "$1.00"]


def test_an_earlier_plan_change_bills_the_rest_first() -> None:
    """Upgraded to TWENTY on 2020-02-10, before the change: it prorates
    as in a period billed whole, and the rest from the 15th goes on the
    next invoice."""
    twenty = Plan(id="twenty", price=usd("20"), rank=3)
    sub, _ = scheduled().bill()
    sub, outcome = sub.change_plan(twenty, utc(2020, 2, 10))
    after = (date(2020, 2, 10), date(2020, 3, 1))
    assert amounts(outcome.lines) == [
        "-" + share("10", after, 29),
        share("20", after, 29),
    ]
    assert sub.pending_change is not None
    assert not sub.pending_change.billed_to_change
    _, invoices = sub.bill_through(utc(2020, 3, 1))
    assert amounts(invoices[-1].lines)[0] == _rest()


def test_a_cancellation_that_drops_the_change_bills_the_rest() -> None:
    """Cancelled for 2020-02-10: the change is withdrawn, the rest billed,
    and the end credits February from the 10th: the plan is billed to
    the end, 9 days."""
    sub, february = scheduled().bill()
    sub, outcome = sub.cancel(utc(2020, 2, 10))
    assert sub.pending_change is None
    assert outcome.invoice is not None
    assert amounts(outcome.invoice.lines) == [
        _rest(),
        "-" + share("10", (date(2020, 2, 10), date(2020, 3, 1)), 29),
    ]
    assert str(february.total + outcome.invoice.total) == share(
        "10", (date(2020, 2, 1), date(2020, 2, 10)), 29
    )


def test_the_flag_survives_a_round_trip() -> None:
    sub, _ = scheduled().bill()
    back = from_dict(json.loads(json.dumps(to_dict(sub))), Subscription)
    assert back == sub
    assert back.pending_change is not None
    assert back.pending_change.billed_to_change


def test_a_change_on_the_billing_date_cuts_nothing() -> None:
    """Scheduled for 2020-03-01, February's end: February billed whole,
    March on the new plan."""
    sub, _ = Subscription.start(TEN, utc(2020, 1, 1), policy=KB)
    sub = sub.schedule_change(ONE, utc(2020, 3, 1), assisted=True)
    sub, february = sub.bill()
    assert amounts(february.lines) == ["$10.00"]
    _, march = sub.bill()
    assert amounts(march.lines) == ["$1.00"]
