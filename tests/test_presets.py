"""Public worked examples of other platforms, reproduced by their presets.

Each test names its source; the inputs and printed figures are recorded in
``docs/research/conventions-a.md`` (Stripe, Chargebee, Paddle, Recurly) and
``docs/research/conventions-b.md`` (Zuora, Lago, Kill Bill, Polar). Amounts
are written as the source prints them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from prorata import (
    ANNUAL,
    Basis,
    BillingPeriod,
    BillingTiming,
    DayCount,
    Interval,
    LineKind,
    Money,
    Plan,
    PlanChange,
    ProrationPolicy,
    Settlement,
    Subscription,
    TaxRate,
    Treatment,
    presets,
    prorate,
    prorate_timeline,
)
from prorata._pricing import price_time
from tests.common import usd, utc

if TYPE_CHECKING:
    from collections.abc import Iterable

    from prorata import InvoiceLine

CONVENTIONS = presets.CONVENTIONS


def amounts(lines: Iterable[InvoiceLine]) -> list[str]:
    """The lines' amounts as printed."""
    return [str(line.amount) for line in lines]


def plan(price: str, name: str = "plan") -> Plan:
    return Plan(id=name, name=name, price=usd(price))


def period(start: datetime, end: datetime) -> BillingPeriod:
    return BillingPeriod(start, end)


class TestStripe:
    def test_half_period(self) -> None:
        """docs.stripe.com prorations: 10 -> 20 at half the period credits
        -5 and debits +10, net +5."""
        april = period(utc(2024, 4, 1), utc(2024, 5, 1))
        q = prorate(
            PlanChange(plan("10", "a"), plan("20", "b"), at=utc(2024, 4, 16)),
            april,
            presets.STRIPE_CLASSIC,
        )
        assert (q.unused.amount, q.remaining.amount, q.net) == (
            usd("-5"),
            usd("10"),
            usd("5"),
        )

    def test_preview_invoice_to_the_second(self) -> None:
        """docs.stripe.com preview example: 1000 -> 3252 cents, period
        2020-08-06T21:28:08Z to 2020-09-06T21:28:08Z, proration date
        2020-09-01T17:42:28Z: lines -166 and +541, and 3252 for the next
        period, total 3627."""
        august = period(utc(2020, 8, 6, 21, 28, 8), utc(2020, 9, 6, 21, 28, 8))
        q = prorate(
            PlanChange(
                plan("10.00", "a"),
                plan("32.52", "b"),
                at=utc(2020, 9, 1, 17, 42, 28),
            ),
            august,
            presets.STRIPE_CLASSIC,
        )
        assert (
            q.unused.amount.minor_units,
            q.remaining.amount.minor_units,
        ) == (
            -166,
            541,
        )
        assert (q.net + usd("32.52")).minor_units == 3627

    def test_classic_and_flexible_credits(self) -> None:
        """docs.stripe.com credit prorations: 10/month from April 1, up to
        20 with proration_behavior=none on April 11, back to 10 on April 21.
        Classic credits a third of 20 (-6.67) and debits 3.33: total -334.
        Flexible credits what was billed (-3.33): total 0."""
        april = period(utc(2024, 4, 1), utc(2024, 5, 1))
        ten, twenty = plan("10", "ten"), plan("20", "twenty")
        changes = [
            PlanChange(
                ten,
                twenty,
                at=utc(2024, 4, 11),
                credit=Treatment.NONE,
                charge=Treatment.NONE,
            ),
            PlanChange(twenty, ten, at=utc(2024, 4, 21)),
        ]
        classic = prorate_timeline(
            ten, changes, april, presets.STRIPE_CLASSIC
        ).prorations[1]
        flexible = prorate_timeline(
            ten, changes, april, presets.STRIPE_FLEXIBLE
        ).prorations[1]
        assert (classic.unused.amount, classic.remaining.amount) == (
            usd("-6.67"),
            usd("3.33"),
        )
        assert classic.net.minor_units == -334
        assert (flexible.unused.amount, flexible.remaining.amount) == (
            usd("-3.33"),
            usd("3.33"),
        )
        assert flexible.net.minor_units == 0


class TestChargebee:
    def test_downgrade_forum_answer(self) -> None:
        """Chargebee forum: 1 Apr - 1 May, Gold 30 -> Silver 15 on Apr 5:
        26 days remain, credit 26, charge 13."""
        april = period(utc(2024, 4, 1), utc(2024, 5, 1))
        q = prorate(
            PlanChange(
                plan("30", "gold"), plan("15", "silver"), at=utc(2024, 4, 5)
            ),
            april,
            presets.CHARGEBEE_DAY,
        )
        assert (q.credit, q.charge) == (usd("26"), usd("13"))

    def test_upgrade_counts_the_change_day_as_used(self) -> None:
        """Chargebee support: A 30 -> B 100 on 15 Nov (during the day):
        credit 15, charge 50, amount charged 35."""
        november = period(utc(2024, 11, 1), utc(2024, 12, 1))
        q = prorate(
            PlanChange(
                plan("30", "a"), plan("100", "b"), at=utc(2024, 11, 15, 9, 30)
            ),
            november,
            presets.CHARGEBEE_DAY,
        )
        assert (q.credit, q.charge, q.net) == (usd("15"), usd("50"), usd("35"))

    def test_old_docs_downgrade(self) -> None:
        """Chargebee old docs: $60 -> $30 on 21 Apr 2012 after 20 days used:
        credit $20, new plan $10 for the rest of the month."""
        april = period(utc(2012, 4, 1), utc(2012, 5, 1))
        q = prorate(
            PlanChange(plan("60", "a"), plan("30", "b"), at=utc(2012, 4, 21)),
            april,
            presets.CHARGEBEE_DAY,
        )
        assert (q.credit, q.charge, q.net) == (
            usd("20"),
            usd("10"),
            usd("-10"),
        )


def test_paddle_classic_mid_month() -> None:
    """Paddle docs: 10 -> 30 on the 15th of a 30-day month: credit 5, debit
    15, charge 10."""
    month = BillingPeriod.of_days(utc(2024, 6, 1), 30)
    q = prorate(
        PlanChange(plan("10", "a"), plan("30", "b"), at=utc(2024, 6, 16)),
        month,
        presets.PADDLE,
    )
    assert (q.credit, q.charge, q.net) == (usd("5"), usd("15"), usd("10"))


def test_recurly_halfway() -> None:
    """Recurly docs: 10 -> 20 halfway through the month with timeframe now:
    credit 5, charge 10, bill 5."""
    month = BillingPeriod.of_days(utc(2024, 6, 1), 30)
    q = prorate(
        PlanChange(plan("10", "a"), plan("20", "b"), at=utc(2024, 6, 16)),
        month,
        presets.RECURLY,
    )
    assert (q.credit, q.charge, q.net) == (usd("5"), usd("10"), usd("5"))


class TestZuora:
    def test_usage_charge_by_time(self) -> None:
        """Zuora docs: $31 x 17/31 = $17 for 17 days of a 31-day month."""
        january = period(utc(2021, 1, 1), utc(2021, 2, 1))
        line = price_time(
            LineKind.USED_TIME,
            plan("31"),
            utc(2021, 1, 1),
            utc(2021, 1, 18),
            period=january,
            policy=presets.ZUORA_ACTUAL_DAYS,
        )
        assert line.amount == usd("17")

    @pytest.mark.parametrize(
        ("preset", "units", "total"),
        [
            (presets.ZUORA_ACTUAL_DAYS, 5, 31),
            (presets.ZUORA_ACTUAL_360, 5, 30),
            (presets.ZUORA_STRICT_30_360, 4, 30),
        ],
        ids=["actual", "actual-360", "strict-30-360"],
    )
    def test_day_count_table(
        self, preset: ProrationPolicy, units: int, total: int
    ) -> None:
        """Zuora docs table: 2021-01-27 to 01-31 is 5/31, 5/30, 4/30."""
        january = period(utc(2021, 1, 1), utc(2021, 2, 1))
        q = prorate(
            PlanChange(plan("31"), plan("31"), at=utc(2021, 1, 27)),
            january,
            preset,
        )
        assert (q.unused.portion.units, q.unused.portion.total) == (
            units,
            total,
        )


