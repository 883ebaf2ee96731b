"""Published platform cases of a tenth audit (a), by each convention alone.

New cases (IDs KL, NL), none among the cases, tests or figures of
``docs/research/`` or the test modules (each source file name, test name
and printed amount was searched for in ``docs/research/*.md`` and
``tests/test_*.py``). Each is built through the public API with
``presets.CONVENTIONS[name]`` and asserts the figures as the source prints
them; KL10 also needs an option of one call, named in its docstring. The
audit file ``docs/research/audit-2026-12-03e.md`` has the table per
platform; Orb gave no new case (its stored pages print no amount that is
not used already).

Sources (mirrors fetched 2026):

- Kill Bill: killbill/killbill-integration-tests @ 99c28215,
  killbill-integration-tests/core/: test_refund_credit.rb,
  test_invoice_void.rb, test_migration_scenario.rb,
  test_mixed_catalog_with_usage.rb and test_shopping_card.rb, every test
  printing an amount; the catalogs in killbill-integration-tests/
  resources/ (SpyCarAdvanced.xml, the default catalog's Basic at $1,000.00
  a month or $10,000.00 a year, Catalog-Mixed-With-Usage.xml: Voip
  unlimited at $39.99 a month, Voip by usage at 0.99 a minute, IN_ARREAR,
  SUBSCRIPTION billing alignment). Every account starts on
  DEFAULT_KB_INIT_DATE, 2013-08-01 (test_base.rb). The rule behind a
  difference read in killbill/killbill @ cb60779c.
- OpenMeter: openmeterio/openmeter @ 7e57a394, openmeter/billing/worker/
  subscriptionsync/service/sync_test.go, the tests no file here names that
  print a line amount; the rules read in openmeter/billing/worker/
  subscriptionsync/service/targetstate/targetstateitem.go.

Modelling: Kill Bill's $0 FIXED item of a trial phase is the
subscription's ``trial`` (no invoice in it), as in the ninth audit. A
Kill Bill plan with no recurring price (Voip by usage, IN_ARREAR usage
only) is a $0 plan with a usage allowance of 0 included minutes at 0.99
each: prorata bills it $0.00 lines, and its own invoices where Kill Bill
issues none; the tests compare the lines that are not $0.00 and each
invoice's total. Payments, refunds of payments and invoice voiding are
not modelled; only the invoice items are compared.

Failed when audited: KL3 (test_refund_credit.rb, test_early_
cancellation_and_refund_with_item_adjustments): an item adjusted after
the cancellation (333.33 refused, 166.67 accepted) met prorata's refusal
of any credit once a subscription has ended (``SubscriptionEndedError``);
Kill Bill adjusts an item at any time up to what is left of it
(invoice/tree/Item.java ``getNetAmount``). Since, ``issue_credit`` takes
a credit after the end against the last period, up to what is left of
what it billed, and KL3 passes by the convention alone. KL4 (test_refund_
and_cancel_with_item_adjustments): after a refund of 333.33, the
cancellation returned -0.01 net (-333.33 less a cap of 333.32: what was
billed less the time used and what was returned), printed REPAIR_ADJ
-166.67: Kill Bill caps a repair at what is left of the item, the time
used not deducted (Item.java ``toProratedInvoiceItem``,
``maxAmountForRepair``). Since, the ``kill-bill`` conventions take
``cancel_cap`` ``paid`` and KL4 passes by the convention alone. KL14 to
KL19 (test_shopping_card.rb): OilSlick ($4.00 in its DISCOUNT phase)
bought with Sports (a 30-day trial), printed 3.87 for its stub to the
trial's end (4.00 x 30/31), where prorata billed nothing in a free
trial; Kill Bill's trial is a phase of the base plan alone, an add-on
billed from its own start (the ninth audit's KJ16). Since, the
``kill-bill`` conventions take ``trial_scope`` ``plan`` (the add-ons
billed from their start to the trial's end, over the interval counted
back from it) and KL14 to KL19 pass by the convention alone. NL6
(TestDefactoZeroPrices): a flat fee of 0, printed no line and no
invoice, where prorata billed a $0.00 line; OpenMeter makes no line of
a fee of zero (targetstateitem.go: ``if perUnitAmount.IsZero() {
return nil, nil }``). Since, the ``openmeter`` conventions take
``zero_lines`` ``drop`` and NL6 passes by the convention alone.

Left out
--------

(Printed figure vs prorata's, and the platform's rule prorata does not
follow.)

- KL10 by the convention alone (test_mixed_catalog_with_usage.rb,
  test_pause_resume_usage; it passes with an option, below): after the
  resume on 2013-09-05 the test sets the BCD to 5 at once (update_bcd, no
  effective date): printed 4.95 for 09-05 to 10-05 (5 minutes).
  prorata's pause keeps the billing day (credit-and-keep-day) and
  ``move_anchor`` moves it at the next billing date only: 2.97 for 09-05
  to 10-01 (3 minutes) on 10-01, then 1.98 for 10-01 to 10-05. Kill
  Bill's rule: a BCD update without an effective date applies at once,
  the period restarting on the new day.
- NL3 (sync_test.go, TestInAdvanceFlatFeeCancelAtFirstBillingBoundary
  BillFullPeriodMode): $20 a month in advance, anchored on 2024-01-01,
  started 2024-01-21T21:55:18Z, cancelled 13 seconds later for 02-01
  under the profile's SubscriptionEndProrationMode bill_full_period:
  printed 20 for the stub 01-21T21:55:18 to 02-01. prorata: $6.51 (20 x
  10 d 2 h 4 min 42 s / 31 d, the first invoice issued at the start, the
  cancellation after it crediting nothing). OpenMeter's rule: a flat fee
  whose service period reaches the subscription's end is not prorated in
  bill_full_period mode (targetstateitem.go shouldProrate, line 147:
  ``case billing.SubscriptionEndProrationModeBillFullPeriod: if
  r.Subscription.ActiveTo != nil && !r.Subscription.ActiveTo.After(
  r.ServicePeriod.To) { return false }``).
- NL5 (TestInArrearsGatheringSyncNonBillableAmount): a plan with
  ProRatingConfig Enabled false, a flat 5 in arrears from 2024-01-01,
  replaced by 10 forty seconds later: printed 5 for 00:00:00 to 00:00:40
  and 10 for 00:00:40 to 02-01, both invoiced at 02-01. prorata
  (``openmeter-in-arrears``): $0.00 for the 40 seconds invoiced at the
  change, $10.00 at 02-01; no option bills the used time of a plan
  whole (``Treatment`` is a change's credit and charge). OpenMeter's
  rule: without prorating a line bills its full price whatever its
  service period (shouldProrate, line 138: ``if !r.Subscription.
  ProRatingConfig.Enabled { return false }``).
- NL7 (TestInArrearsOneTimeFeeSyncing): a one-time flat fee of 5 in
  arrears, the subscription from 2024-01-01 (anchor 2023-12-15),
  cancelled for 2024-01-15: no line until the cancellation, then 5 for
  01-01 to 01-15 invoiced at 01-15. prorata: a ``Charge`` bills its $5.00
  on the day it is added (2024-01-01), a one-time line, whatever the
  timing. OpenMeter's rule: a one-time fee in arrears is billed at the end
  of its service period, which is the subscription's ("we don't know what
  is in arrears" until it ends, the test's comment).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prorata import (
    ANNUAL,
    AddOn,
    InvalidAmountError,
    Invoice,
    InvoiceLineKind,
    Item,
    Plan,
    Subscription,
    UsageAllowance,
    presets,
)
from tests.cases import cents, invoiced, started
from tests.common import usd, utc

C = presets.CONVENTIONS
KB = C["kill-bill"]
KB_ARREARS = C["kill-bill-in-arrears"]
OM = C["openmeter"]


def lines(invoice: Invoice | None) -> list[tuple[str, str, str]]:
    """An invoice's lines as amount, start date and end date."""
    assert invoice is not None
    return [
        (str(line.amount), str(line.start.date()), str(line.end.date()))
        for line in invoice.lines
    ]


