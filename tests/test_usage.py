"""Usage and overage (``prorata._usage``): what each plan segment used.

Each usage record is billed under the plan in force at its moment
("Upgrades Are Not Applied Retroactively", hosting page
``002_440c7b3f4171c8ae.txt`` in ``shared/seeds``), per started block or
pro rata, against an allowance prorated or not. ``overage_lines`` prices
usage in integers where it can (a count over its allowance, a price as an
integer ratio); its lines are held to the formula written with exact
fractions (issue #7). Usage records are facts about moments: recording
them in another order, or before rather than after a plan change that does
not restart the billing cycle, bills the same invoice to the cent.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from prorata import (
    AllowanceProration,
    Basis,
    BillingPolicy,
    InvoiceLineKind,
    Money,
    OverageBilling,
    Plan,
    ProrationPolicy,
    RoundingMode,
    Subscription,
    Usage,
    UsageAllowance,
    builtin_catalog,
    round_exact,
)
from prorata._usage import overage_lines
from tests.common import (
    BUSINESS_1,
    HOSTING,
    JUNE_1,
    STARTER,
    day,
    hostile,
    recorded,
    usd,
)
from tests.strategies import metered_plans, money, started, usage_records

START = datetime(2024, 1, 31, 9, 30, tzinfo=UTC)  # a month-end anchor
SECONDS = 86_400
DAYS = 30
MONTHLY = ("starter", "pro", "business-1", "business-2")
CATALOG = builtin_catalog()
SECONDS_IN_JUNE = 30 * 86_400


# -- the hosting page ---------------------------------------------------------


class TestHostingPageInvoices:
    def test_overage_is_not_retroactive(self) -> None:
        """'Upgrades Are Not Applied Retroactively': 100,000 visits on
        Starter (25k included), upgrade on the 30th day: the $75 overage
        ('$1 / 1,000 visits') lands on the next invoice under Starter's
        terms, on top of the $37.76 the period cost before overage."""
        policy = BillingPolicy(
            proration=ProrationPolicy(basis=Basis.DAILY_RATE),
            charge_now_above=usd("100"),
        )
        sub, _ = Subscription.start(STARTER, JUNE_1, policy=policy)
        sub = sub.record_usage("visits", 100_000, day(28))
        sub, outcome = sub.change_plan(BUSINESS_1, day(29))
        assert outcome.proration.period_cost == usd("37.76")
        invoice = sub.preview_invoice()
        (overage,) = invoice.lines_of(InvoiceLineKind.OVERAGE)
        assert overage.amount == usd("75")
        assert "Starter" in overage.description
        assert outcome.proration.period_cost + overage.amount == usd("112.76")
        # -1.17 + 3.83 + 115 (B1 renewal) + 75
        assert invoice.amount_due == usd("192.66")


class TestOverage:
    def test_allowance_prorated_option(self) -> None:
        """PRORATED gives a 29-day Starter segment 29/30 of 25,000."""
        policy = BillingPolicy(
            proration=ProrationPolicy(basis=Basis.DAYS),
            allowance=AllowanceProration.PRORATED,
        )
        sub, _ = Subscription.start(STARTER, JUNE_1, policy=policy)
        sub = sub.record_usage("visits", 100_000, day(28))
        sub, _ = sub.change_plan(BUSINESS_1, day(29))
        (overage,) = sub.preview_invoice().lines_of(InvoiceLineKind.OVERAGE)
        # 100,000 - 24,166.67 = 75,833.33 over: 76 started blocks
        assert overage.amount == usd("76")

    def test_pro_rata_option(self) -> None:
        """PRO_RATA prices 75,500 visits over at $75.50, not $76."""
        policy = BillingPolicy(overage=OverageBilling.PRO_RATA)
        sub, _ = Subscription.start(STARTER, JUNE_1, policy=policy)
        sub = sub.record_usage("visits", 100_500, day(3))
        (overage,) = sub.preview_invoice().lines_of(InvoiceLineKind.OVERAGE)
        assert overage.amount == usd("75.50")

    def test_per_started_block_default(self) -> None:
        """By default a started block of 1,000 costs the whole $1."""
        sub, _ = Subscription.start(STARTER, JUNE_1)
        sub = sub.record_usage("visits", 25_001, day(3))
        (overage,) = sub.preview_invoice().lines_of(InvoiceLineKind.OVERAGE)
        assert overage.amount == usd("1")

    def test_usage_within_allowance_bills_nothing(self) -> None:
        """25,000 visits on Starter cost nothing beyond the plan."""
        sub, _ = Subscription.start(STARTER, JUNE_1)
        sub = sub.record_usage("visits", 20_000, day(3))
        sub = sub.record_usage("visits", 5_000, day(4))
        assert not sub.preview_invoice().lines_of(InvoiceLineKind.OVERAGE)

    def test_usage_after_the_upgrade_uses_the_new_terms(self) -> None:
        """Usage after an upgrade counts against the new plan's allowance."""
        sub, _ = Subscription.start(STARTER, JUNE_1, policy=HOSTING)
        sub, _ = sub.change_plan(BUSINESS_1, day(10))
        sub = sub.record_usage("visits", 90_000, day(12))
        assert not sub.preview_invoice().lines_of(InvoiceLineKind.OVERAGE)


# -- the overage formula (issue #7) -------------------------------------------


