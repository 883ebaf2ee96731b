"""The exceptions prorata raises, all rooted at :class:`ProrataError`.

Every error says what was wrong (with the offending value) and what to do
instead. Each leaf also derives from the builtin exception it refines, so
``except ValueError`` keeps working for callers who do not know prorata.

>>> from prorata import Money, ProrataError
>>> try:
...     Money(0.1, "USD")
... except ProrataError as error:
...     print(error)
amount 0.1 is a float, which cannot hold cents exactly; pass a str such as \
'0.1', an int or a decimal.Decimal instead
"""

from __future__ import annotations

from datetime import date
from typing import Final

__all__ = [
    "AlreadyCancelledError",
    "AnchorError",
    "ArgumentTypeError",
    "BackdatingError",
    "BilledMomentError",
    "BillingLimitError",
    "CatalogError",
    "ChangeOrderError",
    "ChangeRefusedError",
    "CurrencyMismatchError",
    "DatetimeRangeError",
    "DiscountTermError",
    "FloatAmountError",
    "InvalidAmountError",
    "InvalidDateError",
    "InvalidFormatError",
    "InvalidIntervalError",
    "InvalidPeriodError",
    "InvalidPlanError",
    "InvalidPolicyError",
    "InvalidTaxError",
    "InvalidWeightsError",
    "MissingDependencyError",
    "NaiveDatetimeError",
    "NothingPendingError",
    "OutsidePeriodError",
    "PauseError",
    "PendingChangeError",
    "PeriodTooShortError",
    "ProrataError",
    "SerializationError",
    "SubscriptionEndedError",
    "TrialError",
    "UnknownCurrencyError",
    "UnknownMetricError",
    "UnknownPlanError",
]


_LONGEST: Final = 120


def shown(value: object) -> str:
    """Show a bad value by its repr, abbreviated and never failing.

    A message must render whatever the value: the repr of an int of over
    4,300 digits raises ValueError, and a string of a million characters
    would drown the message.
    """
    if isinstance(value, int) and value.bit_length() > _LONGEST * 3:
        digits = int(value.bit_length() * 0.30103) + 1
        return f"<{type(value).__name__} of about {digits:,} digits>"
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - any repr may fail; the message may not
        return f"<{type(value).__name__} that cannot be shown>"
    if len(text) > _LONGEST:
        return f"{text[: _LONGEST - 20]}...{text[-16:]} ({len(text):,} chars)"
    return text


def _show(value: object) -> str:
    """Show a bad value: dates in ISO 8601, anything else by its repr."""
    if isinstance(value, date):
        return value.isoformat()
    return shown(value)


class ProrataError(Exception):
    """The root of every error prorata raises on purpose.

    Catch this to handle any bad input or refused operation in one place.
    """


class ArgumentTypeError(ProrataError, TypeError):
    """An argument of the wrong type, e.g. a dict where a Plan belongs."""

    def __init__(self, name: str, value: object, expected: str) -> None:
        """Build the message from the argument, its value and the type."""
        super().__init__(
            f"{name} {shown(value)} is a {type(value).__name__}; "
            f"pass {expected}"
        )
        self.value = value


class FloatAmountError(ProrataError, TypeError):
    """A ``float`` was given where an exact amount is needed."""

    def __init__(self, value: float) -> None:
        """Build the message from the offending float."""
        super().__init__(
            f"amount {shown(value)} is a float, which cannot hold cents "
            f"exactly; pass a str such as '{shown(value)}', an int or a "
            "decimal.Decimal instead"
        )
        self.value = value


class InvalidAmountError(ProrataError, ValueError):
    """An amount that is not a finite decimal number."""

    def __init__(self, value: object, why: str) -> None:
        """Build the message from the offending value and the reason."""
        super().__init__(
            f"amount {shown(value)} is not usable: {why}; pass a finite "
            "decimal number as a str, an int or a decimal.Decimal"
        )
        self.value = value


class InvalidFormatError(ProrataError, ValueError):
    """A format spec that an amount cannot be written with."""

    def __init__(self, spec: str) -> None:
        """Build the message from the spec."""
        super().__init__(
            f"format spec {shown(spec)} is not usable for an amount; pass "
            '"" (as str), "local" (the home notation) or a Decimal spec '
            'such as ".2f" or ",.2f"'
        )
        self.spec = spec


