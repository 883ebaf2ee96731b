"""Published platform cases of a ninth audit (a), by each convention alone.

New cases (IDs KJ, LJ, MK), none among the cases, tests or figures of
``docs/research/`` or the platform-case test modules that
``docs/research/audit-2026-12-03c.md`` lists. Each is built through the
public API with ``presets.CONVENTIONS[name]`` and asserts the figures as
the source prints them. No case here needs an option beyond its
convention. The audit file has the table per platform; Orb, Flexprice and
OpenMeter gave no new case in the time (see the audit file).

Sources (mirrors fetched 2026):

- Kill Bill: killbill/killbill-integration-tests @ 99c28215,
  killbill-integration-tests/core/ (test_recurring_in_arrear.rb,
  test_pause_resume.rb, test_entitlement_with_bcd_update.rb,
  test_entitlement_change_skip_phase.rb, test_entitlement_create.rb,
  test_mixed_catalog.rb, test_entitlement_add_on.rb), the catalogs in
  killbill-integration-tests/resources/ (newspaper.xml,
  SpyCarAdvanced.xml, Catalog-Simple.xml,
  CatalogForChangePlanPolicies.xml, Catalog-Mixed.xml,
  ReducedSpyCarAdvancedWithThreePhasesAddOns.xml); every account starts
  on DEFAULT_KB_INIT_DATE, 2013-08-01 (test_base.rb), or KB_INIT_DATE,
  2016-08-01, for the skip-phase tests. The rule behind the differences
  read in killbill/killbill @ cb60779c, invoice/src/main/java/org/
  killbill/billing/invoice/generator/InvoiceDateUtils.java.
- Lago: getlago/lago-api @ 1b1c24a6, spec/scenarios/commitments/minimum/
  in_arrears/anniversary/weekly_spec.rb.
- Meteroid: meteroid-oss/meteroid @ 6a27ef61, modules/meteroid/tests/
  integration/subscription/plan_change_checkout.rs.

Failed when audited: KJ3 and KJ4 (test_pause_resume.rb, test_basic and
test_future_pause): Sports ($500 a month, a 30-day trial from 2013-08-01,
so the billing day is the 31st), paused 2013-09-05 and resumed
2013-09-10: the repair -416.67 (25/30) was prorata's too, the resume
322.58 for 09-10 to 09-30 was $333.33 (500 x 20/30). Kill Bill prices a
leading stub over the period from "nextBillingCycleDate.minus(
billingPeriod.getPeriod())" to the next billing date (InvoiceDateUtils.
calculateProRationBeforeFirstBillingPeriod): 30 August to 30 September,
31 days, 500 x 20/31. Since, the ``kill-bill`` conventions take
``stub_period`` ``counted-back`` and both pass by the convention alone.

Left out
--------

(Printed figure vs prorata's, and the platform's rule prorata does not
follow.)

- KJ5 (test_pause_resume.rb, test_with_ao; KJ3's rule, below, is
  followed since for the base plan's stub): the add-on OilSlick ($7.95,
  past its discount phase) bought 2013-09-02: printed 7.18 for 09-02 to
  09-30; prorata $7.42 (7.95 x 28/30). The pause on 09-05: printed
  -416.67 and -6.41 (total -423.08); prorata -$416.67 and -$6.63. The
  resume on 09-10: printed 322.58 and 5.13 (327.71); prorata $333.33 and
  $5.30. The same rule as KJ3 (7.95 x 28/31, 25/31, 20/31): each item of
  the add-on's stub, and its repair, is over the 31 days from 30 August.
- KJ6 (test_pause_resume.rb, test_pause_resume_in_the_past): the
  subscription billed through 2013-10-31, invoicing off, a pause dated
  2013-09-15 and a resume dated 2013-10-15 entered on 2013-10-30: printed
  repairs -250.00 (2013-09-15 to 09-30) and -241.94 (09-30 to 10-15),
  credit 491.94. prorata refuses the pause (PauseError: a pause must be
  in the current period, 2013-09-30 to 2013-10-31, and a backdated
  record may not cross a pause, BackdatingError). Kill Bill's rule: a
  pause and a resume may be dated in the past; the invoice generator
  then repairs every billed period the blocked time overlaps
  (REPAIR_ADJ), each over its own period (15/30 of September's, 15/31
  of October's).
- KJ16 (test_entitlement_create.rb,
  test_create_ao_bundle_aligned_skip_trial): OilSlick bought on
  2013-08-16 in its DISCOUNT phase ($4.00) while Sports is in its trial:
  printed 1.94 for 08-16 to 08-31, then 0.13 (08-31 to 09-01) beside
  Sports' 500, then 7.44 (09-01 to 09-30). prorata bills nothing in the
  trial (an add-on bought in a free trial is billed from the trial's
  end: 4.00 beside 500.00 on 2013-08-31). Kill Bill's rule: a trial is a
  phase of the base plan's own (a FIXED $0 item), not of the account;
  an add-on is billed from its own start by its own phases, in advance,
  while the base plan is in its trial; and its stubs use KJ3's rule
  (4.00 x 15/31, 7.95 x 29/31).
- KJ20 (test_entitlement_create.rb,
  test_create_ao_subscription_aligned_skip_trial): RemoteControl
  ($8.00 discount phase, then $17.95) bought 2013-08-16 in Sports' trial:
  printed 3.87 (08-16 to 08-31), 4.27 (08-31 to 09-16), 8.11 (09-16 to
  09-30), then RemoteControlAdvanced 37.95 from 09-30. prorata bills
  nothing in the trial, as KJ16. Kill Bill's rules: KJ16's, and a
  discount phase that ends off the billing day bills a stub to the
  phase end (8.00 x 16/30) and one from it (17.95 x 14/31).
- KJ14 (test_mixed_catalog.rb, test_mixed_mode): $1,000 a month in
  advance from 2013-08-01, changed on 2013-08-16 to a plan of $500 in
  arrears: printed the change invoice -516.13 alone (a REPAIR_ADJ), and
  on 2013-09-01 258.06 for 08-16 to 09-01. prorata, whose billing mode
  is the policy's, not the plan's: the change invoice -516.13 and
  258.06 (net -258.07), then $500.00 in advance for September. Kill
  Bill's rule: each plan has its own recurringBillingMode (IN_ADVANCE or
  IN_ARREAR, Catalog-Mixed.xml), so a change to a plan in arrears bills
  its time at the next billing date.
- KJ15 (test_entitlement_add_on.rb, test_complex_ao): add-ons bought in
  Sports' trial (OilSlick 2013-08-05, 3.35; RemoteControl 2013-08-15,
  4.13), then 0.13, 4.00 and 500 on 08-31, 7.44 on 09-01, 8.69 on 09-15,
  17.95 and Super's 1,000 on 09-30. prorata bills nothing in the trial,
  as KJ16; the same rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prorata import (
    ANNUAL,
    AddOn,
    Charge,
    Interval,
    Invoice,
    InvoiceLine,
    InvoiceLineKind,
    Item,
    Money,
    Plan,
    Subscription,
    UsageAllowance,
    presets,
)
from tests.cases import cents, invoiced, started
from tests.common import eur, usd, utc

if TYPE_CHECKING:
    from datetime import datetime

C = presets.CONVENTIONS
KB = C["kill-bill"]
WEEKLY = Interval.weeks(1)


def invoiced_lines(invoice: Invoice | None) -> tuple[InvoiceLine, ...]:
    """An invoice's lines (it must have been issued)."""
    assert invoice is not None
    return invoice.lines