def paid_lines(invoice: Invoice | None) -> list[tuple[str, str, str]]:
    """An invoice's lines that are not $0.00, as :func:`lines` gives
    them (a $0 plan stands for a Kill Bill plan with no recurring
    price)."""
    return [line for line in lines(invoice) if line[0] != "$0.00"]


def moments(invoice: Invoice | None) -> list[tuple[str, str, str]]:
    """An invoice's lines as amount, start and end moment in UTC."""
    assert invoice is not None
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    return [
        (
            str(line.amount),
            line.start.astimezone(UTC).strftime(stamp),
            line.end.astimezone(UTC).strftime(stamp),
        )
        for line in invoice.lines
    ]


# ------------------------------------------------------------- Kill Bill


SPORTS = Plan(id="sports-monthly", price=usd("500"))
UNLIMITED = Plan(id="voip-monthly-unlimited", price=usd("39.99"))
BY_USAGE = Plan(
    id="voip-monthly-by-usage",
    price=usd("0"),
    allowances=(
        UsageAllowance(
            metric="minutes", included=0, overage_price=usd("0.99")
        ),
    ),
)


def minutes(sub: Subscription, *days: tuple[int, int]) -> Subscription:
    """One minute recorded on each (month, day) of 2013."""
    for month, day in days:
        sub = sub.record_usage("minutes", 1, utc(2013, month, day))
    return sub


