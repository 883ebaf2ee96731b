"""The billing schedule: billing and calculation dates of a cycle.

:class:`BillingSchedule` derives them from a cycle and the policy
(``_billing_policy``), so the two cannot disagree; ``_billing`` prices the
lines each date bills.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, final

from prorata._billing_policy import (
    DEFAULT_BILLING,
    BillingPolicy,
    BillingTiming,
)
from prorata._display import displayed
from prorata._period import BillingCycle, require_aware, to_utc
from prorata.errors import ArgumentTypeError, DatetimeRangeError

__all__ = ["BillingSchedule", "calculated_on"]

_DAY: Final = timedelta(days=1)


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class BillingSchedule:
    """Billing dates and calculation dates of a billing cycle.

    Billing dates are the cycle's boundaries: the subscription date and the
    same day of every interval after it. Billed in advance, the first
    invoice falls on the subscription date itself; billed in arrears, one
    interval later. Each invoice is calculated ``calculation_lead`` before
    its billing date and covers the usage since the previous calculation.

    Args:
        cycle: The anchored billing cycle (the anchor is the subscription
            date).
        policy: The billing policy, whose ``timing`` (in advance or in
            arrears) and ``calculation_lead`` the schedule follows.

    >>> from datetime import UTC, datetime, timedelta
    >>> from prorata import BillingCycle, BillingPolicy, MONTHLY
    >>> schedule = BillingSchedule(
    ...     cycle=BillingCycle(datetime(2024, 6, 15, tzinfo=UTC), MONTHLY),
    ...     policy=BillingPolicy(timing="in-arrears",
    ...                          calculation_lead=timedelta(days=3)))
    >>> [d.date().isoformat() for d in schedule.billing_dates(2)]
    ['2024-07-15', '2024-08-15']
    >>> schedule.calculation_date(schedule.billing_date(1)).date()
    datetime.date(2024, 7, 12)
    """

    cycle: BillingCycle
    policy: BillingPolicy = DEFAULT_BILLING

    def __post_init__(self) -> None:
        """Validate the cycle and the policy."""
        if not isinstance(self.cycle, BillingCycle):
            raise ArgumentTypeError("cycle", self.cycle, "a BillingCycle")
        if not isinstance(self.policy, BillingPolicy):
            raise ArgumentTypeError("policy", self.policy, "a BillingPolicy")

    @property
    def timing(self) -> BillingTiming:
        """In advance or in arrears, as the policy says."""
        return self.policy.timing

    @property
    def calculation_lead(self) -> timedelta:
        """How long before a billing date it is calculated (the policy's)."""
        return self.policy.calculation_lead

    @property
    def first_index(self) -> int:
        """The cycle index of the first invoice: 0 in advance, 1 in arrears."""
        return 0 if self.timing is BillingTiming.IN_ADVANCE else 1

    def billing_date(self, index: int) -> datetime:
        """Return the billing date of cycle boundary ``index``."""
        return self.cycle.boundary(index)

    def calculation_date(self, billing_date: datetime) -> datetime:
        """Return when the invoice of ``billing_date`` is calculated.

        Raises:
            NaiveDatetimeError: ``billing_date`` is not an aware datetime.
            DatetimeRangeError: The lead reaches before datetime's range.
        """
        return calculated_on(
            require_aware("billing date", billing_date), self.calculation_lead
        )

    def billing_dates(self, count: int) -> list[datetime]:
        """Return the first ``count`` billing dates."""
        if isinstance(count, bool) or not isinstance(count, int):
            raise ArgumentTypeError("count", count, "an int")
        start = self.first_index
        if count > 0:  # the last date first: out of range fails at once
            self.billing_date(start + count - 1)
        return [self.billing_date(k) for k in range(start, start + count)]

    def invoice_index_for(self, moment: datetime) -> int:
        """Return the cycle index of the invoice that covers ``moment``.

        That is the first billing date whose calculation date is after the
        moment: usage three days before a billing date, with a three-day
        lead, rolls to the next invoice.

        Raises:
            NaiveDatetimeError: ``moment`` has no time zone.
        """
        instant = to_utc(require_aware("moment", moment))
        index = max(self.cycle.index_of(moment) + 1, self.first_index)
        if self.calculation_lead > _DAY:
            # Skip the billing dates within the lead at once: no earlier
            # one can be calculated after the moment (a day of slack for
            # the wall-clock subtraction across DST changes).
            try:
                ahead = instant + (self.calculation_lead - _DAY)
            except OverflowError:
                raise DatetimeRangeError("moment + lead", moment) from None
            index = max(index, self.cycle.index_of(ahead))
        while to_utc(self.calculation_date(self.billing_date(index))) <= (
            instant
        ):
            index += 1
        return index


def calculated_on(billing_date: datetime, lead: timedelta) -> datetime:
    """When the invoice of ``billing_date`` is calculated: ``lead`` before.

    Raises:
        DatetimeRangeError: The lead reaches before datetime's range.
    """
    if not lead:  # the common case: calculated on the billing date
        return billing_date
    try:
        moment = billing_date - lead
    except OverflowError:
        raise DatetimeRangeError("calculation date", billing_date) from None
    return require_aware("calculation date", moment)
