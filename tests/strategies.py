"""Hypothesis strategies shared by the property tests.

Amounts are built from ``Decimal`` values in whole minor units (never from a
float); datetimes are aware, between 1990 and 2060, in UTC or in a zone with
daylight-saving time; periods come from anchored billing cycles; moments
inside a period favour its edges and the zone's DST changes.
"""

from __future__ import annotations

import functools
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from prorata import (
    AllowanceProration,
    Basis,
    BillingCycle,
    BillingPeriod,
    BillingPolicy,
    BillingTiming,
    ChangeBilling,
    ChangeDay,
    CreditHandling,
    DayCount,
    Interval,
    Invoice,
    Money,
    OverageBilling,
    Plan,
    PlanChange,
    ProrationPolicy,
    RoundingMode,
    RoundingStage,
    Subscription,
    Treatment,
    UsageAllowance,
    builtin_catalog,
    presets,
)
from prorata._currencies import MINOR_UNITS
from tests.common import NOVEMBER, Record, usd_cents

if TYPE_CHECKING:
    from fractions import Fraction

__all__ = [
    "CURRENCIES",
    "FIRST_DAY",
    "LAST_DAY",
    "ZONES",
    "Story",
    "anchored_periods",
    "aware_datetimes",
    "billing_cycles",
    "billing_policies",
    "changes_in",
    "currencies",
    "dst_changes",
    "dst_periods",
    "exact_values",
    "instants",
    "instants_near",
    "intervals",
    "junk",
    "loose_plans",
    "metered_plans",
    "moments_in",
    "money",
    "monthly_plans",
    "november_moments",
    "numeric_texts",
    "ordered_moments",
    "periods",
    "plans",
    "policies",
    "prices",
    "same_priced_plans",
    "spoiled",
    "started",
    "stories",
    "time_bases",
    "usage_records",
    "usd_prices",
    "weights",
    "zones",
]

CURRENCIES: Final = tuple(sorted(MINOR_UNITS))
"""Every ISO 4217 code prorata knows."""

# One code per minor-unit exponent (0, 2, 3, 4), drawn as often as the rest.
_ONE_PER_EXPONENT: Final = ("JPY", "USD", "KWD", "CLF")

ZONES: Final[tuple[tzinfo, ...]] = (
    UTC,
    ZoneInfo("America/New_York"),
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("Australia/Lord_Howe"),  # a 30-minute DST shift, south
)
"""UTC and three zones with daylight-saving time."""

FIRST_DAY: Final = date(1990, 1, 1)
LAST_DAY: Final = date(2060, 12, 31)

# Times of day inside a DST gap or a repeated hour: 01:00-02:00 (New York),
# 02:00-03:00 (Berlin), 01:30-02:00 (Lord Howe); and a day's edges.
_TIMES: Final = (
    time(0, 0),
    time(1, 30),
    time(1, 45),
    time(2, 0),
    time(2, 30),
    time(23, 59, 59),
)

_MICROSECOND: Final = timedelta(microseconds=1)
# Within half an hour of a DST change a day can begin twice.
_NEAR: Final = tuple(timedelta(minutes=m) for m in (10, 20, 29, 45, 60))


# -- money --------------------------------------------------------------------


def currencies() -> st.SearchStrategy[str]:
    """ISO 4217 codes, with exponents 0, 3 and 4 as likely as exponent 2."""
    return st.sampled_from(_ONE_PER_EXPONENT) | st.sampled_from(CURRENCIES)


def _from_units(units: int, currency: str) -> Money:
    """Build the Money of ``units`` minor units from a Decimal."""
    exponent = MINOR_UNITS[currency]
    return Money(Decimal(units).scaleb(-exponent), currency)


def money(
    currency: str | None = None,
    *,
    min_units: int = -(10**12),
    max_units: int = 10**12,
) -> st.SearchStrategy[Money]:
    """Amounts in whole minor units, built from Decimals."""
    codes = currencies() if currency is None else st.just(currency)
    return st.builds(_from_units, st.integers(min_units, max_units), codes)


def prices(currency: str) -> st.SearchStrategy[Money]:
    """Non-negative plan prices in whole minor units, zero included."""
    return st.just(_from_units(0, currency)) | money(
        currency, min_units=0, max_units=10**10
    )


@st.composite
def plans(draw: st.DrawFn, currency: str, price: Money | None = None) -> Plan:
    """A plan in ``currency``; at ``price`` if one is given."""
    return Plan(
        id=draw(st.from_regex(r"[a-z][a-z0-9-]{0,7}", fullmatch=True)),
        price=draw(prices(currency)) if price is None else price,
        rank=draw(st.integers(-3, 3)),
    )