class MissingDependencyError(ProrataError, ImportError):
    """An optional package a function needs is not installed."""

    def __init__(self, package: str, needed_by: str, extra: str) -> None:
        """Build the message from the package, its user and the extra."""
        super().__init__(
            f"{needed_by} needs {package}, which is not installed; install "
            f"it with pip install 'prorata[{extra}]'"
        )
        self.package = package


class InvalidWeightsError(ProrataError, ValueError):
    """Weights that cannot split an amount."""

    def __init__(self, weights: object, why: str) -> None:
        """Build the message from the weights and the reason."""
        super().__init__(
            f"cannot allocate by weights {shown(weights)}: {why}; pass "
            "non-negative ints, Decimals or Fractions with a positive sum"
        )
        self.weights = weights


class UnknownCurrencyError(ProrataError, ValueError):
    """A currency code that is not an active ISO 4217 code."""

    def __init__(self, code: object) -> None:
        """Build the message from the offending code."""
        super().__init__(
            f"currency {shown(code)} is not an active ISO 4217 code with a "
            "minor unit; use a three-letter code such as 'USD', 'EUR' or "
            "'JPY'"
        )
        self.code = code


class CurrencyMismatchError(ProrataError, ValueError):
    """Two amounts in different currencies were combined."""

    def __init__(self, left: str, right: str, operation: str) -> None:
        """Build the message from both currencies and the operation."""
        super().__init__(
            f"cannot {operation} {left} and {right}: amounts must share one "
            "currency; convert one side first or keep them apart"
        )
        self.currencies = (left, right)


class NaiveDatetimeError(ProrataError, ValueError):
    """A datetime without a time zone was given."""

    def __init__(self, name: str, value: object) -> None:
        """Build the message from the argument's name and value."""
        super().__init__(
            f"{name} {_show(value)} has no time zone; pass an aware datetime, "
            "e.g. datetime(2024, 6, 1, tzinfo=UTC) or with a ZoneInfo"
        )
        self.value = value


class DatetimeRangeError(ProrataError, ValueError):
    """A datetime too near the limits of ``datetime`` to compute with."""

    def __init__(self, name: str, value: object) -> None:
        """Build the message from the argument's name and value."""
        super().__init__(
            f"{name} {_show(value)} has no UTC equivalent within the range "
            "of datetime; pass a moment between the years 2 and 9998"
        )
        self.value = value


class InvalidDateError(ProrataError, ValueError):
    """A date or moment written in a form prorata cannot read."""

    def __init__(self, name: str, text: str) -> None:
        """Build the message from the argument's name and text."""
        super().__init__(
            f"{name} {shown(text)} is not an ISO 8601 date or moment; write "
            "e.g. 2024-06-11 or 2024-06-11T15:30:00+02:00"
        )
        self.text = text


class InvalidPeriodError(ProrataError, ValueError):
    """A billing period whose end is not after its start."""

    def __init__(self, start: object, end: object) -> None:
        """Build the message from both bounds."""
        super().__init__(
            f"period end {_show(end)} is not after its start {_show(start)}; "
            "pass an end after the start (a period is [start, end)), or use "
            "BillingPeriod.of_days"
        )
        self.start = start
        self.end = end


class PeriodTooShortError(ProrataError, ValueError):
    """A period that holds no whole unit of the policy's time basis."""

    def __init__(
        self,
        start: object,
        end: object,
        basis: object,
        *,
        why: str | None = None,
        advice: str | None = None,
    ) -> None:
        """Build the message from the period, the basis and the reason."""
        if why is None:
            why = f"holds no whole unit under the {basis} basis"
        if advice is None:
            advice = "use the seconds basis or a period of at least one day"
        super().__init__(
            f"period [{_show(start)}, {_show(end)}) {why}, so no share of "
            f"it can be priced; {advice}"
        )
        self.start = start
        self.end = end


class InvalidIntervalError(ProrataError, ValueError):
    """An interval that is not a positive count of a known unit."""

    def __init__(self, value: object, why: str) -> None:
        """Build the message from the offending value and the reason."""
        super().__init__(
            f"interval {shown(value)} is not usable: {why}; use e.g. "
            "Interval.months(1), Interval.days(30) or Interval.years(1)"
        )
        self.value = value


