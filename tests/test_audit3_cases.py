"""Published platform cases of the third audit, by each convention alone.

New cases (IDs KB, LB, MB, YB, FB, OB, SB, PB, RB, ZB), none among the
cases or sources of ``docs/research/platform-cases.md``, ``more-cases.md``,
``conventions-a.md``, ``conventions-b.md``, ``audit-2026-12-02.md``,
``tests/test_audit_cases.py`` or ``tests/test_platform_cases.py``. Each is
built through the public API with ``presets.CONVENTIONS[name]`` alone and
asserts the figures as the source prints them (amounts, billing dates,
service periods); ``docs/research/audit-2026-12-02b.md`` has the table.

Sources (mirrors fetched 2026):

- killbill/killbill @ cb60779c, beatrix integration tests (catalog
  catalogTest.xml: Shotgun 249.95, Assault-Rifle 599.95, Pistol 29.95,
  knife 29.95 a unit).
- getlago/lago-api @ 1b1c24a6, spec/scenarios/subscriptions/billing_spec.rb.
- meteroid-oss/meteroid @ 6a27ef61, modules/meteroid/tests/integration/
  subscription/coupons.rs ("Paid with Free Trial", 49.00 EUR a month).
- polarsource/polar @ c6c3645e, server/tests/subscription/
  test_service_change_preview.py and test_service_charge_preview.py (the
  fixture product: 1000 a month).
- flexprice/flexprice @ e4b5303f, internal/types/
  billing_anchor_scenarios_test.go; docs.flexprice.io/docs/invoices/
  billing-calculation-order.
- openmeterio/openmeter @ 7e57a394, openmeter/billing/worker/
  subscriptionsync/service/sync_test.go.
- pay-rails/pay @ 5b018bc1, Stripe VCR cassettes (2025-11-10, API
  2025-10-29.clover, flexible billing mode).
- PaddleHQ/paddle-python-sdk @ 48c8cc04, Events fixture; ktool.io's copy
  of Paddle's plan-change text.
- recurly/recurly-docs @ 38cfcc4c, coupons and tax-inclusive pages.
- docs.zuora.com (the scrape chrisesposito92/zuca-v2 @ 8da193a6,
  zuora-docs-scrapper/output/zuora-billing/, each file carrying its URL).

MB3 and FB5 (two percentage coupons, each on what the one before left)
first failed: the ``meteroid`` and ``flexprice`` conventions took each
percentage of the whole line. Both platforms' rule is the running
subtotal (Meteroid's ``calculate_coupons_discount``, Flexprice's
"Coupon chaining"), so both conventions now set ``percent_stacking``
``compound`` (``prorata.presets``), and the two cases pass.

YB4 (test_service_change_preview.py, test_trial_ending_change_charges_a_
full_period: a trialing subscription switched to a 5000 product with no
trial bills 5000 at once) first failed: prorata kept the trial. Polar
gives the subscription the new product's trial, counted from the trial's
start (subscription/service.py ``_resolve_trial_end``), so a product with
none ends it; since, plans carry their own trial (``Plan.trial``) and the
``polar`` conventions take ``trial_change`` ``by-plan``: YB4 passes.

Not reproduced by the convention alone
--------------------------------------

Left out (printed figure vs prorata's, and the platform's rule prorata
does not follow):

- FB3 (flexprice billing_anchor_scenarios_test.go, annual_anchor_month_day_
  after_start_in_year_moves_to_anchor_month_next_year): start 2024-01-15,
  anchor 2024-06-15 12:00: next billing date 2025-06-15 12:00 vs
  2024-06-15 12:00. Flexprice's annual NextBillingDate adds the year to
  the anchor's month and day even when that date still falls in the
  start's year; prorata bills the stub to the anchor's next date. The
  rule is one line of code (internal/types/date.go nextBillingDateCore:
  the start's year plus the interval, the anchor's month and day, with no
  look at the anchor's date in the start's year, unlike its monthly,
  quarterly and half-yearly branches), and no documented rule: Flexprice's
  docs give ``billing_anchor`` as the day of the month an anniversary
  cycle renews on (flexprice-docs @ d7a8637, docs/changelog.mdx). Not
  taken: it makes a first period of 17 months.
ZB2, ZB3 and ZB4 (a charge with a known end billed only up to it) failed
at first and pass since ``known_end`` ``bill-to-end`` (the ``zuora-*``
conventions); MB3 and FB5 (chained percentage coupons) since
``percent_stacking`` ``compound`` (``meteroid``, ``flexprice``); FB4 (a
fixed coupon off the invoice before tax) since ``discount_split``
``proportional`` and ``tax_rounding`` ``per-invoice`` (``flexprice``); RB2
(a fixed coupon filled charge by charge) since ``discount_split``
``in-order`` (``recurly``).

Artefacts: the printed figure is an illustration, not what the platform's
own rule gives.

- RB3 (recurly-docs docs/RECURRING BILLING/taxes/tax/tax-inclusive-
  pricing.md, "Discounts and tax inclusivity"): "20% off a $300.00
  tax-inclusive price (10.25% tax rate)", "$240.00", "$217.69 subtotal +
  $22.32 tax" (and the same for $60.00 off): 217.69 + 22.32 = 240.01, not
  the $240.00 printed; 240 / 1.1025 = 217.69 leaves 22.31 of tax, which
  prorata gives ($240.00, tax $22.31).
- ZB1 (docs.zuora.com/.../proration/proration-credit/calculate-credit-
  amount-with-partial-period-proration): $100 a quarter from 2023-01-01,
  cancelled 2023-02-21: "100 x (51 / 90) = 56.66666667 round up to 57",
  credit "$43"; the previous method "100 x (39 / 90) = 43.33333333 round up
  to 44": the page rounds up to whole dollars to show the two methods can
  differ; at cents both give 43.33, as prorata does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from prorata import (
    ANNUAL,
    AddOn,
    Charge,
    Coupon,
    Discount,
    Interval,
    InvoiceLineKind,
    Item,
    Money,
    Plan,
    Subscription,
    TaxRate,
    presets,
)
from tests.cases import amounts, cents, invoiced, started
from tests.common import eur, usd, utc

C = presets.CONVENTIONS
QUARTER = Interval.months(3)
WEEK = Interval.weeks(1)


def unix(seconds: int) -> datetime:
    """A moment in Unix seconds, as Stripe's API writes it."""
    return datetime.fromtimestamp(seconds, UTC)


