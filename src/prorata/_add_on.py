"""Add-ons: what is sold by the unit beside a plan, and its quantities.

An :class:`AddOn` is priced like a plan (the same checks of its id, name,
price and interval); an :class:`Item` is a quantity of one on a
subscription.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, TypeAlias, final

from prorata._allowance import check_count
from prorata._display import displayed, fitted
from prorata._money import Money
from prorata._period import MONTHLY, BillingPeriod, Interval
from prorata._plan import check_priced
from prorata._policy import coerce_options
from prorata._tax import TaxRate, check_taxes
from prorata.errors import ArgumentTypeError, InvalidPlanError

__all__ = [
    "AddOn",
    "CadenceFactor",
    "CadenceFactorName",
    "Charge",
    "Item",
    "QuantityMode",
    "QuantityModeName",
]


class CadenceFactor(StrEnum):
    """How a price for a longer interval is spread over a shorter cycle."""

    NONE = "none"
    """Not at all: an annual add-on on a monthly plan is refused; give it
    a monthly price. The default."""
    NOMINAL_365 = "nominal-365"
    """Each period bills its days over 365 a year: $730 a year is $60.00
    for a 30-day April."""
    TWELFTHS = "twelfths"
    """Each period bills its months over the add-on's: $730 a year is
    $60.83 a month, whatever the month's length (Zuora's split of a price
    over billing periods)."""


#: The values of :class:`CadenceFactor`, accepted as plain strings.
CadenceFactorName: TypeAlias = Literal["none", "nominal-365", "twelfths"]


class QuantityMode(StrEnum):
    """How a change of an add-on's quantity within a period is billed."""

    PRORATED = "prorated"
    """The old quantity credited for the unused time, the new one charged
    for the remaining time, as a plan change is. The default."""
    FULL = "full"
    """Not prorated: units added are billed for the whole period, units
    removed return nothing (Chargebee without proration; Maxio's ``full``
    upgrade charge with no downgrade credit)."""
    HIGH_WATER_MARK = "high-water-mark"
    """The period bills its highest quantity: a decrease returns nothing,
    an increase bills only the units above the most already paid for in
    the period, under the policy's charge treatment."""
    DELTA = "delta"
    """One line for the difference over the remaining time, a fractional
    quantity of period-units (+3 seats with 40% of the period left: 1.2
    seat-months), as Maxio bills an allocation change."""
    FULL_ABOVE_PEAK = "full-above-peak"
    """Not prorated, and each unit billed once a period: only the units
    above the most already paid for in the period, for the whole period;
    units removed return nothing (Lago's fixed charge with ``prorated:
    false``: 10 units lowered to 5, then raised to 15, bills "5 units
    (15 - 10)", lago-api spec/scenarios/fixed_charges/
    pay_in_advance_units_change_spec.rb)."""
    PRORATED_INCREASES = "prorated-increases"
    """An increase charges the units added for the remaining time, under
    the policy's charge treatment; a decrease returns nothing, the lower
    quantity billed from the next period (Meteroid's slot fee: "Downgrades
    (delta < 0): Always deferred to next billing period", an upgrade the
    delta times the unit rate prorated; meteroid-oss/meteroid @ 0276c0bb,
    modules/meteroid/crates/meteroid-store/src/services/subscriptions/
    slots.rs ``update_subscription_slots``)."""


