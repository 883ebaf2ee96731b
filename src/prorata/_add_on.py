"""Add-ons: what is sold by the unit beside a plan, and its quantities.

An :class:`AddOn` is priced like a plan (the same checks of its id, name,
price and interval); an :class:`Item` is a quantity of one on a
subscription.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import final

from prorata._allowance import check_count
from prorata._money import Money
from prorata._period import MONTHLY, Interval
from prorata._plan import check_priced
from prorata._tax import TaxRate, check_taxes
from prorata.errors import ArgumentTypeError, InvalidPlanError

__all__ = ["AddOn", "Item"]


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class AddOn:
    """Something sold by the unit beside a plan: extra sites, seats, storage.

    Args:
        id: A stable identifier, e.g. ``"extra-site"``.
        name: The name shown to people; defaults to ``id``.
        price: The price of one unit for one ``interval``, not negative.
        interval: The interval ``price`` is for; monthly by default.
        taxes: The tax rates its price is taxed at; none by default.

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

    def __repr__(self) -> str:
        """The fields, evaluably; ``taxes`` only when there are any."""
        shown = (
            f"AddOn(id={self.id!r}, name={self.name!r}, price={self.price!r}, "
            f"interval={self.interval!r}"
        )
        if self.taxes:
            shown += f", taxes={self.taxes!r}"
        return shown + ")"

    def __post_init__(self) -> None:
        """Validate every field; default the name to the id."""
        check_priced(self, "add-on")
        object.__setattr__(self, "taxes", check_taxes(self.id, self.taxes))

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
        raise InvalidPlanError(
            self.id,
            "interval",
            self.interval,
            f"does not divide {interval}; give the add-on a price for "
            f"{interval}",
        )


@final
@dataclass(frozen=True, slots=True)
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