# ---------------------------------------------------------------- Kill Bill


class TestKillBill:
    SHOTGUN = Plan(id="shotgun-monthly", price=usd("249.95"), rank=2)
    RIFLE = Plan(id="assault-rifle-monthly", price=usd("599.95"), rank=3)
    PISTOL = Plan(id="pistol-monthly", price=usd("29.95"), rank=1)

    def test_kb1_quantity_update_at_the_billing_day(self) -> None:
        """KB1 (killbill/killbill @ cb60779c, beatrix TestWithQuantityUpdate.
        testQuantityBasic): knife-monthly-notrial x 7, BCD 27, created
        2022-11-27: RECURRING 2022-11-27 to 12-27 "209.65"; quantity set to
        10 from 2022-12-27, the billing day ("no proration"): RECURRING
        12-27 to 2023-01-27 "299.50". The quantity is the plan's here (7
        and 10 knives at 29.95), the change scheduled for the billing
        day."""
        knives_7 = Plan(id="knife-x7", price=usd("209.65"), rank=1)
        knives_10 = Plan(id="knife-x10", price=usd("299.50"), rank=2)
        sub, first = started(knives_7, utc(2022, 11, 27), C["kill-bill"])
        assert amounts(first.lines) == ["$209.65"]
        assert first.lines[0].end == utc(2022, 12, 27)
        sub = sub.schedule_change(knives_10)
        _, renewal = sub.bill()
        assert renewal.issued_at == utc(2022, 12, 27)
        assert amounts(renewal.lines) == ["$299.50"]
        assert renewal.lines[0].end == utc(2023, 1, 27)

    def test_kb2_trial_change_then_stub_to_a_later_billing_day(self) -> None:
        """KB2 (beatrix TestIntegration.testBasePlanCompleteWithBillingDayIn
        Future): account BCD 3, Shotgun monthly from 2012-02-01 (trial to
        03-02), changed IMMEDIATE in the trial to Assault-Rifle monthly
        (599.95); at the trial's end RECURRING 2012-03-02 to 03-03 "20.69"
        (1/29); then 03-03 to 04-03 "599.95"; changed EOT to Pistol: 04-03
        to 05-03 "29.95"."""
        sub, signup = Subscription.start(
            self.SHOTGUN,
            utc(2012, 2, 1),
            trial=utc(2012, 3, 2),
            anchor=utc(2012, 2, 3),
            policy=C["kill-bill"],
        )
        assert signup is None
        sub, _ = sub.change_plan(self.RIFLE, utc(2012, 2, 1, 0, 20))
        sub, stub = sub.bill()
        assert stub.issued_at == utc(2012, 3, 2)
        assert amounts(stub.lines) == ["$20.69"]
        assert stub.lines[0].end == utc(2012, 3, 3)
        sub, march = sub.bill()
        assert amounts(march.lines) == ["$599.95"]
        assert march.lines[0].end == utc(2012, 4, 3)
        sub = sub.schedule_change(self.PISTOL)
        _, april = sub.bill()
        assert april.issued_at == utc(2012, 4, 3)
        assert amounts(april.lines) == ["$29.95"]
        assert april.lines[0].end == utc(2012, 5, 3)

    def test_kb3_account_billing_day_moved_in_the_trial(self) -> None:
        """KB3 (beatrix TestWithAccountBCDUpdate, setupScenario): BCD 17,
        Shotgun monthly created 2016-04-17 (trial to 05-17); on 04-20, in
        the trial, the account's BCD set to 20: 2016-05-17 RECURRING 05-17
        to 05-20 "25" (3/30 of 249.95); 05-20 RECURRING 05-20 to 06-20
        "249.95"."""
        sub, _ = Subscription.start(
            self.SHOTGUN,
            utc(2016, 4, 17),
            trial=utc(2016, 5, 17),
            anchor=utc(2016, 4, 17),
            policy=C["kill-bill"],
        )
        sub = sub.move_anchor(utc(2016, 5, 20))
        sub, stub = sub.bill()
        assert stub.issued_at == utc(2016, 5, 17)
        assert amounts(stub.lines) == ["$25.00"]
        assert stub.lines[0].end == utc(2016, 5, 20)
        _, may = sub.bill()
        assert may.issued_at == utc(2016, 5, 20)
        assert amounts(may.lines) == ["$249.95"]
        assert may.lines[0].end == utc(2016, 6, 20)