class TestLago:
    def test_upgrade_in_advance(self) -> None:
        """Lago docs: $20 -> $40 on May 11th: "21 days x $40 / 31 days =
        $27.10"."""
        may = period(utc(2023, 5, 1), utc(2023, 6, 1))
        q = prorate(
            PlanChange(
                plan("20", "standard"),
                plan("40", "premium"),
                at=utc(2023, 5, 11),
            ),
            may,
            presets.LAGO,
        )
        assert q.charge == usd("27.10")

    def test_in_arrears_first_plan(self) -> None:
        """Lago docs: Plan A EUR 100 from January 1st, upgraded January 15th:
        "14 days prorated = EUR45.16 (14/31 x EUR100)"."""
        january = period(utc(2024, 1, 1), utc(2024, 2, 1))
        a = Plan(id="a", price=Money("100", "EUR"))
        b = Plan(id="b", price=Money("200", "EUR"))
        q = prorate(
            PlanChange(a, b, at=utc(2024, 1, 15)), january, presets.LAGO
        )
        assert q.used.amount == Money("45.16", "EUR")

    def test_in_arrears_upgrade_invoices_the_old_plan_at_once(self) -> None:
        """Lago docs (getlago.com/docs/guide/subscriptions/upgrades-
        downgrades, "Subscription paid in arrears"): the same upgrade on a
        subscription under ``lago-in-arrears`` invoices "January 15th -
        Invoice for Plan A: 14 days prorated = EUR45.16" at once, and Plan
        B's 17 days at the period's end (17/31 x EUR200 = EUR109.68, the
        line cut off in the stored copy)."""
        from prorata import Subscription  # noqa: PLC0415

        a = Plan(id="a", price=Money("100", "EUR"), rank=1)
        b = Plan(id="b", price=Money("200", "EUR"), rank=2)
        sub, signup = Subscription.start(
            a, utc(2024, 1, 1), policy=presets.CONVENTIONS["lago-in-arrears"]
        )
        assert signup is None
        sub, outcome = sub.change_plan(b, utc(2024, 1, 15))
        assert outcome.invoice is not None
        assert outcome.invoice.issued_at == utc(2024, 1, 15)
        assert outcome.invoice.amount_due == Money("45.16", "EUR")
        _, end_of_january = sub.bill()
        assert end_of_january.issued_at == utc(2024, 2, 1)
        assert end_of_january.amount_due == Money("109.68", "EUR")


class TestKillBill:
    SHOTGUN = Plan(id="shotgun-monthly", price=usd("249.95"), rank=2)
    SHOTGUN_Y = Plan(
        id="shotgun-annual", price=usd("2399.95"), interval=ANNUAL, rank=2
    )

    def test_annual_to_monthly_keeps_the_billing_day(self) -> None:
        """killbill TestSubscription.testForcePolicy: annual $2,399.95 from
        2012-05-01 changed on 2012-05-11 to monthly $249.95: REPAIR_ADJ
        -2334.20, RECURRING 2012-05-11 to 2012-06-01 169.32, CBA 2164.88;
        changed back the same day: RECURRING 2334.20, REPAIR_ADJ -169.32."""
        sub, _ = Subscription.start(
            self.SHOTGUN_Y, utc(2012, 5, 1), policy=CONVENTIONS["kill-bill"]
        )
        sub, outcome = sub.change_plan(self.SHOTGUN, utc(2012, 5, 11))
        assert amounts(outcome.lines) == ["-$2,334.20", "$169.32"]
        assert sub.credit_balance == usd("2164.88")
        assert sub.next_billing_date == utc(2012, 6, 1)
        sub, outcome = sub.change_plan(self.SHOTGUN_Y, utc(2012, 5, 11))
        assert amounts(outcome.lines) == ["-$169.32", "$2,334.20"]
        assert sub.next_billing_date == utc(2013, 5, 1)

    def test_annual_to_annual_keeps_the_billing_day(self) -> None:
        """killbill TestSubscription.testChangeOfPlan: annual Shotgun to
        annual Assault-Rifle $5,999.95 on 2012-05-11: RECURRING 5835.57
        (355/365), REPAIR_ADJ -2334.20."""
        rifle = Plan(
            id="assault-rifle-annual",
            price=usd("5999.95"),
            interval=ANNUAL,
            rank=3,
        )
        sub, _ = Subscription.start(
            self.SHOTGUN_Y, utc(2012, 5, 1), policy=CONVENTIONS["kill-bill"]
        )
        _, outcome = sub.change_plan(rifle, utc(2012, 5, 11))
        assert amounts(outcome.lines) == ["-$2,334.20", "$5,835.57"]

    @pytest.mark.parametrize(
        ("start", "end", "at", "amount"),
        [
            (utc(2023, 4, 23), utc(2023, 5, 23), utc(2023, 5, 15), "5.32"),
            (utc(2023, 5, 15), utc(2023, 6, 15), utc(2023, 5, 23), "14.63"),
        ],
        ids=["8-days", "22-days"],
    )
    def test_fixed_30_day_months(
        self, start: datetime, end: datetime, at: datetime, amount: str
    ) -> None:
        """killbill TestInvoiceFixedProration: $19.95 a month, repairs of
        -5.32 (8/30) and -14.63 (22/30, where actual days give 23/31)."""
        pistol = Plan(id="pistol-monthly", price=usd("19.95"))
        q = prorate(
            PlanChange(pistol, pistol, at=at),
            period(start, end),
            presets.KILL_BILL_FIXED_30,
        )
        assert q.credit == usd(amount)


@pytest.mark.parametrize(
    ("price_from", "price_to", "start", "end", "at", "credit", "debit"),
    [
        (
            "100",
            "300",
            utc(2025, 6, 1),
            utc(2025, 7, 1),
            utc(2025, 6, 16),
            5000,
            15000,
        ),
        (
            "100",
            "300",
            utc(2025, 6, 1),
            utc(2025, 7, 1),
            utc(2025, 6, 11),
            6667,
            20000,
        ),
        (
            "100",
            "300",
            utc(2024, 2, 18),
            utc(2024, 3, 18),
            utc(2024, 2, 25),
            7586,
            22759,
        ),
        (
            "1000",
            "3000",
            utc(2024, 8, 1),
            utc(2025, 8, 1),
            utc(2024, 10, 1),
            83288,
            249863,
        ),
        (
            "1000",
            "3000",
            utc(2024, 2, 18),
            utc(2025, 2, 18),
            utc(2024, 9, 5),
            45355,
            136066,
        ),
        (
            "1000",
            "3000",
            utc(2023, 2, 18),
            utc(2024, 2, 18),
            utc(2023, 9, 5),
            45479,
            136438,
        ),
    ],
    ids=[
        "june-half",
        "june-10-days",
        "feb-29-day",
        "year",
        "leap-year",
        "plain-year",
    ],
)
def test_polar_upgrades(
    price_from: str,
    price_to: str,
    start: datetime,
    end: datetime,
    at: datetime,
    credit: int,
    debit: int,
) -> None:
    """polarsource/polar test_service_prorations test_upgrade_base_cases:
    credit and debit entries in cents."""
    q = prorate(
        PlanChange(plan(price_from, "old"), plan(price_to, "new"), at=at),
        period(start, end),
        presets.POLAR,
    )
    assert q.credit.minor_units == credit
    assert q.charge.minor_units == debit


def test_every_preset_is_named_and_documented() -> None:
    """Each preset is in PRESETS and says where its convention comes from."""
    named = {id(policy) for policy in presets.PRESETS.values()}
    for name in presets.__all__:
        value = getattr(presets, name)
        if isinstance(value, ProrationPolicy):
            assert id(value) in named, name
    assert len(presets.PRESETS) >= 10


