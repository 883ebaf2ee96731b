"""Public worked examples of other platforms, reproduced by their presets.

Each test names its source; the inputs and printed figures are recorded in
``docs/research/conventions-a.md`` (Stripe, Chargebee, Paddle, Recurly) and
``docs/research/conventions-b.md`` (Zuora, Lago, Kill Bill, Polar). Amounts
are written as the source prints them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from prorata import (
    Basis,
    BillingPeriod,
    DayCount,
    LineKind,
    Money,
    Plan,
    PlanChange,
    ProrationPolicy,
    Treatment,
    presets,
    prorate,
    prorate_timeline,
)
from prorata._pricing import price_time
from tests.common import usd, utc

if TYPE_CHECKING:
    from datetime import datetime


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


class TestKillBill:
    def test_annual_to_monthly(self) -> None:
        """killbill TestSubscription.testForcePolicy: annual $2,399.95 from
        2012-05-01 changed on 2012-05-11 to monthly $249.95: REPAIR_ADJ
        -2334.20 and RECURRING 2012-05-11 to 2012-06-01 169.32."""
        year = period(utc(2012, 5, 1), utc(2013, 5, 1))
        annual = Plan(id="shotgun-annual", price=usd("2399.95"))
        monthly = Plan(id="shotgun-monthly", price=usd("249.95"))
        q = prorate(
            PlanChange(annual, monthly, at=utc(2012, 5, 11)),
            year,
            presets.KILL_BILL,
        )
        assert q.unused.amount == usd("-2334.20")
        may = period(utc(2012, 5, 1), utc(2012, 6, 1))
        recurring = price_time(
            LineKind.REMAINING_TIME,
            monthly,
            utc(2012, 5, 11),
            may.end,
            period=may,
            policy=presets.KILL_BILL,
        )
        assert recurring.amount == usd("169.32")
        assert -q.unused.amount - recurring.amount == usd("2164.88")  # CBA

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