# ---------------------------------------------------------------- Lago


class TestLago:
    PLAN = Plan(id="monthly", price=Money("50000", "GBP"))

    def billing_days(
        self, start: datetime, through: datetime
    ) -> list[datetime]:
        """The days a monthly plan in arrears, anniversary, is invoiced."""
        sub, signup = Subscription.start(
            self.PLAN, start, policy=C["lago-in-arrears"]
        )
        assert signup is None
        _, invoices = sub.bill_through(through)
        return [
            invoice.issued_at.replace(hour=0, minute=0, second=0)
            for invoice in invoices
        ]

    def test_lb1_anniversary_on_a_31st(self) -> None:
        """LB1 (getlago/lago-api @ 1b1c24a6, spec/scenarios/subscriptions/
        billing_spec.rb, "with monthly plan" / "with anniversary billing" /
        "with anniversary on a 31st"): a monthly plan in arrears,
        anniversary, from 2022-12-31: one invoice on each billing day
        2023-01-31, 02-28, 03-31, 04-30 ... 2024-01-31, 2024-02-29,
        2024-03-31."""
        days = self.billing_days(utc(2022, 12, 31), utc(2024, 3, 31, 2))
        assert days == [
            utc(2023, 1, 31),
            utc(2023, 2, 28),
            utc(2023, 3, 31),
            utc(2023, 4, 30),
            utc(2023, 5, 31),
            utc(2023, 6, 30),
            utc(2023, 7, 31),
            utc(2023, 8, 31),
            utc(2023, 9, 30),
            utc(2023, 10, 31),
            utc(2023, 11, 30),
            utc(2023, 12, 31),
            utc(2024, 1, 31),
            utc(2024, 2, 29),
            utc(2024, 3, 31),
        ]

    def test_lb2_anniversary_on_the_28th_of_february(self) -> None:
        """LB2 (billing_spec.rb, "with anniversary on a 28 of february"): from
        2022-02-28: invoices on the 28th of every month of 2023 (the month
        end does not pull the 28th to the 30th or 31st)."""
        days = self.billing_days(utc(2022, 2, 28), utc(2023, 12, 28, 2))
        assert [d for d in days if d.year == 2023] == [
            utc(2023, month, 28) for month in range(1, 13)
        ]

    def test_lb3_started_on_a_31st(self) -> None:
        """LB3 (billing_spec.rb, "when subscription started on a 31st"): from
        2023-03-31: no invoice on 04-29, one on 2023-04-30, none on
        05-01."""
        days = self.billing_days(utc(2023, 3, 31), utc(2023, 5, 1))
        assert days == [utc(2023, 4, 30)]


# ---------------------------------------------------------------- Meteroid


