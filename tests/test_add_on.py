"""Add-ons (``prorata._add_on``): what is sold by the unit beside a plan.

How a subscription bills add-ons (#4) is tested in
``tests/test_subscription.py``.
"""

from __future__ import annotations

import pytest

from prorata import AddOn, InvalidPlanError, Item
from tests.common import usd

SITE = AddOn(id="extra-site", name="Extra site", price=usd("20"))


class TestBadAddOns:
    def test_negative_quantity(self) -> None:
        """A negative quantity is refused, naming it."""
        with pytest.raises(InvalidPlanError, match="-1"):
            Item(SITE, -1)