@st.composite
def same_priced_plans(draw: st.DrawFn, plan: Plan) -> Plan:
    """``plan`` itself, or another plan (other id, rank) at its price."""
    if draw(st.booleans()):
        return plan
    return Plan(
        id=f"{plan.id}-{draw(st.integers(1, 9))}",
        price=plan.price,
        rank=draw(st.integers(-3, 3)),
    )


def exact_values() -> st.SearchStrategy[int | Decimal | Fraction]:
    """Exact amounts a proration can produce: ints, Decimals, Fractions."""
    return st.one_of(
        st.integers(-(10**9), 10**9),
        st.decimals(
            min_value=-(10**9),
            max_value=10**9,
            allow_nan=False,
            allow_infinity=False,
            places=6,
        ),
        st.fractions(
            min_value=-(10**9), max_value=10**9, max_denominator=10**7
        ),
    )


def weights() -> st.SearchStrategy[list[int]]:
    """Non-negative int weights with a positive sum."""
    return st.lists(
        st.integers(0, 10**7) | st.just(0), min_size=1, max_size=12
    ).filter(lambda values: sum(values) > 0)


# -- time ---------------------------------------------------------------------


def zones() -> st.SearchStrategy[tzinfo]:
    """UTC or a zone with daylight-saving time."""
    return st.sampled_from(ZONES)


@st.composite
def aware_datetimes(draw: st.DrawFn, zone: tzinfo | None = None) -> datetime:
    """Aware wall-clock datetimes, 1990 to 2060, DST gaps and folds too.

    The time of day favours times inside New York's and Berlin's DST
    changes; ``fold`` picks either side of a repeated hour.
    """
    day = draw(st.dates(FIRST_DAY, LAST_DAY))
    clock = draw(st.sampled_from(_TIMES) | st.times())
    where = draw(zones()) if zone is None else zone
    moment = datetime.combine(day, clock, tzinfo=where)
    return moment.replace(fold=draw(st.integers(0, 1)))