def lines(invoice: Invoice | None) -> list[tuple[str, str, str]]:
    """An invoice's lines as amount, start date and end date."""
    assert invoice is not None
    return [
        (str(line.amount), str(line.start.date()), str(line.end.date()))
        for line in invoice.lines
    ]


# ------------------------------------------------------------- Kill Bill


class TestKillBillInArrear:
    """core/test_recurring_in_arrear.rb, catalog newspaper.xml: WeekDays,
    $10.00 a month, recurringBillingMode IN_ARREAR."""

    def test_kj1_in_arrear_months_then_immediate_cancel(self) -> None:
        """KJ1 (test_basic_recurring): from 2013-08-01, invoices of 10.0
        for 08-01 to 09-01, 09-01 to 10-01 and 10-01 to 11-01; cancelled
        IMMEDIATE on 2013-11-16: an invoice of 5.0 for 11-01 to 11-16."""
        sub, first = Subscription.start(
            Plan(id="weekdays-monthly", price=usd("10")),
            utc(2013, 8, 1),
            policy=C["kill-bill-in-arrears"],
        )
        assert first is None
        billed = []
        for _ in range(3):
            sub, invoice = sub.bill()
            billed.append(lines(invoice))
        assert billed == [
            [("$10.00", "2013-08-01", "2013-09-01")],
            [("$10.00", "2013-09-01", "2013-10-01")],
            [("$10.00", "2013-10-01", "2013-11-01")],
        ]
        _, outcome = sub.cancel(utc(2013, 11, 16))
        assert lines(invoiced(outcome)) == [
            ("$5.00", "2013-11-01", "2013-11-16")
        ]