class OutsidePeriodError(ProrataError, ValueError):
    """A moment that does not fall inside the billing period it needs."""

    def __init__(
        self, what: str, at: object, start: object, end: object
    ) -> None:
        """Build the message from the moment and the period bounds."""
        super().__init__(
            f"{what} {_show(at)} is outside the billing period "
            f"[{_show(start)}, {_show(end)}); pass the period that contains "
            "it (see BillingPeriod.containing)"
        )
        self.at = at


class InvalidPolicyError(ProrataError, ValueError):
    """A policy option that is not one of its allowed values."""

    def __init__(self, option: str, value: object, allowed: list[str]) -> None:
        """Build the message from the option, its value and the choices."""
        super().__init__(
            f"policy option {option} = {shown(value)} is not allowed; choose "
            f"one of {', '.join(allowed)}"
        )
        self.option = option
        self.value = value


class InvalidPlanError(ProrataError, ValueError):
    """A plan whose fields cannot describe a price."""

    def __init__(
        self, plan_id: str, field: str, value: object, why: str
    ) -> None:
        """Build the message from the plan, the field and the reason."""
        super().__init__(
            f"plan {shown(plan_id)}: {field} {shown(value)} {why}"
        )
        self.plan_id = plan_id
        self.field = field


class ChangeRefusedError(ProrataError, ValueError):
    """A plan change that cannot be made self-serve.

    ``reason`` is a stable code (a :class:`~prorata.RefusalReason` value) a
    caller can branch on; the message says what to do instead.
    """

    def __init__(self, reason: str, message: str) -> None:
        """Keep the reason code; the message is the decision's own."""
        super().__init__(message)
        self.reason = reason


class CatalogError(ProrataError, ValueError):
    """A plan catalog that cannot be read, naming the file, plan and field."""

    def __init__(
        self, source: str, plan: str | None, field: str | None, why: str
    ) -> None:
        """Build the message from where the problem is and what it is."""
        where = source
        if plan is not None:
            where += f": plan {shown(plan)}"
        if field is not None:
            where += f", field {shown(field)}"
        super().__init__(f"{where}: {why}")
        self.source = source
        self.plan = plan
        self.field = field


class UnknownPlanError(ProrataError, KeyError):
    """A plan id that the catalog does not have."""

    def __init__(self, plan_id: str, source: str, known: list[str]) -> None:
        """Build the message from the id and the ids the catalog has."""
        super().__init__(
            f"plan {shown(plan_id)} is not in {source}; choose one of "
            f"{', '.join(known)}"
        )
        self.plan_id = plan_id

    def __str__(self) -> str:
        """The message itself (KeyError would quote it)."""
        return str(self.args[0])


class SerializationError(ProrataError, ValueError):
    """Data that does not describe the model it should be read as."""

    def __init__(self, where: str, value: object, expected: str) -> None:
        """Build the message from the field's path and what it should be."""
        super().__init__(
            f"{where} = {shown(value)} cannot be read back: expected "
            f"{expected}; pass data written by prorata.to_dict"
        )
        self.where = where


class ChangeOrderError(ProrataError, ValueError):
    """Plan changes that do not form one timeline."""

    def __init__(self, index: int, why: str) -> None:
        """Build the message from the change's position and the reason."""
        super().__init__(f"change #{index + 1}: {why}")
        self.index = index


class UnknownMetricError(ProrataError, ValueError):
    """Usage of a metric that no plan of the subscription counts."""

    def __init__(self, metric: str, plan_id: str, known: list[str]) -> None:
        """Build the message from the metric and the metrics known."""
        listed = ", ".join(known) if known else "none"
        super().__init__(
            f"usage metric {metric!r} is neither metered nor a lifetime "
            f"allowance of plan {plan_id!r}, so no invoice would bill it; "
            f"the subscription knows {listed}; fix the metric's name, or "
            "pass unmetered=True to record it unbilled"
        )
        self.metric = metric
        self.plan_id = plan_id
        self.known = known


