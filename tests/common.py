"""Helpers and fixtures shared by the test files, and the table of bad input.

The helpers write amounts and moments as the sources do, build policies and
plans, and run the example notebook. ``BAD_INPUT`` holds calls that must be
refused: each row is a call, the error it must raise, and text the message
must contain. Hypothesis strategies are in ``tests/strategies.py``.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from prorata import (
    MONTHLY,
    AddOn,
    ArgumentTypeError,
    Basis,
    BillingCycle,
    BillingPeriod,
    BillingPolicy,
    BillingSchedule,
    ChangeOrderError,
    CurrencyMismatchError,
    DatetimeRangeError,
    Discount,
    FloatAmountError,
    Interval,
    InvalidAmountError,
    InvalidIntervalError,
    InvalidPeriodError,
    InvalidPlanError,
    InvalidPolicyError,
    InvalidWeightsError,
    InvoiceLine,
    LifetimeAllowance,
    Money,
    NaiveDatetimeError,
    OutsidePeriodError,
    Plan,
    PlanChange,
    ProrataError,
    Proration,
    ProrationPolicy,
    QuantityChange,
    RoundingMode,
    Subscription,
    UnknownCurrencyError,
    UsageAllowance,
    bill_all,
    builtin_catalog,
    carry_allowances,
    prorate,
    prorate_timeline,
    round_exact,
    settle,
)


def usd(amount: str) -> Money:
    """An amount in US dollars, written as the sources print it."""
    return Money(amount, "USD")


def eur(amount: str) -> Money:
    """An amount in euros, written as the sources print it."""
    return Money(amount, "EUR")


def usd_cents(cents: int) -> Money:
    """An amount in whole US cents, as a property test draws it."""
    return Money.from_minor_units(cents, "USD")


def utc(
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
) -> datetime:
    """A moment in UTC."""
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def in_utc(moment: datetime) -> datetime:
    """The same instant in UTC, to compare instants written in two zones."""
    return moment.astimezone(UTC)


def days(basis: Basis = Basis.DAYS, **options: object) -> ProrationPolicy:
    """A proration policy on the days basis, or on ``basis``."""
    return ProrationPolicy(basis=basis, **options)  # type: ignore[arg-type]


def plan_at(price: Money, name: str) -> Plan:
    """A plan with only an id and a price."""
    return Plan(id=name, price=price)


def amounts(proration: Proration) -> list[str]:
    """The reprs of a proration's credit, charge, net and period cost."""
    return [
        repr(proration.credit),
        repr(proration.charge),
        repr(proration.net),
        repr(proration.period_cost),
    ]


@contextmanager
def hostile() -> Iterator[None]:
    """A context that would round, and trap, almost anything."""
    with decimal.localcontext() as context:
        context.prec = 2
        context.rounding = decimal.ROUND_FLOOR
        context.traps[decimal.Inexact] = True
        context.traps[decimal.Rounded] = True
        yield


Record = tuple[str, int, datetime]
"""A usage record: the metric, the quantity, the moment."""


def recorded(sub: Subscription, records: list[Record]) -> Subscription:
    """``sub`` with ``records`` recorded, in the order given."""
    for metric, quantity, at in records:
        sub = sub.record_usage(metric, quantity, at)
    return sub


JUNE_1 = datetime(2024, 6, 1, tzinfo=UTC)
PERIOD = BillingPeriod.of_days(JUNE_1, 30)
A = Plan(id="a", price=Money("10", "USD"), rank=1)
B = Plan(id="b", price=Money("20", "USD"), rank=2)
EURO = Plan(id="euro", price=Money("20", "EUR"), rank=2)
SITE = AddOn(id="site", price=Money("5", "USD"))
HUGE = 10**5000  # str() of it raises ValueError: over 4,300 digits
NOVEMBER = BillingPeriod(
    datetime(2024, 11, 1, tzinfo=UTC), datetime(2024, 12, 1, tzinfo=UTC)
)