class TestKillBillPause:
    """core/test_pause_resume.rb, catalog SpyCarAdvanced.xml: Sports, a
    30-day TRIAL phase ($0), then $500.00 a month; from 2013-08-01, so
    the billing day is the 31st. The trial is the subscription's
    ``trial``."""

    def test_kj2_pause_and_resume_on_the_billing_day(self) -> None:
        """KJ2 (test_pause_resume_same_day, from "Move clock (BP out of
        trial)"): the 2013-08-31 invoice 500 for 08-31 to 09-30; paused
        that day: REPAIR_ADJ -500 for 08-31 to 09-30; resumed that day:
        RECURRING 500 for 08-31 to 09-30, paid by the credit (CBA_ADJ
        -500). The test's earlier pauses and resumes on 2013-08-02, in
        the trial, bill nothing (no invoice item) and are left out:
        prorata refuses a pause in a trial."""
        sub, first = Subscription.start(
            Plan(id="sports-monthly", price=usd("500")),
            utc(2013, 8, 1),
            policy=KB,
            trial=utc(2013, 8, 31),
        )
        assert first is None
        sub, renewal = sub.bill()
        assert lines(renewal) == [("$500.00", "2013-08-31", "2013-09-30")]
        sub, repair = sub.pause(utc(2013, 8, 31))
        assert lines(repair) == [("-$500.00", "2013-08-31", "2013-09-30")]
        _, resumed = sub.resume(utc(2013, 8, 31))
        assert lines(resumed) == [("$500.00", "2013-08-31", "2013-09-30")]
        assert resumed is not None
        assert resumed.amount_due == usd("0")


    def test_kj3_pause_and_resume_in_september(self) -> None:
        """KJ3 (test_basic): paused 2013-09-05, resumed 2013-09-10: the
        pause's REPAIR_ADJ -416.67 for 09-05 to 09-30 (25/30 of the
        billed period 08-31 to 09-30); the resume's RECURRING 322.58 for
        09-10 to 09-30 (500 x 20/31: the stub over 08-30 to 09-30, the
        interval counted back from the billing date)."""
        sub, _ = Subscription.start(
            Plan(id="sports-monthly", price=usd("500")),
            utc(2013, 8, 1),
            policy=KB,
            trial=utc(2013, 8, 31),
        )
        sub, _ = sub.bill()
        sub, repair = sub.pause(utc(2013, 9, 5))
        assert lines(repair) == [("-$416.67", "2013-09-05", "2013-09-30")]
        sub, resumed = sub.resume(utc(2013, 9, 10))
        assert lines(resumed) == [("$322.58", "2013-09-10", "2013-09-30")]
        assert sub.next_billing_date == utc(2013, 9, 30)

    def test_kj4_a_pause_scheduled_ahead(self) -> None:
        """KJ4 (test_future_pause): the same pause entered ahead for
        2013-09-05, resumed 2013-09-10: the same -416.67 and 322.58."""
        sub, _ = Subscription.start(
            Plan(id="sports-monthly", price=usd("500")),
            utc(2013, 8, 1),
            policy=KB,
            trial=utc(2013, 8, 31),
        )
        sub, _ = sub.bill()
        sub, repair = sub.pause(utc(2013, 9, 5))
        assert [line.amount for line in invoiced_lines(repair)] == [
            usd("-416.67")
        ]
        _, resumed = sub.resume(utc(2013, 9, 10))
        assert [line.amount for line in invoiced_lines(resumed)] == [
            usd("322.58")
        ]


