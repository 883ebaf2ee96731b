"""Billing (``prorata._billing``): the policy, the schedule, the dates.

The SaaS page's flow (``000_9f3ea20e269377cb.txt`` in ``shared/seeds``):
not billed at signup, billed in arrears on the subscription date, charges
calculated three days before; and ``BillingSchedule.invoice_index_for``,
which skips the dates within the calculation lead, against a walk over
them one at a time.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    Basis,
    BillingCycle,
    BillingPolicy,
    BillingSchedule,
    BillingTiming,
    Interval,
    InvoiceLineKind,
    Plan,
    ProrationPolicy,
    Subscription,
    UsageAllowance,
)
from prorata._period import to_utc
from tests.common import JUNE_1, usd
from tests.strategies import billing_cycles, instants

# SaaS page: the page gives no price for Plus; $310 a month is illustrative
# (it makes a 31-day month $10 a day).
FREE = Plan(id="free", name="Free", price=usd("0"), rank=0)
PLUS = Plan(id="plus", name="Plus", price=usd("310"), rank=1)
SAAS = BillingPolicy(
    timing=BillingTiming.IN_ARREARS,
    calculation_lead=timedelta(days=3),
    proration=ProrationPolicy(basis=Basis.DAYS),
)
SUBSCRIBED = datetime(2024, 6, 15, tzinfo=UTC)


class TestSaasPageFlow:
    def test_not_billed_at_signup(self) -> None:
        """'You are not billed at signup.'"""
        sub, invoice = Subscription.start(PLUS, SUBSCRIBED, policy=SAAS)
        assert invoice is None
        assert sub.plan == PLUS

    def test_billed_on_the_subscription_date_calculated_3_days_before(
        self,
    ) -> None:
        """'billed monthly on the subscription date, and charges are
        calculated three (3) days before the billing date'."""
        sub, _ = Subscription.start(PLUS, SUBSCRIBED, policy=SAAS)
        assert sub.next_billing_date == datetime(2024, 7, 15, tzinfo=UTC)
        assert sub.next_calculation_date == datetime(2024, 7, 12, tzinfo=UTC)
        sub, invoice = sub.bill()
        assert invoice.issued_at == datetime(2024, 7, 15, tzinfo=UTC)
        assert invoice.calculated_at == datetime(2024, 7, 12, tzinfo=UTC)
        assert invoice.amount_due == usd("310")
        assert sub.next_billing_date == datetime(2024, 8, 15, tzinfo=UTC)

    def test_mid_cycle_downgrade_bills_only_the_days_on_plus(self) -> None:
        """'If you downgrade from Plus in the middle of a cycle, your plan
        immediately changes ... you are billed on your actual usage': 10 of
        31 days on Plus cost $100, the rest on Free nothing."""
        sub, _ = Subscription.start(PLUS, SUBSCRIBED, policy=SAAS)
        sub, _ = sub.bill()
        sub, outcome = sub.change_plan(FREE, datetime(2024, 7, 25, tzinfo=UTC))
        assert sub.plan == FREE
        assert outcome.invoice is None
        assert "arrears" in outcome.reason
        invoice = sub.preview_invoice()
        assert [(line.description, line.amount) for line in invoice.lines] == [
            ("Used time on Plus (10 days)", usd("100")),
            ("Used time on Free (21 days)", usd("0")),
        ]
        assert invoice.amount_due == usd("100")

    def test_usage_after_the_calculation_date_rolls_over(self) -> None:
        """Usage recorded after the calculation date goes on the invoice
        after next."""
        metered = Plan(
            id="metered",
            price=usd("10"),
            allowances=(
                UsageAllowance(
                    metric="requests",
                    included=0,
                    overage_price=usd("1"),
                ),
            ),
        )
        sub, _ = Subscription.start(metered, SUBSCRIBED, policy=SAAS)
        sub = sub.record_usage(
            "requests", 5, datetime(2024, 7, 11, tzinfo=UTC)
        )
        sub = sub.record_usage(
            "requests", 7, datetime(2024, 7, 13, tzinfo=UTC)
        )
        sub, first = sub.bill()
        (early,) = first.lines_of(InvoiceLineKind.OVERAGE)
        assert early.amount == usd("5")
        _, second = sub.bill()
        (late,) = second.lines_of(InvoiceLineKind.OVERAGE)
        assert late.amount == usd("7")

    def test_schedule_assigns_moments_to_invoices(self) -> None:
        """The schedule says which invoice covers a moment."""
        sub, _ = Subscription.start(PLUS, SUBSCRIBED, policy=SAAS)
        schedule = sub.schedule
        on_12th = schedule.invoice_index_for(datetime(2024, 7, 12, tzinfo=UTC))
        on_11th = schedule.invoice_index_for(datetime(2024, 7, 11, tzinfo=UTC))
        assert schedule.billing_date(on_11th).month == 7
        assert schedule.billing_date(on_12th).month == 8


# -- the invoice a moment goes on ---------------------------------------------


def _walked_index(schedule: BillingSchedule, moment: datetime) -> int:
    """invoice_index_for as it was: one billing date at a time."""
    index = max(schedule.cycle.index_of(moment) + 1, schedule.first_index)
    while to_utc(schedule.calculation_date(schedule.billing_date(index))) <= (
        to_utc(moment)
    ):
        index += 1
    return index


def test_invoice_index_for_a_long_lead_is_quick() -> None:
    """A lead of 821 years over daily billing walked 300,000 dates (over 2 s
    in all); it now skips them."""
    schedule = BillingSchedule(
        cycle=BillingCycle(datetime(2000, 1, 1, tzinfo=UTC), Interval.days(1)),
        policy=BillingPolicy(calculation_lead=timedelta(days=300_000)),
    )
    started = time.perf_counter()
    index = schedule.invoice_index_for(JUNE_1)
    assert time.perf_counter() - started < 0.5
    # The first billing date calculated after the moment, as the walk's.
    calculated = schedule.calculation_date
    assert calculated(schedule.billing_date(index)) > JUNE_1
    assert calculated(schedule.billing_date(index - 1)) <= JUNE_1


@settings(max_examples=300)
@given(
    cycle=billing_cycles(),
    lead=st.timedeltas(timedelta(0), timedelta(days=120)),
    moment=instants(),
    timing=st.sampled_from(BillingTiming),
)
def test_invoice_index_for_skips_to_the_walked_index(
    cycle: BillingCycle,
    lead: timedelta,
    moment: datetime,
    timing: BillingTiming,
) -> None:
    """Skipping the dates within the lead finds the walk's index, across
    DST changes too."""
    schedule = BillingSchedule(
        cycle=cycle,
        policy=BillingPolicy(timing=timing, calculation_lead=lead),
    )
    assert schedule.invoice_index_for(moment) == _walked_index(
        schedule, moment
    )