class TestKillBillRefundCredit:
    """core/test_refund_credit.rb, the default catalog: Sports, a 30-day
    TRIAL ($0 FIXED item, the subscription's ``trial``), then $500.00 a
    month; from 2013-08-01, so the billing day is the 31st, the period
    2013-08-31 to 2013-09-30 billed when the trial ends. The refunds of
    the payment (REFUND transactions) are payments and are not compared."""

    def billed(self) -> Subscription:
        """Sports out of its trial, 500 billed for 08-31 to 09-30."""
        sub, first = Subscription.start(
            SPORTS, utc(2013, 8, 1), policy=KB, trial=utc(2013, 8, 31)
        )
        assert first is None
        sub, renewal = sub.bill()
        assert lines(renewal) == [("$500.00", "2013-08-31", "2013-09-30")]
        return sub

    def test_kl1_early_cancellation_then_refund(self) -> None:
        """KL1 (test_early_cancellation_and_refund): cancelled on
        2013-09-10: the third invoice REPAIR_ADJ -333.33 for 09-10 to
        09-30 and CBA_ADJ 333.33 (the credit to the account). The refund
        of 333.33 that follows, and the credit it consumes (CBA_ADJ
        -333.33 on the second invoice), are payments: not compared."""
        sub, outcome = self.billed().cancel(utc(2013, 9, 10))
        invoice = invoiced(outcome)
        assert lines(invoice) == [("-$333.33", "2013-09-10", "2013-09-30")]
        assert invoice.amount_due == usd("0")
        assert sub.credit_balance == usd("333.33")

    def test_kl2_refund_then_cancellation(self) -> None:
        """KL2 (test_refund_and_cancel): the payment refunded first by
        333.33 (no item adjustment: a payment, not compared), then the
        cancellation on 2013-09-10: the same REPAIR_ADJ -333.33 for 09-10
        to 09-30 and CBA_ADJ 333.33 ("the exact same invoice as we got
        in the first scenario")."""
        sub, outcome = self.billed().cancel(utc(2013, 9, 10))
        assert lines(invoiced(outcome)) == [
            ("-$333.33", "2013-09-10", "2013-09-30")
        ]
        assert sub.credit_balance == usd("333.33")


    def test_kl3_item_adjusted_after_the_cancellation(self) -> None:
        """KL3 (test_early_cancellation_and_refund_with_item_adjustments):
        cancelled on 2013-09-10 (REPAIR_ADJ -333.33, CBA_ADJ 333.33), then
        the RECURRING item adjusted: 333.33 refused (more than is left of
        the item), 166.67 accepted, ITEM_ADJ -166.67 and an account credit
        of 166.67. The adjustment is ``issue_credit`` after the end."""
        sub, outcome = self.billed().cancel(utc(2013, 9, 10))
        assert lines(invoiced(outcome)) == [
            ("-$333.33", "2013-09-10", "2013-09-30")
        ]
        with pytest.raises(InvalidAmountError, match=r"166\.67 left"):
            sub.issue_credit(usd("333.33"), utc(2013, 9, 10))
        after, note = sub.issue_credit(usd("166.67"), utc(2013, 9, 10))
        assert [line.amount for line in note.lines] == [usd("-166.67")]
        assert after.credit_balance == usd("500.00")


    def test_kl4_refund_then_cancellation_capped_by_the_item(self) -> None:
        """KL4 (test_refund_and_cancel_with_item_adjustments): on
        2013-09-10 the item adjusted by 333.33 and refunded (ITEM_ADJ
        -333.33), then cancelled the same day: REPAIR_ADJ -166.67 for 09-10
        to 09-30 and CBA_ADJ 166.67 ("calculate the largest available
        amount left"). prorata's lines: the unused time, -333.33, and the
        cap taking back 166.66 of it: -166.67 returned to the balance."""
        sub, note = self.billed().issue_credit(
            usd("333.33"), utc(2013, 9, 10), refund=True
        )
        assert note.refund == usd("333.33")
        sub, outcome = sub.cancel(utc(2013, 9, 10))
        assert invoiced(outcome).subtotal == usd("-166.67")
        assert outcome.returned == usd("166.67")
        assert sub.credit_balance == usd("166.67")


