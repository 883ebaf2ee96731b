"""A known end billed only up to it: ``BillingPolicy.known_end``.

Zuora bills a charge whose end is known only up to it ("such a partial
month/period will always be billed", docs.zuora.com, common-subscription-
information/proration; tests/test_audit3_cases.py ZB2-ZB4). $31 a month,
so that a day of a 31-day month is $1.00; the end on 2024-03-21, inside
March: 20 days billed, 11 not.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from prorata import (
    BillingPolicy,
    Coupon,
    Discount,
    KnownEnd,
    Plan,
    Subscription,
    from_dict,
    presets,
    to_dict,
)
from prorata.errors import InvalidPolicyError
from tests.cases import amounts
from tests.common import usd, utc

if TYPE_CHECKING:
    from datetime import datetime

PLAN = Plan(id="basic", price=usd("31"))
PRO = Plan(id="pro", price=usd("62"), rank=2)
TO_END = BillingPolicy(known_end="bill-to-end")
END = utc(2024, 3, 21)


def _march(policy: BillingPolicy, **start: object) -> Subscription:
    """Started 2024-01-01, cancelled for ``END``, billed to March."""
    sub, _ = Subscription.start(PLAN, utc(2024, 1, 1), policy=policy, **start)  # type: ignore[arg-type]
    sub, _ = sub.cancel(END)
    sub, _ = sub.bill()  # February
    return sub


def _billed(sub: Subscription, until: datetime) -> list[str]:
    """Every line billed up to ``until``, in order."""
    sub, invoices = sub.bill_through(until)
    return [a for invoice in invoices for a in amounts(invoice.lines)]


def test_the_zuora_and_kill_bill_conventions_bill_to_the_end() -> None:
    """Every Zuora, Kill Bill and OpenMeter convention, and none other,
    bills to a known end (Kill Bill: BillingIntervalDetail, KD7 of the
    fifth audit; OpenMeter: flatfee CalculateAmountAfterProration, OF1-OF3
    of the sixth)."""
    chosen = {
        name
        for name, policy in presets.CONVENTIONS.items()
        if policy.known_end is KnownEnd.BILL_TO_END
    }
    assert chosen == {
        n
        for n in presets.CONVENTIONS
        if n.startswith(("zuora", "kill-bill", "openmeter"))
    }
    assert BillingPolicy().known_end is KnownEnd.BILL_PERIOD


def test_an_option_outside_its_values_is_refused() -> None:
    with pytest.raises(InvalidPolicyError, match="known_end"):
        BillingPolicy(known_end="to-the-end")  # type: ignore[arg-type]


def test_the_default_bills_the_period_whole_and_credits_the_rest() -> None:
    """Today's rule: March whole, 11 days credited at the end; the same
    net as billing to the end."""
    sub = _march(BillingPolicy())
    assert _billed(sub, END) == ["$31.00", "-$11.00"]
    assert _billed(_march(TO_END), END) == ["$20.00"]


def test_the_short_period_is_previewed_as_billed() -> None:
    sub = _march(TO_END)
    preview = sub.preview_invoice()
    sub, invoice = sub.bill()
    assert preview == invoice
    line = invoice.lines[0]
    assert (str(line.amount), line.start, line.end) == (
        "$20.00",
        utc(2024, 3, 1),
        END,
    )
    assert sub.cancellation is not None
    assert sub.cancellation.billed_to_end
    # The end: nothing after it was billed, nothing is credited.
    final = sub.preview_invoice()
    assert not final.lines
    ended, issued = sub.bill_through(END)
    assert ended.ended
    assert not issued


def test_an_end_on_a_billing_date_cuts_nothing() -> None:
    sub, _ = Subscription.start(PLAN, utc(2024, 1, 1), policy=TO_END)
    sub, _ = sub.cancel(utc(2024, 3, 1))
    sub, invoices = sub.bill_through(utc(2024, 3, 1))
    assert [amounts(i.lines) for i in invoices] == [["$31.00"]]
    assert sub.ended


def test_an_end_inside_the_stub_after_a_trial() -> None:
    """A trial to 2024-03-11, anchored on 2024-04-01, cancelled for
    2024-03-21: the trial's end bills 10 of March's 31 days, not 21."""
    sub, _ = Subscription.start(
        PLAN,
        utc(2024, 3, 1),
        trial=utc(2024, 3, 11),
        anchor=utc(2024, 4, 1),
        policy=TO_END,
    )
    sub, _ = sub.cancel(END)
    sub, invoices = sub.bill_through(END)
    assert [amounts(i.lines) for i in invoices] == [["$10.00"]]
    assert invoices[0].lines[0].end == END
    assert sub.ended


def test_in_arrears_the_option_changes_nothing() -> None:
    """Billed in arrears an end is always billed up to it."""
    for known in KnownEnd:
        policy = BillingPolicy(timing="in-arrears", known_end=known)
        sub, _ = Subscription.start(PLAN, utc(2024, 2, 1), policy=policy)
        sub, _ = sub.cancel(END)
        assert _billed(sub, END) == ["$31.00", "$20.00"]


def test_a_coupon_discounts_the_short_period() -> None:
    sub = _march(TO_END, coupons=[Coupon(discount=Discount.percent_off(50))])
    assert _billed(sub, END) == ["$20.00", "-$10.00"]


def test_a_withdrawn_cancellation_bills_the_rest_next() -> None:
    """Zuora: a cancellation deleted restores the charge's end ("Delete
    cancel order", docs.zuora.com, delete-or-amend-order); what it leaves
    unbilled goes on the next invoice: March 21 to April 1, then April
    whole."""
    sub, _ = _march(TO_END).bill()  # March, to the end
    sub = sub.withdraw_cancellation()
    assert sub.cancellation is None
    sub, april = sub.bill()
    assert amounts(april.lines) == ["$11.00", "$31.00"]
    assert (april.lines[0].start, april.lines[0].end) == (END, utc(2024, 4, 1))


def test_a_plan_change_in_the_short_period_bills_the_rest_first() -> None:
    """Upgraded on 2024-03-11 (21 days left of 31): the rest of March is
    billed, then the change prorates as in a period billed whole, and the
    end credits the new plan's time after it. The net is the old plan to
    the change and the new one from it to the end: 10 + 20 = 30."""
    sub, march = _march(TO_END).bill()
    sub, _ = sub.change_plan(PRO, utc(2024, 3, 11))
    assert sub.cancellation is not None
    assert not sub.cancellation.billed_to_end
    ended, invoices = sub.bill_through(END)
    assert ended.ended
    # The final invoice: the rest of March, the change's credit and charge
    # (on the next invoice), the new plan's 11 days after the end.
    assert [amounts(i.lines) for i in invoices] == [
        ["$11.00", "-$21.00", "$42.00", "-$22.00"]
    ]
    assert amounts(march.lines) == ["$20.00"]
    assert march.total + invoices[0].total == usd("30.00")


def test_the_flag_survives_a_round_trip() -> None:
    sub, _ = _march(TO_END).bill()
    back = from_dict(json.loads(json.dumps(to_dict(sub))), Subscription)
    assert back == sub
    assert back.cancellation is not None
    assert back.cancellation.billed_to_end
    policy = from_dict(json.loads(json.dumps(to_dict(TO_END))), BillingPolicy)
    assert policy == TO_END
    assert replace(TO_END, known_end=KnownEnd.BILL_PERIOD) == BillingPolicy()