class TestBillingModes:
    START = utc(2024, 6, 1)

    def outcome(self, mode: str) -> tuple[Money | None, list[Money]]:
        from prorata import Subscription  # noqa: PLC0415

        sub, _ = Subscription.start(
            plan("10", "a"), self.START, policy=presets.PADDLE_MODES[mode]
        )
        sub, outcome = sub.change_plan(plan("30", "b"), utc(2024, 6, 16))
        due = outcome.invoice.amount_due if outcome.invoice else None
        return due, [x.amount for x in outcome.lines]

    def test_paddle_prorated_immediately(self) -> None:
        """Paddle docs: 10 -> 30 on the 15th of a 30-day month: credit 5,
        debit 15, charged 10 now."""
        assert self.outcome("prorated_immediately") == (
            usd("10"),
            [usd("-5"), usd("15")],
        )

    def test_paddle_full_immediately(self) -> None:
        """'Prorated amount isn't calculated. The customer is billed the full
        amount now.'"""
        due, lines = self.outcome("full_immediately")
        assert due == usd("30")
        assert usd("30") in lines

    def test_paddle_do_not_bill(self) -> None:
        """'isn't billed for the prorated amount or the full amount'."""
        due, lines = self.outcome("do_not_bill")
        assert due is None
        assert sum(lines, usd("0")) == usd("0")

    def test_stripe_behaviours_are_named(self) -> None:
        """The three proration_behavior values are there."""
        assert set(presets.STRIPE_BEHAVIORS) == {
            "create_prorations",
            "always_invoice",
            "none",
        }


class TestZuoraMonthsFirst:
    """Zuora docs, partial period proration: "Price_per_month x
    (Number_of_full_months + Prorated_days / D)"."""

    # $100 a month billed every two months on the 15th; a stub from
    # 2018-01-01 to the billing day is 1 month and 14 days of the month
    # from Dec 15 (31 days).
    PERIOD = BillingPeriod(utc(2017, 12, 15), utc(2018, 2, 15))
    TWO_MONTHS = Plan(id="bimonthly", price=usd("200"))

    @pytest.mark.parametrize(
        ("policy", "amount"),
        [
            (ProrationPolicy(basis=Basis.DAYS, months_first=True), "145.16"),
            (
                ProrationPolicy(
                    basis=Basis.DAYS,
                    months_first=True,
                    day_count=DayCount.FIXED_MONTH,
                ),
                "146.67",
            ),
        ],
        ids=["actual-days", "assume-30-days"],
    )
    def test_stub_of_a_month_and_14_days(
        self, policy: ProrationPolicy, amount: str
    ) -> None:
        """$100 x (1 + 14/31) = $145.16; $100 x (1 + 14/30) = $146.67."""
        q = prorate(
            PlanChange(self.TWO_MONTHS, self.TWO_MONTHS, at=utc(2018, 1, 1)),
            self.PERIOD,
            policy,
        )
        assert q.charge == usd(amount)
        assert str(q.remaining.portion) == (
            "1 month and 14/31" if amount == "145.16" else "1 month and 7/15"
        )

    def test_a_quarter_is_three_months(self) -> None:
        """Months first: a quarter counts 3, whatever its days."""
        quarter = BillingPeriod(utc(2024, 1, 31), utc(2024, 4, 30))
        q = prorate(
            PlanChange(self.TWO_MONTHS, self.TWO_MONTHS, at=utc(2024, 2, 29)),
            quarter,
            ProrationPolicy(basis=Basis.DAYS, months_first=True),
        )
        assert q.unused.portion.total == 3
        assert q.unused.portion.units == 2


# -- the open-source engines (issue #16); sources and figures in
# docs/research/platform-cases.md, each case by its table ID.


def _quarter_plan(price: str) -> Plan:
    from prorata import Interval  # noqa: PLC0415 - these cases only

    return Plan(id="q", price=usd(price), interval=Interval.months(3))


class TestFlexprice:
    def test_basic_upgrade_immediate(self) -> None:
        """F1, calculator_test.go basic_upgrade_immediate: 10 -> 20 on
        2024-03-15 in the period the test writes as 2024-03-01 to its last
        day 2024-03-31 (both ends counted): -5.48, +10.97, net 5.49."""
        march = period(utc(2024, 3, 1), utc(2024, 4, 1))
        q = prorate(
            PlanChange(plan("10", "a"), plan("20", "b"), at=utc(2024, 3, 15)),
            march,
            presets.FLEXPRICE,
        )
        assert (q.unused.amount, q.remaining.amount, q.net) == (
            usd("-5.48"),
            usd("10.97"),
            usd("5.49"),
        )

    def test_net_is_the_sum_of_the_rounded_lines(self) -> None:
        """F6, proration_test.go downgrade_with_minimum_commitment: 1000 ->
        500, same dates: net -274.20 (the exact net is -274.19)."""
        march = period(utc(2024, 3, 1), utc(2024, 4, 1))
        q = prorate(
            PlanChange(
                plan("1000", "a"), plan("500", "b"), at=utc(2024, 3, 15)
            ),
            march,
            presets.FLEXPRICE,
        )
        assert q.net == usd("-274.20")

    @pytest.mark.parametrize(
        ("old", "new", "days", "span", "credit", "charge"),
        [
            # understanding-proration.mdx, Example 1: day 10 of 30.
            ("50", "100", 10, 30, "33.33", "66.67"),
            # Example 2: quarterly, day 45 of 90.
            ("300", "150", 45, 90, "150.00", "75.00"),
            # Example 3: yearly, day 100 of 365.
            ("600", "1200", 100, 365, "435.62", "871.23"),
        ],
    )
    def test_documented_examples(
        self,
        old: str,
        new: str,
        days: int,
        span: int,
        credit: str,
        charge: str,
    ) -> None:
        """F14-F16, docs understanding-proration.mdx: per-line rounding."""
        from datetime import timedelta  # noqa: PLC0415

        start = utc(2025, 1, 1)
        q = prorate(
            PlanChange(
                plan(old, "a"),
                plan(new, "b"),
                at=start + timedelta(days=days),
            ),
            BillingPeriod.of_days(start, span),
            presets.FLEXPRICE,
        )
        assert (q.credit, q.charge) == (usd(credit), usd(charge))


class TestMeteroid:
    START = utc(2024, 1, 1)

    def test_upgrade_per_component(self) -> None:
        """M1, plan_change.rs test_immediate_plan_change_upgrade: Starter
        (platform 2900 + seat 1000) -> Pro (9900 + 2500) on 2024-01-16, 16
        of 31 days left: -1497, -516, +5110, +1290 = 4387 cents, on an
        adjustment invoice at once."""
        from prorata import AddOn, Item, Subscription  # noqa: PLC0415

        starter = Plan(id="starter", price=usd("29"), rank=1)
        pro = Plan(id="pro", price=usd("99"), rank=2)
        seat = AddOn(id="seat", price=usd("10"))
        pro_seat = AddOn(id="pro-seat", price=usd("25"))
        sub, _ = Subscription.start(
            starter,
            self.START,
            items=[Item(seat, 1)],
            policy=presets.CONVENTIONS["meteroid"],
        )
        at = utc(2024, 1, 16)
        sub, plan_change = sub.change_plan(pro, at)
        sub, off = sub.change_quantity(seat, 0, at)
        _, on = sub.change_quantity(pro_seat, 1, at)
        lines = [*plan_change.lines, *off.lines, *on.lines]
        assert [line.amount.minor_units for line in lines] == [
            -1497,
            5110,
            -516,
            1290,
        ]
        assert plan_change.invoice is not None
        assert sum(line.amount.minor_units for line in lines) == 4387

    def test_downgrade_credits_the_balance(self) -> None:
        """M2, test_immediate_plan_change_downgrade: Pro -> Starter, same
        dates, per component: -5110 - 1290 + 1497 + 516 = -4387 cents,
        nothing due, 4387 to the customer's balance."""
        from prorata import AddOn, Item, Subscription  # noqa: PLC0415

        pro = Plan(id="pro", price=usd("99"), rank=2)
        starter = Plan(id="starter", price=usd("29"), rank=1)
        pro_seat = AddOn(id="pro-seat", price=usd("25"))
        seat = AddOn(id="seat", price=usd("10"))
        sub, _ = Subscription.start(
            pro,
            self.START,
            items=[Item(pro_seat, 1)],
            policy=presets.CONVENTIONS["meteroid"],
        )
        at = utc(2024, 1, 16)
        sub, plan_change = sub.change_plan(starter, at)
        sub, off = sub.change_quantity(pro_seat, 0, at)
        sub, on = sub.change_quantity(seat, 1, at)
        invoices = [o.invoice for o in (plan_change, off, on)]
        assert all(invoice is not None for invoice in invoices)
        total = sum(i.subtotal.minor_units for i in invoices if i is not None)
        assert total == -4387
        assert all(i.amount_due == usd("0") for i in invoices if i)
        assert sub.credit_balance == usd("43.87")

    def test_first_quarterly_stub(self) -> None:
        """M11, test_billing.rs test_quarterly_subscription_first_cycle_
        proration: 9000 a quarter from 2025-10-08, billing day 1: the first
        invoice is round(9000 x 85 / 92) = 8315."""
        from prorata import Subscription  # noqa: PLC0415

        _, first = Subscription.start(
            _quarter_plan("90"),
            utc(2025, 10, 8),
            anchor=utc(2025, 10, 1),
            policy=presets.CONVENTIONS["meteroid"],
        )
        assert first is not None
        assert first.amount_due == usd("83.15")

    def test_component_added_mid_period(self) -> None:
        """M9, amendment.rs test_apply_amendment_add_component_immediate: a
        5000/month component added on 2024-01-16: 2581 (16/31)."""
        from prorata import AddOn, Subscription  # noqa: PLC0415

        extra = AddOn(id="extra", price=usd("50"))
        sub, _ = Subscription.start(
            Plan(id="starter", price=usd("29")),
            self.START,
            policy=presets.CONVENTIONS["meteroid"],
        )
        _, outcome = sub.change_quantity(extra, 1, utc(2024, 1, 16))
        assert outcome.invoice is not None
        assert outcome.invoice.amount_due == usd("25.81")