class TestKillBillVoid:
    """core/test_invoice_void.rb, the default catalog's Sports."""

    def test_kl5_trial_then_first_paid_month(self) -> None:
        """KL5 (test_void_invoice): the trial's invoice 0 (FIXED, 08-01
        to 08-31); 31 days later the second invoice 500.0, RECURRING
        sports-monthly-evergreen 2013-08-31 to 2013-09-30 (dated 09-01,
        the clock moved past the 31st; prorata issues it on 08-31). The
        refund and the void that follow are not compared."""
        sub, first = Subscription.start(
            SPORTS, utc(2013, 8, 1), policy=KB, trial=utc(2013, 8, 31)
        )
        assert first is None
        _, second = sub.bill()
        assert lines(second) == [("$500.00", "2013-08-31", "2013-09-30")]
        assert second.total == usd("500")


class TestKillBillMigration:
    """core/test_migration_scenario.rb, the default catalog's Basic:
    billing blocked (INIT_MIGRATION) from the subscriptions' creation to
    CUTOFF_MIGRATION, with invoicing off: each subscription is billed from
    its cutoff, so here it starts there."""

    def test_kl6_billing_from_each_cutoff(self) -> None:
        """KL6 (test_migration_scenario): Basic MONTHLY (ACCOUNT
        alignment, BCD 1) with its cutoff on 2013-07-01: 1000.00 for
        07-01 to 08-01, 1000.00 for 08-01 to 09-01 and, on 09-01, 1000.00
        for 09-01 to 10-01; Basic ANNUAL ("billing alignment is
        SUBSCRIPTION") with its cutoff on 2013-08-10: 10_000.00 for
        2013-08-10 to 2014-08-10, the account's BCD staying 1."""
        monthly, first = started(
            Plan(id="basic-monthly", price=usd("1000")),
            utc(2013, 7, 1),
            KB,
        )
        billed = [lines(first)]
        for _ in range(2):
            monthly, invoice = monthly.bill()
            billed.append(lines(invoice))
        assert billed == [
            [("$1,000.00", "2013-07-01", "2013-08-01")],
            [("$1,000.00", "2013-08-01", "2013-09-01")],
            [("$1,000.00", "2013-09-01", "2013-10-01")],
        ]
        _, annual = Subscription.start(
            Plan(id="basic-annual", price=usd("10000"), interval=ANNUAL),
            utc(2013, 8, 10),
            policy=KB,
            account_day=1,
        )
        assert lines(annual) == [("$10,000.00", "2013-08-10", "2014-08-10")]