#: The values of :class:`QuantityMode`, accepted as plain strings.
QuantityModeName: TypeAlias = Literal[
    "prorated",
    "full",
    "high-water-mark",
    "delta",
    "full-above-peak",
    "prorated-increases",
]


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class AddOn:
    """Something sold by the unit beside a plan: extra sites, seats, storage.

    Args:
        id: A stable identifier, e.g. ``"extra-site"``.
        name: The name shown to people; defaults to ``id``.
        price: The price of one unit for one ``interval``, not negative.
        interval: The interval ``price`` is for; monthly by default.
        taxes: The tax rates its price is taxed at; none by default.
        quantity_mode: How a change of its quantity within a period is
            billed; prorated by default.
        cadence_factor: How a price for an interval longer than the plan's
            is spread over the plan's periods; by default it is not, and
            such an add-on is refused.

    Raises:
        InvalidPlanError: An empty id, or a price or interval that is not
            usable.

    >>> from prorata import ANNUAL, AddOn, Money
    >>> site = AddOn(id="extra-site", name="Extra site",
    ...              price=Money("20", "USD"))
    >>> site.price_for(ANNUAL)
    Money('240', 'USD')
    """

    id: str
    name: str = ""
    price: Money
    interval: Interval = MONTHLY
    taxes: tuple[TaxRate, ...] = ()
    quantity_mode: QuantityMode = QuantityMode.PRORATED
    cadence_factor: CadenceFactor = CadenceFactor.NONE

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            id: str,  # noqa: A002 - the field's name
            name: str = "",
            price: Money,
            interval: Interval = MONTHLY,
            taxes: tuple[TaxRate, ...] = (),
            quantity_mode: QuantityMode | QuantityModeName = (
                QuantityMode.PRORATED
            ),
            cadence_factor: CadenceFactor | CadenceFactorName = (
                CadenceFactor.NONE
            ),
        ) -> None:
            """Build an add-on; each option also as its string."""

    def __repr__(self) -> str:
        """The fields, evaluably; ``taxes`` only when there are any."""
        shown = (
            f"AddOn(id={self.id!r}, name={self.name!r}, price={self.price!r}, "
            f"interval={self.interval!r}"
        )
        if self.taxes:
            shown += f", taxes={self.taxes!r}"
        if self.quantity_mode is not QuantityMode.PRORATED:
            shown += f", quantity_mode={self.quantity_mode.value!r}"
        if self.cadence_factor is not CadenceFactor.NONE:
            shown += f", cadence_factor={self.cadence_factor.value!r}"
        return fitted(self, shown + ")")

    def __post_init__(self) -> None:
        """Validate every field; default the name to the id."""
        check_priced(self, "add-on")
        object.__setattr__(self, "taxes", check_taxes(self.id, self.taxes))
        coerce_options(
            self,
            (
                ("quantity_mode", QuantityMode),
                ("cadence_factor", CadenceFactor),
            ),
        )

    @property
    def currency(self) -> str:
        """The currency of the price."""
        return self.price.currency

    def price_for(self, interval: Interval) -> Money:
        """Return the price of one unit for ``interval``.

        A monthly add-on on an annual plan costs twelve months; a price for
        a longer interval is never split into shorter ones.

        Raises:
            InvalidPlanError: ``interval`` is not a whole multiple of the
                add-on's interval.
        """
        if not isinstance(interval, Interval):
            raise ArgumentTypeError("interval", interval, "an Interval")
        if interval == self.interval:
            return self.price
        mine, theirs = self.interval.months_per_step, interval.months_per_step
        if mine and theirs and theirs % mine == 0:
            return self.price * (theirs // mine)
        raise self._undivided(interval)

    def period_price(
        self, interval: Interval, period: BillingPeriod | None
    ) -> tuple[Money, Fraction | None]:
        """One unit's price for a ``period`` of a cycle of ``interval``.

        Returned as a price and a factor (``None`` for 1): the period bills
        ``price x factor``. A longer interval's price is spread by the
        add-on's ``cadence_factor``; ``period`` ``None`` checks only that
        it can be.

        Raises:
            InvalidPlanError: The price cannot be spread over ``interval``.
        """
        if not isinstance(interval, Interval):
            raise ArgumentTypeError("interval", interval, "an Interval")
        if period is not None and not isinstance(period, BillingPeriod):
            raise ArgumentTypeError("period", period, "a BillingPeriod")
        mine, theirs = self.interval.months_per_step, interval.months_per_step
        factor = self.cadence_factor
        if (
            factor is CadenceFactor.NONE
            or not mine
            or not theirs
            or theirs >= mine
        ):
            return self.price_for(interval), None
        if factor is CadenceFactor.TWELFTHS:
            return self.price, Fraction(theirs, mine)
        if period is None:
            return self.price, None
        days = (period.end.date() - period.start.date()).days
        return self.price, Fraction(days * 12, 365 * mine)

    def _undivided(self, interval: Interval) -> InvalidPlanError:
        """The refusal of a price for an interval it does not divide."""
        return InvalidPlanError(
            self.id,
            "interval",
            self.interval,
            f"does not divide {interval}; give the add-on a price for "
            f"{interval}, or a cadence_factor to spread it",
        )


@final
@dataclass(frozen=True, slots=True)
@displayed
class Item:
    """A quantity of an add-on on a subscription.

    Raises:
        InvalidPlanError: ``add_on`` is not an :class:`AddOn`, or the
            quantity is not a non-negative ``int``.

    Three extra sites:

    >>> from prorata import AddOn, Item, Money
    >>> site = AddOn(id="extra-site", name="Extra site",
    ...              price=Money("20", "USD"))
    >>> Item(site, 3).quantity, Item(site).quantity
    (3, 1)
    """

    add_on: AddOn
    quantity: int = 1

    def __post_init__(self) -> None:
        """Validate both fields."""
        if not isinstance(self.add_on, AddOn):
            raise InvalidPlanError(
                "item", "add_on", self.add_on, "is not an AddOn"
            )
        check_count(self.add_on.id, "quantity", self.quantity)


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class Charge:
    """A one-time charge: a set-up fee, a migration, a device.

    Billed once, when it is added (``Subscription.start(charges=...)``,
    ``Subscription.add_charge``), and never prorated. It is not credited
    on a plan change; on a cancellation in the period it was billed in,
    only if ``credit_back`` says so.

    Args:
        id: A stable identifier, e.g. ``"setup"``.
        name: The name shown to people; defaults to ``id``.
        price: Its price, not negative.
        taxes: The tax rates it is taxed at; none by default.
        credit_back: Credit it in full on a cancellation in the period it
            was billed in (less any discount it was billed with); off by
            default (a set-up fee is kept).
        setup_fee: It is the plan's setup fee, billed with the sign-up
            (``Subscription.start(charges=...)``, never ``add_charge``),
            which coupons discount as the policy's ``setup_fee_discount``
            says; off by default (no coupon discounts a one-time charge).

    Raises:
        InvalidPlanError: An empty id, or a price that is not usable.

    >>> from prorata import Charge, Money
    >>> Charge(id="setup", name="Set-up fee", price=Money("50", "USD"))
    Charge(id='setup', name='Set-up fee', price=Money('50', 'USD'))
    """

    id: str
    name: str = ""
    price: Money
    taxes: tuple[TaxRate, ...] = ()
    credit_back: bool = False
    setup_fee: bool = False

    def __post_init__(self) -> None:
        """Validate every field; default the name to the id."""
        check_priced(self, "charge")
        object.__setattr__(self, "taxes", check_taxes(self.id, self.taxes))
        for flag in ("credit_back", "setup_fee"):
            value = getattr(self, flag)
            if not isinstance(value, bool):
                raise InvalidPlanError(self.id, flag, value, "is not a bool")

    def __repr__(self) -> str:
        """The fields that differ from their defaults, evaluably."""
        shown = (
            f"Charge(id={self.id!r}, name={self.name!r}, price={self.price!r}"
        )
        if self.taxes:
            shown += f", taxes={self.taxes!r}"
        if self.credit_back:
            shown += ", credit_back=True"
        if self.setup_fee:
            shown += ", setup_fee=True"
        return fitted(self, shown + ")")

    @property
    def currency(self) -> str:
        """The currency of the price."""
        return self.price.currency