class TestKillBillBillingDay:
    """core/test_entitlement_with_bcd_update.rb, catalog
    Catalog-Simple.xml: Basic, $1,000.00 a month or $10,000.00 a year,
    from 2013-08-01 (the first invoice 1000.00 for 08-01 to 09-01). A
    BCD update is ``move_anchor`` (the stub billed on the next billing
    date's invoice; Kill Bill issues it at the update, so its invoice is
    dated the update's day, 2013-08-07 or 2013-08-16: the amount and the
    item's dates are the same)."""

    def basic(self) -> Subscription:
        """Basic monthly from 2013-08-01, its first invoice checked."""
        sub, first = started(
            Plan(id="basic-monthly", price=usd("1000")),
            utc(2013, 8, 1),
            KB,
        )
        assert lines(first) == [("$1,000.00", "2013-08-01", "2013-09-01")]
        return sub

    def test_kj7_bcd_and_plan_change_on_the_16th(self) -> None:
        """KJ7 (test_with_bcd_change_in_the_future_v1): the BCD set to 16
        and the plan changed to Basic ANNUAL, both effective 2013-08-16:
        the invoice of 9483.87: 10_000.00 for 2013-08-16 to 2014-08-16
        and REPAIR_ADJ -516.13 for 08-16 to 09-01 ("the ANNUAL is not
        realigned on this new BCD. There is a pro-ration credit for the
        part of the MONTHLY that was not used"). The new billing day is
        the change's ``billing_day``."""
        _, outcome = self.basic().change_plan(
            Plan(id="basic-annual", price=usd("10000"), interval=ANNUAL),
            utc(2013, 8, 16),
            billing_day=16,
        )
        invoice = invoiced(outcome)
        assert sorted(lines(invoice)) == [
            ("$10,000.00", "2013-08-16", "2014-08-16"),
            ("-$516.13", "2013-08-16", "2013-09-01"),
        ]
        assert invoice.total == usd("9483.87")

    def stub(self, sub: Subscription) -> list[tuple[str, str, str]]:
        """The next invoice once the billing day is the 7th."""
        _, invoice = sub.move_anchor(utc(2013, 9, 7)).bill()
        return lines(invoice)

    def test_kj8_bcd_change_immediate(self) -> None:
        """KJ8 (test_with_bcd_change_immediate): on 2013-08-07 the BCD
        set to 7, at once: an invoice of 193.55, RECURRING 193.55 for
        2013-09-01 to 2013-09-07 (1000 x 6/31)."""
        assert self.stub(self.basic()) == [
            ("$193.55", "2013-09-01", "2013-09-07")
        ]

    def test_kj9_bcd_change_in_the_future(self) -> None:
        """KJ9 (test_with_bcd_change_in_the_future_v2): the BCD set to 7
        effective 2013-08-07, the clock then moved there: 193.55 for
        2013-09-01 to 2013-09-07."""
        assert self.stub(self.basic()) == [
            ("$193.55", "2013-09-01", "2013-09-07")
        ]

    def test_kj10_bcd_change_in_the_past(self) -> None:
        """KJ10 (test_with_bcd_change_in_the_past): on 2013-08-16 the BCD
        set to 7 effective 2013-08-06 (force_past_effective_date): the
        invoice of 193.55, RECURRING for 2013-09-01 to 2013-09-07 (what
        is billed, to 1 September, stays billed)."""
        assert self.stub(self.basic()) == [
            ("$193.55", "2013-09-01", "2013-09-07")
        ]

    def test_kj11_three_bcd_changes_the_same_day(self) -> None:
        """KJ11 (test_with_multiple_change_same_day): the BCD set to 7,
        effective 2013-08-07, three times: one invoice of 193.55 for
        2013-09-01 to 2013-09-07."""
        sub = self.basic()
        moved = sub.move_anchor(utc(2013, 9, 7)).move_anchor(utc(2013, 9, 7))
        assert self.stub(moved) == [("$193.55", "2013-09-01", "2013-09-07")]