class TestMeteroid:
    PAID = Plan(id="paid-free-trial", price=eur("49"))

    @staticmethod
    def totals(invoice_lines: list[int]) -> tuple[int, int, int]:
        """Subtotal, discount and total in cents, as Meteroid reports them."""
        subtotal = sum(c for c in invoice_lines if c > 0)
        discount = -sum(c for c in invoice_lines if c < 0)
        return subtotal, discount, subtotal - discount

    def first(self, *coupons: Coupon) -> tuple[int, int, int]:
        """The first invoice's totals with ``coupons``, from 2024-01-01."""
        _, invoice = started(
            self.PAID, utc(2024, 1, 1), C["meteroid"], coupons=coupons
        )
        return self.totals(cents(invoice.lines))

    def test_mb1_fixed_coupon(self) -> None:
        """MB1 (meteroid-oss/meteroid @ 6a27ef61, modules/meteroid/tests/
        integration/subscription/coupons.rs, test_fixed_coupon_no_trial):
        "Paid with Free Trial" (49.00/month) with no trial and a 10.00
        fixed coupon: subtotal 4900, discount 1000, total 3900."""
        coupon = Coupon(discount=Discount.amount_off(eur("10")))
        assert self.first(coupon) == (4900, 1000, 3900)

    def test_mb2_percentage_coupon_for_two_cycles(self) -> None:
        """MB2 (coupons.rs, test_coupon_recurring_value_limits_cycles): 20%
        for 2 cycles from 2024-01-01: cycles 0 and 1 discount 980, total
        3920; cycles 2 and 3 discount 0, total 4900."""
        coupon = Coupon(discount=Discount.percent_off(20), periods=2)
        sub, first = started(
            self.PAID, utc(2024, 1, 1), C["meteroid"], coupons=[coupon]
        )
        _, later = sub.bill_through(utc(2024, 4, 1))
        got = [self.totals(cents(i.lines)) for i in (first, *later)]
        assert got == [
            (4900, 980, 3920),
            (4900, 980, 3920),
            (4900, 0, 4900),
            (4900, 0, 4900),
        ]

    def test_mb3_percentage_coupons_applied_in_sequence(self) -> None:
        """MB3 (coupons.rs, test_multiple_coupons_sequential_application):
        two 60% coupons on 49.00: "60% of 4900 = 2940, remaining 1960 /
        Then 60% of 1960 = 1176, remaining 784": subtotal 4900, discount
        4116, total 784."""
        sixty = Coupon(discount=Discount.percent_off(60))
        assert self.first(sixty, sixty) == (4900, 4116, 784)
        _, invoice = started(
            self.PAID, utc(2024, 1, 1), C["meteroid"], coupons=[sixty, sixty]
        )
        assert cents(invoice.lines) == [4900, -2940, -1176]

    def test_mb4_percentage_then_fixed_capped_at_the_subtotal(self) -> None:
        """MB4 (coupons.rs, test_multiple_100_percent_coupons_capped): 90%
        and then 10.00 fixed on 49.00: subtotal 4900, discount 4900
        ("Capped at subtotal"), total 0."""
        assert self.first(
            Coupon(discount=Discount.percent_off(90)),
            Coupon(discount=Discount.amount_off(eur("10"))),
        ) == (4900, 4900, 0)

    def test_mb5_fixed_coupon_capped_at_the_subtotal(self) -> None:
        """MB5 (coupons.rs, test_fixed_coupon_exceeds_subtotal_capped): a
        100.00 fixed coupon on 49.00: discount 4900, total 0."""
        coupon = Coupon(discount=Discount.amount_off(eur("100")))
        assert self.first(coupon) == (4900, 4900, 0)

    def test_mb6_coupon_waits_for_the_free_trial(self) -> None:
        """MB6 (coupons.rs, test_coupon_with_free_trial): 20% with a 14-day
        free trial: no invoice in the trial; at its end subtotal 4900,
        discount 980, total 3920."""
        sub, signup = Subscription.start(
            self.PAID,
            utc(2024, 1, 1),
            trial=timedelta(days=14),
            coupons=[Coupon(discount=Discount.percent_off(20))],
            policy=C["meteroid"],
        )
        assert signup is None
        _, first = sub.bill()
        assert first.issued_at == utc(2024, 1, 15)
        assert self.totals(cents(first.lines)) == (4900, 980, 3920)


# ---------------------------------------------------------------- Polar


class TestPolar:
    PRODUCT = Plan(id="product", price=usd("10"), rank=1)

    def test_yb1_seat_increase_at_half_period(self) -> None:
        """YB1 (polarsource/polar @ c6c3645e, server/tests/subscription/
        test_service_change_preview.py, test_seat_increase_at_half_period_
        charges_the_delta): fixed 0 + 1000 per seat, 10 seats, period
        2025-01-01 to 02-01, 12 seats at 01-16T12:00Z: proration_amount
        1000 ("Half a cycle of two extra seats"). Polar makes one entry;
        prorata's credit and charge net to it."""
        seat = AddOn(id="seat", price=usd("10"))
        sub, _ = started(
            Plan(id="seats", price=usd("0")),
            utc(2025, 1, 1),
            C["polar"],
            items=[Item(seat, 10)],
        )
        _, outcome = sub.change_quantity(seat, 12, utc(2025, 1, 16, 12))
        assert outcome.net.minor_units == 1000

    def test_yb4_a_change_to_a_product_without_trial_ends_it(self) -> None:
        """YB4 (test_service_change_preview.py, test_trial_ending_change_
        charges_a_full_period): "Switching to a product without a trial
        ends the trial and bills a cycle": a trialing subscription changed
        to a 5000 product with no trial, prorations [], total_amount 5000.
        The fixture's trial length is not printed; 14 days here."""
        sub, signup = Subscription.start(
            self.PRODUCT,
            utc(2025, 1, 1),
            trial=timedelta(days=14),
            policy=C["polar"],
        )
        assert signup is None
        after, outcome = sub.change_plan(
            Plan(id="new", price=usd("50"), rank=2), utc(2025, 1, 5)
        )
        assert not after.in_trial
        bill = invoiced(outcome)
        assert bill.total.minor_units == 5000
        assert [line.kind for line in bill.lines] == [
            InvoiceLineKind.SUBSCRIPTION
        ]

    def test_yb2_percentage_discount_on_the_next_charge(self) -> None:
        """YB2 (test_service_charge_preview.py, test_percentage_discount_
        applies_to_recurring): the 1000/month product with a 25% forever
        discount: next charge base 1000, discount 250, total 750."""
        sub, _ = started(
            self.PRODUCT,
            utc(2025, 1, 1),
            C["polar"],
            coupons=[Coupon(discount=Discount.percent_off(25))],
        )
        preview = sub.preview_invoice()
        assert cents(preview.lines) == [1000, -250]
        assert preview.total.minor_units == 750

    def test_yb3_wallet_balance_reduces_the_due_amount(self) -> None:
        """YB3 (test_service_charge_preview.py, test_wallet_credit_reduces_
        due_amount): a wallet balance of 300: next charge total 1000,
        applied balance -300, due 700. The balance is given as a credit
        issued against the period."""
        sub, _ = started(self.PRODUCT, utc(2025, 1, 1), C["polar"])
        sub, _ = sub.issue_credit(usd("3"), utc(2025, 1, 2))
        preview = sub.preview_invoice()
        assert preview.total.minor_units == 1000
        assert preview.credit_applied.minor_units == 300
        assert preview.amount_due.minor_units == 700