class SubscriptionEndedError(ProrataError, ValueError):
    """A transition asked of a subscription that has ended, or is ending."""

    def __init__(self, what: str, ends_at: object, fix: str) -> None:
        """Build the message from what was asked, the end, and the fix."""
        super().__init__(
            f"cannot {what}: the subscription ends at {_show(ends_at)}; {fix}"
        )
        self.ends_at = ends_at


class AlreadyCancelledError(ProrataError, ValueError):
    """A cancellation asked of a subscription already cancelled."""

    def __init__(self, ends_at: object) -> None:
        """Build the message from the end already set."""
        super().__init__(
            f"the subscription is already cancelled, to end at "
            f"{_show(ends_at)}; call withdraw_cancellation() first to "
            "cancel it differently"
        )
        self.ends_at = ends_at


class NothingPendingError(ProrataError, ValueError):
    """A withdrawal of a scheduled change or cancellation that is not there."""

    def __init__(self, what: str) -> None:
        """Build the message from what was to be withdrawn."""
        super().__init__(
            f"there is no {what} to withdraw; check pending_change and "
            "ends_at before withdrawing"
        )


class BilledMomentError(ProrataError, ValueError):
    """A moment before what a subscription has already billed."""

    def __init__(self, what: str, at: object, billed_to: object) -> None:
        """Build the message from the moment and how far it is billed."""
        super().__init__(
            f"{what} {_show(at)} is before {_show(billed_to)}, which the "
            f"subscription has already billed; date it at or after "
            f"{_show(billed_to)}"
        )
        self.at = at


class PendingChangeError(ProrataError, ValueError):
    """A moment at or after a scheduled change that has not been made."""

    def __init__(self, what: str, at: object, scheduled: object) -> None:
        """Build the message from the moment and the scheduled change's."""
        super().__init__(
            f"{what} {_show(at)} is at or after the change scheduled for "
            f"{_show(scheduled)}; call bill_through({_show(scheduled)}) "
            "first to make it, or withdraw_change()"
        )
        self.at = at


class BillingLimitError(ProrataError, ValueError):
    """Billing through a date would issue more invoices than the limit."""

    def __init__(self, until: object, limit: int) -> None:
        """Build the message from the date and the limit."""
        super().__init__(
            f"billing through {_show(until)} would issue more than {limit} "
            "invoices; pass a larger limit= or bill through an earlier date "
            "first"
        )
        self.until = until


class TrialError(ProrataError, ValueError):
    """A trial that cannot be given, ended or extended as asked."""

    def __init__(self, why: str) -> None:
        """Build the message from the reason, which names the fix."""
        super().__init__(f"trial: {why}")


class PauseError(ProrataError, ValueError):
    """A pause, a resume, or something asked of a paused subscription."""

    def __init__(self, why: str) -> None:
        """Build the message from the reason, which names the fix."""
        super().__init__(f"pause: {why}")


class AnchorError(ProrataError, ValueError):
    """A billing-cycle anchor that cannot move as asked."""

    def __init__(self, why: str) -> None:
        """Build the message from the reason, which names the fix."""
        super().__init__(f"anchor: {why}")


class BackdatingError(BilledMomentError):
    """A record dated before the last invoice that cannot be corrected.

    A :class:`BilledMomentError`: the moment is before what is billed, and
    the history to correct it is not kept or cannot be replayed.
    """

    def __init__(self, why: str) -> None:  # noqa: D107 - the class says
        ValueError.__init__(self, f"backdating: {why}")


class InvalidTaxError(ProrataError, ValueError):
    """A tax rate, or a product's list of rates, that cannot be applied."""

    def __init__(
        self, owner: str, field: str, value: object, why: str
    ) -> None:
        """Build the message from the rate or product, field and reason."""
        super().__init__(f"tax {shown(owner)}: {field} {shown(value)} {why}")
        self.owner = owner
        self.field = field


class DiscountTermError(ProrataError, ValueError):
    """A discount that cannot be applied on the terms it asks.

    For as long as it asks, or on the plan in force (a coupon redeemed only
    on its products, ``CouponProducts.REDEMPTION``).
    """

    def __init__(self, why: str) -> None:
        """Build the message from the reason, which names the fix."""
        super().__init__(f"discount: {why}")