class TestKillBillSkipPhase:
    """core/test_entitlement_change_skip_phase.rb, catalog
    CatalogForChangePlanPolicies.xml: Free ($0), Silver (a 7-day TRIAL,
    then $20.00) and Gold (a 7-day TRIAL, then $30.00) a month, ACCOUNT
    billing alignment (the 1st), from 2016-08-01. Silver's trial, reached
    by a change (CHANGE_OF_PLAN alignment from Free), is a FIXED $0 item:
    here a $0 plan; the change to Gold skips its trial (target phase
    EVERGREEN), so Gold is its evergreen price."""

    def gold(self, day: int) -> Invoice | None:
        """Free, then Silver's trial on the 2nd, Free on the 3rd and Gold
        on ``day``: the invoice of the change to Gold."""
        free = Plan(id="free-monthly", price=usd("0"))
        sub, first = started(free, utc(2016, 8, 1), KB)
        assert cents(first.lines) == [0]
        sub, _ = sub.change_plan(
            Plan(id="silver-monthly-trial", price=usd("0")),
            utc(2016, 8, 2),
        )
        sub, _ = sub.change_plan(free, utc(2016, 8, 3))
        _, outcome = sub.change_plan(
            Plan(id="gold-monthly", price=usd("30")), utc(2016, 8, day)
        )
        return outcome.invoice

    def test_kj12_gold_evergreen_on_the_4th(self) -> None:
        """KJ12 (test_change_multiple_times_over_initial_trial_period_1):
        the fourth invoice: Free 0 for 08-03 to 08-04, gold-monthly-
        evergreen 27.10 for 2016-08-04 to 2016-09-01 (30 x 28/31)."""
        assert lines(self.gold(4)) == [
            ("$0.00", "2016-08-04", "2016-09-01"),
            ("$27.10", "2016-08-04", "2016-09-01"),
        ]

    def test_kj13_gold_evergreen_on_the_8th(self) -> None:
        """KJ13 (test_change_multiple_times_over_initial_trial_period_2):
        Gold on 2016-08-08: 23.23 for 2016-08-08 to 2016-09-01 (30 x
        24/31), Free 0 for 08-03 to 08-08."""
        assert lines(self.gold(8)) == [
            ("$0.00", "2016-08-08", "2016-09-01"),
            ("$23.23", "2016-08-08", "2016-09-01"),
        ]


class TestKillBillStarts:
    """Plans started without a trial: core/test_entitlement_create.rb
    (catalog ReducedSpyCarAdvancedWithThreePhasesAddOns.xml, Sports at
    $500.00) and core/test_mixed_catalog.rb (Catalog-Mixed.xml, Basic at
    $1,000.00 in advance or $500.00 in arrears)."""

    def test_kj17_skip_trial_bills_the_evergreen_month(self) -> None:
        """KJ17 (test_entitlement_create.rb, test_create_bp_skip_trial):
        Sports created in its EVERGREEN phase on 2013-08-01: 500.0 for
        2013-08-01 to 2013-09-01."""
        _, first = started(
            Plan(id="sports-monthly", price=usd("500")), utc(2013, 8, 1), KB
        )
        assert lines(first) == [("$500.00", "2013-08-01", "2013-09-01")]

    def test_kj18_mixed_catalog_in_advance(self) -> None:
        """KJ18 (test_mixed_catalog.rb, test_with_in_advance_plan):
        basic-monthly-in-advance from 2013-08-01: 1000.00 for 08-01 to
        09-01."""
        _, first = started(
            Plan(id="basic-monthly-in-advance", price=usd("1000")),
            utc(2013, 8, 1),
            KB,
        )
        assert lines(first) == [("$1,000.00", "2013-08-01", "2013-09-01")]

    def test_kj19_mixed_catalog_in_arrear(self) -> None:
        """KJ19 (test_mixed_catalog.rb, test_with_in_arrear_plan):
        basic-monthly-in-arrear from 2013-08-01, a month later: 500.00
        for 08-01 to 09-01."""
        sub, first = Subscription.start(
            Plan(id="basic-monthly-in-arrear", price=usd("500")),
            utc(2013, 8, 1),
            policy=C["kill-bill-in-arrears"],
        )
        assert first is None
        _, invoice = sub.bill()
        assert lines(invoice) == [("$500.00", "2013-08-01", "2013-09-01")]


# ------------------------------------------------------------------ Lago