# ---------------------------------------------------------------- Flexprice


class TestFlexprice:
    def next_billing(
        self, interval: Interval, start: datetime, anchor: datetime
    ) -> datetime:
        """The first billing date of a plan started at ``start``."""
        sub, _ = started(
            Plan(id="p", price=usd("10"), interval=interval),
            start,
            C["flexprice"],
            anchor=anchor,
        )
        return sub.next_billing_date

    def test_fb1_monthly_anchor_day_after_the_start(self) -> None:
        """FB1 (flexprice/flexprice @ e4b5303f, internal/types/billing_anchor_
        scenarios_test.go, TestNextBillingDate_AnchorEqualToStartVsAnchor
        AfterStart, monthly_anchor_day_after_start_day_in_month_snaps_to_
        anchor_first_period): period start 2024-04-01, anchor 2024-01-15
        12:00: next billing date 2024-04-15 12:00."""
        assert self.next_billing(
            Interval.months(1), utc(2024, 4, 1), utc(2024, 1, 15, 12)
        ) == utc(2024, 4, 15, 12)

    def test_fb2_quarterly_start_before_the_anchor(self) -> None:
        """FB2 (the same test, quarterly_start_before_calendar_anchor_returns_
        anchor): start 2024-02-15, anchor 2024-04-01: 2024-04-01."""
        assert self.next_billing(
            Interval.months(3), utc(2024, 2, 15), utc(2024, 4, 1)
        ) == utc(2024, 4, 1)

    def test_fb5_two_subscription_coupons_chain(self) -> None:
        """FB5 (docs.flexprice.io/docs/invoices/billing-calculation-order,
        "Coupon chaining"; flexprice/flexprice-docs @ d7a8637, docs/
        invoices/calculation.mdx): "Subtotal: $100.00 / Coupon A (10%): -
        $10.00 --> running total: $90.00 / Coupon B (10%): - $9.00 -->
        running total: $81.00": "Two 10% coupons produce a 19% effective
        discount, not 20%"."""
        ten = Coupon(discount=Discount.percent_off(10))
        _, invoice = started(
            Plan(id="p", price=usd("100")),
            utc(2024, 1, 1),
            C["flexprice"],
            coupons=[ten, ten],
        )
        assert cents(invoice.lines) == [10000, -1000, -900]
        assert invoice.subtotal == usd("81.00")

    def test_fb4_subscription_coupon_off_the_invoice_before_tax(self) -> None:
        """FB4 (docs.flexprice.io/docs/invoices/billing-calculation-order,
        "Worked example"): "Usage charge (API calls) $80.00", "Flat monthly
        fee $20.00"; "Line-item coupon: 25% off API calls -$20.00", then
        "Subscription coupon: $10 off -$10.00", taken once off the running
        subtotal ("Invoice-level (subscription) coupon discounts. Applied to
        the running subtotal"); "Taxable amount (subtotal - coupon discounts
        only) $70.00", "Tax at 8.25% +$5.78" (8.25% of $70.00 = $5.775,
        rounded once). The API calls are an $80 add-on here (prorata's
        coupons discount subscription lines, not overage); the $5 of wallet
        credit, which "do[es] not reduce the taxable base", is left out.
        The ``flexprice`` convention's ``discount_split`` ``proportional``
        spreads the $10 over the lines, $8.00 and $2.00 (Flexprice's
        DistributeInvoiceLevelDiscount weighs what the line-item coupon
        left, $7.50 and $2.50: the same total), and its ``tax_rounding``
        ``per-invoice`` rounds the tax once."""
        rate = (TaxRate(name="Sales tax", percent=Decimal("8.25")),)
        _, invoice = Subscription.start(
            Plan(id="fee", price=usd("20"), taxes=rate),
            utc(2024, 6, 1),
            items=[Item(AddOn(id="api", price=usd("80"), taxes=rate), 1)],
            coupons=[
                Coupon(discount=Discount.percent_off(25), products=("api",)),
                Coupon(discount=Discount.amount_off(usd("10"))),
            ],
            policy=C["flexprice"],
        )
        assert invoice is not None
        quarter, fixed = (
            [
                line.amount
                for line in invoice.lines
                if line.description[:3] == n
            ]
            for n in ("25%", "$10")
        )
        assert quarter == [usd("-20.00")]
        assert sum(fixed, usd("0")) == usd("-10.00")
        assert invoice.subtotal == usd("70.00")
        assert invoice.tax == usd("5.78")


