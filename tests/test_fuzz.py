"""Fuzzing every public entry point: only a ProrataError may leave one.

Each test calls public classes, functions and methods with arguments drawn
from valid values (``tests/strategies.py``) spoiled by hostile ones: None,
bools, floats, strings, huge ints (10**5000), NaN decimals, naive datetimes,
datetimes at ``datetime.min``/``max`` in odd zones, wrong classes and empty
containers. Every call goes through :func:`call`, which fails the test when
anything but a :class:`~prorata.ProrataError` escapes, when a call takes 2 s
or more (wall clock, with an interval timer), or when it grows the address
space by 100 MB (an ``RLIMIT_AS`` set just above the current size), and
counts the call. Each test asserts how many calls it made, and the quotas
add up to at least 10,000 per run.
"""

from __future__ import annotations

import copy
import json
import resource
import signal
import string
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, get_origin
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from types import FrameType

# Loaded here, not under a call's memory limit (to_frame imports it).
import pandas as pd  # noqa: F401
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import prorata
from prorata import (
    AddOn,
    AllowanceCarry,
    AllowanceProration,
    AnchorReset,
    Basis,
    BillingAnchor,
    BillingCycle,
    BillingPeriod,
    BillingPolicy,
    BillingSchedule,
    BillingTiming,
    CadenceFactor,
    CancelCredit,
    Cancellation,
    CancelOutcome,
    Catalog,
    ChangeBilling,
    ChangeDay,
    ChangeDecision,
    ChangeOutcome,
    Charge,
    Coupon,
    CouponProducts,
    CreditBasis,
    CreditHandling,
    DayCount,
    Discount,
    DiscountCredit,
    DiscountSplit,
    Downgrades,
    FixedCouponBudget,
    Interval,
    IntervalUnit,
    Invoice,
    InvoiceLine,
    InvoiceLineKind,
    InvoiceRounding,
    Item,
    LifetimeAllowance,
    LineKind,
    Money,
    OverageBilling,
    Pause,
    PauseMode,
    PercentStacking,
    Plan,
    PlanChange,
    Portion,
    ProrataError,
    ProrationBehavior,
    ProrationLine,
    ProrationPolicy,
    QuantityChange,
    QuantityMode,
    QuantityOutcome,
    RefusalReason,
    RoundingMode,
    RoundingStage,
    ScheduledChange,
    Settlement,
    StubPeriod,
    Subscription,
    TaxBase,
    TaxLine,
    TaxRate,
    TaxRounding,
    Timeline,
    TimeUnit,
    Treatment,
    TrialChange,
    Usage,
    UsageAllowance,
    bill_all,
    builtin_catalog,
    carry_allowances,
    check_change,
    from_dict,
    invoice_record,
    line_records,
    load_catalog,
    minor_unit_exponent,
    parse_catalog,
    presets,
    prorate,
    prorate_timeline,
    quote_record,
    require_self_serve,
    round_exact,
    settle,
    to_dict,
    to_frame,
)
from tests.strategies import (
    billing_cycles,
    currencies,
    exact_values,
    instants,
    intervals,
    junk,
    money,
    numeric_texts,
    periods,
    plans,
    policies,
    weights,
)

# A failing call's arguments may print long (a 5,000-digit int): let
# Hypothesis print them rather than turn the report into this warning.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)

# -- the guard ----------------------------------------------------------------

SECONDS: Final = 2.0
MEMORY: Final = 100 * 2**20
_PAGE: Final = resource.getpagesize()
CALLS: dict[str, int] = {}
"""Guarded calls made so far, by test."""


class CallTimeoutError(BaseException):
    """Raised by the interval timer in a call that runs too long.

    A BaseException, so no ``except Exception`` in the library swallows it.
    """