class TestOpenMeter:
    def test_first_period_from_an_anchor(self) -> None:
        """O1, sync_test.go TestInAdvanceFlatFeeCancelAtFirstBillingBoundary:
        a 20 in-advance fee from 2024-01-21T21:55:18Z, anchor 2024-01-01:
        6.51 (871,482 of 2,678,400 seconds)."""
        from prorata import Subscription  # noqa: PLC0415

        _, first = Subscription.start(
            plan("20"),
            utc(2024, 1, 21, 21, 55, 18),
            anchor=utc(2024, 1, 1),
            policy=presets.CONVENTIONS["openmeter"],
        )
        assert first is not None
        assert first.amount_due == usd("6.51")

    def test_in_arrears_over_the_whole_service_period(self) -> None:
        """O2, TestInArrearsProratingGathering: 9 in arrears every 3 months
        from 2024-01-01, cancelled at 2024-02-01: 3.07 (31 of 91 days)."""
        from prorata import BillingPolicy, Subscription  # noqa: PLC0415

        policy = BillingPolicy(
            proration=presets.OPENMETER, timing="in-arrears"
        )
        sub, _ = Subscription.start(
            _quarter_plan("9"), utc(2024, 1, 1), policy=policy
        )
        _, outcome = sub.cancel(utc(2024, 2, 1))
        assert outcome.invoice is not None
        assert outcome.invoice.subtotal == usd("3.07")

    def test_an_issued_invoice_is_not_credited(self) -> None:
        """O5, TestInAdvanceGatheringSyncIssuedInvoiceProrated: 6 billed on
        an issued invoice, replaced by 10 on 2024-01-02: the 6 stays, 9.68
        more (30/31 of 10), then 10 for February."""
        from prorata import Subscription  # noqa: PLC0415

        sub, first = Subscription.start(
            plan("6", "a"),
            utc(2024, 1, 1),
            policy=presets.CONVENTIONS["openmeter"],
        )
        assert first is not None
        assert first.amount_due == usd("6")
        sub, outcome = sub.change_plan(plan("10", "b"), utc(2024, 1, 2))
        assert [line.amount for line in outcome.lines] == [usd("9.68")]
        _, february = sub.bill()
        assert february.amount_due == usd("19.68")


class TestKillBillRepairs:
    def test_stub_to_a_billing_day_over_the_period_ending_there(self) -> None:
        """K1/K2, TestWithBCDUpdate: 249.95 a month, a stub up to billing
        day 15 is divided by the month that ends on the 15th: 2016-05-01 to
        05-15 is 116.64 (14/30), 2016-06-01 to 06-15 is 112.88 (14/31)."""
        from prorata import Subscription  # noqa: PLC0415

        for start, due in (
            (utc(2016, 5, 1), "116.64"),
            (utc(2016, 6, 1), "112.88"),
        ):
            _, first = Subscription.start(
                plan("249.95"),
                start,
                anchor=utc(2016, 5, 15),
                policy=presets.CONVENTIONS["kill-bill"],
            )
            assert first is not None
            assert first.amount_due == usd(due)

    def test_credit_capped_after_an_item_adjustment(self) -> None:
        """K7, TestIntegrationInvoiceWithRepairLogic testSimplePartial
        RepairWithItemAdjustment: 249.95 billed for May 2012, adjusted by
        -10, then changed on 05-02 to Blowdart 9.95: 9.63 charged, -239.95
        credited (30/31 would be 241.89), 230.32 to the account credit."""
        from prorata import Subscription  # noqa: PLC0415

        shotgun = Plan(id="shotgun", price=usd("249.95"), rank=2)
        blowdart = Plan(id="blowdart", price=usd("9.95"), rank=1)
        sub, _ = Subscription.start(
            shotgun, utc(2012, 5, 1), policy=presets.CONVENTIONS["kill-bill"]
        )
        sub, _ = sub.issue_credit(usd("10"), utc(2012, 5, 2))
        sub, outcome = sub.change_plan(blowdart, utc(2012, 5, 2))
        amounts = {line.kind.value: line.amount for line in outcome.lines}
        assert amounts["remaining-time"] == usd("9.63")
        assert amounts["unused-time"] + amounts["credit-cap"] == usd("-239.95")
        assert sub.credit_balance == usd("10") + usd("230.32")


def test_every_preset_has_a_whole_convention() -> None:
    """CONVENTIONS names every preset, its proration the preset itself, and
    the platforms that invoice a change at once do so by the name alone."""
    from prorata import BillingPolicy, ChangeBilling  # noqa: PLC0415

    assert set(presets.CONVENTIONS) == set(presets.PRESETS)
    for name, convention in presets.CONVENTIONS.items():
        assert isinstance(convention, BillingPolicy)
        assert convention.proration is presets.PRESETS[name]
    at_once = {
        name
        for name, convention in presets.CONVENTIONS.items()
        if convention.charge_billing is ChangeBilling.INVOICE_NOW
    }
    assert at_once == {
        "chargebee-day",
        "chargebee-millisecond",
        "flexprice",
        "kill-bill",
        "kill-bill-fixed-30",
        "kill-bill-in-arrears",
        "lago",
        "lago-in-arrears",
        "meteroid",
        "orb",
    }


def test_the_seed_pages_conventions_bill_as_the_pages_say() -> None:
    """The hosting page (002_440c7b3f4171c8ae.txt): a change of $100 or
    less waits for the next invoice, a larger one is invoiced at once. The
    SaaS page (000_9f3ea20e269377cb.txt): nothing billed at sign-up, billed
    in arrears, calculated three days before each billing date."""
    from datetime import timedelta  # noqa: PLC0415

    from prorata import BillingTiming, Subscription  # noqa: PLC0415

    hosting = presets.CONVENTIONS["hosting-page"]
    assert hosting.charge_now_above == usd("100")
    sub, _ = Subscription.start(
        plan("115", "b1"), utc(2024, 6, 1), policy=hosting
    )
    _, small = sub.change_plan(plan("135", "b2"), utc(2024, 6, 11))
    _, large = sub.change_plan(plan("350", "b3"), utc(2024, 6, 11))
    assert small.invoice is None
    assert large.invoice is not None
    saas = presets.CONVENTIONS["saas-page"]
    assert saas.timing is BillingTiming.IN_ARREARS
    assert saas.calculation_lead == timedelta(days=3)
    _, signup = Subscription.start(plan("50"), utc(2024, 6, 1), policy=saas)
    assert signup is None