# ---------------------------------------------------------------- OpenMeter


class TestOpenMeter:
    def test_ob1_in_advance_fee_invoiced_at_creation(self) -> None:
        """OB1 (openmeterio/openmeter @ 7e57a394, openmeter/billing/worker/
        subscriptionsync/service/sync_test.go, TestInAdvanceInstantBilling
        OnSubscriptionCreation): a flat 6 in advance, monthly, from
        2024-01-01: the instant invoice has the in-advance line 6 for
        2024-01-01 to 02-01."""
        _, invoice = started(
            Plan(id="in-advance", price=usd("6")),
            utc(2024, 1, 1),
            C["openmeter"],
        )
        assert invoice.issued_at == utc(2024, 1, 1)
        assert cents(invoice.lines) == [600]
        line = invoice.lines[0]
        assert (line.start, line.end) == (utc(2024, 1, 1), utc(2024, 2, 1))

    def test_ob2_full_percentage_discount(self) -> None:
        """OB2 (sync_test.go, TestDiscountSynchronization): the flat 6 in
        advance with a 100% discount: January's and February's in-advance
        lines each carry an amount discount of 6."""
        sub, first = started(
            Plan(id="in-advance", price=usd("6")),
            utc(2024, 1, 1),
            C["openmeter"],
            coupons=[Coupon(discount=Discount.percent_off(100))],
        )
        _, february = sub.bill()
        assert cents(first.lines) == [600, -600]
        assert cents(february.lines) == [600, -600]
        assert february.lines[0].end == utc(2024, 3, 1)

    def test_ob3_one_time_fee_in_advance(self) -> None:
        """OB3 (sync_test.go, TestInAdvanceOneTimeFeeSyncing): a one-time flat
        fee 5 in advance: one line 5, service period 2024-01-01 to
        2024-01-01, invoiced at 2024-01-01."""
        _, invoice = Subscription.start(
            Plan(id="base", price=usd("0")),
            utc(2024, 1, 1),
            charges=[Charge(id="in-advance", price=usd("5"))],
            policy=C["openmeter"],
        )
        assert invoice is not None
        assert invoice.issued_at == utc(2024, 1, 1)
        assert [c for c in cents(invoice.lines) if c] == [500]


# ---------------------------------------------------------------- Stripe


class TestStripe:
    MONTHLY_25 = Plan(
        id="small-monthly", name="Test Subscription", price=usd("25")
    )

    def test_sb1_percentage_coupon_forever(self) -> None:
        """SB1 (pay-rails/pay @ 5b018bc1, test/vcr_cassettes/test_stripe_
        handles_coupons.yml, recorded 2025-11-10, flexible mode): $25/month
        created 1762799240 with coupon "10OFF" (percent_off 10.0,
        duration forever): line 2500 for 1762799240 to 1765391240,
        discount 250, subtotal 2500, total and amount_due 2250."""
        _, invoice = started(
            self.MONTHLY_25,
            unix(1762799240),
            C["stripe-flexible"],
            coupons=[Coupon(discount=Discount.percent_off(10))],
        )
        assert cents(invoice.lines) == [2500, -250]
        assert invoice.amount_due.minor_units == 2250
        assert invoice.lines[0].end == unix(1765391240)

    def test_sb2_free_trial_anchors_the_cycle(self) -> None:
        """SB2 (test/vcr_cassettes/test_stripe_trial_period_options.yml): a
        trial from 1774905677 to 1776201677: invoice "Free trial for 1 user
        x Test Subscription" amount_due 0; billing_cycle_anchor and
        current_period_end 1776201677. prorata bills a free trial nothing
        and issues no $0 invoice."""
        sub, signup = Subscription.start(
            self.MONTHLY_25,
            unix(1774905677),
            trial=unix(1776201677),
            policy=C["stripe-flexible"],
        )
        assert signup is None
        assert sub.next_billing_date == unix(1776201677)
        assert sub.cycle.anchor == unix(1776201677)


# ---------------------------------------------------------------- Paddle