class TestLagoWeeklyCommitment:
    """spec/scenarios/commitments/minimum/in_arrears/anniversary/
    weekly_spec.rb: "In Arrears", 10_000 EUR cents a week in arrears,
    anniversary billing from 2024-03-12T10:00, a minimum commitment of
    1_000_000; at the start, 10 units of a recurring metric of a charge
    paid in advance at 1 a unit (an add-on of 1 EUR a week, 10 units),
    of a metric in arrears (a usage allowance of 1 EUR a unit) and of a
    metric paid in advance (a one-time charge of 10 EUR)."""

    def started(self) -> Subscription:
        """The subscription, its three charges' 10 units at its start."""
        start = utc(2024, 3, 12, 10)
        plan = Plan(
            id="in_arrears",
            price=eur("100"),
            interval=WEEKLY,
            minimum=eur("10000"),
            allowances=(
                UsageAllowance(
                    metric="metered", included=0, overage_price=eur("1")
                ),
            ),
        )
        recurring = AddOn(
            id="advance_recurring", price=eur("1"), interval=WEEKLY
        )
        sub, first = Subscription.start(
            plan,
            start,
            policy=C["lago-in-arrears"],
            items=[Item(recurring, 10)],
        )
        assert first is None
        sub = sub.record_usage("metered", 10, start)
        sub, _ = sub.add_charge(
            Charge(id="metered_advance", price=eur("10")), start
        )
        return sub

    def test_lj1_first_week_true_up(self) -> None:
        """LJ1 ("when subscription is billed for the first period", with
        or without the coupon): the commitment fee 987_000 (the week's
        fees, 10_000 and three charges of 1_000, short of 1_000_000)."""
        _, first = self.started().bill()
        assert cents(first.lines_of(InvoiceLineKind.COMMITMENT)) == [
            987_000
        ]

    def test_lj2_second_week_true_up(self) -> None:
        """LJ2 ("when subscription is billed for the second period",
        with or without the coupon): the commitment fee 989_000 (the
        week's subscription fee 10_000 and the recurring charge's 1_000
        short of 1_000_000)."""
        sub, _ = self.started().bill()
        _, second = sub.bill()
        assert cents(second.lines_of(InvoiceLineKind.COMMITMENT)) == [
            989_000
        ]


# -------------------------------------------------------------- Meteroid