def _alarm(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001
    raise CallTimeoutError


def _address_space() -> int:
    with Path("/proc/self/statm").open(encoding="ascii") as statm:
        return int(statm.read().split()[0]) * _PAGE


def show(value: object) -> str:
    """A repr that never fails and never floods the report."""
    try:
        text = repr(value)
    except Exception as error:  # noqa: BLE001 - e.g. a 5,000-digit int
        return f"<{type(value).__name__}: repr failed: {error}>"
    return text if len(text) <= 300 else text[:300] + "..."


_test_name = "?"


def call(function: Callable[..., object], *args: Any, **kwargs: Any) -> Any:
    """Call ``function``: return its result, or None if it raised a
    ProrataError; fail on any other exception, a 2 s call or 100 MB."""
    CALLS[_test_name] = CALLS.get(_test_name, 0) + 1

    def described() -> str:
        shown = [show(a) for a in args] + [
            f"{k}={show(v)}" for k, v in kwargs.items()
        ]
        name = getattr(function, "__qualname__", show(function))
        return f"{name}({', '.join(shown)})"

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + MEMORY
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    started = time.perf_counter()
    failure: str | None = None
    result: object = None
    previous = signal.signal(signal.SIGALRM, _alarm)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    signal.setitimer(signal.ITIMER_REAL, SECONDS)
    try:
        result = function(*args, **kwargs)
    except ProrataError as error:
        str(error)  # the message itself must render
        result = None
    except CallTimeoutError:
        failure = f"took {SECONDS} s or more"
    except MemoryError:
        failure = f"needed over {MEMORY // 2**20} MB"
    except Exception as error:  # noqa: BLE001 - the point of the test
        failure = f"raised {type(error).__name__}: {show(str(error))}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        signal.signal(signal.SIGALRM, previous)
    elapsed = time.perf_counter() - started
    if failure is None and elapsed >= SECONDS:
        failure = f"took {elapsed:.1f} s"
    if failure is not None:
        pytest.fail(f"{described()} {failure}", pytrace=False)
    return result


def run(test: Callable[[], None], quota: int) -> None:
    """Run a Hypothesis test and check it made at least ``quota`` calls."""
    global _test_name  # noqa: PLW0603 - one counter per test
    _test_name = test.__name__
    before = CALLS.get(_test_name, 0)
    test()
    made = CALLS.get(_test_name, 0) - before
    assert made >= quota, (test.__name__, made, quota)


# -- values -------------------------------------------------------------------

JUNE_1: Final = datetime(2024, 6, 1, tzinfo=UTC)
PERIOD: Final = BillingPeriod.of_days(JUNE_1, 30)
USD_10: Final = Money("10", "USD")
A: Final = Plan(id="a", price=USD_10, rank=1)
B: Final = Plan(
    id="b",
    price=Money("20", "USD"),
    rank=2,
    allowances=(
        UsageAllowance(metric="gb", included=5, overage_price=USD_10),
    ),
)
SITE: Final = AddOn(id="site", price=Money("5", "USD"))
TAX: Final = TaxRate(name="VAT", percent=20, inclusive=True)
SUPPORT: Final = AddOn(
    id="support",
    price=Money("730", "USD"),
    interval=Interval.years(1),
    cadence_factor="nominal-365",
)
CHANGE: Final = PlanChange(A, B, at=JUNE_1 + timedelta(days=10))
PRORATION: Final = prorate(CHANGE, PERIOD)
TIMELINE: Final = prorate_timeline(A, [CHANGE], PERIOD)
LINE: Final = PRORATION.lines[0]
INVOICE_LINE: Final = InvoiceLine.from_proration(LINE)
SUBSCRIPTION, FIRST_INVOICE = Subscription.start(A, JUNE_1, items=[Item(SITE)])
TRIAL: Final = Subscription.start(A, JUNE_1, trial=timedelta(days=14))[0]
BILLED: Final = SUBSCRIPTION.bill_through(datetime(2024, 8, 1, tzinfo=UTC))[0]
assert FIRST_INVOICE is not None
CATALOG: Final = builtin_catalog()

ODD_ZONES: Final = (
    UTC,
    timezone(timedelta(hours=14)),
    timezone(-timedelta(hours=23, minutes=59)),
    ZoneInfo("Pacific/Kiritimati"),
    ZoneInfo("America/Adak"),
    ZoneInfo("Australia/Lord_Howe"),
)
EDGE_MOMENTS: Final = tuple(
    moment.replace(tzinfo=zone)
    for zone in ODD_ZONES
    for moment in (
        datetime.min.replace(tzinfo=UTC),
        datetime.max.replace(tzinfo=UTC),
        datetime(1, 1, 2, tzinfo=UTC),
        datetime(9999, 12, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 12, tzinfo=UTC),
        datetime(2, 1, 1, 12, tzinfo=UTC),
        datetime(9998, 12, 31, 12, tzinfo=UTC),
    )
)
"""Aware moments at and near the edges of datetime's range, odd zones."""
HUGE: Final = 10**5000
HOSTILE_VALUES: Final[tuple[object, ...]] = (
    None,
    True,
    False,
    0,
    -1,
    10**9,
    2**64,
    HUGE,
    -HUGE,
    float("nan"),
    float("inf"),
    0.5,
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("-Infinity"),
    Decimal("1e999999"),
    Decimal(HUGE),
    Fraction(1, 3),
    "",
    "1",
    "0/0",
    "\x00",
    "\u00b2",
    "x" * 300,
    "USD",
    "month",
    datetime.min,  # noqa: DTZ901 - naive on purpose
    datetime.max,  # noqa: DTZ901
    datetime(2024, 6, 1),  # noqa: DTZ001
    date.max,
    timedelta.max,
    timedelta.min,
    timedelta(days=-1),
    object(),
    [],
    (),
    {},
    set(),
    b"",
    [None],
    {"type": "Plan"},
    A,
    PERIOD,
    Interval.days(1),
    USD_10,
    Money("1", "EUR"),
    CHANGE,
    LINE,
    PRORATION,
    RoundingMode.HALF_UP,
    Basis.DAYS,
    UTC,
    int,
    Plan,
    print,
)


def hostile() -> st.SearchStrategy[Any]:
    """Values a careless or hostile caller passes."""
    return st.one_of(
        st.sampled_from(HOSTILE_VALUES),
        st.sampled_from(EDGE_MOMENTS),
        junk(),
        st.integers(),
        st.text(max_size=40),
    )


def moments() -> st.SearchStrategy[datetime]:
    """Aware moments, now and then at the edges of datetime's range."""
    return st.one_of(
        instants(), st.just(JUNE_1), st.sampled_from(EDGE_MOMENTS)
    )


def counts() -> st.SearchStrategy[int]:
    """Counts: small, negative, and beyond any calendar."""
    return st.integers(-3, 40) | st.sampled_from([10**6, 10**9, 10**30])


def usd_plans() -> st.SearchStrategy[Plan]:
    """Plans in dollars, some with allowances."""
    return st.sampled_from([A, B]) | plans("USD")


def metrics() -> st.SearchStrategy[str]:
    """Metric names, some of them known to the plans."""
    return st.sampled_from(["gb", "seats", ""]) | st.text(max_size=8)


def enums(*kinds: type) -> st.SearchStrategy[Any]:
    """Members of the enums, and their values as plain strings."""
    members = [member for kind in kinds for member in kind]  # type: ignore[attr-defined]
    return st.sampled_from(members) | st.sampled_from(
        [member.value for member in members]
    )


def usd() -> st.SearchStrategy[Money]:
    """Amounts in dollars."""
    return money("USD") | st.just(USD_10)


def coupons() -> st.SearchStrategy[Coupon]:
    """Coupons of every duration, on one-time charges or not."""
    off = st.builds(Discount.percent_off, st.integers(0, 100)) | st.builds(
        Discount.amount_off, st.just(USD_10)
    )
    return st.builds(
        Coupon,
        discount=off,
        periods=st.none() | st.integers(1, 3),
        one_time_charges=st.booleans(),
    ) | st.builds(
        Coupon,
        discount=off,
        until=st.sampled_from([JUNE_1, JUNE_1 + timedelta(days=45)]),
        one_time_charges=st.booleans(),
    )


def charges() -> st.SearchStrategy[Charge]:
    """One-time charges in dollars."""
    return st.builds(
        Charge,
        id=st.just("fee"),
        price=st.just(USD_10),
        credit_back=st.booleans(),
    )


def roundings() -> st.SearchStrategy[InvoiceRounding]:
    """Cash roundings of the invoices in dollars, in every mode."""
    return st.builds(
        InvoiceRounding,
        increment=st.integers(1, 1000).map(
            lambda units: Money.from_minor_units(units, "USD")
        ),
        mode=st.sampled_from(RoundingMode),
    )


def invoice_lines() -> st.SearchStrategy[InvoiceLine]:
    """Invoice lines of a proration, and one taxed."""
    lines = [*map(InvoiceLine.from_proration, PRORATION.lines)]
    return st.sampled_from([*lines, replace(lines[0], taxes=(TAX,))])


# -- targets ----------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A public callable and a valid strategy for each of its arguments.

    Arguments named with a leading underscore (the instance of a method)
    are passed positionally and never spoiled.
    """

    name: str
    function: Callable[..., object]
    arguments: Mapping[str, st.SearchStrategy[Any]]
    record: bool = False


def _method(name: str) -> Callable[..., object]:
    def bound(_self: object, *args: object, **kwargs: object) -> object:
        return getattr(_self, name)(*args, **kwargs)

    bound.__qualname__ = name
    return bound


def _listed(
    function: Callable[..., Iterator[object]],
) -> Callable[..., list[object]]:
    def consumed(*args: object, **kwargs: object) -> list[object]:
        return list(function(*args, **kwargs))

    consumed.__qualname__ = getattr(function, "__qualname__", "listed")
    return consumed


def _period_lengths(start: datetime, days: int) -> tuple[object, ...]:
    period = BillingPeriod.of_days(start, days)
    return period.days, period.seconds, period.duration


def _first(_self: BillingCycle, start_index: int) -> BillingPeriod:
    return next(_self.periods(start_index))


def _getitem(_self: Catalog, plan_id: object) -> Plan:
    return _self[plan_id]  # type: ignore[index]


def _contains(_self: Catalog, plan_id: object) -> bool:
    return plan_id in _self


def _binary(operator: str) -> Callable[[Money, object], object]:
    def apply(_self: Money, other: object) -> object:
        return getattr(_self, operator)(other)

    apply.__qualname__ = f"Money.{operator}"
    return apply


S = st
TARGETS: Final[tuple[Target, ...]] = (
    Target(
        "Money",
        Money,
        {"amount": numeric_texts() | exact_values(), "currency": currencies()},
    ),
    Target("Money.zero", Money.zero, {"currency": currencies()}),
    Target(
        "Money.from_minor_units",
        Money.from_minor_units,
        {"units": st.integers(), "currency": currencies()},
    ),
    Target(
        "Money.round",
        _method("round"),
        {"_self": money(), "mode": enums(RoundingMode)},
    ),
    Target(
        "Money.allocate",
        _method("allocate"),
        {"_self": usd(), "weights": weights()},
    ),
    Target(
        "Money.__mul__",
        _binary("__mul__"),
        {"_self": usd(), "other": st.integers() | st.decimals()},
    ),
    Target(
        "Money.__truediv__",
        _binary("__truediv__"),
        {"_self": usd(), "other": usd() | st.just(Money("0", "USD"))},
    ),
    Target(
        "Money.__add__", _binary("__add__"), {"_self": usd(), "other": usd()}
    ),
    Target(
        "Money.__lt__", _binary("__lt__"), {"_self": usd(), "other": usd()}
    ),
    Target(
        "Money.str",
        lambda _self: (str(_self), repr(_self), hash(_self)),
        {"_self": money()},
    ),
    Target(
        "minor_unit_exponent", minor_unit_exponent, {"currency": currencies()}
    ),
    Target(
        "round_exact",
        round_exact,
        {
            "value": exact_values(),
            "currency": currencies(),
            "mode": enums(RoundingMode),
        },
    ),
    Target(
        "Interval", Interval, {"unit": enums(IntervalUnit), "count": counts()}
    ),
    Target(
        "Interval.forms",
        Interval,
        {
            "unit": st.sampled_from(["month", "3 months", "30 days", "Year"])
            | st.text(max_size=12)
            | st.builds(
                relativedelta,
                years=st.integers(-3, 3),
                months=st.integers(-30, 30),
                days=st.integers(-40, 40),
                hours=st.integers(0, 2),
            )
            | st.builds(timedelta, days=st.integers(-5, 400)),
        },
    ),
    Target(
        "Money.__format__",
        _method("__format__"),
        {
            "_self": usd(),
            "spec": st.sampled_from(["", "local", ".2f", ",", ">9"])
            | st.text(max_size=8),
        },
    ),
    Target(
        "Money.__gt__.zero",
        _binary("__gt__"),
        {"_self": usd(), "other": st.sampled_from([0, 1, Decimal(0), 0.0])},
    ),
    Target("Interval.days", Interval.days, {"count": counts()}),
    Target("Interval.weeks", Interval.weeks, {"count": counts()}),
    Target("Interval.months", Interval.months, {"count": counts()}),
    Target("Interval.years", Interval.years, {"count": counts()}),
    Target(
        "Interval.after",
        _method("after"),
        {
            "_self": intervals()
            | st.sampled_from(
                [Interval.days(3_652_058), Interval.years(9999)]
            ),
            "anchor": moments(),
            "steps": counts(),
        },
    ),
    Target(
        "BillingPeriod", BillingPeriod, {"start": moments(), "end": moments()}
    ),
    Target(
        "BillingPeriod.of_days",
        BillingPeriod.of_days,
        {"start": moments(), "days": counts()},
    ),
    Target(
        "BillingPeriod.containing",
        BillingPeriod.containing,
        {"at": moments(), "anchor": moments(), "interval": intervals()},
    ),
    Target(
        "BillingPeriod.contains",
        _method("contains"),
        {"_self": periods(), "at": moments()},
    ),
    Target(
        "BillingPeriod.days",
        _period_lengths,
        {"start": moments(), "days": st.integers(1, 40)},
    ),
    Target(
        "BillingCycle",
        BillingCycle,
        {"anchor": moments(), "interval": intervals()},
    ),
    Target(
        "BillingCycle.boundary",
        _method("boundary"),
        {"_self": billing_cycles(), "index": counts()},
    ),
    Target(
        "BillingCycle.period",
        _method("period"),
        {"_self": billing_cycles(), "index": counts()},
    ),
    Target(
        "BillingCycle.index_of",
        _method("index_of"),
        {"_self": billing_cycles(), "at": moments()},
    ),
    Target(
        "BillingCycle.containing",
        _method("containing"),
        {"_self": billing_cycles(), "at": moments()},
    ),
    Target(
        "BillingCycle.periods",
        _first,
        {"_self": billing_cycles(), "start_index": counts()},
    ),
    Target(
        "Plan",
        Plan,
        {
            "id": st.text(string.ascii_lowercase, min_size=1, max_size=5),
            "name": st.text(max_size=5),
            "price": usd(),
            "interval": intervals(),
            "rank": st.integers(-2, 5),
            "allowances": st.just(B.allowances),
            "lifetime": st.just(
                (LifetimeAllowance(metric="sites", included=2),)
            ),
            "sales_only": st.booleans(),
            "custom": st.booleans(),
            "legacy": st.booleans(),
        },
    ),
    Target(
        "Plan.with_discount",
        _method("with_discount"),
        {
            "_self": usd_plans(),
            "discount": st.builds(Discount.percent_off, st.integers(0, 100)),
        },
    ),
    Target(
        "Plan.annual",
        _method("annual"),
        {
            "_self": usd_plans(),
            "months_free": st.integers(-1, 13),
            "price": st.none() | usd(),
            "plan_id": st.none() | st.text(max_size=5),
        },
    ),
    Target(
        "Plan.lifetime_allowance",
        _method("lifetime_allowance"),
        {"_self": usd_plans(), "metric": metrics()},
    ),
    Target(
        "Plan.allowance",
        _method("allowance"),
        {"_self": usd_plans(), "metric": metrics()},
    ),
    Target(
        "PlanChange",
        PlanChange,
        {
            "old": usd_plans(),
            "new": usd_plans(),
            "at": moments(),
            "credit": st.none() | enums(Treatment),
            "charge": st.none() | enums(Treatment),
        },
    ),
    Target(
        "PlanChange.direction",
        lambda _self: _self.direction,
        {"_self": st.builds(PlanChange, usd_plans(), usd_plans(), instants())},
    ),
    Target(
        "Discount",
        Discount,
        {
            "percent": st.none() | st.decimals(0, 100),
            "amount": st.none() | usd(),
        },
    ),
    Target(
        "Discount.percent_off",
        Discount.percent_off,
        {"percent": st.integers(-5, 105) | st.decimals()},
    ),
    Target("Discount.amount_off", Discount.amount_off, {"amount": usd()}),
    Target(
        "Discount.apply",
        _method("apply"),
        {
            "_self": st.builds(Discount.percent_off, st.integers(0, 100))
            | st.builds(Discount.amount_off, money("USD", min_units=0)),
            "price": usd(),
        },
    ),
    Target(
        "AddOn",
        AddOn,
        {
            "id": st.text(max_size=5),
            "name": st.text(max_size=5),
            "price": usd(),
            "interval": intervals(),
            "taxes": st.just(()) | st.just((TAX,)),
            "quantity_mode": enums(QuantityMode),
            "cadence_factor": enums(CadenceFactor),
        },
    ),
    Target(
        "AddOn.price_for",
        _method("price_for"),
        {"_self": st.just(SITE), "interval": intervals()},
    ),
    Target(
        "AddOn.period_price",
        _method("period_price"),
        {
            "_self": st.just(SITE) | st.just(SUPPORT),
            "interval": intervals(),
            "period": st.none() | st.just(PERIOD),
        },
    ),
    Target("Item", Item, {"add_on": st.just(SITE), "quantity": counts()}),
    Target(
        "Usage",
        Usage,
        {"metric": metrics(), "quantity": counts(), "at": moments()},
    ),
    Target(
        "UsageAllowance",
        UsageAllowance,
        {
            "metric": metrics(),
            "included": counts(),
            "overage_price": usd(),
            "per": counts(),
        },
    ),
    Target(
        "LifetimeAllowance",
        LifetimeAllowance,
        {"metric": metrics(), "included": counts()},
    ),
    Target(
        "AllowanceCarry",
        AllowanceCarry,
        {
            "metric": metrics(),
            "used": counts(),
            "available_before": counts(),
            "available_after": counts(),
        },
        record=True,
    ),
    Target(
        "carry_allowances",
        carry_allowances,
        {
            "old": usd_plans(),
            "new": usd_plans(),
            "used": st.dictionaries(metrics(), counts(), max_size=3),
        },
    ),
    Target(
        "ProrationPolicy",
        ProrationPolicy,
        {
            "basis": enums(Basis),
            "day_count": enums(DayCount),
            "month_days": st.integers(0, 40),
            "change_day": enums(ChangeDay),
            "months_first": st.booleans(),
            "credit": enums(Treatment),
            "charge": enums(Treatment),
            "credit_basis": enums(CreditBasis),
            "rounding": enums(RoundingMode),
            "rounding_stage": enums(RoundingStage),
            "share_places": st.none() | st.integers(-1, 13),
            "anchor_reset": enums(AnchorReset),
        },
    ),
    Target(
        "ProrationPolicy.describe",
        _method("describe"),
        {
            "_self": policies()
            | st.sampled_from(list(presets.PRESETS.values()))
        },
    ),
    Target(
        "BillingPolicy",
        BillingPolicy,
        {
            "proration": policies(),
            "timing": enums(BillingTiming),
            "charge_now_above": st.none() | usd(),
            "charge_billing": enums(ChangeBilling),
            "credit_billing": enums(ChangeBilling),
            "credits": enums(CreditHandling),
            "allowance": enums(AllowanceProration),
            "overage": enums(OverageBilling),
            "calculation_lead": st.timedeltas(),
            "tax_rounding": enums(TaxRounding),
            "tax_base": enums(TaxBase),
            "discount_credit": enums(DiscountCredit),
            "discount_split": enums(DiscountSplit),
            "percent_stacking": enums(PercentStacking),
            "coupon_products": enums(CouponProducts),
            "fixed_coupon_budget": enums(FixedCouponBudget),
            "discounts_past_end": st.booleans(),
            "stub_period": enums(StubPeriod),
            "cancel_change_day": st.none() | enums(ChangeDay),
            "downgrades": enums(Downgrades),
            "trial_change": enums(TrialChange),
            "invoice_rounding": st.none() | roundings(),
        },
    ),
    Target(
        "BillingSchedule",
        BillingSchedule,
        {
            "cycle": billing_cycles(),
            "policy": st.builds(
                BillingPolicy,
                timing=st.sampled_from(BillingTiming),
                calculation_lead=st.timedeltas(timedelta(0)),
            )
            | junk(),
        },
    ),
    Target(
        "BillingSchedule.billing_dates",
        lambda _self, count, at: (
            _self.billing_dates(count),
            _self.calculation_date(at),
            _self.invoice_index_for(at),
        ),
        {
            "_self": st.builds(
                BillingSchedule,
                cycle=billing_cycles(),
                policy=st.builds(
                    BillingPolicy,
                    timing=st.sampled_from(BillingTiming),
                    calculation_lead=st.timedeltas(timedelta(0)),
                ),
            ),
            "count": st.integers(-2, 400) | st.sampled_from([10**9, 10**30]),
            "at": moments(),
        },
    ),
    Target(
        "prorate",
        prorate,
        {
            "change": st.builds(
                PlanChange, usd_plans(), usd_plans(), st.just(CHANGE.at)
            ),
            "period": st.just(PERIOD) | periods(),
            "policy": policies(),
        },
    ),
    Target(
        "prorate_timeline",
        prorate_timeline,
        {
            "plan": st.just(A),
            "changes": st.lists(st.just(CHANGE), max_size=2),
            "period": st.just(PERIOD),
            "policy": policies(),
            "paid": st.none() | usd(),
        },
    ),
    Target(
        "Proration.explain",
        lambda _self: (
            _self.explain(),
            _self.net,
            _self.lines,
            to_dict(_self),
        ),
        {"_self": st.just(PRORATION)},
    ),
    Target(
        "Portion",
        Portion,
        {
            "units": st.integers(-3, 40) | st.fractions(),
            "total": st.integers(-3, 40) | st.fractions(),
            "unit": enums(TimeUnit),
        },
        record=True,
    ),
    Target(
        "ProrationLine",
        ProrationLine,
        {
            "kind": enums(LineKind),
            "plan": usd_plans(),
            "start": moments(),
            "end": moments(),
            "portion": st.just(LINE.portion),
            "rate": st.none() | usd(),
            "exact": st.fractions(),
            "amount": usd(),
            "quantity": counts(),
            "price": st.none() | usd(),
        },
        record=True,
    ),
    Target(
        "Timeline",
        Timeline,
        {
            "plan": st.just(A),
            "period": st.just(PERIOD),
            "policy": policies(),
            "prorations": st.just((PRORATION,)),
            "segments": st.just(TIMELINE.segments),
        },
        record=True,
    ),
    Target(
        "Timeline.explain",
        lambda _self: _self.explain(),
        {"_self": st.just(TIMELINE)},
    ),
    Target(
        "check_change", check_change, {"old": usd_plans(), "new": usd_plans()}
    ),
    Target(
        "require_self_serve",
        require_self_serve,
        {"old": usd_plans(), "new": usd_plans()},
    ),
    Target(
        "ChangeDecision",
        ChangeDecision,
        {
            "allowed": st.booleans(),
            "reason": st.none() | enums(RefusalReason),
            "message": st.text(max_size=5),
        },
        record=True,
    ),
    Target(
        "settle",
        settle,
        {
            "lines": st.lists(invoice_lines(), max_size=3),
            "currency": st.just("USD") | currencies(),
            "issued_at": moments(),
            "calculated_at": moments(),
            "credit_balance": usd(),
            "handling": enums(CreditHandling),
            "tax_rounding": enums(TaxRounding),
            "tax_base": enums(TaxBase),
            "rounding": st.none() | roundings(),
            "prepaid_balance": st.none() | usd(),
        },
    ),
    Target(
        "InvoiceRounding",
        InvoiceRounding,
        {
            "increment": money() | usd(),
            "mode": enums(RoundingMode),
        },
    ),
    Target(
        "InvoiceRounding.rounded",
        _method("rounded"),
        {"_self": roundings(), "total": money() | usd()},
    ),
    Target(
        "TaxRate",
        TaxRate,
        {
            "name": st.text(max_size=5),
            "percent": st.integers(-5, 105) | st.decimals(),
            "inclusive": st.booleans(),
        },
    ),
    Target(
        "TaxLine",
        TaxLine,
        {
            "rate": st.just(TAX),
            "taxable": usd(),
            "amount": usd(),
            "line": st.none() | st.integers(0, 3),
            "exact": st.fractions(),
        },
        record=True,
    ),
    Target(
        "InvoiceLine",
        InvoiceLine,
        {
            "kind": enums(InvoiceLineKind),
            "description": st.text(max_size=5),
            "amount": usd(),
            "start": moments(),
            "end": moments(),
            "calculation": st.text(max_size=5),
            "taxes": st.just(()) | st.just((TAX,)),
        },
        record=True,
    ),
    Target(
        "InvoiceLine.from_proration",
        InvoiceLine.from_proration,
        {"line": st.sampled_from(PRORATION.lines)},
    ),
    Target(
        "Invoice.explain",
        lambda _self, kind: (
            _self.explain(),
            _self.lines_of(kind),
            str(_self.lines[0]),
        ),
        {"_self": st.just(FIRST_INVOICE), "kind": enums(InvoiceLineKind)},
    ),
    Target(
        "Invoice",
        Invoice,
        {
            "issued_at": moments(),
            "calculated_at": moments(),
            "lines": st.just((INVOICE_LINE,)),
            "subtotal": usd(),
            "credit_balance_before": usd(),
            "credit_applied": usd(),
            "amount_due": usd(),
            "refund": usd(),
            "credit_balance_after": usd(),
            "forfeited": usd(),
            "prepaid_balance_before": usd(),
            "prepaid_applied": usd(),
            "prepaid_balance_after": usd(),
        },
        record=True,
    ),
    Target(
        "Subscription.start",
        Subscription.start,
        {
            "plan": usd_plans(),
            "at": moments(),
            "policy": st.none()
            | st.builds(
                BillingPolicy,
                proration=policies(),
                stub_period=st.sampled_from(StubPeriod),
            ),
            "anchor": st.none() | moments(),
            "items": st.lists(
                st.builds(Item, st.just(SITE), st.integers(0, 3)), max_size=2
            ),
            "coupons": st.lists(coupons(), max_size=2),
            "charges": st.lists(charges(), max_size=2),
        },
    ),
    Target(
        "Coupon",
        Coupon,
        {
            "discount": st.builds(Discount.percent_off, st.integers(0, 100)),
            "periods": st.none() | st.integers(-1, 5),
            "until": st.none() | moments(),
            "products": st.just(()) | st.just(("a",)),
            "name": st.text(max_size=5),
        },
    ),
    Target(
        "Coupon.once",
        Coupon.once,
        {"discount": st.builds(Discount.amount_off, st.just(USD_10))},
    ),
    Target(
        "Coupon.covers",
        _method("covers"),
        {"_self": coupons(), "product_id": st.text(max_size=3)},
    ),
    Target(
        "Charge",
        Charge,
        {
            "id": st.text(max_size=5),
            "name": st.text(max_size=5),
            "price": usd(),
            "taxes": st.just(()) | st.just((TAX,)),
            "credit_back": st.booleans(),
        },
    ),
    Target(
        "Subscription.apply_coupon",
        _method("apply_coupon"),
        {"_self": st.just(SUBSCRIPTION), "coupon": coupons(), "at": moments()},
    ),
    Target(
        "Subscription.add_charge",
        _method("add_charge"),
        {"_self": st.just(SUBSCRIPTION), "charge": charges(), "at": moments()},
    ),
    Target(
        "Subscription.plan_at",
        lambda _self, moment: (_self.plan_at(moment), _self.items_at(moment)),
        {"_self": st.just(SUBSCRIPTION), "moment": moments()},
    ),
    Target(
        "Subscription.change_plan",
        _method("change_plan"),
        {
            "_self": st.just(SUBSCRIPTION),
            "new": usd_plans(),
            "at": moments(),
            "assisted": st.booleans(),
        },
    ),
    Target(
        "Subscription.change_quantity",
        _method("change_quantity"),
        {
            "_self": st.just(SUBSCRIPTION),
            "add_on": st.just(SITE),
            "quantity": counts(),
            "at": moments(),
        },
    ),
    Target(
        "Subscription.record_usage",
        _method("record_usage"),
        {
            "_self": st.just(SUBSCRIPTION),
            "metric": metrics(),
            "quantity": counts(),
            "at": moments(),
        },
    ),
    Target(
        "Subscription.bill",
        lambda _self: (_self.preview_invoice(), _self.bill()),
        {"_self": st.just(SUBSCRIPTION)},
    ),
    Target(
        "Subscription.change_plan options",
        _method("change_plan"),
        {
            "_self": st.just(SUBSCRIPTION),
            "new": usd_plans(),
            "at": moments(),
            "proration_behavior": st.none() | enums(ProrationBehavior),
            "billing_anchor": enums(BillingAnchor),
            "change_day": st.none() | enums(ChangeDay),
        },
    ),
    Target(
        "Subscription.bill_through",
        _method("bill_through"),
        {"_self": st.just(SUBSCRIPTION), "until": moments()},
    ),
    Target(
        "Subscription.cancel",
        _method("cancel"),
        {
            "_self": st.just(SUBSCRIPTION),
            "at": st.none() | moments(),
            "at_period_end": st.booleans(),
            "credit": st.none() | enums(CancelCredit),
        },
    ),
    Target(
        "Subscription.schedule_change",
        lambda _self, new, at, assisted, anchor: _self.schedule_change(
            new, at, assisted=assisted, anchor=anchor
        ).withdraw_change(),
        {
            "_self": st.just(SUBSCRIPTION),
            "new": usd_plans(),
            "at": st.none() | moments(),
            "assisted": st.booleans(),
            "anchor": st.none() | moments(),
        },
    ),
    Target(
        "Subscription.move_anchor",
        lambda _self, anchor: (
            _self.move_anchor(anchor).preview_invoice(),
            _self.move_anchor(anchor).bill(),
        ),
        {
            "_self": st.sampled_from([SUBSCRIPTION, TRIAL]),
            "anchor": moments(),
        },
    ),
    Target(
        "Subscription.issue_credit",
        _method("issue_credit"),
        {
            "_self": st.just(SUBSCRIPTION),
            "amount": usd(),
            "at": moments(),
            "refund": st.booleans(),
            "note": st.text(max_size=5),
        },
    ),
    Target(
        "Subscription.top_up",
        _method("top_up"),
        {"_self": st.just(SUBSCRIPTION), "amount": usd()},
    ),
    Target(
        "Subscription.withdraw_cancellation",
        lambda _self: (
            _self.cancel(at_period_end=True)[0]
            .withdraw_cancellation()
            .withdraw_cancellation()
        ),
        {"_self": st.just(SUBSCRIPTION)},
    ),
    Target(
        "Subscription.start trial",
        Subscription.start,
        {
            "plan": usd_plans(),
            "at": moments(),
            "trial": st.none()
            | st.timedeltas(timedelta(days=-2), timedelta(days=60))
            | moments(),
            "anchor": st.none() | moments(),
        },
    ),
    Target(
        "Subscription.end_trial",
        lambda _self, at, until: (
            _self.end_trial(at),
            _self.extend_trial(until),
        ),
        {"_self": st.just(TRIAL), "at": moments(), "until": moments()},
    ),
    Target(
        "Subscription.pause",
        lambda _self, at, at_period_end, mode, back: _self.pause(
            at, at_period_end=at_period_end, mode=mode
        )[0].resume(back),
        {
            "_self": st.just(SUBSCRIPTION),
            "at": st.none() | moments(),
            "at_period_end": st.booleans(),
            "mode": st.none() | enums(PauseMode),
            "back": moments(),
        },
    ),
    Target(
        "Subscription.change_plan backdated",
        lambda _self, new, at, quantity, metric: (
            _self.change_plan(new, at, assisted=True),
            _self.change_quantity(SITE, quantity, at),
            _self.record_usage(metric, quantity, at, unmetered=True),
            _self.cancel(at),
        ),
        {
            "_self": st.just(BILLED),
            "new": usd_plans(),
            "at": moments(),
            "quantity": counts(),
            "metric": metrics(),
        },
    ),
    Target(
        "Pause",
        Pause,
        {"at": moments(), "mode": enums(PauseMode)},
    ),
    Target(
        "ScheduledChange",
        ScheduledChange,
        {"new": usd_plans(), "at": moments()},
    ),
    Target(
        "Cancellation",
        Cancellation,
        {"at": moments(), "credit": enums(CancelCredit)},
    ),
    Target(
        "CancelOutcome",
        CancelOutcome,
        {
            "ends_at": moments(),
            "credit": enums(CancelCredit),
            "returned": usd(),
            "invoice": st.none() | st.just(FIRST_INVOICE),
            "reason": st.text(max_size=3),
        },
        record=True,
    ),
    Target(
        "bill_all",
        _listed(bill_all),
        {"subscriptions": st.lists(st.just(SUBSCRIPTION), max_size=2)},
    ),
    Target(
        "QuantityChange",
        QuantityChange,
        {"add_on": st.just(SITE), "quantity": counts(), "at": moments()},
    ),
    Target(
        "ChangeOutcome",
        ChangeOutcome,
        {
            "proration": st.just(PRORATION),
            "lines": st.just((INVOICE_LINE,)),
            "net": usd(),
            "settlement": enums(Settlement),
            "reason": st.text(max_size=3),
            "invoice": st.none() | st.just(FIRST_INVOICE),
        },
        record=True,
    ),
    Target(
        "QuantityOutcome",
        QuantityOutcome,
        {
            "change": st.just(QuantityChange(SITE, 2, JUNE_1)),
            "lines": st.just((INVOICE_LINE,)),
            "net": usd(),
            "settlement": enums(Settlement),
            "reason": st.text(max_size=3),
            "invoice": st.none() | st.just(FIRST_INVOICE),
        },
        record=True,
    ),
    Target(
        "Catalog",
        Catalog,
        {"plans": st.just({"a": A}), "source": st.text(max_size=5)},
    ),
    Target(
        "Catalog.__getitem__",
        _getitem,
        {
            "_self": st.just(CATALOG),
            "plan_id": st.sampled_from([p.id for p in CATALOG])
            | st.text(max_size=5),
        },
    ),
    Target(
        "Catalog.__contains__",
        _contains,
        {
            "_self": st.just(CATALOG),
            "plan_id": st.sampled_from([p.id for p in CATALOG])
            | st.text(max_size=5),
        },
    ),
    Target("builtin_catalog", builtin_catalog, {}),
    Target(
        "parse_catalog",
        parse_catalog,
        {
            "data": st.just(
                {"currency": "USD", "plans": [{"id": "a", "price": "1"}]}
            ),
            "source": st.text(max_size=5),
        },
    ),
    Target(
        "load_catalog",
        load_catalog,
        {"path": st.just("/nonexistent/plans.toml") | st.text(max_size=20)},
    ),
    Target(
        "to_dict",
        to_dict,
        {
            "value": st.sampled_from(
                [
                    A,
                    B,
                    PERIOD,
                    CHANGE,
                    PRORATION,
                    TIMELINE,
                    FIRST_INVOICE,
                    SUBSCRIPTION,
                    USD_10,
                ]
            )
        },
    ),
    Target(
        "from_dict",
        from_dict,
        {
            "data": st.sampled_from([to_dict(v) for v in (A, PERIOD, CHANGE)]),
            "kind": st.sampled_from([Plan, BillingPeriod, PlanChange]),
        },
    ),
    Target("quote_record", quote_record, {"quote": st.just(PRORATION)}),
    Target(
        "invoice_record", invoice_record, {"invoice": st.just(FIRST_INVOICE)}
    ),
    Target(
        "line_records",
        line_records,
        {"result": st.sampled_from([PRORATION, TIMELINE, FIRST_INVOICE])},
    ),
    Target(
        "to_frame",
        to_frame,
        {
            "items": st.lists(
                st.sampled_from([PRORATION, *PRORATION.lines]), max_size=3
            )
        },
    ),
)
"""Every public class, function and method, with its arguments."""

_PER_TARGET: Final = 130


@st.composite
def spoiled_call(
    draw: st.DrawFn, target: Target
) -> tuple[list[Any], dict[str, Any]]:
    """The target's valid arguments with up to two of them hostile."""
    names = sorted(
        name for name in target.arguments if not name.startswith("_")
    )
    bad = draw(st.sets(st.sampled_from(names), max_size=2)) if names else set()
    args = [
        draw(strategy)
        for name, strategy in target.arguments.items()
        if name.startswith("_")
    ]
    kwargs = {
        name: draw(hostile() if name in bad else strategy)
        for name, strategy in target.arguments.items()
        if not name.startswith("_")
    }
    return args, kwargs


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_public_callables_raise_only_prorata_errors(target: Target) -> None:
    """Valid and hostile arguments: a result or a ProrataError, in time."""

    @settings(
        max_examples=_PER_TARGET,
        suppress_health_check=list(HealthCheck),
    )
    @given(drawn=spoiled_call(target))
    def fuzz(drawn: tuple[list[Any], dict[str, Any]]) -> None:
        args, kwargs = drawn
        result = call(target.function, *args, **kwargs)
        if result is not None and not target.record:
            call(str, result)
            call(repr, result)

    fuzz.__name__ = f"fuzz_{target.name}"
    spoilable = any(not name.startswith("_") for name in target.arguments)
    run(fuzz, quota=_PER_TARGET if spoilable else 1)


# -- from_dict: mutations of real to_dict output ---------------------------

MODELS: Final = (
    A,
    B,
    SITE,
    PERIOD,
    CHANGE,
    PRORATION,
    TIMELINE,
    FIRST_INVOICE,
    SUBSCRIPTION,
    BillingCycle(
        JUNE_1.astimezone(ZoneInfo("Europe/Berlin")), Interval.months(1)
    ),
    presets.ZUORA_ACTUAL_360,
    BillingPolicy(charge_now_above=USD_10),
)
KINDS: Final = (*{type(model) for model in MODELS}, Money, Item, Usage)
JSON_JUNK: Final[tuple[object, ...]] = (
    None,
    True,
    0,
    -1,
    HUGE,
    1.5,
    float("nan"),
    "",
    "0/0",
    "1/0",
    "NaN",
    "sNaN",
    "1e999999",
    "-Infinity",
    "x" * 300,
    "2024-13-01T00:00:00+00:00",
    "2024-06-01T00:00:00",
    "0001-01-01T00:00:00-23:59",
    "9999-12-31T23:59:59+00:00[Pacific/Kiritimati]",
    "2024-06-01T00:00:00+00:00[" + "x" * 300 + "]",
    "2024-06-01T00:00:00+00:00[../../etc/passwd]",
    "2024-06-01T00:00:00+00:00[]",
    "\x00",
    [],
    [[[[]]]],
    {},
    {"type": "Plan"},
    {"type": "Money"},
    {"amount": "1"},
    {"type": "Interval", "unit": "month", "count": 10**9},
)


def _paths(
    data: object, path: tuple[object, ...] = ()
) -> Iterator[tuple[object, ...]]:
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*path, index))