class TestStubs:
    """A first period shorter than an interval: Stripe prorates it over an
    interval from its start, Kill Bill over the period ending at the
    billing day (docs/research/platform-cases.md S1, S2, K1)."""

    def test_stripe_backdating_examples(self) -> None:
        """S1, S2 (docs.stripe.com/billing/subscriptions/backdating): a
        monthly price backdated to 15 February, billed on the 1st: 14 days
        "exactly half" a month; backdated to 15 January: 17/31."""
        from prorata import Subscription  # noqa: PLC0415

        stripe = presets.CONVENTIONS["stripe-classic"]
        for start, anchor, price, due in (
            (utc(2023, 2, 15), utc(2023, 3, 1), "28", "14.00"),
            (utc(2023, 1, 15), utc(2023, 2, 1), "31", "17.00"),
        ):
            _, first = Subscription.start(
                plan(price), start, anchor=anchor, policy=stripe
            )
            assert first is not None
            assert first.amount_due == usd(due)

    def test_the_two_rules_differ_where_the_months_do(self) -> None:
        """May 1 to a billing day of 15 at 249.95: Kill Bill's 14 of the 30
        days from April 15 (K1, "116.64"); by Stripe's rule 14 of the 31
        days from May 1, 249.95 x 14/31 = 112.88."""
        from prorata import Subscription  # noqa: PLC0415

        dues = []
        for name in ("kill-bill", "stripe-classic"):
            _, first = Subscription.start(
                plan("249.95"),
                utc(2016, 5, 1),
                anchor=utc(2016, 5, 15),
                policy=presets.CONVENTIONS[name],
            )
            assert first is not None
            dues.append(first.amount_due)
        assert dues == [usd("116.64"), usd("112.88")]


class TestPaddleRate:
    """Paddle prices a change by its stated rate: whole minutes elapsed,
    the share to 5 places (docs/research/platform-cases.md P1 and
    conventions-a.md Paddle example 2)."""

    def test_sdk_preview_update_lines(self) -> None:
        """P1, paddle-python-sdk preview_update_full_entity.json: period
        2024-02-08T11:02:03.946454Z to 2024-03-08T11:02:03.946454Z, change
        at 2024-02-08T11:05:53.748Z, rate "0.99993": 150000 -> 149990,
        28500 -> 28498; credits 30000 -> 29998, 10000 -> 9999 (cents)."""
        start = utc(2024, 2, 8, 11, 2).replace(second=3, microsecond=946454)
        end = utc(2024, 3, 8, 11, 2).replace(second=3, microsecond=946454)
        at = utc(2024, 2, 8, 11, 5).replace(second=53, microsecond=748000)
        for old, new, credit, charge in (
            ("300", "1500", 29998, 149990),
            ("100", "285", 9999, 28498),
        ):
            q = prorate(
                PlanChange(plan(old, "a"), plan(new, "b"), at=at),
                period(start, end),
                presets.PADDLE,
            )
            assert (q.credit.minor_units, q.charge.minor_units) == (
                credit,
                charge,
            )
            assert "0.99993" in q.remaining.calculation

    def test_webhook_charge(self) -> None:
        """Paddle example 2 (pay-rails/pay issue 874): $20, period from
        2023-10-18T10:41:13.871061Z (31 days), change 15 minutes 9 seconds
        in: rate "0.99966", charge 1999 cents."""
        start = utc(2023, 10, 18, 10, 41).replace(
            second=13, microsecond=871061
        )
        end = utc(2023, 11, 18, 10, 41).replace(second=13, microsecond=871061)
        at = utc(2023, 10, 18, 10, 56).replace(second=23, microsecond=15000)
        q = prorate(
            PlanChange(plan("15", "a"), plan("20", "b"), at=at),
            period(start, end),
            presets.PADDLE,
        )
        assert q.charge.minor_units == 1999
        assert "0.99966" in q.remaining.calculation


class TestLagoConvention:
    """lago-api scenarios through the Lago convention alone (calendar
    billing in advance; docs/research/platform-cases.md L1, L2, L5, L7)."""

    def test_calendar_stub_and_an_upgrade(self) -> None:
        """L1, L2 (multiple_upgrade_spec, calendar): plan1 1000 cents with
        25% tax created 2024-03-05T12:12: 871 ("1000 / 31 * (31 - 4)");
        upgrade 2024-03-12T12:12 to plan2 1500: fees 968 ("1500 / 31 *
        20"), credit note 806 ("1000 / 31 * 20 * 1.25"), at once."""
        from prorata import Subscription, TaxRate  # noqa: PLC0415

        vat = TaxRate(name="VAT", percent=25)
        plan1 = Plan(id="plan1", price=Money("10", "EUR"), taxes=(vat,))
        plan2 = Plan(
            id="plan2", price=Money("15", "EUR"), rank=1, taxes=(vat,)
        )
        sub, first = Subscription.start(
            plan1,
            utc(2024, 3, 5, 12, 12),
            anchor=utc(2024, 3, 1),
            policy=presets.CONVENTIONS["lago"],
        )
        assert first is not None
        assert first.subtotal.minor_units == 871
        _, outcome = sub.change_plan(plan2, utc(2024, 3, 12, 12, 12))
        assert outcome.invoice is not None
        unused, remaining = outcome.lines
        assert remaining.amount.minor_units == 968
        credit_note = [
            t for t in outcome.invoice.taxes if t.taxable.amount < 0
        ]
        assert -(unused.amount + credit_note[0].amount).minor_units == 806

    @pytest.mark.parametrize("hour", [0, 10])
    def test_termination_keeps_its_day_with_the_old_plan(
        self, hour: int
    ) -> None:
        """L5 (terminate_manually_spec): 100_00 in advance, calendar, 20%
        tax, created 2025-02-08: first invoice 90_00 ("21 days out of 28");
        terminated 2025-02-21: credit note 30_00 ("7 unused days"). Lago
        counts the termination date as used whatever the time, at its
        first instant too."""
        vat = TaxRate(name="VAT", percent=20)
        monthly = Plan(id="m", price=Money("100", "EUR"), taxes=(vat,))
        sub, first = Subscription.start(
            monthly,
            utc(2025, 2, 8),
            anchor=utc(2025, 2, 1),
            policy=presets.CONVENTIONS["lago"],
        )
        assert first is not None
        assert first.total == Money("90", "EUR")
        _, end = sub.cancel(utc(2025, 2, 21, hour))
        assert end.invoice is not None
        assert end.invoice.total == Money("-30", "EUR")

    def test_termination_date_in_arrears_keeps_the_start_day(self) -> None:
        """lago-api spec/scenarios/subscriptions/upgrade_proration_spec.rb
        (docs/research/conventions-b.md, Lago 4, case B): 910.00 a quarter
        in arrears, calendar, from 2024-05-20T10:00, terminated
        2024-06-20T10:00: fee 32_000, the 32 days from 20 May to 20 June
        of the quarter's 91: the start day and the termination date both
        billed."""
        quarterly = Plan(
            id="q", price=Money("910", "EUR"), interval=Interval.months(3)
        )
        sub, _ = Subscription.start(
            quarterly,
            utc(2024, 5, 20, 10),
            anchor=utc(2024, 4, 1),
            policy=replace(
                CONVENTIONS["lago"], timing=BillingTiming.IN_ARREARS
            ),
        )
        _, end = sub.cancel(utc(2024, 6, 20, 10))
        assert end.invoice is not None
        assert end.invoice.subtotal == Money("320", "EUR")

    def test_rounding_at_max_precision_is_a_float_artefact(self) -> None:
        """L10 (create_from_termination_spec, "with rounding at max
        precision"): 9.99 anniversary from 2023-01-30 10:00, terminated
        2023-03-14 10:00 in the period 28 February to 29 March (30 days):
        Lago prints precise_amount_cents 4_99.49999 and a credit of 4_99,
        because 999 / 30 x 15 is 499.49999999999994 in binary floating
        point. Exactly it is 4.995, half up 5.00, which prorata credits."""
        plan = Plan(id="p", price=Money("9.99", "EUR"))
        sub, _ = Subscription.start(
            plan, utc(2023, 1, 30, 10), policy=CONVENTIONS["lago"]
        )
        sub, _ = sub.bill_through(utc(2023, 3, 1))
        _, end = sub.cancel(utc(2023, 3, 14, 10))
        assert end.invoice is not None
        assert amounts(end.invoice.lines) == ["-€5.00"]
        assert 999 / 30 * 15 < 499.5

    def test_termination_credit_note_from_an_earlier_period(self) -> None:
        """L7 (create_from_termination_spec): 31_00 a month, 20% tax,
        started 2022-09-01 10:00, terminated 2022-10-15 10:00: item 16_00,
        tax 3_20, total 19_20 (16 unused days of October)."""
        from prorata import Subscription, TaxRate  # noqa: PLC0415

        vat = TaxRate(name="VAT", percent=20)
        monthly = Plan(id="m", price=Money("31", "EUR"), taxes=(vat,))
        sub, _ = Subscription.start(
            monthly,
            utc(2022, 9, 1, 10),
            anchor=utc(2022, 9, 1),
            policy=presets.CONVENTIONS["lago"],
        )
        sub, _ = sub.bill()
        _, end = sub.cancel(utc(2022, 10, 15, 10))
        assert end.invoice is not None
        (line,) = end.invoice.lines
        assert (line.amount, end.invoice.tax, end.invoice.total) == (
            Money("-16", "EUR"),
            Money("-3.20", "EUR"),
            Money("-19.20", "EUR"),
        )