def day(n: int) -> datetime:
    """Midnight UTC, ``n`` days after 1 June 2024 (June has 30 days)."""
    return JUNE_1 + timedelta(days=n)


def visits(included: int) -> tuple[UsageAllowance, ...]:
    """'$1 / 1,000 visits' beyond ``included``."""
    return (
        UsageAllowance(
            metric="visits",
            included=included,
            overage_price=usd("1"),
            per=1_000,
        ),
    )


def migrations(included: int) -> tuple[LifetimeAllowance, ...]:
    """``included`` migrations for the life of the account."""
    return (LifetimeAllowance(metric="migrations", included=included),)


# The plan-rule examples' plans: the hosting page's Starter and Pro with
# their lifetime migrations (one and two), Business 1 without metering,
# and a sales-only
# Enterprise plan.
LIFETIME_STARTER = Plan(
    id="starter",
    name="Starter",
    price=usd("35"),
    rank=1,
    lifetime=migrations(1),
)
LIFETIME_PRO = Plan(
    id="pro", name="Pro", price=usd("70"), rank=2, lifetime=migrations(2)
)
PLAIN_BUSINESS_1 = Plan(
    id="business-1", name="Business 1", price=usd("115"), rank=3
)
ENTERPRISE = Plan(
    id="enterprise",
    name="Enterprise",
    price=usd("0"),
    rank=9,
    sales_only=True,
)


# The hosting page's plans as the invoice tests bill them, with the visits
# they meter. Allowances other than Starter's 25k are not on the page; they
# are illustrative.
STARTER = Plan(
    id="starter",
    name="Starter",
    price=usd("35"),
    rank=1,
    allowances=visits(25_000),
)
PRO = Plan(id="pro", name="Pro", price=usd("70"), rank=2)
BUSINESS_1 = Plan(
    id="business-1",
    name="Business 1",
    price=usd("115"),
    rank=3,
    allowances=visits(100_000),
)
BUSINESS_2 = Plan(id="business-2", name="Business 2", price=usd("225"), rank=4)
HOSTING = BillingPolicy(
    proration=ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH),
    charge_now_above=usd("100"),
)


@dataclass(frozen=True)
class Bad:
    """One refused call."""

    name: str
    call: Callable[[], object]
    error: type[ProrataError]
    says: str


