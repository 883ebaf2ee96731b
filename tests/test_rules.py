"""Change rules (``prorata._rules``): which changes are self-serve, or why not.

Hosting page: ``002_440c7b3f4171c8ae.txt``; SaaS page:
``000_9f3ea20e269377cb.txt`` (both in ``shared/seeds``). That a subscription
enforces the rules is tested in ``tests/test_subscription.py``.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prorata import (
    ChangeRefusedError,
    Plan,
    RefusalReason,
    check_change,
    require_self_serve,
)
from tests.common import (
    ENTERPRISE,
    LIFETIME_PRO,
    LIFETIME_STARTER,
    PLAIN_BUSINESS_1,
    usd,
    usd_cents,
)

STARTER, PRO = LIFETIME_STARTER, LIFETIME_PRO
BUSINESS_1 = PLAIN_BUSINESS_1
CUSTOM = Plan(id="custom", name="Custom", price=usd("500"), custom=True)
LEGACY = Plan(id="legacy", name="Legacy", price=usd("30"), legacy=True)


class TestRules:
    @pytest.mark.parametrize(
        ("old", "new"),
        [(STARTER, ENTERPRISE), (ENTERPRISE, PRO)],
        ids=["to-enterprise", "from-enterprise"],
    )
    def test_enterprise_needs_sales(self, old: Plan, new: Plan) -> None:
        """'There is no self-serve upgrade option for Enterprise plans';
        'There is no self-serve downgrade option for Enterprise plans'."""
        decision = check_change(old, new)
        assert not decision
        assert decision.reason is RefusalReason.SALES_CONTACT
        with pytest.raises(ChangeRefusedError, match="sales") as caught:
            require_self_serve(old, new)
        assert caught.value.reason == "sales-contact"

    @pytest.mark.parametrize(
        ("old", "new"), [(CUSTOM, PRO), (PRO, CUSTOM)], ids=["from", "to"]
    )
    def test_custom_plans_need_a_request(self, old: Plan, new: Plan) -> None:
        """'If you're on a custom plan, you'll see a form to send a custom
        plan change request instead'."""
        with pytest.raises(
            ChangeRefusedError, match="change request"
        ) as caught:
            require_self_serve(old, new)
        assert caught.value.reason == "custom-plan-request"

    def test_no_way_back_to_legacy(self) -> None:
        """'once you switch from our legacy plans to our new plans, you
        can't switch back'."""
        assert check_change(LEGACY, PRO)
        with pytest.raises(ChangeRefusedError, match="Legacy") as caught:
            require_self_serve(PRO, LEGACY)
        assert caught.value.reason == "legacy-one-way"

    def test_every_pair_is_decided(self) -> None:
        """Each pair of a catalog is allowed, or refused with a reason and a
        message; nothing crashes."""
        catalog = [STARTER, PRO, BUSINESS_1, ENTERPRISE, CUSTOM, LEGACY]
        for old in catalog:
            for new in catalog:
                decision = check_change(old, new)
                assert decision.allowed == (decision.reason is None)
                assert decision.message


flagged_plans = st.builds(
    lambda rank, sales, custom, legacy: Plan(
        id=f"p{rank}",
        price=usd_cents(1_000),
        rank=rank,
        sales_only=sales,
        custom=custom,
        legacy=legacy,
    ),
    st.integers(0, 9),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)


@given(catalog=st.lists(flagged_plans, min_size=1, max_size=6))
def test_every_pair_is_allowed_or_refused_with_a_reason(
    catalog: list[Plan],
) -> None:
    """For any catalog, each pair is decided: allowed, or refused with a
    reason code and a message that names both plans."""
    for old in catalog:
        for new in catalog:
            decision = check_change(old, new)
            if decision.allowed:
                assert decision.reason is None
                assert not old.sales_only
                assert not new.sales_only
            else:
                assert isinstance(decision.reason, RefusalReason)
                assert old.name in decision.message
                assert new.name in decision.message