class TestMoreCases:
    """Further cases of docs/research/platform-cases.md, each by its ID,
    through its platform's preset or convention alone."""

    def test_polar_multiple_switches_credit_the_list_price(self) -> None:
        """Y1 (polar test_multiple_switches_within_cycle): 10000 -> 20000
        -> 30000 -> 40000 cents on 06-07, 06-13, 06-19 of a 30-day June:
        credits 8000, 12000, 12000; debits 16000, 18000, 16000."""
        june = period(utc(2025, 6, 1), utc(2025, 7, 1))
        plans = [plan(p, f"p{p}") for p in ("100", "200", "300", "400")]
        changes = [
            PlanChange(plans[i], plans[i + 1], at=utc(2025, 6, day))
            for i, day in enumerate((7, 13, 19))
        ]
        timeline = prorate_timeline(plans[0], changes, june, presets.POLAR)
        assert [
            (p.credit.minor_units, p.charge.minor_units)
            for p in timeline.prorations
        ] == [(8000, 16000), (12000, 18000), (12000, 16000)]

    @pytest.mark.parametrize(
        ("before", "after", "credit", "debit"),
        [
            ("25%", "50%", 3750, 25000),
            ("$25", "$50", 3750, 47500),
        ],
    )
    def test_polar_credit_keeps_the_old_discount(
        self, before: str, after: str, credit: int, debit: int
    ) -> None:
        """Y2 (polar test_proration_with_discount_change): 100_00 replaced
        by 1000_00 on 06-16 of June 2025 (half the cycle): the credit uses
        the old product's discount, the debit the new one's."""
        from prorata import Discount  # noqa: PLC0415

        def off(text: str) -> Discount:
            if text.endswith("%"):
                return Discount.percent_off(int(text[:-1]))
            return Discount.amount_off(usd(text[1:]))

        june = period(utc(2025, 6, 1), utc(2025, 7, 1))
        q = prorate(
            PlanChange(
                plan("100", "a").with_discount(off(before)),
                plan("1000", "b").with_discount(off(after)),
                at=utc(2025, 6, 16),
            ),
            june,
            presets.POLAR,
        )
        assert (q.credit.minor_units, q.charge.minor_units) == (credit, debit)

    def test_kill_bill_successive_repairs(self) -> None:
        """K8 (TestIntegrationInvoiceWithRepairLogic testMultiplePartial
        Repairs): Assault-Rifle 599.95 for May 2012; 05-07 to Blowdart
        9.95: "8.02", "-483.83", account credit "475.81"; 05-08 to Pistol
        29.95: "23.19", the Blowdart item repaired "-7.70", "-15.49" of
        the account credit used."""
        from prorata import Subscription  # noqa: PLC0415

        rifle = Plan(id="rifle", price=usd("599.95"), rank=3)
        blowdart = Plan(id="blowdart", price=usd("9.95"), rank=1)
        pistol = Plan(id="pistol", price=usd("29.95"), rank=2)
        sub, _ = Subscription.start(
            rifle, utc(2012, 5, 1), policy=presets.CONVENTIONS["kill-bill"]
        )
        sub, first = sub.change_plan(blowdart, utc(2012, 5, 7))
        assert [str(x.amount) for x in first.lines] == ["-$483.83", "$8.02"]
        assert sub.credit_balance == usd("475.81")
        sub, second = sub.change_plan(pistol, utc(2012, 5, 8))
        assert [str(x.amount) for x in second.lines] == ["-$7.70", "$23.19"]
        assert sub.credit_balance == usd("475.81") - usd("15.49")

    def test_stripe_real_credit_line(self) -> None:
        """S3 (a Stripe invoice quoted in a public gist): "monthly widgets"
        1000 cents, proration date 2017-03-03T19:14:48Z, the period ending
        2017-03-14T00:00:00Z (its start, 2017-02-14, inferred): the credit
        line "Unused time on monthly widgets after 03 Mar 2017" is -364."""
        feb = period(utc(2017, 2, 14), utc(2017, 3, 14))
        q = prorate(
            PlanChange(
                plan("10", "widgets"),
                plan("20", "more"),
                at=utc(2017, 3, 3, 19, 14).replace(second=48),
            ),
            feb,
            presets.STRIPE_CLASSIC,
        )
        assert q.unused.amount.minor_units == -364


