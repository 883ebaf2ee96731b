"""Tables of bad input shared by the tests: each row is a call that must be
refused, the error it must raise, and text the message must contain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from prorata import (
    ArgumentTypeError,
    BillingCycle,
    BillingPeriod,
    ChangeOrderError,
    CurrencyMismatchError,
    FloatAmountError,
    Interval,
    InvalidAmountError,
    InvalidIntervalError,
    InvalidPeriodError,
    InvalidPlanError,
    InvalidPolicyError,
    InvalidWeightsError,
    Money,
    NaiveDatetimeError,
    OutsidePeriodError,
    Plan,
    PlanChange,
    ProrataError,
    ProrationPolicy,
    UnknownCurrencyError,
    prorate,
    prorate_timeline,
)

JUNE_1 = datetime(2024, 6, 1, tzinfo=UTC)
PERIOD = BillingPeriod.of_days(JUNE_1, 30)
A = Plan(id="a", price=Money("10", "USD"), rank=1)
B = Plan(id="b", price=Money("20", "USD"), rank=2)
EURO = Plan(id="euro", price=Money("20", "EUR"), rank=2)


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
        lambda: Interval("fortnight"),  # type: ignore[arg-type]
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
)