BAD_INPUT: tuple[Bad, ...] = (
    Bad("float amount", lambda: Money(0.1, "USD"), FloatAmountError, "0.1"),  # type: ignore[arg-type]
    Bad(
        "float factor",
        lambda: Money("1", "USD") * 1.5,  # type: ignore[operator]
        FloatAmountError,
        "1.5",
    ),
    Bad("amount text", lambda: Money("ten", "USD"), InvalidAmountError, "ten"),
    Bad(
        "unknown rounding mode",
        lambda: Money("0.125", "USD").round("banker's"),  # type: ignore[arg-type]
        InvalidPolicyError,
        "half-even",
    ),
    Bad(
        "infinite amount",
        lambda: Money(Decimal("Infinity"), "USD"),
        InvalidAmountError,
        "Infinity",
    ),
    Bad("bool amount", lambda: Money(True, "USD"), InvalidAmountError, "True"),  # noqa: FBT003
    Bad(
        "unknown currency",
        lambda: Money("1", "ZZZ"),
        UnknownCurrencyError,
        "ZZZ",
    ),
    Bad(
        "no minor unit", lambda: Money("1", "XAU"), UnknownCurrencyError, "XAU"
    ),
    Bad(
        "currency mismatch",
        lambda: Money("1", "USD") + Money("1", "EUR"),
        CurrencyMismatchError,
        "EUR",
    ),
    Bad(
        "change across currencies",
        lambda: PlanChange(A, EURO, at=JUNE_1),
        CurrencyMismatchError,
        "EUR",
    ),
    Bad(
        "negative price",
        lambda: Plan(id="x", price=Money("-1", "USD")),
        InvalidPlanError,
        "-1",
    ),
    Bad(
        "price not money",
        lambda: Plan(id="x", price="35"),  # type: ignore[arg-type]
        InvalidPlanError,
        "'35'",
    ),
    Bad(
        "empty plan id",
        lambda: Plan(id=" ", price=Money("1", "USD")),
        InvalidPlanError,
        "' '",
    ),
    Bad(
        "naive period start",
        lambda: BillingPeriod(datetime(2024, 6, 1), JUNE_1),  # noqa: DTZ001
        NaiveDatetimeError,
        "2024-06-01T00:00:00 has no time zone",
    ),
    Bad(
        "naive change moment",
        lambda: PlanChange(A, B, at=datetime(2024, 6, 11)),  # noqa: DTZ001
        NaiveDatetimeError,
        "2024-06-11T00:00:00 has no time zone",
    ),
    Bad(
        "naive anchor",
        lambda: BillingCycle(datetime(2024, 1, 31), Interval.months(1)),  # noqa: DTZ001
        NaiveDatetimeError,
        "2024-01-31T00:00:00 has no",
    ),
    Bad(
        "end before start",
        lambda: BillingPeriod(JUNE_1, JUNE_1 - timedelta(days=1)),
        InvalidPeriodError,
        "2024-05-31T00:00:00+00:00 is not after",
    ),
    Bad(
        "empty period",
        lambda: BillingPeriod(JUNE_1, JUNE_1),
        InvalidPeriodError,
        "2024-06-01T00:00:00+00:00 is not after",
    ),
    Bad(
        "zero-length interval",
        lambda: Interval.months(0),
        InvalidIntervalError,
        "0",
    ),
    Bad(
        "unknown interval unit",
        lambda: Interval("fortnight"),
        InvalidIntervalError,
        "fortnight",
    ),
    Bad(
        "change after the period",
        lambda: prorate(PlanChange(A, B, at=PERIOD.end), PERIOD),
        OutsidePeriodError,
        "2024-07-01T00:00:00+00:00 is outside",
    ),
    Bad(
        "change before the period",
        lambda: prorate(
            PlanChange(A, B, at=JUNE_1 - timedelta(seconds=1)), PERIOD
        ),
        OutsidePeriodError,
        "2024-05-31T23:59:59+00:00",
    ),
    Bad(
        "changes out of order",
        lambda: prorate_timeline(
            A,
            [
                PlanChange(A, B, at=JUNE_1 + timedelta(days=9)),
                PlanChange(B, A, at=JUNE_1 + timedelta(days=2)),
            ],
            PERIOD,
        ),
        ChangeOrderError,
        "2024-06-03",
    ),
    Bad(
        "change from a plan not in force",
        lambda: prorate_timeline(
            A, [PlanChange(B, A, at=JUNE_1 + timedelta(days=2))], PERIOD
        ),
        ChangeOrderError,
        "'b'",
    ),
    Bad(
        "unknown basis",
        lambda: ProrationPolicy(basis="weeks"),  # type: ignore[arg-type]
        InvalidPolicyError,
        "weeks",
    ),
    Bad(
        "policy not a policy",
        lambda: prorate(PlanChange(A, B, at=JUNE_1), PERIOD, "days"),  # type: ignore[arg-type]
        ArgumentTypeError,
        "'days'",
    ),
    Bad(
        "negative weight",
        lambda: Money("1", "USD").allocate([1, -1]),
        InvalidWeightsError,
        "-1",
    ),
    Bad(
        "float weight",
        lambda: Money("1", "USD").allocate([0.5, 0.5]),  # type: ignore[list-item]
        InvalidWeightsError,
        "0.5",
    ),
    Bad(
        "zero weights",
        lambda: Money("1", "USD").allocate([0, 0]),
        InvalidWeightsError,
        "zero",
    ),
    Bad(
        "allocate unrounded",
        lambda: Money("0.005", "USD").allocate([1, 1]),
        InvalidAmountError,
        "0.005",
    ),
    # -- issue #11: only ProrataError leaves a public entry point ----------
    # Messages render any value: a huge int is abbreviated, not str()-ed.
    Bad(
        "amount of 5,000 digits",
        lambda: Money(HUGE, "USD"),
        InvalidAmountError,
        "<int of about 5,001 digits>",
    ),
    Bad(
        "currency of 5,000 digits",
        lambda: Money.zero(HUGE),  # type: ignore[arg-type]
        UnknownCurrencyError,
        "digits>",
    ),
    Bad(
        "weight of 5,000 digits",
        lambda: Money("1", "USD").allocate([1, HUGE]),
        InvalidAmountError,
        "weight has over 1000 digits",
    ),
    Bad(
        "plan id of 5,000 digits",
        lambda: Plan(id=HUGE, price=Money("1", "USD")),  # type: ignore[arg-type]
        InvalidPlanError,
        "<int of about 5,001 digits>",
    ),
    Bad(
        "count of 5,000 digits",
        lambda: LifetimeAllowance(metric="sites", included=HUGE),
        InvalidPlanError,
        "10^30",
    ),
    # Exact amounts are bounded wherever they enter, not only in Money.
    Bad(
        "exact value of a million digits",
        lambda: round_exact(Decimal("1e999999"), "USD"),
        InvalidAmountError,
        "10^1000",
    ),
    Bad(
        "division by a zero amount",
        lambda: Money("1", "USD") / Money("0", "USD"),
        InvalidAmountError,
        "zero",
    ),
    # Moments and intervals stay inside datetime's range.
    Bad(
        "period start in December 9999",
        lambda: BillingPeriod.of_days(datetime(9999, 12, 1, tzinfo=UTC), 30),
        DatetimeRangeError,
        "9999-12-01T00:00:00+00:00",
    ),
    Bad(
        "moment in year 1",
        lambda: PERIOD.contains(datetime(1, 6, 1, tzinfo=UTC)),
        DatetimeRangeError,
        "0001-06-01",
    ),
    Bad(
        "calculation lead before year 1",
        lambda: BillingSchedule(
            cycle=BillingCycle(datetime(3, 1, 1, tzinfo=UTC), MONTHLY),
            policy=BillingPolicy(calculation_lead=timedelta(days=800)),
        ).calculation_date(datetime(3, 1, 1, tzinfo=UTC)),
        DatetimeRangeError,
        "0003-01-01",
    ),
    Bad(
        "interval of a billion days",
        lambda: Interval.days(10**9),
        InvalidIntervalError,
        "9,999 years",
    ),
    Bad(
        "steps beyond datetime",
        lambda: Interval.years(1).after(JUNE_1, 9000),
        DatetimeRangeError,
        "1 year x 9000 after",
    ),
    Bad(
        "billing dates beyond datetime",
        lambda: BillingSchedule(
            cycle=BillingCycle(JUNE_1, Interval.days(1))
        ).billing_dates(10**9),
        DatetimeRangeError,
        "1 day x 999999999 after",
    ),
    # A wrong argument type is an ArgumentTypeError, everywhere.
    Bad(
        "steps as a str",
        lambda: Interval.days(30).after(JUNE_1, "1"),  # type: ignore[arg-type]
        ArgumentTypeError,
        "steps '1' is a str",
    ),
    Bad(
        "steps as a bool",
        lambda: Interval.days(30).after(JUNE_1, True),  # noqa: FBT003
        ArgumentTypeError,
        "steps True is a bool",
    ),
    Bad(
        "anchor not a datetime",
        lambda: Interval.days(30).after(None, 1),  # type: ignore[arg-type]
        NaiveDatetimeError,
        "anchor None",
    ),
    Bad(
        "weights not a list",
        lambda: Money("1", "USD").allocate(None),  # type: ignore[arg-type]
        ArgumentTypeError,
        "weights None",
    ),
    Bad(
        "discount of no price",
        lambda: Discount.percent_off(10).apply(None),  # type: ignore[arg-type]
        ArgumentTypeError,
        "price None",
    ),
    Bad(
        "add-on price for no interval",
        lambda: SITE.price_for("month"),  # type: ignore[arg-type]
        ArgumentTypeError,
        "interval 'month'",
    ),
    Bad(
        "carry to no plan",
        lambda: carry_allowances(A, None, {}),  # type: ignore[arg-type]
        ArgumentTypeError,
        "new plan None",
    ),
    Bad(
        "carry of no counts",
        lambda: carry_allowances(A, B, None),  # type: ignore[arg-type]
        ArgumentTypeError,
        "used None",
    ),
    Bad(
        "settle no lines",
        lambda: settle(
            None,  # type: ignore[arg-type]
            currency="USD",
            issued_at=JUNE_1,
            calculated_at=JUNE_1,
            credit_balance=Money("0", "USD"),
        ),
        ArgumentTypeError,
        "lines None",
    ),
    Bad(
        "settle with a naive moment",
        lambda: settle(
            [],
            currency="USD",
            issued_at=datetime(2024, 6, 1),  # noqa: DTZ001
            calculated_at=JUNE_1,
            credit_balance=Money("0", "USD"),
        ),
        NaiveDatetimeError,
        "issued_at 2024-06-01T00:00:00",
    ),
    Bad(
        "invoice line from no proration line",
        lambda: InvoiceLine.from_proration(None),  # type: ignore[arg-type]
        ArgumentTypeError,
        "line None",
    ),
    Bad(
        "bill something not a subscription",
        lambda: list(bill_all([None])),  # type: ignore[list-item]
        ArgumentTypeError,
        "subscription None",
    ),
    Bad(
        "timeline of no changes",
        lambda: prorate_timeline(A, None, PERIOD),  # type: ignore[arg-type]
        ArgumentTypeError,
        "changes None",
    ),
    Bad(
        "timeline paid in a bool",
        lambda: prorate_timeline(A, [], PERIOD, paid=True),  # type: ignore[arg-type]
        ArgumentTypeError,
        "paid True",
    ),
    Bad(
        "schedule of no cycle",
        lambda: BillingSchedule(cycle=None),  # type: ignore[arg-type]
        ArgumentTypeError,
        "cycle None",
    ),
    Bad(
        "catalog lookup by a list",
        lambda: builtin_catalog()[["pro"]],  # type: ignore[index]
        ArgumentTypeError,
        "plan id ['pro']",
    ),
    Bad(
        "plan at no moment",
        lambda: Subscription.start(A, JUNE_1)[0].plan_at(None),  # type: ignore[arg-type]
        NaiveDatetimeError,
        "moment None",
    ),
    Bad(
        "negative quantity change",
        lambda: QuantityChange(SITE, -1, JUNE_1),
        InvalidPlanError,
        "-1",
    ),
)


# The hosting page's Business 1 -> Business 2 upgrade on day 11, as a
# command line (its basis left to the caller).
QUOTE_ARGV = (
    "quote",
    "--from",
    "business-1",
    "--to",
    "business-2",
    "--period-start",
    "2024-06-01",
    "--at",
    "2024-06-11",
)

# Each RoundingMode's decimal rounding of the same name, for references.
DECIMAL_ROUNDING = {
    RoundingMode.HALF_UP: decimal.ROUND_HALF_UP,
    RoundingMode.HALF_EVEN: decimal.ROUND_HALF_EVEN,
    RoundingMode.HALF_DOWN: decimal.ROUND_HALF_DOWN,
    RoundingMode.UP: decimal.ROUND_UP,
    RoundingMode.DOWN: decimal.ROUND_DOWN,
    RoundingMode.CEILING: decimal.ROUND_CEILING,
    RoundingMode.FLOOR: decimal.ROUND_FLOOR,
}