class TestPaddle:
    VAT = TaxRate(name="Tax", percent=20)

    def test_pb1_renewal_transaction(self) -> None:
        """PB1 (PaddleHQ/paddle-python-sdk @ 48c8cc04, tests/Functional/
        Resources/Events/_fixtures/response/list_default.json,
        transaction.billed, origin subscription_recurring): billing period
        2023-11-24T14:11:11.447004Z to 2023-12-24T14:11:11.447004Z, rate
        "1": 10 x 3000 (tax 6000) and 1 x 25000 (tax 5000) at 20%: subtotal
        55000, tax 11000, total 66000."""
        seats = AddOn(id="seats", price=usd("30"), taxes=(self.VAT,))
        start = datetime(2023, 10, 24, 14, 11, 11, 447004, tzinfo=UTC)
        sub, _ = started(
            Plan(id="plan", price=usd("250"), taxes=(self.VAT,)),
            start,
            C["paddle"],
            items=[Item(seats, 10)],
        )
        _, renewal = sub.bill()
        assert renewal.issued_at == start.replace(month=11)
        assert (
            renewal.subtotal.minor_units,
            renewal.tax.minor_units,
            renewal.total.minor_units,
        ) == (55000, 11000, 66000)

    def test_pb2_checkout_transaction_tax(self) -> None:
        """PB2 (the same fixture, transaction.created, origin web): 10 x 3000,
        1 x 10000, 1 x 19900 at 6%: taxes 1800, 600, 1194; subtotal 59900,
        tax 3594, total 63494 (modelled as a sign-up)."""
        tax = TaxRate(name="Tax", percent=6)
        _, invoice = started(
            Plan(id="plan", price=usd("199"), taxes=(tax,)),
            utc(2024, 4, 24),
            C["paddle"],
            items=[
                Item(AddOn(id="seats", price=usd("30"), taxes=(tax,)), 10),
                Item(AddOn(id="extra", price=usd("100"), taxes=(tax,)), 1),
            ],
        )
        assert (
            invoice.subtotal.minor_units,
            invoice.tax.minor_units,
            invoice.total.minor_units,
        ) == (59900, 3594, 63494)

    def test_pb3_monthly_to_annual_billed_at_once(self) -> None:
        """PB3 (ktool.io/docs/change-subscription-plan, "The following
        information is provided by Paddle"): "if you switch from a monthly,
        to an annual plan, you are billed immediately, and the annual
        billing date will be recalculated from the day of the switch (date
        of plan switch + 1 year)"."""
        sub, _ = started(
            Plan(id="m", price=usd("10"), rank=1), utc(2024, 6, 1), C["paddle"]
        )
        sub, outcome = sub.change_plan(
            Plan(id="y", price=usd("100"), interval=ANNUAL, rank=2),
            utc(2024, 6, 16),
        )
        assert outcome.invoice is not None
        assert sub.next_billing_date == utc(2025, 6, 16)


# ---------------------------------------------------------------- Recurly


class TestRecurly:
    PLAN = Plan(id="plan", price=usd("15"))
    ADD_ON = AddOn(id="add-on", price=usd("7"))
    SETUP = Charge(id="setup", price=usd("50"))

    def test_rb1_percentage_coupon_skips_the_setup_fee(self) -> None:
        """RB1 (recurly/recurly-docs @ 38cfcc4c, docs/PLANS, PRICING &
        PROMOTIONS/promotions/coupons/index.md, "Percentage discounts",
        Example): 10% on a $50 setup fee, $15 plan fee and $7 add-on:
        setup fee not discounted, "($1.50)", "($0.70)", "Total discount
        ($2.20) - payable: $69.80"."""
        _, invoice = Subscription.start(
            self.PLAN,
            utc(2024, 6, 1),
            items=[Item(self.ADD_ON, 1)],
            coupons=[Coupon(discount=Discount.percent_off(10))],
            charges=[self.SETUP],
            policy=C["recurly"],
        )
        assert invoice is not None
        assert sorted(c for c in cents(invoice.lines) if c < 0) == [-150, -70]
        assert invoice.amount_due == usd("69.80")

    def test_rb2_fixed_coupon_filled_line_by_line(self) -> None:
        """RB2 (the same page, "Fixed amount discounts", Example): "A
        fixed amount discount is distributed across eligible charges
        starting with the first subscription line item"; $20 off a $15
        plan fee and a $7 add-on: "($15.00) - fully discounted", "($5.00)
        - remaining $5 of discount applied", "($20.00) - payable: $2.00"
        (the ``recurly`` convention's ``discount_split`` ``in-order``)."""
        _, invoice = Subscription.start(
            self.PLAN,
            utc(2024, 6, 1),
            items=[Item(self.ADD_ON, 1)],
            coupons=[Coupon(discount=Discount.amount_off(usd("20")))],
            policy=C["recurly"],
        )
        assert invoice is not None
        assert amounts(invoice.lines) == [
            "$15.00",
            "-$15.00",
            "$7.00",
            "-$5.00",
        ]
        assert invoice.amount_due == usd("2.00")


# ---------------------------------------------------------------- Zuora


