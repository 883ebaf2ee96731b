"""Polar's proration behaviours, each by its billing policy alone.

``presets.POLAR_BEHAVIORS`` maps Polar's ``proration_behavior`` values
(polarsource/polar @ c6c3645e, server/polar/enums.py
``SubscriptionProrationBehavior``) to billing policies. Each case below is
one of Polar's own tests, built through the public API with the mode's
policy alone, asserting the billing entries in cents as the test prints
them (Polar's entries carry a direction; a credit is negative here).

Sources: server/tests/subscription/test_service.py and
server/tests/subscription/test_service_prorations.py; the rules in
server/polar/subscription/update.py and subscription/service.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from prorata import (
    ANNUAL,
    AddOn,
    BillingAnchor,
    BillingPolicy,
    Interval,
    InvalidPolicyError,
    Item,
    Plan,
    Settlement,
    Subscription,
    presets,
)
from prorata.errors import BackdatingError
from tests.cases import cents, invoiced, started
from tests.common import usd, utc

MODES = presets.POLAR_BEHAVIORS
JUNE = utc(2025, 6, 1)
MID_JUNE = utc(2025, 6, 16)


def billed(lines: list[int]) -> list[int]:
    """The lines that bill something: Polar makes no entry for a free
    price (update.py ``_collect_proratable_amounts``: "free (zero-amount)
    ... prices are skipped")."""
    return [amount for amount in lines if amount]


class TestReset:
    """``reset``: "Invoice the full amount of the new plan immediately and
    reset the billing cycle to now. No proration." (enums.py)."""

    SEAT = AddOn(id="seat", price=usd("10"))

    @pytest.mark.parametrize(
        ("initial", "new", "debit"), [(5, 10, 10000), (10, 5, 5000)]
    )
    def test_yd2_yd3_seats_reset_the_cycle(
        self, initial: int, new: int, debit: int
    ) -> None:
        """YD2, YD3 (test_service.py TestUpdateSeats.test_proration_reset_
        success[5-10] and [10-5]): seats at 1000, period 2025-06-01 to
        07-01, set on 06-16 with reset: the period is 06-16 to 07-16, and
        "only one debit entry for the new period (no proration for
        reset)", 06-16 to 07-16, ``1000 * new``: 10000 and 5000, on an
        order created at once."""
        sub, _ = started(
            Plan(id="seat-product", price=usd("0")),
            JUNE,
            MODES["reset"],
            items=[Item(self.SEAT, initial)],
        )
        after, outcome = sub.change_quantity(self.SEAT, new, MID_JUNE)
        invoice = invoiced(outcome)
        assert billed(cents(invoice.lines)) == [debit]
        assert {(x.start, x.end) for x in invoice.lines} == {
            (MID_JUNE, utc(2025, 7, 16))
        }
        assert outcome.settlement is Settlement.INVOICE_NOW
        assert (after.period.start, after.period.end) == (
            MID_JUNE,
            utc(2025, 7, 16),
        )
        assert after.items == (Item(self.SEAT, new),)

    def test_product_reset_bills_the_new_product_only(self) -> None:
        """test_service_prorations.py TestUpdateProductProrations.test_
        reset_behavior: 50_00 a month to 100_00 a month, period 2025-06-01
        to 07-01, on 06-16 with reset: one entry, a debit of 100_00 for
        06-16 to 07-16, an order created at once, the period and anchor
        day reset to the 16th."""
        sub, _ = started(Plan(id="old", price=usd("50")), JUNE, MODES["reset"])
        after, outcome = sub.change_plan(
            Plan(id="new", price=usd("100")), MID_JUNE
        )
        invoice = invoiced(outcome)
        assert cents(invoice.lines) == [10000]
        assert (invoice.lines[0].start, invoice.lines[0].end) == (
            MID_JUNE,
            utc(2025, 7, 16),
        )
        _, july = after.bill()
        assert july.issued_at == utc(2025, 7, 16)
        assert cents(july.lines) == [10000]

    def test_the_same_subscription_under_prorate_credits_the_unused_half(
        self,
    ) -> None:
        """The contrast: without reset the 06-16 change of
        test_reset_behavior credits half of 50_00 and debits half of
        100_00 (Polar's default, as test_upgrade_base_cases prorates),
        and the period stays."""
        sub, _ = started(
            Plan(id="old", price=usd("50")), JUNE, MODES["prorate"]
        )
        after, outcome = sub.change_plan(
            Plan(id="new", price=usd("100")), MID_JUNE
        )
        assert sorted(cents(outcome.lines)) == [-2500, 5000]
        assert after.period.end == utc(2025, 7, 1)

    def test_a_trial_keeps_its_dates(self) -> None:
        """A seat change in a free trial bills nothing (service.py
        update_seats: "Skip proration for trialing subscriptions")."""
        sub, first = Subscription.start(
            Plan(id="seat-product", price=usd("0")),
            JUNE,
            trial=timedelta(days=14),
            policy=MODES["reset"],
            items=[Item(self.SEAT, 5)],
        )
        assert first is None
        after, outcome = sub.change_quantity(
            self.SEAT, 10, MID_JUNE - timedelta(days=10)
        )
        assert outcome.invoice is None
        assert after.in_trial

    def test_the_same_count_changes_nothing(self) -> None:
        """update_seats: "re-asserting the current seat count ... is a
        true no-op" (service.py): no entry, the period kept."""
        sub, _ = started(
            Plan(id="seat-product", price=usd("0")),
            JUNE,
            MODES["reset"],
            items=[Item(self.SEAT, 5)],
        )
        after, outcome = sub.change_quantity(self.SEAT, 5, MID_JUNE)
        assert outcome.invoice is None
        assert outcome.lines == ()
        assert after.period.start == JUNE

    def test_a_plan_change_in_a_trial_keeps_it(self) -> None:
        """update_product: "Skip proration for trialing subscriptions"; the
        new product with a trial of its own as long, which keeps it."""
        sub, _ = Subscription.start(
            Plan(id="old", price=usd("50")),
            JUNE,
            trial=timedelta(days=14),
            policy=MODES["reset"],
        )
        after, outcome = sub.change_plan(
            Plan(id="new", price=usd("100"), trial=Interval.days(14)),
            utc(2025, 6, 5),
        )
        assert outcome.invoice is None
        assert after.in_trial
        assert after.next_billing_date == utc(2025, 6, 15)

    def test_a_backdated_change_is_refused(self) -> None:
        """Every change restarts the period, which no replay can redo."""
        sub, _ = started(
            Plan(id="seat-product", price=usd("0")),
            JUNE,
            MODES["reset"],
            items=[Item(self.SEAT, 5)],
        )
        sub, _ = sub.bill()
        with pytest.raises(BackdatingError, match="billing_anchor 'now'"):
            sub.change_quantity(self.SEAT, 10, MID_JUNE)


class TestProrate:
    """``prorate``, the organisation's default (models/organization.py
    ``_default_subscription_settings``): the ``polar`` convention."""

    def test_it_is_the_polar_convention(self) -> None:
        assert MODES["prorate"] == presets.CONVENTIONS["polar"]

    def test_upgrade_waits_for_the_next_invoice(self) -> None:
        """test_service_prorations.py TestUpdateProductProrations.test_
        upgrade_base_cases[monthly-basic-to-pro-middle-of-month]: 10000
        to 30000 a month from 2025-06-01, on 06-16: credit 5000, debit
        15000, both pending, no order created, the period kept."""
        sub, _ = started(
            Plan(id="basic", price=usd("100")), JUNE, MODES["prorate"]
        )
        after, outcome = sub.change_plan(
            Plan(id="pro", price=usd("300")), MID_JUNE
        )
        assert sorted(cents(outcome.lines)) == [-5000, 15000]
        assert outcome.invoice is None
        assert outcome.settlement is Settlement.NEXT_INVOICE
        assert after.period.end == utc(2025, 7, 1)

    def test_a_new_interval_resets_and_invoices_at_once(self) -> None:
        """test_upgrade_base_cases[monthly-to-yearly-middle-of-month]:
        10000 a month to 100000 a year on 06-16: credit 5000, debit
        100000 "as the new cycle starts at the time of the update"; the
        period 06-16 to 2026-06-16 and "we always invoice"."""
        sub, _ = started(
            Plan(id="basic", price=usd("100")), JUNE, MODES["prorate"]
        )
        after, outcome = sub.change_plan(
            Plan(id="yearly", price=usd("1000"), interval=ANNUAL), MID_JUNE
        )
        assert cents(invoiced(outcome).lines) == [-5000, 100000]
        assert (after.period.start, after.period.end) == (
            MID_JUNE,
            utc(2026, 6, 16),
        )


class TestInvoice:
    """``invoice``: "Invoice immediately, and add prorations to the
    invoice" (enums.py)."""

    def test_upgrade_invoiced_at_once(self) -> None:
        """test_service_prorations.py TestUpdateProductProrations.test_
        customer_with_multiple_subscriptions: the subscription from
        2025-06-02 at 20000 a month changed to 40000 on 06-17 with
        invoice: credit 10000, debit 20000, an order created at once, the
        period 06-02 to 07-02 kept."""
        sub, _ = started(
            Plan(id="second", price=usd("200")),
            utc(2025, 6, 2),
            MODES["invoice"],
        )
        after, outcome = sub.change_plan(
            Plan(id="fourth", price=usd("400")), utc(2025, 6, 17)
        )
        assert sorted(cents(invoiced(outcome).lines)) == [-10000, 20000]
        assert (after.period.start, after.period.end) == (
            utc(2025, 6, 2),
            utc(2025, 7, 2),
        )


class TestNextPeriod:
    """``next_period``: "Don't invoice immediately, and don't add
    prorations. The new price will be applied at the start of the next
    period." (enums.py)."""

    def test_the_change_waits_for_the_period_end(self) -> None:
        """test_service.py TestUpdateProduct.test_next_period_behavior_new_
        update: a subscription on product_recurring_multiple_currencies
        (1000 usd a month) changed to ``product`` (create_product's
        default price, 1000 usd a month; server/tests/fixtures/
        random_objects.py) with next_period: the subscription keeps its
        product, and the update's ``applies_at`` is the
        ``current_period_end``; no billing entry is made now. The invoice
        of that date bills the new product's price, 1000."""
        sub, _ = started(
            Plan(id="multiple-currencies", price=usd("10")),
            JUNE,
            MODES["next_period"],
        )
        after, outcome = sub.change_plan(
            Plan(id="product", price=usd("10")), MID_JUNE
        )
        assert outcome.lines == ()
        assert outcome.invoice is None
        assert outcome.settlement is Settlement.SCHEDULED
        assert after.plan.id == "multiple-currencies"
        pending = after.pending_change
        assert pending is not None
        assert pending.at == utc(2025, 7, 1)
        _, july = after.bill()
        assert july.issued_at == utc(2025, 7, 1)
        assert [(x.product, x.amount.minor_units) for x in july.lines] == [
            (pending.new, 1000)
        ]

    def test_an_upgrade_to_a_year_waits_too(self) -> None:
        """update.py: a change of interval resets the cycle where it
        applies, here at ``current_period_end`` (applies_at): nothing is
        billed on 06-16 for 10000 a month -> 100000 a year, and the year
        opens on 07-01."""
        sub, _ = started(
            Plan(id="basic", price=usd("100")), JUNE, MODES["next_period"]
        )
        after, outcome = sub.change_plan(
            Plan(id="yearly", price=usd("1000"), interval=ANNUAL), MID_JUNE
        )
        assert outcome.invoice is None
        after, july = after.bill()
        assert cents(july.lines) == [100000]
        assert after.period.end == utc(2026, 7, 1)

    def test_a_seat_change_bills_nothing_before_the_period_end(self) -> None:
        """update_seats with next_period stores the seats as a pending
        update: nothing is billed now, the next cycle bills the new
        count (5 to 8 seats at 1500, test_service.py TestUpdateProduct.
        test_next_period_behavior_existing_seats_update)."""
        seat = AddOn(id="seat", price=usd("15"))
        sub, _ = started(
            Plan(id="product-a", price=usd("0")),
            JUNE,
            MODES["next_period"],
            items=[Item(seat, 5)],
        )
        after, outcome = sub.change_quantity(seat, 8, MID_JUNE)
        assert outcome.invoice is None
        assert billed(cents(outcome.lines)) == []
        _, july = after.bill()
        assert billed(cents(july.lines)) == [12000]


class TestTheOption:
    def test_a_plain_string_is_read(self) -> None:
        policy = BillingPolicy(billing_anchor="now")
        assert policy.billing_anchor is BillingAnchor.NOW

    def test_an_unknown_value_is_refused(self) -> None:
        with pytest.raises(InvalidPolicyError, match="billing_anchor"):
            BillingPolicy(billing_anchor="reset")  # type: ignore[arg-type]

    def test_the_defaults_keep_the_dates(self) -> None:
        assert BillingPolicy().billing_anchor is BillingAnchor.UNCHANGED
        assert {
            name
            for name, c in presets.CONVENTIONS.items()
            if c.billing_anchor is not BillingAnchor.UNCHANGED
        } == set()

    def test_every_change_waiting_cannot_restart_at_the_change(self) -> None:
        with pytest.raises(InvalidPolicyError, match="all-at-period-end"):
            BillingPolicy(downgrades="all-at-period-end", billing_anchor="now")