@st.composite
def allowance_plans(draw: st.DrawFn, index: int) -> Plan:
    allowance = UsageAllowance(
        metric="visits",
        included=draw(st.integers(0, 10**6)),
        overage_price=draw(money("USD", min_units=0, max_units=10**5)),
        per=draw(st.integers(1, 10**4)),
    )
    return Plan(
        id=f"p{index}",
        price=Money("10", "USD"),
        allowances=(allowance,),
    )


@given(st.data())
def test_overage_lines_follow_the_formula(data: st.DataObject) -> None:
    cuts = sorted(data.draw(st.sets(st.integers(1, DAYS - 1), max_size=2)))
    bounds = [0, *cuts, DAYS]
    segments = [
        (
            data.draw(allowance_plans(index)),
            JUNE_1 + timedelta(days=begin),
            JUNE_1 + timedelta(days=end),
        )
        for index, (begin, end) in enumerate(pairwise(bounds))
    ]
    usage = [
        Usage(
            metric="visits",
            quantity=data.draw(st.integers(0, 10**7)),
            at=JUNE_1
            + timedelta(seconds=data.draw(st.integers(0, DAYS * 86_400 - 1))),
        )
        for _ in range(data.draw(st.integers(1, 4)))
    ]
    policy = BillingPolicy(
        proration=ProrationPolicy(
            rounding=data.draw(st.sampled_from(tuple(RoundingMode)))
        ),
        allowance=data.draw(st.sampled_from(tuple(AllowanceProration))),
        overage=data.draw(st.sampled_from(tuple(OverageBilling))),
    )
    expected = []
    for plan, start, end in segments:
        used = sum(u.quantity for u in usage if start <= u.at < end)
        (allowance,) = plan.allowances
        included = Fraction(allowance.included)
        if policy.allowance is AllowanceProration.PRORATED:
            second = timedelta(seconds=1)
            included *= Fraction(
                (end - start) // second, (segments[-1][2] - JUNE_1) // second
            )
        over = used - included
        if used == 0 or over <= 0:
            continue
        price, per = allowance.overage_price.exact, allowance.per
        if policy.overage is OverageBilling.PER_STARTED_BLOCK:
            exact = price * -(-over // per)
        else:
            exact = price * over / per
        expected.append(round_exact(exact, "USD", policy.proration.rounding))
    lines = overage_lines(
        usage,
        segments,
        allowance=policy.allowance,
        overage=policy.overage,
        rounding=policy.proration.rounding,
    )
    assert [line.amount for line in lines] == expected
    assert all(str(line.amount) in line.calculation for line in lines)
    with hostile():  # a 2-digit, trapping decimal context changes nothing
        assert (
            overage_lines(
                usage,
                segments,
                allowance=policy.allowance,
                overage=policy.overage,
                rounding=policy.proration.rounding,
            )
            == lines
        )


# -- usage before a change ----------------------------------------------------


@settings(max_examples=150)
@given(
    catalog=metered_plans(),
    before=st.integers(0, 200_000),
    after=st.integers(0, 200_000),
    change_day=st.integers(5, 20),
    later=st.integers(1, 8),
)
def test_usage_before_a_change_keeps_its_price(
    catalog: list[Plan], before: int, after: int, change_day: int, later: int
) -> None:
    """Overage for usage before a change is priced the same whatever comes
    after it: more usage later, or the change made later."""
    old, new = catalog[0], catalog[-1]

    def overage_of_old(day: int, usage_after: int) -> list[Money]:
        sub, _ = Subscription.start(old, START)
        sub = sub.record_usage("visits", before, START + timedelta(days=2))
        at = START + timedelta(days=day)
        sub, _ = sub.change_plan(new, at)
        sub = sub.record_usage("visits", usage_after, at + timedelta(hours=1))
        return [
            line.amount
            for line in sub.preview_invoice().lines_of(InvoiceLineKind.OVERAGE)
            if line.start == START
        ]

    baseline = overage_of_old(change_day, 0)
    assert overage_of_old(change_day, after) == baseline
    assert overage_of_old(change_day + later, after) == baseline


# -- the order of records -----------------------------------------------------


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
    at = JUNE_1 + timedelta(
        seconds=data.draw(st.integers(1, SECONDS_IN_JUNE - 1))
    )
    records = data.draw(usage_records())
    first, first_outcome = recorded(sub, records).change_plan(new, at)
    last, last_outcome = sub.change_plan(new, at)
    last = recorded(last, records)
    assert first_outcome.net == last_outcome.net
    assert_bills_alike(first, last)


def test_usage_is_prorated_by_the_time_its_charge_was_active() -> None:
    """300 units at $1 in April, the charge active from April 21: 100."""
    storage = Plan(
        id="storage",
        name="Storage",
        price=usd("0"),
        rank=1,
        allowances=(
            UsageAllowance(
                metric="gb",
                included=0,
                overage_price=usd("1"),
                prorate_by_time=True,
            ),
        ),
    )
    base = Plan(id="base", price=usd("0"))
    sub, _ = Subscription.start(base, datetime(2024, 4, 1, tzinfo=UTC))
    sub, _ = sub.change_plan(storage, datetime(2024, 4, 21, tzinfo=UTC))
    sub = sub.record_usage("gb", 300, datetime(2024, 4, 25, tzinfo=UTC))
    _, invoice = sub.bill()
    (line,) = invoice.lines_of(InvoiceLineKind.OVERAGE)
    units = Decimal(300) * 10 / 30
    assert units == 100
    assert line.amount == usd("100.00")
    assert "100 gb" in line.description