def _at(data: Any, path: tuple[object, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


@st.composite
def mutated(draw: st.DrawFn) -> tuple[object, type]:
    """A model's to_dict output, changed in one to three places."""
    data: Any = json.loads(json.dumps(to_dict(draw(st.sampled_from(MODELS)))))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(_paths(data))))
        if not path:
            continue
        parent, key = _at(data, path[:-1]), path[-1]
        value = parent[key]
        how = draw(st.sampled_from(["drop", "junk", "garble", "nest", "type"]))
        if how == "drop" and isinstance(parent, dict):
            del parent[key]
        elif how == "garble" and isinstance(value, str):
            cut = draw(st.integers(0, len(value)))
            parent[key] = value[:cut] + draw(st.text(max_size=6)) + value[cut:]
        elif how == "nest":
            parent[key] = [
                [value],
                {"type": "Plan", "id": value},
                {"x": value},
            ][draw(st.integers(0, 2))]
        elif how == "type" and isinstance(value, dict) and "type" in value:
            parent[key] = {
                **value,
                "type": draw(
                    st.sampled_from(
                        [k.__name__ for k in KINDS] + ["", "object", "Money"]
                    )
                ),
            }
        else:
            junk_value = draw(
                st.sampled_from(JSON_JUNK)
                | st.text(max_size=8)
                | st.integers()
            )
            parent[key] = copy.deepcopy(
                junk_value
            )  # later edits: not the table
    kind = draw(
        st.sampled_from(KINDS)
        | st.sampled_from([int, dict, object, type, str, ProrataError])
    )
    return data, kind


