"""Proration policies: the named conventions a proration follows."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import TYPE_CHECKING, Final, Literal, TypeAlias, final

from prorata._display import displayed, fitted
from prorata._rounding import RoundingMode, RoundingModeName
from prorata.errors import InvalidPolicyError

__all__ = [
    "DEFAULT_POLICY",
    "AnchorReset",
    "AnchorResetName",
    "Basis",
    "BasisName",
    "ChangeDay",
    "ChangeDayName",
    "CreditBasis",
    "CreditBasisName",
    "DayCount",
    "DayCountName",
    "ProrationPolicy",
    "RoundingStage",
    "RoundingStageName",
    "Treatment",
    "TreatmentName",
    "coerce_options",
]


def coerce_options(
    owner: object, options: tuple[tuple[str, type[StrEnum]], ...]
) -> None:
    """Turn each named option of a frozen ``owner`` into its enum member.

    Raises:
        InvalidPolicyError: A value that is not one of its enum's values.
    """
    for name, kind in options:
        value = getattr(owner, name)
        try:
            member = kind(value)
        except ValueError:
            raise InvalidPolicyError(
                name, value, [item.value for item in kind]
            ) from None
        object.__setattr__(owner, name, member)


class Basis(StrEnum):
    """How time is measured when a price is split over part of a period.

    Every basis measures a position from the period's start in whole units;
    the share of a stretch of time is its units over the period's units,
    always the whole period, never the window that is left.
    """

    SECONDS = "seconds"
    """Whole seconds over the period's seconds: "prorated down to the second"
    (hosting page, ``002_440c7b3f4171c8ae.txt``; Stripe's default). A change
    moment is floored to its second. The library's default."""

    MINUTES = "minutes"
    """Whole clock minutes over the period's: the period's start, its end
    and a change moment are each cut to their minute (UTC), as Paddle
    counts "to the minute" (a change at 11:25:12 of a period from 11:21:38
    is 4 minutes in; Paddle's PHP SDK fixtures, rate 0.99991 of 44,640)."""

    DAYS = "days"
    """Whole days over the period's actual days (28 to 31 for a month). Days
    run from the wall-clock time of the period's start in its time zone; the
    day of a change goes to the new plan."""

    THIRTY_DAY_MONTH = "thirty-day-month"
    """Days counted 30/360 by calendar date (``DayCount.THIRTY_360``): a
    monthly period has 30 days, as the hosting page's worked examples assume
    ("in a 30 day month"); each month boundary crossed counts 30 days and
    days within a month count as they are, so the 31st counts nothing and
    the last day of February counts what is left of the 30."""

    DAILY_RATE = "daily-rate"
    """A daily rate, price / days in the period rounded to the minor unit,
    times whole days: the hosting page's "$1.17 per day" and "$33.93 for 29
    days". It rounds the rate first, so it can differ from ``DAYS`` by a few
    cents; that is the convention, not an error."""


#: The values of :class:`Basis`, which ``ProrationPolicy(basis=...)``
#: accepts as plain strings; ``tests/test_api.py`` keeps them the same.
BasisName: TypeAlias = Literal[
    "seconds", "minutes", "days", "thirty-day-month", "daily-rate"
]


class DayCount(StrEnum):
    """How the day bases count days (``Basis.DAYS``, ``Basis.DAILY_RATE``).

    Named after Zuora's "days in month" rules, which span what the other
    platforms do.
    """

    ACTUAL = "actual"
    """Actual days over the period's actual days (actual/actual): Kill Bill,
    Lago, Zuora "Use actual number of days". The default."""

    THIRTY_360 = "30/360"
    """Both counted 30/360 by calendar date: each month boundary crossed
    counts ``month_days`` (30) days and days within a month count as they
    are, so the 31st counts nothing and Feb 28 -> Mar 1 counts 3 (Zuora
    "Assume 30 days - Strict 30/360"; Kill Bill's ``fixed.days`` = N with
    ``month_days=N``). A whole-month period must count ``month_days`` a
    month: one anchored on the 29th to 31st next to a shorter month is
    refused. What ``Basis.THIRTY_DAY_MONTH`` means."""

    FIXED_MONTH = "fixed-month"
    """Actual days over a fixed number of days per month (``month_days``,
    30 by default): Zuora "Assume 30 days - Actual/360". A 31-day month then
    holds 31/30 of the price; periods must be whole months."""


#: The values of :class:`DayCount`, accepted as plain strings.
DayCountName: TypeAlias = Literal["actual", "30/360", "fixed-month"]


class ChangeDay(StrEnum):
    """Which plan a day-based count gives the day a change happens on.

    It matters only for a change in the middle of a day: a change at the
    start of a day leaves the whole day to the new plan under any option.
    """

    NEW_PLAN = "new-plan"
    """The new plan: the old plan is credited for the change day (Lago,
    "the day of the change belongs to the new plan"). The default."""

    OLD_PLAN = "old-plan"
    """The old plan: it is not credited for the change day, and the new
    plan is charged from the next day (Chargebee's day mode counts "the day
    of change as used")."""

    BOTH = "both"
    """Both plans: inclusive day counting, every stretch holding the day it
    starts and the day it ends. The change day is in the old plan's used
    time and in the time after the change, so the old plan is credited and
    the new one charged for it as under ``NEW_PLAN`` (a same-plan change
    nets zero), and the old plan's used time counts it too: billed in
    arrears, the change day is billed on both plans. Offered to reconcile
    with systems that count days inclusively."""


#: The values of :class:`ChangeDay`, accepted as plain strings.
ChangeDayName: TypeAlias = Literal["new-plan", "old-plan", "both"]


class Treatment(StrEnum):
    """How a credit or a charge of a change is computed."""

    PRORATED = "prorated"
    """For the time that is left in the period. The default."""
    FULL = "full"
    """For the whole period, whatever is left (Paddle's ``full_*`` modes;
    equal to prorated at the period's start)."""
    NONE = "none"
    """Nothing (Stripe's ``proration_behavior=none`` credits nothing and
    charges the new price only from the next period)."""


#: The values of :class:`Treatment` (``credit`` and ``charge``), accepted as
#: plain strings.
TreatmentName: TypeAlias = Literal["prorated", "full", "none"]


class CreditBasis(StrEnum):
    """What a credit for unused time is a share of."""

    LIST_PRICE = "list-price"
    """The old plan's price for the whole period, prorated. The default;
    Stripe classic, Zuora and Polar do this."""

    PAID = "paid"
    """What was actually billed for the old plan's time from when it came
    into force: after a second change in one period the credit is a share
    of what the first change charged, never more than was paid and never
    the last incremental charge alone (Stripe's flexible billing mode)."""


#: The values of :class:`CreditBasis`, accepted as plain strings.
CreditBasisName: TypeAlias = Literal["list-price", "paid"]


class RoundingStage(StrEnum):
    """Where the one rounding to minor units happens."""

    LINE = "line"
    """Round each line, then add the rounded lines: the hosting page's
    -$19.84 is $19.83 - $39.67, not -$19.8333 rounded. The default."""

    NET = "net"
    """Keep lines exact and round only the net; the lines still show their
    own rounded amounts, which may then differ from the net by a cent."""


#: The values of :class:`RoundingStage`, accepted as plain strings.
RoundingStageName: TypeAlias = Literal["line", "net"]


class AnchorReset(StrEnum):
    """Which plan changes restart the billing cycle at the change.

    A restarted cycle closes the old plan and charges the new one for its
    own first period from the change. A change that does not restart it
    but moves to another interval keeps the billing day: the new plan is
    charged from the change to the next billing date of its own interval,
    over its period that holds the change, counted from the cycle's anchor.
    """

    INTERVAL_OR_YEARLY = "interval-or-yearly"
    """A change of interval, or to, from or between yearly plans (the
    hosting page: "your monthly plan will be closed and a new annual plan
    opened"). The default."""

    INTERVAL = "interval"
    """A change of interval only; a change between two yearly plans is
    prorated over the current year (Stripe: a change to a price of another
    interval resets the billing cycle anchor, one of the same interval
    keeps the billing date; docs.stripe.com/billing/subscriptions/
    billing-cycle)."""

    NEVER = "never"
    """No change: the anchor stays, its month too, and a new interval is
    billed to it (Lago, whose new plan inherits the subscription's
    anniversary: a yearly plan taken on 28 September of a subscription
    from 29 June is billed 275 of the 366 days to 29 June)."""
    BILLING_DAY = "billing-day"
    """No change, but only the day of the month stays: a plan of several
    months opens on that day in the change's month, pushed on by whole
    intervals to the first on or after the change, and is billed from the
    change to it over the interval that ends there (Kill Bill's account
    billing-cycle day: an annual plan taken on 15 March of a subscription
    billed on the 1st runs to 1 March of the next year, 352/366; beatrix
    TestIntegrationWithDifferentBillingPeriods, testChangeAnnualToAnnual,
    testChangeOfPlan). A monthly plan keeps its periods. A plan counted in
    weeks or days has no billing day: it opens at the change, the trial's
    end or the resume, and the day of the month stays for a later monthly
    plan (Kill Bill BillingIntervalDetail; its ACCOUNT alignment, the
    default of DefaultPlanRules.getBillingAlignment)."""
    INTERVAL_OR_FROM_FREE = "interval-or-from-free"
    """A change of interval, or from a free plan to a paid one (Stripe's
    classic mode: the billing date changes when "The billing interval is
    changed", when "The subscription moves from free to paid", and then
    "we apply a credit for the unused time on the previous price,
    immediately charge the customer using the new price, and reset the
    billing date"; docs.stripe.com/api/subscriptions/update,
    ``billing_cycle_anchor``; the flexible mode keeps it,
    docs.stripe.com/billing/subscriptions/billing-mode/compare)."""


#: The values of :class:`AnchorReset`, accepted as plain strings.
AnchorResetName: TypeAlias = Literal[
    "interval-or-yearly",
    "interval",
    "never",
    "billing-day",
    "interval-or-from-free",
]


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class ProrationPolicy:
    """The conventions one proration follows; every option has a default.

    Args:
        basis: How time is measured (:class:`Basis`); seconds by default.
        day_count: How a day basis counts days (:class:`DayCount`).
        month_days: The days in a month under ``DayCount.FIXED_MONTH`` and
            ``DayCount.THIRTY_360`` (Kill Bill's ``fixed.days``); 30 by
            default. Any other day count refuses a value but 30.
        change_day: Which plan gets the day of a change (:class:`ChangeDay`).
        months_first: For periods of several months, count whole months
            first and only the leftover days by the day count (Zuora's
            "prorate by month first"): a quarter is 3 months, and 1 month
            and 14 of January's 31 days is 1 + 14/31 of a month.
        credit: How the old plan's unused time is credited
            (:class:`Treatment`); prorated by default.
        charge: How the new plan's remaining time is charged; prorated.
        credit_basis: Credit a share of the list price (default) or of what
            was paid (:class:`CreditBasis`).
        rounding: The :class:`~prorata.RoundingMode`; half-up by default.
        rounding_stage: Round each line or only the net
            (:class:`RoundingStage`); each line by default.
        share_places: Round the share of the period priced to this many
            decimal places (half up) before it prices, as a platform that
            states its proration rate does (Paddle's ``proration.rate``,
            5 places); ``None``, the default: the exact share.
        anchor_reset: Which changes restart the billing cycle
            (:class:`AnchorReset`); a change of interval or of a yearly
            plan by default.

    Raises:
        InvalidPolicyError: An option outside its values, or a day option
            with a basis that does not count days.

    >>> ProrationPolicy(basis="days")
    ProrationPolicy(basis='days')
    """

    basis: Basis = Basis.SECONDS
    day_count: DayCount = DayCount.ACTUAL
    month_days: int = 30
    change_day: ChangeDay = ChangeDay.NEW_PLAN
    months_first: bool = False
    credit: Treatment = Treatment.PRORATED
    charge: Treatment = Treatment.PRORATED
    credit_basis: CreditBasis = CreditBasis.LIST_PRICE
    rounding: RoundingMode = RoundingMode.HALF_UP
    rounding_stage: RoundingStage = RoundingStage.LINE
    share_places: int | None = None
    anchor_reset: AnchorReset = AnchorReset.INTERVAL_OR_YEARLY
    _lines_alone: bool = field(init=False, repr=False, compare=False)
    """Whether every line is a whole-unit ratio rounded on its own: credit
    on the list price, rounding per line, no daily rate, no months first,
    no stated share (set from the options, not an argument)."""

    if TYPE_CHECKING:
        # What type checkers see instead of the generated __init__: each
        # option also as its plain string (``basis="days"``), while the
        # fields stay typed as the enums __post_init__ turns the strings
        # into, so ``policy.basis`` reads as a Basis. mypy's dataclass
        # plugin keeps an __init__ the class declares; at run time this
        # one does not exist and dataclass generates the real one. Typing
        # the fields ``Basis | BasisName`` would make every reader handle
        # a string, and stdlib dataclasses have no field converters (those
        # need a dataclass_transform decorator of our own). Keep the names,
        # order and defaults the fields' (tests/test_api.py checks them).
        def __init__(
            self,
            *,
            basis: Basis | BasisName = Basis.SECONDS,
            day_count: DayCount | DayCountName = DayCount.ACTUAL,
            month_days: int = 30,
            change_day: ChangeDay | ChangeDayName = ChangeDay.NEW_PLAN,
            months_first: bool = False,
            credit: Treatment | TreatmentName = Treatment.PRORATED,
            charge: Treatment | TreatmentName = Treatment.PRORATED,
            credit_basis: CreditBasis | CreditBasisName = (
                CreditBasis.LIST_PRICE
            ),
            rounding: RoundingMode | RoundingModeName = RoundingMode.HALF_UP,
            rounding_stage: RoundingStage | RoundingStageName = (
                RoundingStage.LINE
            ),
            share_places: int | None = None,
            anchor_reset: AnchorReset | AnchorResetName = (
                AnchorReset.INTERVAL_OR_YEARLY
            ),
        ) -> None:
            """Build a policy from enum members or their strings."""

    def __repr__(self) -> str:
        """Show the options that differ from their defaults, evaluably."""
        shown = [
            f"{item.name}={_plain(getattr(self, item.name))!r}"
            for item in fields(self)
            if item.init and getattr(self, item.name) != item.default
        ]
        return fitted(self, f"ProrationPolicy({', '.join(shown)})")

    def __post_init__(self) -> None:
        """Turn option strings into their enum members, or refuse them."""
        coerce_options(
            self,
            (
                ("basis", Basis),
                ("day_count", DayCount),
                ("change_day", ChangeDay),
                ("credit", Treatment),
                ("charge", Treatment),
                ("credit_basis", CreditBasis),
                ("rounding", RoundingMode),
                ("rounding_stage", RoundingStage),
                ("anchor_reset", AnchorReset),
            ),
        )
        days = self.month_days
        if isinstance(days, bool) or not isinstance(days, int):
            raise InvalidPolicyError("month_days", days, ["an int, 28 to 31"])
        if not 28 <= days <= 31:  # noqa: PLR2004
            raise InvalidPolicyError(
                "month_days", days, ["28", "29", "30", "31"]
            )
        if not isinstance(self.months_first, bool):
            raise InvalidPolicyError(
                "months_first", self.months_first, ["True", "False"]
            )
        self._check_share_places()
        object.__setattr__(
            self,
            "_lines_alone",
            self.credit_basis is CreditBasis.LIST_PRICE
            and self.rounding_stage is RoundingStage.LINE
            and self.basis is not Basis.DAILY_RATE
            and self.share_places is None
            and not self.months_first,
        )
        day_options = (
            self.months_first
            or self.day_count is not DayCount.ACTUAL
            or self.change_day is not ChangeDay.NEW_PLAN
            or days != 30  # noqa: PLR2004
        )
        if day_options and not self.counts_days:
            raise InvalidPolicyError(
                "basis",
                self.basis,
                [b.value for b in Basis if b not in _TIME_BASES],
            )
        if days != 30 and self.effective_day_count is DayCount.ACTUAL:  # noqa: PLR2004
            raise InvalidPolicyError(
                "day_count", self.day_count, ["30/360", "fixed-month"]
            )
        if self.basis is Basis.THIRTY_DAY_MONTH and self.day_count not in {
            DayCount.ACTUAL,
            DayCount.THIRTY_360,
        }:
            raise InvalidPolicyError(
                "day_count", self.day_count, ["actual", "30/360"]
            )

    def _check_share_places(self) -> None:
        places = self.share_places
        if places is None:
            return
        if (
            isinstance(places, bool)
            or not isinstance(places, int)
            or not 1 <= places <= _MOST_PLACES
        ):
            raise InvalidPolicyError(
                "share_places",
                places,
                ["None", f"an int, 1 to {_MOST_PLACES}"],
            )
        if self.basis is Basis.DAILY_RATE:
            raise InvalidPolicyError(
                "share_places",
                places,
                ["None (the daily-rate basis rounds the day's price instead)"],
            )

    @property
    def counts_days(self) -> bool:
        """Whether the basis counts whole days."""
        return self.basis not in _TIME_BASES

    @property
    def effective_day_count(self) -> DayCount:
        """The day count in force: 30/360 for ``Basis.THIRTY_DAY_MONTH``."""
        if self.basis is Basis.THIRTY_DAY_MONTH:
            return DayCount.THIRTY_360
        return self.day_count

    def describe(self) -> str:
        """Return a short human description of the policy.

        >>> DEFAULT_POLICY.describe()
        'basis seconds, half-up rounding per line'
        """
        stage = (
            "per line"
            if self.rounding_stage is RoundingStage.LINE
            else "of the net"
        )
        text = f"basis {self.basis}, {self.rounding} rounding {stage}"
        extras = [
            f"{item.name.replace('_', ' ')} {_plain(getattr(self, item.name))}"
            for item in fields(self)
            if item.init
            and item.name not in {"basis", "rounding", "rounding_stage"}
            and getattr(self, item.name) != item.default
        ]
        return ", ".join([text, *extras])


def _plain(value: object) -> object:
    """An option as its plain value: ``'days'`` rather than the member."""
    return value.value if isinstance(value, StrEnum) else value


_TIME_BASES: Final = frozenset({Basis.SECONDS, Basis.MINUTES})
_MOST_PLACES: Final = 12

DEFAULT_POLICY: Final = ProrationPolicy()
"""Seconds basis, half-up rounding of each line."""