def _to_end(
    sub: Subscription, end: datetime
) -> tuple[Subscription, list[tuple[str, datetime, datetime]]]:
    """Bill every date before ``end``, then the end: each line's figures.

    Each invoice also as ``preview_invoice()`` showed it.
    """
    billed: list[tuple[str, datetime, datetime]] = []
    while sub.next_billing_date < end:
        preview = sub.preview_invoice()
        sub, invoice = sub.bill()
        assert preview == invoice
        billed.extend((str(x.amount), x.start, x.end) for x in invoice.lines)
    sub, last = sub.bill_through(end)
    assert sub.ended
    assert not last  # the end credits nothing: nothing after it was billed
    return sub, billed


class TestZuora:
    """docs.zuora.com/en/zuora-billing/manage-accounts-subscriptions-and-
    non-subscriptions/manage-subscription-transactions/common-subscription-
    information/proration: "when your customer cancels a subscription, a
    partial month/period may appear at the end of a charge. By the current
    design, such a partial month/period will always be billed". Zuora's
    dates are inclusive: a charge "to 03/20/2019" ends at 2019-03-21 00:00.
    The page prints no amounts; each partial period is priced by the
    page's formulas (calculate-total-amount-with-partial-period-proration:
    "Price_per_month * [ Number_of_full_months + (Prorated_days/
    Actual_number_of_days_of_the_prorated_month) ]", "Price_per_week *
    (Number_of_full_weeks + (Prorated_days/7))") at $100 a month or a week,
    $300 a quarter."""

    def test_zb2_monthly_charge_to_a_known_end(self) -> None:
        """ZB2: BCD 1, monthly, charge 11/10/2018 to 03/20/2019: "Partial
        month of 11/10/2018 - 11/30/2018 will be charged", "Full months of
        December, January, and February", "Partial month of 03/01/2019 -
        03/20-2019 will be charged" (100 x 21/30 = 70.00, 100 x 20/31 =
        64.52)."""
        plan = Plan(id="monthly", price=usd("100"))
        sub, first = started(
            plan,
            utc(2018, 11, 10),
            C["zuora-actual-days"],
            anchor=utc(2018, 12, 1),
        )
        assert amounts(first.lines) == ["$70.00"]
        assert first.lines[0].end == utc(2018, 12, 1)
        sub, _ = sub.cancel(utc(2019, 3, 21))
        _, billed = _to_end(sub, utc(2019, 3, 21))
        assert billed == [
            ("$100.00", utc(2018, 12, 1), utc(2019, 1, 1)),
            ("$100.00", utc(2019, 1, 1), utc(2019, 2, 1)),
            ("$100.00", utc(2019, 2, 1), utc(2019, 3, 1)),
            ("$64.52", utc(2019, 3, 1), utc(2019, 3, 21)),
        ]

    def test_zb3_quarterly_charge_to_a_known_end(self) -> None:
        """ZB3: BCD 1, quarterly, charge 7/15/2018 to 03/15/2019, both
        partial settings Yes: "Partial month 7/15/2018 - 7/31/2018", "Full
        periods of August - October and November - January", "Partial
        period of 02/01/2019 - 03/15/2019 will be charged"; by month first
        (the page's "prorate by month first"): 100 x 17/31 = 54.84 and
        100 x (1 + 15/31) = 148.39."""
        plan = Plan(id="quarterly", price=usd("300"), interval=QUARTER)
        sub, first = started(
            plan,
            utc(2018, 7, 15),
            C["zuora-actual-days-month-first"],
            anchor=utc(2018, 8, 1),
        )
        assert amounts(first.lines) == ["$54.84"]
        sub, _ = sub.cancel(utc(2019, 3, 16))
        _, billed = _to_end(sub, utc(2019, 3, 16))
        assert billed == [
            ("$300.00", utc(2018, 8, 1), utc(2018, 11, 1)),
            ("$300.00", utc(2018, 11, 1), utc(2019, 2, 1)),
            ("$148.39", utc(2019, 2, 1), utc(2019, 3, 16)),
        ]

    def test_zb4_weekly_charge_to_a_known_end(self) -> None:
        """ZB4: weekly, billing day Wednesday, four weeks from 01/01/2018:
        "a prorated charge for the service period of 01/01/2018 -
        01/02/2018", then "01/03/2018 - 01/09/2018" and every week; "The
        last invoice also shows a prorated charge for service period of
        01/24/2018 - 01/28/2018" (100 x 2/7 = 28.57, 100 x 5/7 =
        71.43)."""
        plan = Plan(id="weekly", price=usd("100"), interval=WEEK)
        sub, first = started(
            plan,
            utc(2018, 1, 1),
            C["zuora-actual-days"],
            anchor=utc(2018, 1, 3),
        )
        assert amounts(first.lines) == ["$28.57"]
        assert first.lines[0].end == utc(2018, 1, 3)
        sub, _ = sub.cancel(utc(2018, 1, 29))
        _, billed = _to_end(sub, utc(2018, 1, 29))
        assert billed[0] == ("$100.00", utc(2018, 1, 3), utc(2018, 1, 10))
        assert billed[-1] == ("$71.43", utc(2018, 1, 24), utc(2018, 1, 29))
        assert len(billed) == 4