class TestMeteroidPlanChangeCheckout:
    """modules/meteroid/tests/integration/subscription/
    plan_change_checkout.rs: plans in EUR cents, each component priced
    and rounded on its own: Starter (Platform Fee 2900 + Seats 1000),
    Pro (Platform 9900 + Seats 2500), PaidTrial (Rate 9900, a 7-day paid
    trial, billed at checkout), PaidFreeTrial (Rate 4900, a 14-day free
    trial); from 2024-01-01, the period [Jan 1, Feb 1], 31 days. A
    component beside the plan's first is an add-on, swapped at the change
    (the three invoices of the change make the one adjustment invoice)."""

    START = utc(2024, 1, 1)
    STARTER = Plan(id="starter", price=eur("29"), rank=1)
    PRO = Plan(id="pro", price=eur("99"), rank=3)
    PAID_TRIAL = Plan(id="paid-trial", price=eur("99"), rank=2)
    PAID_FREE_TRIAL = Plan(id="paid-free-trial", price=eur("49"), rank=2)
    SEATS = AddOn(id="starter-seats", price=eur("10"))
    PRO_SEATS = AddOn(id="pro-seats", price=eur("25"))

    def change(
        self,
        sub: Subscription,
        plan: Plan,
        at: datetime,
        swap: list[tuple[AddOn, int]],
    ) -> tuple[Subscription, list[int], list[Invoice]]:
        """Change the plan and set the add-ons ``swap`` names: the lines
        in minor units and the invoices raised."""
        sub, outcome = sub.change_plan(plan, at)
        amounts = cents(outcome.lines)
        invoices = [invoiced(outcome)]
        for add_on, quantity in swap:
            sub, moved = sub.change_quantity(add_on, quantity, at)
            amounts += cents(moved.lines)
            invoices.append(invoiced(moved))
        return sub, amounts, invoices

    def paid_trial(self) -> Subscription:
        """PaidTrial from 1 January, its 9900 paid at checkout."""
        sub, first = started(self.PAID_TRIAL, self.START, C["meteroid"])
        assert cents(first.lines) == [9900]
        return sub

    def test_mk1_free_trial_to_no_trial_plan(self) -> None:
        """MK1 (test_plan_change_checkout_from_free_trial_to_no_trial):
        PaidFreeTrial in its free trial (period end 2024-01-15), changed
        on 2024-01-08 to Starter: "Free trial: no adjustment (nothing
        billed yet)", the checkout charges 3900 ("Platform Fee €29 +
        Seats €10"), "billing restarts from change_date": the period ends
        2024-02-08, then renews 2024-02-08 to 2024-03-08."""
        sub, first = Subscription.start(
            self.PAID_FREE_TRIAL,
            self.START,
            policy=C["meteroid"],
            trial=utc(2024, 1, 15),
        )
        assert first is None
        at = utc(2024, 1, 8)
        sub, amounts, invoices = self.change(
            sub, self.STARTER, at, [(self.SEATS, 1)]
        )
        assert amounts == [2900, 1000]
        assert sum(i.total.minor_units for i in invoices) == 3900
        assert (sub.period.start, sub.period.end) == (at, utc(2024, 2, 8))
        _, renewal = sub.bill()
        assert lines(renewal) == [
            ("€29.00", "2024-02-08", "2024-03-08"),
            ("€10.00", "2024-02-08", "2024-03-08"),
        ]

    def test_mk2_paid_trial_downgrade(self) -> None:
        """MK2 (test_plan_change_checkout_from_paid_trial_downgrade): on
        2024-01-08, 24/31 left: "Credit Rate: -(9900 x 24/31).round() =
        -7665", "Charge Platform: (2900 x 24/31).round() = 2245", "Charge
        Seats: (1000 x 24/31).round() = 774", "Net: ... = -4646 (credit/
        downgrade, no charge needed)"."""
        _, amounts, invoices = self.change(
            self.paid_trial(),
            self.STARTER,
            utc(2024, 1, 8),
            [(self.SEATS, 1)],
        )
        assert amounts == [-7665, 2245, 774]
        assert sum(amounts) == -4646
        assert all(i.amount_due == 0 for i in invoices)

    def test_mk3_paid_trial_upgrade(self) -> None:
        """MK3 (test_plan_change_checkout_from_paid_trial_upgrade, and its
        round trip test_plan_change_checkout_roundtrip_paid_trial_upgrade,
        "Preview total should be net proration"): on 2024-01-16, 16/31
        left: "Credit Rate: -(9900 x 16/31).round() = -5110", "Charge
        Platform: ... = 5110", "Charge Seats: (2500 x 16/31).round() =
        1290", "Net: ... = 1290"."""
        _, amounts, _ = self.change(
            self.paid_trial(),
            self.PRO,
            utc(2024, 1, 16),
            [(self.PRO_SEATS, 1)],
        )
        assert amounts == [-5110, 5110, 1290]
        assert sum(amounts) == 1290

    def test_mk4_to_a_trial_plan_no_trial_applied(self) -> None:
        """MK4 (test_plan_change_checkout_to_trial_plan_no_trial_applied):
        Starter from 2024-01-01, changed on 2024-01-16 to PaidFreeTrial
        ("Trial is NOT applied (trials only at initial subscription
        creation)"): "Credit Platform: -(2900 x 16/31).round() = -1497",
        "Credit Seats: ... = -516", "Charge Rate: (4900 x 16/31).round()
        = 2529", "Net: ... = 516"."""
        sub, first = started(
            self.STARTER,
            self.START,
            C["meteroid"],
            items=[Item(self.SEATS, 1)],
        )
        assert first.total.minor_units == 3900
        _, amounts, _ = self.change(
            sub, self.PAID_FREE_TRIAL, utc(2024, 1, 16), [(self.SEATS, 0)]
        )
        assert amounts == [-1497, 2529, -516]
        assert sum(amounts) == 516

    def test_mk5_credits_of_a_downgrade_pay_the_upgrade(self) -> None:
        """MK5 (test_plan_change_checkout_partial_credits_on_upgrade):
        Pro (12400 at checkout) from 2024-01-01, downgraded to Starter on
        Jan 21: "customer should have 3016 cents credit from downgrade
        (Pro->Starter, 11/31 factor)"; then changed to PaidFreeTrial the
        same day: "Net = 355, but customer has 3016 balance -> credits
        cover it fully": preview total 355, applied_credits 355,
        amount_due 0."""
        sub, first = started(
            self.PRO,
            self.START,
            C["meteroid"],
            items=[Item(self.PRO_SEATS, 1)],
        )
        assert first.total.minor_units == 12400
        at = utc(2024, 1, 21)
        sub, _, _ = self.change(
            sub, self.STARTER, at, [(self.PRO_SEATS, 0), (self.SEATS, 1)]
        )
        assert sub.credit_balance == eur("30.16")
        sub, amounts, invoices = self.change(
            sub, self.PAID_FREE_TRIAL, at, [(self.SEATS, 0)]
        )
        assert sum(amounts) == 355
        assert all(i.amount_due == 0 for i in invoices)
        assert eur("30.16") - sub.credit_balance == Money("3.55", "EUR")