def test_from_dict_of_mutated_output_raises_only_serialization_errors() -> (
    None
):
    """Broken data, or a kind that is no model, is a SerializationError."""

    @settings(max_examples=600, suppress_health_check=list(HealthCheck))
    @given(drawn=mutated())
    def fuzz_mutated_dicts(drawn: tuple[object, type]) -> None:
        data, kind = drawn
        value = call(from_dict, data, kind)
        if value is None:  # refused: check it was refused as serialization
            with pytest.raises(prorata.SerializationError):
                from_dict(data, kind)  # type: ignore[arg-type]

    run(fuzz_mutated_dicts, quota=600)


def test_from_dict_round_trips_every_model() -> None:
    """The fuzzing above starts from data that does read back."""
    for model in MODELS:
        assert call(from_dict, to_dict(model), type(model)) == model


# -- catalogs: random bytes and mutated TOML --------------------------------

CATALOG_TEXT: Final = (
    Path(prorata.__file__)
    .with_name("catalog.toml")
    .read_text(encoding="utf-8")
)
TOML_JUNK: Final = (
    "\u00b2 month",
    '"\u00b2 month"',
    "9" * 5000,
    '"' + "9" * 5000 + '"',
    '"99999999 days"',
    "1.5",
    "nan",
    "inf",
    "[[[[[[[[[[[[]]]]]]]]]]]]",
    "{}",
    '"\\u0000"',
    "1979-05-27T07:32:00Z",
    "-1",
    "true",
    '"ZZZ"',
    '"' + "x" * 300 + '"',
)