class TestKillBillMixedWithUsage:
    """core/test_mixed_catalog_with_usage.rb, Catalog-Mixed-With-Usage.xml:
    voip-monthly-unlimited, $39.99 a month in advance
    (``kill-bill``); voip-monthly-by-usage, 0.99 a minute, IN_ARREAR, no
    recurring price (``kill-bill-in-arrears`` alone; ``kill-bill`` when the
    subscription also has the plan in advance); from 2013-08-01."""

    def test_kl7_recurring_then_end_of_term_cancel(self) -> None:
        """KL7 (test_basic_recurring): 39.99 for 08-01 to 09-01, 39.99 on
        09-01 for 09-01 to 10-01; cancelled END_OF_TERM on 09-01 (charged
        through 2013-10-01): on 10-01 "No new invoice is generated"."""
        sub, first = started(UNLIMITED, utc(2013, 8, 1), KB)
        sub, second = sub.bill()
        assert [lines(first), lines(second)] == [
            [("$39.99", "2013-08-01", "2013-09-01")],
            [("$39.99", "2013-09-01", "2013-10-01")],
        ]
        sub, outcome = sub.cancel(at_period_end=True)
        assert outcome.invoice is None
        assert sub.ends_at == utc(2013, 10, 1)
        ended, invoices = sub.bill_through(utc(2013, 10, 1))
        assert invoices == ()
        assert ended.ended

    def test_kl8_usage_in_arrears_then_immediate_cancel(self) -> None:
        """KL8 (test_basic_usage): a minute every other day of August (15
        minutes): on 09-01 USAGE 14.85 for 08-01 to 09-01; on 10-01 0 for
        09-01 to 10-01 (no usage); six minutes in October, cancelled
        IMMEDIATE on 10-15: 5.94 for 10-01 to 10-15; then no invoice."""
        sub, first = Subscription.start(
            BY_USAGE, utc(2013, 8, 1), policy=KB_ARREARS
        )
        assert first is None
        sub = minutes(sub, *[(8, day) for day in range(2, 32, 2)])
        sub, august = sub.bill()
        assert paid_lines(august) == [("$14.85", "2013-08-01", "2013-09-01")]
        sub, september = sub.bill()
        assert september.total == usd("0")
        assert september.lines_of(InvoiceLineKind.OVERAGE) == ()
        sub = minutes(sub, (10, 1), (10, 2), (10, 3), (10, 4), (10, 5))
        sub = minutes(sub, (10, 7))
        sub, outcome = sub.cancel(utc(2013, 10, 15))
        final = invoiced(outcome)
        assert paid_lines(final) == [("$5.94", "2013-10-01", "2013-10-15")]
        assert final.total == usd("5.94")
        assert sub.ended

    def test_kl9_billing_paused_at_the_billing_date(self) -> None:
        """KL9 (test_pause_resume_recurring): 39.99 for 08-01 to 09-01;
        on 08-05 billing blocked from 2013-09-01 ("billing at CTD (no
        proration)"): no invoice through 10-05; billing unblocked
        effective 2013-10-01: 39.99 for 10-01 to 11-01 (the invoice dated
        10-05, the day it is entered; prorata issues it on 10-01), then
        39.99 for 11-01 to 12-01."""
        sub, first = started(UNLIMITED, utc(2013, 8, 1), KB)
        assert lines(first) == [("$39.99", "2013-08-01", "2013-09-01")]
        sub, paused = sub.pause(at_period_end=True)
        assert paused is None
        sub, resumed = sub.resume(utc(2013, 10, 1))
        assert lines(resumed) == [("$39.99", "2013-10-01", "2013-11-01")]
        _, third = sub.bill()
        assert lines(third) == [("$39.99", "2013-11-01", "2013-12-01")]

    def test_kl10_usage_paused_resumed_on_a_new_bcd(self) -> None:
        """KL10 (test_pause_resume_usage), with the option
        ``Subscription.pause(mode="credit-and-restart")`` (the resume's
        new period standing for the test's BCD update to 5 at once): five
        minutes on 08-01 to 08-05; billing blocked from 2013-09-01: on
        09-01 USAGE 4.95 for 08-01 to 09-01; the minutes of 09-01, 09-02
        and 09-04, in the pause, are not billed (prorata refuses usage
        dated in a pause: not recorded); resumed on 2013-09-05 and the
        BCD set to 5: minutes on 09-05, 09-06, 09-07, 10-01 and 10-02: on
        10-05 USAGE 4.95 for 2013-09-05 to 2013-10-05."""
        sub, first = Subscription.start(
            BY_USAGE, utc(2013, 8, 1), policy=KB_ARREARS
        )
        assert first is None
        sub = minutes(sub, (8, 1), (8, 2), (8, 3), (8, 4), (8, 5))
        sub, august = sub.bill()
        assert paid_lines(august) == [("$4.95", "2013-08-01", "2013-09-01")]
        sub, _ = sub.pause(utc(2013, 9, 1), mode="credit-and-restart")
        sub, resumed = sub.resume(utc(2013, 9, 5))
        assert resumed is None or resumed.total == usd("0")
        sub = minutes(sub, (9, 5), (9, 6), (9, 7), (10, 1), (10, 2))
        _, second = sub.bill()
        assert second.issued_at == utc(2013, 10, 5)
        assert paid_lines(second) == [("$4.95", "2013-09-05", "2013-10-05")]

    def test_kl11_usage_to_recurring_before_first_invoice(self) -> None:
        """KL11 (test_change_usage_to_recurring_before_first_invoice): six
        minutes in August; on 2013-08-15 the BCD set to 15 ("we want both
        outstanding usage and new recurring charged right away") and the
        plan changed to unlimited: the first invoice (08-15) USAGE 5.94
        for 08-01 to 08-15, the second (08-15) 39.99 for 08-15 to 09-15
        (prorata: one invoice with both, and a $0.00 line for the usage
        plan's unused time); on 09-15 39.99 for 09-15 to 10-15. The new
        billing day is the change's ``billing_day``."""
        sub, first = started(BY_USAGE, utc(2013, 8, 1), KB)
        assert first.total == usd("0")
        sub = minutes(sub, (8, 1), (8, 2), (8, 3), (8, 4), (8, 5), (8, 7))
        sub, outcome = sub.change_plan(
            UNLIMITED, utc(2013, 8, 15), billing_day=15
        )
        change = invoiced(outcome)
        assert sorted(paid_lines(change)) == [
            ("$39.99", "2013-08-15", "2013-09-15"),
            ("$5.94", "2013-08-01", "2013-08-15"),
        ]
        assert change.total == usd("45.93")
        _, third = sub.bill()
        assert lines(third) == [("$39.99", "2013-09-15", "2013-10-15")]

    def test_kl12_usage_to_recurring_after_first_invoice(self) -> None:
        """KL12 (test_change_usage_to_recurring_after_first_invoice): six
        minutes in August: on 09-01 USAGE 5.94 for 08-01 to 09-01; on
        09-15 the BCD set to 15: USAGE 0 for 09-01 to 09-15, and the plan
        changed to unlimited: 39.99 for 09-15 to 10-15; on 10-15 39.99 for
        10-15 to 11-15."""
        sub, _ = started(BY_USAGE, utc(2013, 8, 1), KB)
        sub = minutes(sub, (8, 1), (8, 2), (8, 3), (8, 4), (8, 5), (8, 7))
        sub, first = sub.bill()
        assert paid_lines(first) == [("$5.94", "2013-08-01", "2013-09-01")]
        assert first.total == usd("5.94")
        sub, outcome = sub.change_plan(
            UNLIMITED, utc(2013, 9, 15), billing_day=15
        )
        change = invoiced(outcome)
        assert paid_lines(change) == [("$39.99", "2013-09-15", "2013-10-15")]
        assert change.total == usd("39.99")
        _, fourth = sub.bill()
        assert lines(fourth) == [("$39.99", "2013-10-15", "2013-11-15")]

    def test_kl13_recurring_to_usage_at_end_of_term(self) -> None:
        """KL13 (test_change_recurring_to_usage_after_first_invoice):
        39.99 for 08-01 to 09-01; on 08-15 a change to the usage plan,
        END_OF_TERM (no invoice; the plan changes on 09-01, with no
        invoice: prorata issues one of $0.00); six minutes in September:
        on 10-01 USAGE 5.94 for 09-01 to 10-01."""
        sub, first = started(UNLIMITED, utc(2013, 8, 1), KB)
        assert lines(first) == [("$39.99", "2013-08-01", "2013-09-01")]
        sub = sub.schedule_change(BY_USAGE, utc(2013, 9, 1))
        sub, renewal = sub.bill()
        assert renewal.total == usd("0")
        sub = minutes(sub, (9, 1), (9, 2), (9, 3), (9, 4), (9, 5), (9, 7))
        _, second = sub.bill()
        assert paid_lines(second) == [("$5.94", "2013-09-01", "2013-10-01")]
        assert second.total == usd("5.94")