@functools.cache
def dst_changes(zone: tzinfo) -> tuple[datetime, ...]:
    """Every instant the zone's UTC offset changes, 1990 to 2080, in UTC."""
    found: list[datetime] = []
    second = timedelta(seconds=1)
    step = timedelta(days=7)
    moment = datetime(1990, 1, 1, tzinfo=UTC)
    offset = moment.astimezone(zone).utcoffset()
    while moment.year < 2080:
        later = moment + step
        later_offset = later.astimezone(zone).utcoffset()
        if later_offset != offset:
            low, high = moment, later  # the change is in (low, high]
            while high - low > second:
                middle = low + ((high - low) // second // 2) * second
                if middle.astimezone(zone).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            found.append(high)
        moment, offset = later, later_offset
    return tuple(found)


@functools.cache
def _all_dst_changes() -> tuple[datetime, ...]:
    return tuple(sorted({t for zone in ZONES for t in dst_changes(zone)}))


def _seconds(low: int, high: int) -> st.SearchStrategy[timedelta]:
    return st.integers(low, high).map(lambda s: timedelta(seconds=s))


def instants_near(
    points: tuple[datetime, ...],
) -> st.SearchStrategy[datetime]:
    """Instants on one of ``points`` or up to two hours either side."""
    near = (_MICROSECOND, timedelta(seconds=1), *_NEAR)
    nudge = st.one_of(
        st.sampled_from((timedelta(0), *near, *(-by for by in near))),
        _seconds(-1800, 1800),
        _seconds(-7200, 7200),
    )
    return st.builds(lambda at, by: at + by, st.sampled_from(points), nudge)


def _own_dst_changes(period: BillingPeriod) -> tuple[datetime, ...]:
    """The DST changes of the period's own zone inside it, in UTC."""
    zone = period.start.tzinfo
    if zone is None:  # pragma: no cover - periods are aware
        return ()
    start, end = period.start.astimezone(UTC), period.end.astimezone(UTC)
    return tuple(t for t in dst_changes(zone) if start <= t < end)


def _clamp(instant: datetime, period: BillingPeriod) -> datetime:
    start = period.start.astimezone(UTC)
    last = period.end.astimezone(UTC) - _MICROSECOND
    return min(max(instant, start), last)


@st.composite
def moments_in(draw: st.DrawFn, period: BillingPeriod) -> datetime:
    """An aware moment inside ``period``, in a random zone.

    Uniform over the period, or at one of its edges, or near a DST change
    inside it: most often one of the period's own zone, which moves where
    its days begin.
    """
    start = period.start.astimezone(UTC)
    end = period.end.astimezone(UTC)
    span = (end - start) // _MICROSECOND
    options = [
        st.integers(0, span - 1).map(lambda us: start + us * _MICROSECOND),
        st.sampled_from(
            [start, end - _MICROSECOND, start + span // 2 * _MICROSECOND]
        ),
    ]
    own = _own_dst_changes(period)
    other = tuple(t for t in _all_dst_changes() if start <= t < end)
    if own:
        options += [instants_near(own)] * 3
    if other:
        options.append(instants_near(other))
    instant = _clamp(draw(st.one_of(options)), period)
    return instant.astimezone(
        draw(st.sampled_from((period.start.tzinfo, *ZONES)))
    )


@st.composite
def changes_in(
    draw: st.DrawFn, period: BillingPeriod, *, overrides: bool = False
) -> PlanChange:
    """A change between two plans of one currency at a moment of ``period``.

    With ``overrides``, the change may also set its own credit and charge
    treatments.
    """
    currency = draw(currencies())
    treatments = st.none() | st.sampled_from(tuple(Treatment))
    return PlanChange(
        draw(plans(currency)),
        draw(plans(currency)),
        at=draw(moments_in(period)),
        credit=draw(treatments) if overrides else None,
        charge=draw(treatments) if overrides else None,
    )


@st.composite
def ordered_moments(
    draw: st.DrawFn, period: BillingPeriod, count: int
) -> list[datetime]:
    """``count`` moments inside ``period``, oldest first.

    Half the time, when the period holds a DST change of its own zone, all
    of them fall within an hour of that change, where a day can begin
    twice or not at all.
    """
    own = _own_dst_changes(period)
    cluster = draw(st.booleans())
    if own and cluster:
        at = draw(st.sampled_from(own))
        moments = [
            _clamp(at + draw(_seconds(-3600, 3600)), period).astimezone(
                draw(zones())
            )
            for _ in range(count)
        ]
    else:
        moments = [draw(moments_in(period)) for _ in range(count)]
    return sorted(moments, key=lambda moment: moment.astimezone(UTC))


def intervals(*, min_days: int = 1) -> st.SearchStrategy[Interval]:
    """Intervals of days, weeks, months and years; at least ``min_days``."""
    return st.one_of(
        st.builds(Interval.days, st.integers(min_days, 90)),
        st.builds(Interval.weeks, st.integers(1, 8)),
        st.builds(Interval.months, st.integers(1, 24)),
        st.builds(Interval.years, st.integers(1, 3)),
    )


@st.composite
def billing_cycles(
    draw: st.DrawFn,
    *,
    min_days: int = 1,
    interval: st.SearchStrategy[Interval] | None = None,
) -> BillingCycle:
    """An anchor (days 28 to 31 and month ends favoured) and an interval."""
    anchor = draw(aware_datetimes())
    if draw(st.booleans()):  # day 28 to 31, or (99) the month's last day
        days_in_month = monthrange(anchor.year, anchor.month)[1]
        day = draw(st.sampled_from((28, 29, 30, 31, 99, 99)))
        anchor = anchor.replace(day=min(day, days_in_month))
    step = intervals(min_days=min_days) if interval is None else interval
    return BillingCycle(anchor, draw(step))


@st.composite
def anchored_periods(draw: st.DrawFn, *, min_days: int = 2) -> BillingPeriod:
    """Period ``k`` of an anchored cycle, ``k`` a few steps either side.

    ``min_days`` bounds day intervals from below: a one-day period holds
    too few units for a proration to say much.
    """
    cycle = draw(billing_cycles(min_days=min_days))
    # Periods -1 and 0 end and start on the anchor, often a month end.
    near_anchor = st.sampled_from((-1, 0))
    return cycle.period(draw(near_anchor | near_anchor | st.integers(-2, 6)))


@st.composite
def dst_periods(draw: st.DrawFn, *, min_days: int = 2) -> BillingPeriod:
    """An anchored period that holds a DST change of its own zone.

    The anchor's wall-clock time is often one the change skips or repeats
    (the wall clock just before the change), so the period's days that
    start at it are 23, 24 or 25 hours long, or begin twice.
    """
    zone = draw(st.sampled_from(ZONES[1:]))
    change = draw(st.sampled_from(dst_changes(zone)))
    before = change - timedelta(days=draw(st.integers(0, 60)))
    just_before = st.sampled_from(_NEAR[:3]).map(
        lambda by: (change - by).astimezone(zone).time()
    )
    clock = draw(st.sampled_from(_TIMES) | just_before)
    anchor = datetime.combine(
        before.astimezone(zone).date(), clock, zone
    ).replace(fold=draw(st.integers(0, 1)))
    cycle = BillingCycle(anchor, draw(intervals(min_days=min_days)))
    return cycle.containing(change)


def periods(*, min_days: int = 2) -> st.SearchStrategy[BillingPeriod]:
    """Anchored periods, half of them holding a DST change."""
    return anchored_periods(min_days=min_days) | dst_periods(min_days=min_days)


def instants() -> st.SearchStrategy[datetime]:
    """Aware instants 1990 to 2060, often near a DST change."""
    return aware_datetimes() | st.builds(
        datetime.astimezone,
        instants_near(_all_dst_changes()),
        zones(),
    )


@st.composite
def policies(
    draw: st.DrawFn, bases: tuple[Basis, ...] = tuple(Basis)
) -> ProrationPolicy:
    """Every basis, rounding mode and stage; for day bases also the day
    counts that fit any period, who owns the change day, and months first.

    Left out on purpose: ``DayCount.FIXED_MONTH`` (whole-month periods only)
    and ``ChangeDay.BOTH`` (it bills the change day twice by design); both
    have tests of their own.
    """
    basis = draw(st.sampled_from(bases))
    options: dict[str, object] = {
        "basis": basis,
        "rounding": draw(st.sampled_from(tuple(RoundingMode))),
        "rounding_stage": draw(st.sampled_from(tuple(RoundingStage))),
    }
    if basis not in {Basis.SECONDS, Basis.MINUTES}:
        options["change_day"] = draw(
            st.sampled_from((ChangeDay.NEW_PLAN, ChangeDay.OLD_PLAN))
        )
        options["months_first"] = draw(st.booleans())
        if basis is not Basis.THIRTY_DAY_MONTH:
            options["day_count"] = draw(
                st.sampled_from((DayCount.ACTUAL, DayCount.THIRTY_360))
            )
    return ProrationPolicy(**options)  # type: ignore[arg-type]


# -- fuzzing ------------------------------------------------------------------


@st.composite
def loose_plans(draw: st.DrawFn) -> Plan:
    """Plans in a few currencies, at any price a Plan accepts."""
    currency = draw(st.sampled_from(["USD", "JPY", "KWD"]))
    price = draw(
        prices(currency)
        | st.sampled_from(range(151)).map(lambda n: Money(10**n - 1, currency))
        | st.sampled_from(range(110, 151)).map(lambda n: Money(7**n, currency))
        | st.decimals(min_value=0, allow_infinity=False, allow_nan=False).map(
            lambda d: Money(d, currency)
        )
    )
    return draw(plans(currency, price))


def numeric_texts() -> st.SearchStrategy[str]:
    """Strings that look like numbers, some of them not quite."""
    return st.from_regex(
        r"\A\s?[-+]?[0-9_]{0,150}(\.[0-9]{0,6})?([eE][-+]?[0-9]{1,3})?\s?\Z"
    ) | st.sampled_from(["NaN", "-Infinity", "sNaN", "1e3", "", " ", "-0"])


@st.composite
def spoiled(
    draw: st.DrawFn, fields: dict[str, st.SearchStrategy[Any]]
) -> dict[str, Any]:
    """Valid keyword arguments with up to two of them replaced by junk.

    Spoiling a few fields at a time reaches the checks that run after the
    first ones pass; all-junk arguments would stop at the first check.
    """
    bad = draw(st.sets(st.sampled_from(sorted(fields)), max_size=2))
    return {
        name: draw(junk() if name in bad else strategy)
        for name, strategy in fields.items()
    }


def junk() -> st.SearchStrategy[Any]:
    """Anything a careless caller might pass: floats, naive datetimes..."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=12),
        numeric_texts(),
        st.decimals(),
        st.fractions(),
        st.datetimes(
            datetime.combine(FIRST_DAY, time()),
            datetime.combine(LAST_DAY, time()),
        ),
        aware_datetimes(),
        st.dates(FIRST_DAY, LAST_DAY),
        st.timedeltas(),
        st.binary(max_size=4),
        st.lists(st.integers(), max_size=3),
        st.sampled_from(CURRENCIES),
        st.sampled_from([*Basis, *RoundingMode, *RoundingStage]),
        money(),
        st.just(object()),
    )


# -- plans and subscriptions of the billing properties ------------------------

monthly_plans: Final = st.builds(
    lambda cents, rank: Plan(id=f"m{rank}", price=usd_cents(cents), rank=rank),
    st.integers(0, 100_000),
    st.integers(0, 5),
)

usd_prices: Final = st.integers(0, 100_000).map(
    lambda c: Money.from_minor_units(c, "USD")
)

november_moments: Final = st.integers(0, 30 * 86_400 - 1).map(
    lambda s: NOVEMBER.start + timedelta(seconds=s)
)

time_bases: Final = st.sampled_from([Basis.SECONDS, Basis.MINUTES, Basis.DAYS])


@st.composite
def metered_plans(draw: st.DrawFn) -> list[Plan]:
    """Three to five metered plans with random prices and allowances."""
    count = draw(st.integers(3, 5))
    return [
        Plan(
            id=f"p{i}",
            price=usd_cents(draw(st.integers(0, 100_000))),
            rank=i,
            allowances=(
                UsageAllowance(
                    metric="visits",
                    included=draw(st.integers(0, 50_000)),
                    overage_price=usd_cents(draw(st.integers(0, 500))),
                    per=draw(st.sampled_from([1, 10, 1_000])),
                ),
            ),
        )
        for i in range(count)
    ]


billing_policies: Final = st.builds(
    BillingPolicy,
    proration=st.builds(ProrationPolicy, basis=st.sampled_from(list(Basis))),
    timing=st.sampled_from(list(BillingTiming)),
    charge_now_above=st.none() | st.integers(0, 20_000).map(usd_cents),
    charge_billing=st.sampled_from(list(ChangeBilling)),
    credit_billing=st.sampled_from(list(ChangeBilling)),
    credits=st.sampled_from(list(CreditHandling)),
    calculation_lead=st.sampled_from(
        [timedelta(0), timedelta(days=3), timedelta(hours=5)]
    ),
)


@dataclass
class Story:
    """Everything a simulated subscription billed."""

    invoices: list[Invoice] = field(default_factory=list)
    nets: list[Money] = field(default_factory=list)
    final: Subscription | None = None


_STORY_START: Final = datetime(2024, 1, 31, 9, 30, tzinfo=UTC)  # a month end


@st.composite
def stories(draw: st.DrawFn) -> Story:
    """Simulate 1-4 periods of changes, usage and bills."""
    catalog = draw(metered_plans())
    policy = draw(billing_policies)
    sub, signup = Subscription.start(
        draw(st.sampled_from(catalog)), _STORY_START, policy=policy
    )
    story = Story()
    if signup is not None:
        story.invoices.append(signup)
    for _ in range(draw(st.integers(1, 4))):
        period = sub.period
        seconds = period.seconds
        events = sorted(
            draw(st.lists(st.integers(0, seconds - 1), max_size=4))
        )
        for offset in events:
            at = period.start + timedelta(seconds=offset)
            if draw(st.booleans()):
                sub = sub.record_usage(
                    "visits", draw(st.integers(0, 80_000)), at
                )
            else:
                sub, outcome = sub.change_plan(
                    draw(st.sampled_from(catalog)), at
                )
                story.nets.append(
                    sum((x.amount for x in outcome.lines), usd_cents(0))
                )
                if outcome.invoice is not None:
                    story.invoices.append(outcome.invoice)
        sub, invoice = sub.bill()
        story.invoices.append(invoice)
    story.final = sub
    return story


_JUNE_1: Final = datetime(2024, 6, 1, tzinfo=UTC)
_SECONDS_IN_JUNE: Final = 30 * 86_400
_MONTHLY: Final = ("starter", "pro", "business-1", "business-2")
_CATALOG: Final = builtin_catalog()
_POLICIES: Final = (
    BillingPolicy(),
    *presets.STRIPE_BEHAVIORS.values(),
    *presets.PADDLE_MODES.values(),
    BillingPolicy(
        proration=presets.HOSTING_PAGE, charge_now_above=Money("100", "USD")
    ),
    BillingPolicy(
        allowance=AllowanceProration.PRORATED,
        overage=OverageBilling.PRO_RATA,
        timing=BillingTiming.IN_ARREARS,
        calculation_lead=timedelta(days=3),
    ),
)


@st.composite
def usage_records(draw: st.DrawFn) -> list[Record]:
    """One to five records of visits at moments of June 2024."""
    return [
        (
            "visits",
            draw(st.integers(0, 200_000)),
            _JUNE_1
            + timedelta(seconds=draw(st.integers(0, _SECONDS_IN_JUNE - 1))),
        )
        for _ in range(draw(st.integers(1, 5)))
    ]


def started(data: st.DataObject) -> Subscription:
    """A subscription to a monthly plan of the built-in catalog from 1 June
    2024, under one of a few billing policies."""
    sub, _ = Subscription.start(
        _CATALOG[data.draw(st.sampled_from(_MONTHLY))],
        _JUNE_1,
        policy=data.draw(st.sampled_from(_POLICIES)),
    )
    return sub