@st.composite
def catalog_texts(draw: st.DrawFn) -> str:
    """The built-in catalog with a few lines or values changed."""
    lines = CATALOG_TEXT.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        how = draw(st.sampled_from(["value", "drop", "text", "dup"]))
        if how == "value" and "=" in line:
            key = line.split("=", 1)[0]
            lines[index] = f"{key}= {draw(st.sampled_from(TOML_JUNK))}"
        elif how == "drop":
            del lines[index]
        elif how == "dup":
            lines.insert(index, line)
        else:
            cut = draw(st.integers(0, len(line)))
            lines[index] = line[:cut] + draw(st.text(max_size=5)) + line[cut:]
    return "\n".join(lines)


def _load(content: bytes, suffix: str) -> object:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "plans" + suffix)
        path.write_bytes(content)
        return load_catalog(path)


def test_catalog_files_raise_only_catalog_errors() -> None:
    """Random bytes and mutated TOML: a Catalog or a CatalogError."""

    @settings(max_examples=500, suppress_health_check=list(HealthCheck))
    @given(
        content=st.binary(max_size=200)
        | catalog_texts().map(lambda text: text.encode("utf-8"))
        | st.sampled_from(
            [b"\xff\xfe", b"plans = [\xc3]", CATALOG_TEXT.encode("utf-16")]
        ),
        suffix=st.sampled_from([".toml", ".json", ".TOML", ".txt"]),
    )
    def fuzz_catalog_files(content: bytes, suffix: str) -> None:
        result = call(_load, content, suffix)
        assert result is None or isinstance(result, Catalog)

    run(fuzz_catalog_files, quota=500)