class TestKillBillShoppingCart:
    """core/test_shopping_card.rb (SpyCarAdvanced.xml): Sports at $500.00
    a month with a 30-day trial, its add-on OilSlick at $4.00 a month in
    its DISCOUNT phase, Knife (no trial) at $29.95 a month standalone;
    every account from 2013-08-01. An add-on is an ``Item``; a bundle or
    standalone subscription a ``Subscription`` of its own. Kill Bill's
    trial is the base plan's phase (its $0 FIXED item): its add-on is
    billed from its own start to the trial's end, 30 days over the 31
    counted back from it: 4.00 x 30/31 = 3.87."""

    OILSLICK = AddOn(id="oilslick-monthly", price=usd("4.00"))
    KNIFE = Plan(id="knife-monthly-notrial", price=usd("29.95"))

    def bundle(self, at: datetime) -> Invoice:
        """Sports with OilSlick from ``at``: the invoice of the start."""
        _, first = Subscription.start(
            SPORTS,
            at,
            policy=KB,
            trial=timedelta(days=30),
            items=[Item(self.OILSLICK, 1)],
        )
        assert first is not None
        return first

    def test_kl14_multiple_standalones(self) -> None:
        """KL14 (test_multiple_standalones): three Knife standalones at
        29.95 for 08-01 to 09-01 and OilSlick 3.87 for 08-01 to 08-31,
        one invoice of 93.72."""
        oil = self.bundle(utc(2013, 8, 1))
        assert lines(oil) == [("$3.87", "2013-08-01", "2013-08-31")]
        knives = [started(self.KNIFE, utc(2013, 8, 1), KB)[1] for _ in "abc"]
        assert [lines(k) for k in knives] == [
            [("$29.95", "2013-08-01", "2013-09-01")]
        ] * 3
        assert sum((k.total for k in knives), oil.total) == usd("93.72")

    def test_kl15_multiple_bundles_with_default(self) -> None:
        """KL15 (test_multiple_bundles_with_default): OilSlick 3.87 for
        2013-08-01 to 08-31, the invoice's total."""
        first = self.bundle(utc(2013, 8, 1))
        assert lines(first) == [("$3.87", "2013-08-01", "2013-08-31")]
        assert first.total == usd("3.87")

    def test_kl16_multiple_bundles_with_future_dates(self) -> None:
        """KL16 (test_multiple_bundles_with_future_dates): entitlement
        and billing on 2013-08-15: 3.87 for 08-15 to 09-14."""
        first = self.bundle(utc(2013, 8, 15))
        assert lines(first) == [("$3.87", "2013-08-15", "2013-09-14")]

    def test_kl17_multiple_bundles_with_billing_date_in_past(self) -> None:
        """KL17 (test_multiple_bundles_with_billing_date_in_past): billing
        from 2013-07-15: 3.87 for 07-15 to 08-14."""
        first = self.bundle(utc(2013, 7, 15))
        assert lines(first) == [("$3.87", "2013-07-15", "2013-08-14")]

    def test_kl18_large_amount_of_bundles(self) -> None:
        """KL18 (test_multiple_bundles_with_large_amount_of_bundles): 20
        bundles on one invoice of 3.87 x 20 = 77.40."""
        totals = [self.bundle(utc(2013, 8, 1)).total for _ in range(20)]
        assert sum(totals, usd("0")) == usd("77.40")

    def test_kl19_lonely_ao(self) -> None:
        """KL19 (test_lonely_ao): Sports created first (its trial's
        invoice, $0, is no invoice here), then OilSlick added on
        2013-08-01: a second invoice of 3.87 for 08-01 to 08-31."""
        sub, first = Subscription.start(
            SPORTS, utc(2013, 8, 1), policy=KB, trial=timedelta(days=30)
        )
        assert first is None
        _, outcome = sub.change_quantity(self.OILSLICK, 1, utc(2013, 8, 1))
        invoice = invoiced(outcome)
        assert lines(invoice) == [("$3.87", "2013-08-01", "2013-08-31")]
        assert invoice.total == usd("3.87")


