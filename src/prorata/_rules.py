"""Change rules: may a plan change be made self-serve, and if not, why.

Both pages route some changes away from the self-serve path: anything to or
from Enterprise goes through sales; a custom plan changes through a change
request; and a move off a legacy plan is one-way. :func:`check_change` says
so without raising, for a UI; :func:`require_self_serve` raises
:class:`~prorata.ChangeRefusedError` with the same reason code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import final

from prorata._display import displayed
from prorata._plan import Plan
from prorata.errors import ArgumentTypeError, ChangeRefusedError

__all__ = [
    "ChangeDecision",
    "RefusalReason",
    "check_change",
    "require_self_serve",
]


class RefusalReason(StrEnum):
    """Why a change cannot be made self-serve; stable codes for callers."""

    SALES_CONTACT = "sales-contact"
    """To or from a sales-only plan: "There is no self-serve upgrade option
    for Enterprise plans" ... "Contact your sales representative" (SaaS
    page); the hosting page's custom and Enterprise plans likewise."""

    CUSTOM_PLAN_REQUEST = "custom-plan-request"
    """To or from a custom plan: "you'll see a form to send a custom plan
    change request instead" (hosting page)."""

    LEGACY_ONE_WAY = "legacy-one-way"
    """Back to a legacy plan: "once you switch from our legacy plans to our
    new plans, you can't switch back" (hosting page)."""


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class ChangeDecision:
    """Whether a change is self-serve; if not, a code and a message.

    Args:
        allowed: Whether the customer may make the change themselves.
        reason: The refusal code, or ``None`` when allowed.
        message: A sentence a UI can show as it is.

    A decision is true when the change is allowed:

    >>> from prorata import builtin_catalog, check_change
    >>> plans = builtin_catalog()
    >>> decision = check_change(plans["starter"], plans["pro"])
    >>> bool(decision), decision.message
    (True, 'Starter -> Pro is self-serve')
    """

    allowed: bool
    reason: RefusalReason | None
    message: str

    def __bool__(self) -> bool:
        """True when the change is allowed."""
        return self.allowed


def check_change(old: Plan, new: Plan) -> ChangeDecision:
    """Decide whether ``old -> new`` may be made self-serve.

    A refusal is a result, not an exception, so a UI can show it.

    Rules, first match wins: a sales-only plan on either side needs sales;
    a custom plan on either side needs a change request; a current plan
    may not go back to a legacy one.

    Raises:
        ArgumentTypeError: ``old`` or ``new`` is not a :class:`Plan`.

    >>> from prorata import Money, Plan
    >>> plus = Plan(id="plus", name="Plus", price=Money("310", "USD"))
    >>> enterprise = Plan(id="enterprise", name="Enterprise",
    ...                   price=Money("0", "USD"), sales_only=True)
    >>> decision = check_change(plus, enterprise)
    >>> decision.allowed, decision.reason
    (False, <RefusalReason.SALES_CONTACT: 'sales-contact'>)
    >>> print(decision.message)
    Plus -> Enterprise is not self-serve: Enterprise is sold through sales; \
contact a sales representative
    """
    for role, plan in (("old", old), ("new", new)):
        if not isinstance(plan, Plan):
            raise ArgumentTypeError(f"{role} plan", plan, "a Plan")
    change = f"{old.name} -> {new.name} is not self-serve"
    if old.sales_only or new.sales_only:
        which = new if new.sales_only else old
        return ChangeDecision(
            allowed=False,
            reason=RefusalReason.SALES_CONTACT,
            message=(
                f"{change}: {which.name} is sold through sales; contact a "
                "sales representative"
            ),
        )
    if old.custom or new.custom:
        which = old if old.custom else new
        return ChangeDecision(
            allowed=False,
            reason=RefusalReason.CUSTOM_PLAN_REQUEST,
            message=(
                f"{change}: {which.name} is a custom plan; send a custom "
                "plan change request naming the plan you want"
            ),
        )
    if new.legacy and not old.legacy:
        return ChangeDecision(
            allowed=False,
            reason=RefusalReason.LEGACY_ONE_WAY,
            message=(
                f"{change}: {new.name} is a legacy plan, and a move from "
                "legacy plans to current ones cannot be undone; choose a "
                "current plan"
            ),
        )
    return ChangeDecision(
        allowed=True,
        reason=None,
        message=f"{old.name} -> {new.name} is self-serve",
    )


def require_self_serve(old: Plan, new: Plan) -> None:
    """Raise unless ``old -> new`` may be made self-serve.

    Raises:
        ChangeRefusedError: The change needs sales, a change request, or
            would go back to a legacy plan; ``.reason`` holds the code.
        ArgumentTypeError: ``old`` or ``new`` is not a :class:`Plan`.

    Enterprise is sold through sales, so a move to it is refused:

    >>> from prorata import ChangeRefusedError, builtin_catalog
    >>> from prorata import require_self_serve
    >>> plans = builtin_catalog()
    >>> try:
    ...     require_self_serve(plans["plus"], plans["enterprise"])
    ... except ChangeRefusedError as error:
    ...     print(error.reason)
    sales-contact
    """
    decision = check_change(old, new)
    if decision.reason is not None:
        raise ChangeRefusedError(decision.reason.value, decision.message)