class TestBillingDayOnAChangeOfInterval:
    """Which changes restart the billing cycle (``AnchorReset``)."""

    MONTHLY_10 = Plan(id="m", price=Money("10", "EUR"), rank=1)
    YEARLY_120 = Plan(
        id="y", price=Money("120", "EUR"), interval=ANNUAL, rank=2
    )

    def test_lago_yearly_plan_inherits_the_anniversary(self) -> None:
        """lago-api spec/scenarios/subscriptions/upgrade_spec.rb: monthly
        10.00 from 2023-06-29 upgraded on 2023-09-28 05:00 to yearly
        120.00: credit 32 ("1000 / 31", the change day credited) and the
        yearly fee for 275 days of 366 to the 29 June anniversary, 9016
        cents (docs/research/conventions-b.md, Lago 3)."""
        sub, _ = Subscription.start(
            self.MONTHLY_10, utc(2023, 6, 29), policy=CONVENTIONS["lago"]
        )
        sub, _ = sub.bill_through(utc(2023, 8, 29))
        sub, outcome = sub.change_plan(self.YEARLY_120, utc(2023, 9, 28, 5))
        assert amounts(outcome.lines) == ["-€0.32", "€90.16"]
        assert sub.next_billing_date == utc(2024, 6, 29)

    MONTHLY_129 = Plan(id="m", price=Money("129", "EUR"), rank=2)
    YEARLY_1188 = Plan(
        id="y", price=Money("1188", "EUR"), interval=ANNUAL, rank=1
    )

    def _lago_monthly_129(self) -> Subscription:
        """lago-api downgrade_spec's subscription, billed to November."""
        sub, _ = Subscription.start(
            self.MONTHLY_129,
            utc(2023, 7, 19, 12, 12),
            policy=CONVENTIONS["lago"],
        )
        return sub.bill_through(utc(2023, 11, 1))[0]

    def test_lago_downgrade_at_renewal_keeps_the_anniversary(self) -> None:
        """lago-api spec/scenarios/subscriptions/downgrade_spec.rb: monthly
        129.00 from 2023-07-19 12:12, downgraded to yearly 1,188.00 at the
        period's end, 2023-11-19: the first yearly fee is
        (118800.fdiv(366) * 243).round = 78875 cents."""
        sub = self._lago_monthly_129()
        sub, renewal = sub.schedule_change(self.YEARLY_1188).bill()
        assert renewal.subtotal == Money("788.75", "EUR")
        assert sub.next_billing_date == utc(2024, 7, 19, 12, 12)

    def test_lago_downgrade_waits_for_the_period_end(self) -> None:
        """lago-api downgrade_spec (docs/research/platform-cases.md, L11):
        the same downgrade made on 2023-11-09 bills nothing then; the
        downgrade waits for 2023-11-19, whose invoice bills 78875 cents."""
        sub = self._lago_monthly_129()
        sub, outcome = sub.change_plan(self.YEARLY_1188, utc(2023, 11, 9))
        assert outcome.lines == ()
        assert outcome.settlement is Settlement.SCHEDULED
        assert sub.plan is self.MONTHLY_129
        sub, renewal = sub.bill()
        assert renewal.subtotal == Money("788.75", "EUR")
        assert sub.plan is self.YEARLY_1188

    def test_lago_upgrade_is_made_at_once(self) -> None:
        """An upgrade (a higher price per year) is not held back."""
        sub, _ = Subscription.start(
            self.MONTHLY_10, utc(2023, 6, 29), policy=CONVENTIONS["lago"]
        )
        _, outcome = sub.change_plan(
            Plan(id="m2", price=Money("20", "EUR"), rank=2), utc(2023, 7, 9)
        )
        assert outcome.settlement is Settlement.INVOICE_NOW

    def test_stripe_annual_to_annual_keeps_the_billing_date(self) -> None:
        """A merchant's FAQ on Stripe (docs/research/conventions-a.md,
        Stripe 6): Standard $84/year from 2017-05-01 upgraded on 2017-07-14
        to Pro $250/year: "$250/365 * 291 = $199.31", next invoice
        "$199.31 + $250 - $66.96 = $382.35". The FAQ truncates its two
        lines; exact half-up gives $199.32 (250 x 291/365 = 199.315) and
        -$66.97 (84 x 291/365 = 66.969...), the same $382.35."""
        standard = Plan(id="std", price=usd("84"), interval=ANNUAL, rank=1)
        pro = Plan(id="pro", price=usd("250"), interval=ANNUAL, rank=2)
        sub, _ = Subscription.start(
            standard, utc(2017, 5, 1), policy=CONVENTIONS["stripe-classic"]
        )
        sub, outcome = sub.change_plan(pro, utc(2017, 7, 14))
        assert amounts(outcome.lines) == ["-$66.97", "$199.32"]
        assert sub.preview_invoice().total == usd("382.35")

    def test_the_hosting_page_restarts_a_yearly_plan(self) -> None:
        """The default rule (the hosting page, "a new annual plan opened"):
        a change between yearly plans restarts the year at the change."""
        standard = Plan(id="std", price=usd("84"), interval=ANNUAL, rank=1)
        pro = Plan(id="pro", price=usd("250"), interval=ANNUAL, rank=2)
        sub, _ = Subscription.start(standard, utc(2017, 5, 1))
        sub, outcome = sub.change_plan(pro, utc(2017, 7, 14))
        assert outcome.lines[-1].amount == usd("250.00")
        assert sub.next_billing_date == utc(2018, 7, 14)

    @pytest.mark.parametrize(
        ("rule", "charge", "end"),
        [
            ("interval-or-yearly", "1000.00", utc(2013, 5, 11)),
            ("interval", "1000.00", utc(2013, 5, 11)),
            ("never", "972.60", utc(2013, 5, 1)),
        ],
    )
    def test_prorate_counts_a_kept_billing_day_from_the_period(
        self, rule: str, charge: str, end: datetime
    ) -> None:
        """``prorate`` alone: monthly to yearly 1,000 on 2012-05-11 of May;
        kept, the year runs from the period's start (355 of 365 days)."""
        monthly = Plan(id="m", price=usd("100"))
        yearly = Plan(id="y", price=usd("1000"), interval=ANNUAL)
        q = prorate(
            PlanChange(monthly, yearly, at=utc(2012, 5, 11)),
            period(utc(2012, 5, 1), utc(2012, 6, 1)),
            ProrationPolicy(basis="days", anchor_reset=rule),  # type: ignore[arg-type]
        )
        assert q.charge == usd(charge)
        assert q.lines[-1].end == end


class TestZuoraPartialPeriods:
    """docs.zuora.com, proration: "Total amount calculation with partial
    period proration" (quarter, semi-annual and annual billing periods, and
    partial month proration); docs/research/more-cases.md, Z5 to Z7."""

    @pytest.mark.parametrize(
        ("preset", "due"),
        [
            ("zuora-actual-360-month-first", "560.00"),
            ("zuora-actual-days-month-first", "558.06"),
            ("zuora-actual-360", "570.00"),
            ("zuora-actual-days", "562.19"),
        ],
    )
    def test_annual_charge_from_mid_july(self, preset: str, due: str) -> None:
        """Z5: $1,200 a year, term from 2018-01-01 aligned to its start,
        charge from 2018-07-14: 1200/12 x (5 + 18/30) = $560.00, 1200/12 x
        (5 + 18/31) = $558.06, 1200 x 171/360 = $570.00, 1200 x 171/365 =
        $562.19."""
        yearly = Plan(id="y", price=usd("1200"), interval=ANNUAL)
        _, first = Subscription.start(
            yearly,
            utc(2018, 7, 14),
            anchor=utc(2019, 1, 1),
            policy=CONVENTIONS[preset],
        )
        assert first is not None
        assert first.subtotal == usd(due)

    @pytest.mark.parametrize(
        ("preset", "due"),
        [
            ("zuora-actual-360-month-first", "253.33"),
            ("zuora-actual-days-month-first", "251.61"),
            ("zuora-strict-30-360-month-first", "250.00"),
        ],
    )
    def test_quarter_from_mid_january(self, preset: str, due: str) -> None:
        """Z6: $100 a month billed quarterly, the quarter 1 January to 31
        March, the charge from 16 January: 100 x (2 + 16/30) = $253.33,
        100 x (2 + 15/30) = $250 (strict 30/360: the 31st is the 30th).
        The page prints $251.62 for 100 x (2 + 16/31) = 251.6129...; exact
        half-up is $251.61, which this asserts (a slip of the page: its
        sibling example 100 x (1 + 14/31) prints 145.16, not a ceiling)."""
        quarterly = Plan(id="q", price=usd("300"), interval=Interval.months(3))
        _, first = Subscription.start(
            quarterly,
            utc(2018, 1, 16),
            anchor=utc(2018, 4, 1),
            policy=CONVENTIONS[preset],
        )
        assert first is not None
        assert first.subtotal == usd(due)

    def test_semi_annual_term_ending_mid_period(self) -> None:
        """Z7: $100 a month billed semi-annually from 2023-07-10, the term
        ending 2023-12-31: (5 + 22/31)/6 x 600 = $570.97 for the last
        period, so the cancellation returns $29.03 of the $600 billed."""
        half = Plan(id="h", price=usd("600"), interval=Interval.months(6))
        sub, _ = Subscription.start(
            half,
            utc(2023, 7, 10),
            policy=CONVENTIONS["zuora-actual-days-month-first"],
        )
        _, end = sub.cancel(utc(2024, 1, 1))
        assert end.returned == usd("29.03")