# ------------------------------------------------------------- OpenMeter


class TestOpenMeterCancelAtFirstBoundary:
    """sync_test.go, testInAdvanceFlatFeeCancelAtFirstBillingBoundary
    ProrationMode: a plan with prorating on (ProRatingModeProratePrices),
    a flat fee of 20 a month in advance, the billing anchor 2024-01-01,
    started 2024-01-21T21:55:18Z; 13 seconds later the subscription is
    cancelled for 2024-02-01, the first billing boundary."""

    START = datetime(2024, 1, 21, 21, 55, 18, tzinfo=UTC)
    PLAN = Plan(id="test-plan", price=usd("20"))

    def started(self) -> tuple[Subscription, Invoice]:
        """The subscription and its first, prorated invoice."""
        return started(self.PLAN, self.START, OM, anchor=utc(2024, 1, 1))

    def test_nl1_keeps_the_initial_proration(self) -> None:
        """NL1 (TestInAdvanceFlatFeeCancelAtFirstBillingBoundaryKeeps
        InitialProration, bill_actual_period, synced before the cancel):
        6.51 for 2024-01-21T21:55:18Z to 02-01 and 20 for 02-01 to 03-01;
        after the cancellation only the 6.51 line, for the same period."""
        sub, first = self.started()
        assert moments(first) == [
            ("$6.51", "2024-01-21T21:55:18Z", "2024-02-01T00:00:00Z")
        ]
        assert moments(sub.preview_invoice()) == [
            ("$20.00", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z")
        ]
        ended, outcome = sub.cancel(utc(2024, 2, 1))
        assert outcome.invoice is None
        assert ended.ends_at == utc(2024, 2, 1)
        _, invoices = ended.bill_through(utc(2024, 3, 1))
        assert invoices == ()

    def test_nl2_bill_actual_period_mode(self) -> None:
        """NL2 (TestInAdvanceFlatFeeCancelAtFirstBillingBoundaryBill
        ActualPeriodMode, cancelled before the first sync): the one line
        6.51 for 2024-01-21T21:55:18Z to 02-01."""
        sub, first = self.started()
        ended, _ = sub.cancel(utc(2024, 2, 1))
        assert cents(first.lines) == [651]
        _, invoices = ended.bill_through(utc(2024, 3, 1))
        assert invoices == ()


class TestOpenMeterGathering:
    """sync_test.go: plans of one monthly flat fee from 2024-01-01."""

    def test_nl4_unprorated_fee_replaced_after_forty_seconds(self) -> None:
        """NL4 (TestInAdvanceGatheringSyncNonBillableAmount): a plan with
        prorating off (ProRatingConfig Enabled false), a flat 5 in
        advance, replaced at 2024-01-01T00:00:40Z by a flat 10: the lines
        5 for 00:00:00 to 00:00:40 (invoiced at 01-01), 10 for 00:00:40
        to 02-01 (invoiced at 01-01) and 10 for 02-01 to 03-01 (at 02-01).
        prorata bills 5 for the month at the start (OpenMeter's line
        ends at the change: not yet invoiced, it is cut), credits nothing
        for it and charges 10 x 2,678,360 s / 2,678,400 s = $10.00 for
        the rest, on the next invoice, beside 10 for February: the same
        amounts, the 10 line by rounding where OpenMeter does not
        prorate."""
        sub, first = started(
            Plan(id="five", price=usd("5")), utc(2024, 1, 1), OM
        )
        assert cents(first.lines) == [500]
        changed = utc(2024, 1, 1) + timedelta(seconds=40)
        sub, _ = sub.change_plan(Plan(id="ten", price=usd("10")), changed)
        _, february = sub.bill()
        assert moments(february) == [
            ("$10.00", "2024-01-01T00:00:40Z", "2024-02-01T00:00:00Z"),
            ("$10.00", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"),
        ]

    def test_nl6_zero_flat_fee_makes_no_line(self) -> None:
        """NL6 (TestDefactoZeroPrices): a flat fee of 0 in advance from
        2024-01-01, synced on 01-03: "No lines should be invoiced", no
        gathering invoice at all."""
        free = Plan(id="test-plan", price=usd("0"))
        sub, first = Subscription.start(free, utc(2024, 1, 1), policy=OM)
        assert first is None
        _, february = sub.bill()
        assert february.lines == ()

    def test_nl8_in_advance_fee_of_a_future_start(self) -> None:
        """NL8 (TestInAdvanceInstantBillingOnSubscriptionCreationWith
        SubscriptionStartInFuture): created on 2024-01-20 to start on
        2024-02-01, a flat 6 in advance (and a usage price, not synced
        before the start): the line 6 for 02-01 to 03-01, invoiced at
        2024-02-01."""
        _, first = started(
            Plan(id="in-advance", price=usd("6")), utc(2024, 2, 1), OM
        )
        assert first.issued_at == utc(2024, 2, 1)
        assert lines(first) == [("$6.00", "2024-02-01", "2024-03-01")]