def test_parsed_catalogs_raise_only_catalog_errors() -> None:
    """parse_catalog on mutated data, as from JSON or a database."""

    @settings(max_examples=300, suppress_health_check=list(HealthCheck))
    @given(text=catalog_texts(), source=st.text(max_size=5) | hostile())
    def fuzz_parsed_catalogs(text: str, source: object) -> None:
        import tomllib  # noqa: PLC0415 - only this test parses

        try:
            data = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, ValueError):
            data = {"plans": [{"id": text[:5], "price": text[-5:]}]}
        call(parse_catalog, data, source)

    run(fuzz_parsed_catalogs, quota=300)


# -- the count ----------------------------------------------------------------

QUOTAS: Final = (
    sum(
        _PER_TARGET if any(not n.startswith("_") for n in t.arguments) else 1
        for t in TARGETS
    )
    + 600
    + 500
    + 300
)


def test_every_public_name_is_fuzzed() -> None:
    """Each callable name in prorata.__all__ (errors, enums, constants
    and type aliases aside, which are values) has a target."""
    fuzzed = {target.name.split(".")[0] for target in TARGETS}
    skipped = {
        "presets",
        "Exact",
        "JsonValue",
        "ANNUAL",
        "MONTHLY",
        "DEFAULT_POLICY",
        # TypedDicts: calling one builds a dict and checks nothing.
        "QuoteRecord",
        "InvoiceRecord",
        "LineRecord",
    }
    for name in prorata.__all__:
        value = getattr(prorata, name)
        if (
            name in skipped
            or get_origin(value) is Literal  # BasisName and its kind
            or (
                isinstance(value, type)
                and (
                    issubclass(value, BaseException)
                    or issubclass(value, StrEnum)
                )
            )
        ):
            continue
        assert name in fuzzed, name
    # presets has no callables: its policies are fuzzed as values.
    assert not [n for n in presets.__all__ if callable(getattr(presets, n))]
    assert all(
        isinstance(getattr(presets, n), ProrationPolicy | Mapping)
        for n in presets.__all__
    )


def test_the_quotas_add_up_to_ten_thousand_calls() -> None:
    """Every fuzz test asserts its own quota; together at least 10,000.

    When the whole module ran (this test is its last), the calls made add
    up to 10,000 too; the terminal summary reports them
    (tests/conftest.py).
    """
    assert QUOTAS >= 10_000
    every_test = {f"fuzz_{target.name}" for target in TARGETS} | {
        "fuzz_mutated_dicts",
        "fuzz_catalog_files",
        "fuzz_parsed_catalogs",
    }
    if set(CALLS) >= every_test:
        assert sum(CALLS.values()) >= 10_000