class TestPaddleClockMinutes:
    """Paddle's official PHP SDK fixture (PaddleHQ/paddle-php-sdk,
    tests/Functional/Resources/Adjustments/_fixtures/response/
    list_default.json; docs/research/more-cases.md, P2 to P5): each
    credit's ``proration.rate``
    counts whole clock minutes, both instants cut to their minute. Each
    credit's total is the item's original total (inferred: the fixtures
    print the credited period's end and the credited amounts; the period
    starts a month before) at that rate, rounded once."""

    @pytest.mark.parametrize(
        ("start", "at", "minutes", "rate", "original", "credited"),
        [
            # P2: 11:21 -> 11:25 is 4 clock minutes (3 min 34 s elapsed).
            (
                "2023-08-21T11:21:38.547",
                "2023-08-21T11:25:12.474",
                44640,
                "0.99991",
                "1633.12",
                "1632.97",
            ),
            # P3: 08:33 -> 08:43, 10 minutes.
            (
                "2023-12-11T08:33:04.443903",
                "2023-12-11T08:43:21.861947",
                44640,
                "0.99978",
                "720.00",
                "719.84",
            ),
            # P4: 08:33 -> 08:50, 17 minutes of a 30-day month.
            (
                "2023-11-11T08:33:04.443903",
                "2023-11-11T08:50:20.664672",
                43200,
                "0.99961",
                "360.00",
                "359.86",
            ),
            # P5: 13:41 -> 13:46 is 5 clock minutes (4 min 32 s elapsed).
            (
                "2023-06-30T13:41:51.571658",
                "2023-06-30T13:46:23.963147",
                43200,
                "0.99988",
                "550.00",
                "549.93",
            ),
        ],
        ids=["P2", "P3", "P4", "P5"],
    )
    def test_rate_of_a_credit(
        self,
        start: str,
        at: str,
        minutes: int,
        rate: str,
        original: str,
        credited: str,
    ) -> None:
        """The stated rate, and the credit of the original total at it."""
        begins = datetime.fromisoformat(start).replace(tzinfo=UTC)
        period_ = BillingPeriod.of_days(begins, minutes // 1440)
        change = datetime.fromisoformat(at).replace(tzinfo=UTC)
        q = prorate(
            PlanChange(plan(original, "a"), plan(original, "b"), at=change),
            period_,
            presets.PADDLE,
        )
        assert f"x {rate} (" in q.unused.calculation
        assert q.credit == usd(credited)


@pytest.mark.parametrize(
    "name",
    ["stripe-classic", "stripe-flexible", "paddle", "recurly", "polar"],
)
def test_a_cancellation_returns_nothing_unless_asked(name: str) -> None:
    """Stripe's cancel ``prorate`` "Defaults to false"
    (docs.stripe.com/api/subscriptions/cancel); Paddle "doesn't
    automatically refund customers where subscriptions are canceled
    mid-cycle" (developer.paddle.com/build/lifecycle/subscription-
    cancellation); Recurly's terminate ``refund_type`` defaults to
    ``none`` (v2 API reference); Polar's revoke credits no unused time
    (polar @ c6c3645e, server/polar/subscription/service.py). $115 from
    1 July, cancelled 11 July 15:30: nothing returned; asked for, the
    20.35 of 31 days unused, as the seconds left price it (1,758,600 of
    2,678,400 s: $75.51)."""
    sub, _ = Subscription.start(
        Plan(id="b1", price=usd("115")),
        utc(2024, 7, 1),
        policy=CONVENTIONS[name],
    )
    at = datetime(2024, 7, 11, 15, 30, tzinfo=UTC)
    _, kept = sub.cancel(at)
    assert (kept.returned, kept.invoice) == (usd("0"), None)
    if name != "paddle":  # Paddle's minute clock, another figure
        _, asked = sub.cancel(at, credit="credit")
        assert asked.returned == usd("75.51")


def test_stripe_flexible_pause_credits_and_resume_restarts() -> None:
    """Flexible billing mode's pause: ``bill_for.unused_time_from``
    "Defaults to { type: "now" }"; resume: ``billing_cycle_anchor`` "The
    default is now" (docs.stripe.com/api/subscriptions/pause, /resume).
    $115 from 1 July paused 11 July, resumed 21 July: 21 of 31 days
    credited (77.90) and a new period from 21 July billed, 115.00."""
    sub, _ = Subscription.start(
        Plan(id="b1", price=usd("115")),
        utc(2024, 7, 1),
        policy=CONVENTIONS["stripe-flexible"],
    )
    sub, paused = sub.pause(utc(2024, 7, 11))
    sub, resumed = sub.resume(utc(2024, 7, 21))
    assert paused is not None
    assert paused.subtotal == usd("-77.90")
    assert resumed is not None
    assert resumed.subtotal == usd("115")
    assert sub.next_billing_date == utc(2024, 8, 21)


def test_stripe_classic_resets_the_anchor_from_free_to_paid() -> None:
    """Stripe's classic mode changes the billing date when "The
    subscription moves from free to paid": "we apply a credit for the
    unused time on the previous price, immediately charge the customer
    using the new price, and reset the billing date"
    (docs.stripe.com/api/subscriptions/update, ``billing_cycle_anchor``);
    the flexible mode never resets it (billing-mode/compare). A $0 plan
    from 1 July to a $10 one on 11 July: classic charges $10.00 at once
    for 11 July to 11 August; flexible prorates 21 of 31 days, $6.77, and
    keeps 1 August."""
    free = Plan(id="free", price=usd("0"))
    ten = Plan(id="ten", price=usd("10"), rank=1)
    at = utc(2024, 7, 11)
    sub, _ = Subscription.start(
        free, utc(2024, 7, 1), policy=CONVENTIONS["stripe-classic"]
    )
    sub, change = sub.change_plan(ten, at)
    assert change.invoice is not None
    assert change.invoice.total == usd("10")
    assert sub.next_billing_date == utc(2024, 8, 11)
    sub, _ = Subscription.start(
        free, utc(2024, 7, 1), policy=CONVENTIONS["stripe-flexible"]
    )
    sub, change = sub.change_plan(ten, at)
    assert change.net == usd("6.77")
    assert sub.next_billing_date == utc(2024, 8, 1)


def test_paddle_pause_forfeits_and_resume_bills_a_full_cycle() -> None:
    """Paddle: "Paddle doesn't automatically refund or credit customers
    where subscriptions are paused mid-cycle"; at the resume "a new
    billing cycle starts. Paddle charges for a full billing cycle"
    (developer.paddle.com/build/lifecycle/subscription-pause-resume).
    $115 from 1 July paused 11 July, resumed 21 July: nothing credited,
    $115.00 billed for 21 July to 21 August."""
    sub, _ = Subscription.start(
        Plan(id="b1", price=usd("115")),
        utc(2024, 7, 1),
        policy=CONVENTIONS["paddle"],
    )
    sub, paused = sub.pause(utc(2024, 7, 11))
    assert paused is None
    sub, resumed = sub.resume(utc(2024, 7, 21))
    assert resumed is not None
    assert resumed.total == usd("115")
    assert sub.next_billing_date == utc(2024, 8, 21)


@pytest.mark.parametrize(
    "name",
    [
        "chargebee-day",
        "chargebee-day-unbilled",
        "chargebee-millisecond",
        "chargebee-millisecond-unbilled",
    ],
)
def test_chargebee_pause_keeps_the_term_or_renews_at_resume(
    name: str,
) -> None:
    """Chargebee "will not provide credits for the unused billing period"
    (chargebee.com/docs/pause-subscription.html); for a subscription
    renewing on the 1st, paused on the 15th: resumed on the 25th, "no new
    charges will be invoiced"; resumed on the 10th of the next month "a
    new invoice will be generated on the 10th" and the renewal date moves
    to it (support.chargebee.com/support/discussions/topics/320673).
    $115 a month from 1 July."""
    sub, _ = Subscription.start(
        Plan(id="b1", price=usd("115")),
        utc(2024, 7, 1),
        policy=CONVENTIONS[name],
    )
    paused, credit = sub.pause(utc(2024, 7, 15))
    assert credit is None
    in_term, nothing = paused.resume(utc(2024, 7, 25))
    assert nothing is None
    assert in_term.next_billing_date == utc(2024, 8, 1)
    later, invoice = paused.resume(utc(2024, 8, 10))
    assert invoice is not None
    assert invoice.total == usd("115")
    assert later.next_billing_date == utc(2024, 9, 10)


def test_flexprice_cancels_without_prorations_unless_asked() -> None:
    """Flexprice's cancel: ``ProrationBehaviorNone`` when unset (flexprice
    @ e4b5303f, internal/api/dto/subscription.go); with
    ``create_prorations`` the unused days are credited: $115 from 1 July
    cancelled 11 July, 21 of 31 days, $77.90."""
    sub, _ = Subscription.start(
        Plan(id="b1", price=usd("115")),
        utc(2024, 7, 1),
        policy=CONVENTIONS["flexprice"],
    )
    _, kept = sub.cancel(utc(2024, 7, 11))
    assert (kept.returned, kept.invoice) == (usd("0"), None)
    _, asked = sub.cancel(utc(2024, 7, 11), credit="credit")
    assert asked.returned == usd("77.90")
