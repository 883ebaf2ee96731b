"""Where a change's lines go, and what the change produced.

:func:`route` decides, by the one rule for every change (of plan or of an
add-on's quantity), which lines are invoiced at once and which wait for the
next invoice, and says why in words a support person can read out.
:class:`ChangeOutcome` and :class:`QuantityOutcome` are what a
subscription's change returns beside its new state.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Final, Literal, TypeAlias, final

from prorata._billing_policy import (
    BillingAnchor,
    BillingPolicy,
    BillingTiming,
    ChangeBilling,
)
from prorata._display import displayed
from prorata._explain import outcome_text
from prorata._history import QuantityChange
from prorata._invoice import Invoice
from prorata._invoice_lines import InvoiceLine, InvoiceLineKind
from prorata._money import Money
from prorata._plan import AllowanceCarry
from prorata._policy import ChangeDay, Treatment, coerce_options
from prorata._proration import Proration
from prorata.errors import ArgumentTypeError, InvalidPolicyError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from prorata._billing_policy import BillingAnchorName
    from prorata._plan import PlanChange
    from prorata._policy import ChangeDayName
    from prorata._pricing import ProrationLine

__all__ = [
    "ChangeOptions",
    "ChangeOutcome",
    "ProrationBehavior",
    "ProrationBehaviorName",
    "QuantityOutcome",
    "Routing",
    "Settlement",
    "reset_reason",
    "route",
]


class Settlement(StrEnum):
    """When the net of a change is billed."""

    INVOICE_NOW = "invoice-now"
    """On an invoice of its own, at the moment of the change."""
    NEXT_INVOICE = "next-invoice"
    """On the next regular invoice."""
    SPLIT = "split"
    """Partly on an invoice issued at once, partly on the next one."""
    NOT_BILLED = "not-billed"
    """Not at all (``ChangeBilling.NEVER``, or nothing to bill)."""
    SCHEDULED = "scheduled"
    """Not yet: the change waits for the next billing date, whose invoice
    bills the new plan (``Downgrades.AT_PERIOD_END``)."""


class ProrationBehavior(StrEnum):
    """How one change is prorated and billed (Stripe's names and meaning)."""

    CREATE_PRORATIONS = "create_prorations"
    """Credit and charge lines on the next invoice, whatever the threshold;
    billed in arrears, the time used on the next invoice."""
    ALWAYS_INVOICE = "always_invoice"
    """Credit and charge lines invoiced at once; billed in arrears, the time
    used so far invoiced at once too."""
    NONE = "none"
    """No credit and no charge: the new price applies from the next
    period."""


#: The values of :class:`ProrationBehavior`, accepted as plain strings.
ProrationBehaviorName: TypeAlias = Literal[
    "create_prorations", "always_invoice", "none"
]


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeOptions:
    """Options of one change, over the subscription's policy for it alone.

    Args:
        policy: A whole billing policy for this change; the
            subscription's by default.
        proration_behavior: Stripe's behaviour, applied over ``policy``.
        billing_anchor: Keep the billing dates, or restart them now (as
            the policy's ``billing_anchor`` ``now`` does for every change).
        change_day: Which plan owns the day of the change, under a
            day-based basis (:class:`~prorata.ChangeDay`).
        billing_day: The day of the month (1 to 31) the new plan bills
            on, in place of the billing day kept, under
            ``AnchorReset.BILLING_DAY``: Kill Bill's billing-cycle day of a
            plan its catalog aligns on the subscription or the bundle
            (``<billingAlignment>`` ``SUBSCRIPTION``: the day of the
            subscription's first paid period, the trial's end; killbill
            util/.../bcd/BillCycleDayCalculator.java). Kill Bill's own
            default is ``ACCOUNT`` (catalog/.../rules/DefaultPlanRules.java
            ``getBillingAlignment``), the billing day the convention keeps,
            so this is an option of a catalog, not of the convention.

    Raises:
        InvalidPolicyError: An option outside its allowed values.
        ArgumentTypeError: ``billing_day`` is not an ``int``.
    """

    policy: BillingPolicy | None = None
    proration_behavior: ProrationBehavior | None = None
    billing_anchor: BillingAnchor = BillingAnchor.UNCHANGED
    change_day: ChangeDay | None = None
    billing_day: int | None = None

    if TYPE_CHECKING:
        # Each option also as its plain string; see ProrationPolicy.__init__
        # in _policy.py for why this pattern.
        def __init__(
            self,
            *,
            policy: BillingPolicy | None = None,
            proration_behavior: (
                ProrationBehavior | ProrationBehaviorName | None
            ) = None,
            billing_anchor: BillingAnchor | BillingAnchorName = (
                BillingAnchor.UNCHANGED
            ),
            change_day: ChangeDay | ChangeDayName | None = None,
            billing_day: int | None = None,
        ) -> None:
            """Build the options from enum members or their strings."""

    def __post_init__(self) -> None:
        """Validate the options; turn option strings into enum members."""
        if self.policy is not None and not isinstance(
            self.policy, BillingPolicy
        ):
            raise ArgumentTypeError("policy", self.policy, "a BillingPolicy")
        options: list[tuple[str, type[StrEnum]]] = [
            ("billing_anchor", BillingAnchor)
        ]
        if self.proration_behavior is not None:
            options.append(("proration_behavior", ProrationBehavior))
        if self.change_day is not None:
            options.append(("change_day", ChangeDay))
        coerce_options(self, tuple(options))
        day = self.billing_day
        if day is not None:
            if isinstance(day, bool) or not isinstance(day, int):
                raise ArgumentTypeError("billing_day", day, "an int")
            if not 1 <= day <= _LAST_DAY:
                raise InvalidPolicyError(
                    "billing_day", day, ["a day of the month, 1 to 31"]
                )
            if self.billing_anchor is BillingAnchor.NOW:
                raise InvalidPolicyError(
                    "billing_day",
                    day,
                    [
                        (
                            "None with billing_anchor='now' (a restart "
                            "bills from the change's own day)"
                        )
                    ],
                )

    def applied_to(self, policy: BillingPolicy) -> BillingPolicy:
        """The policy this change is billed under, from the subscription's.

        It is what a subscription whose policy had these options would use,
        so a change with options bills what such a subscription bills.
        """
        chosen = policy if self.policy is None else self.policy
        behavior, day = self.proration_behavior, self.change_day
        if day is not None:
            chosen = replace(
                chosen, proration=replace(chosen.proration, change_day=day)
            )
        if behavior is ProrationBehavior.NONE:
            return replace(
                chosen,
                proration=replace(
                    chosen.proration,
                    credit=Treatment.NONE,
                    charge=Treatment.NONE,
                ),
            )
        if behavior is None:
            return chosen
        billing = (
            ChangeBilling.INVOICE_NOW
            if behavior is ProrationBehavior.ALWAYS_INVOICE
            else ChangeBilling.NEXT_INVOICE
        )
        return replace(
            chosen,
            charge_now_above=None,
            charge_billing=billing,
            credit_billing=billing,
            used_time_billing=billing,
        )


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class Routing:
    """Where a change's lines go: invoiced now, or on the next invoice."""

    now: tuple[InvoiceLine, ...]
    later: tuple[InvoiceLine, ...]
    settlement: Settlement
    reason: str


#: The last day a month can have, the largest ``billing_day``.
_LAST_DAY: Final = 31

_IN_ARREARS_REASON: Final = (
    "billed in arrears: the next invoice charges each plan and add-on for "
    "the time it was in force"
)


def route(
    policy: BillingPolicy, lines: Sequence[InvoiceLine], net: Money
) -> Routing:
    """Send a change's lines where the policy bills them; say why.

    Billed in arrears, nothing is billed at a change. Otherwise a net above
    ``charge_now_above`` is invoiced at once, lines and all; below it, each
    charge and each credit goes where ``charge_billing`` or
    ``credit_billing`` says.
    """
    if policy.timing is BillingTiming.IN_ARREARS:
        return Routing(
            now=(),
            later=(),
            settlement=Settlement.NEXT_INVOICE,
            reason=_IN_ARREARS_REASON,
        )
    threshold = policy.charge_now_above
    now: tuple[InvoiceLine, ...]
    later: tuple[InvoiceLine, ...]
    if threshold is not None and net > threshold:
        now, later = tuple(lines), ()
        why = (
            f"the net {net} is above the {threshold} threshold: "
            "invoiced at once"
        )
    else:
        now, later, why = _by_sign(policy, lines, net)
    if now and later:
        settlement = Settlement.SPLIT
    elif now:
        settlement = Settlement.INVOICE_NOW
    elif later:
        settlement = Settlement.NEXT_INVOICE
    else:
        settlement = Settlement.NOT_BILLED
    return Routing(now=now, later=later, settlement=settlement, reason=why)


def _by_sign(
    policy: BillingPolicy, lines: Sequence[InvoiceLine], net: Money
) -> tuple[tuple[InvoiceLine, ...], tuple[InvoiceLine, ...], str]:
    """Send charges and credits where the policy bills each of them.

    A discount line goes with the line it discounts, a cap with the
    credits it caps.
    """
    now: list[InvoiceLine] = []
    later: list[InvoiceLine] = []
    said: dict[str, ChangeBilling] = {}
    zero = Money.zero(net.currency)
    credit = False
    for line in lines:
        if line.kind is InvoiceLineKind.CREDIT_CAP:
            credit = True
        elif line.kind is not InvoiceLineKind.DISCOUNT:
            credit = line.amount < zero
        billing = policy.credit_billing if credit else policy.charge_billing
        said["credits" if credit else "charges"] = billing
        if billing is ChangeBilling.INVOICE_NOW:
            now.append(line)
        elif billing is ChangeBilling.NEXT_INVOICE:
            later.append(line)
    return tuple(now), tuple(later), _why(policy, net, said)


def _why(
    policy: BillingPolicy, net: Money, said: dict[str, ChangeBilling]
) -> str:
    """Say why a change is billed as it is, for a support person."""
    threshold = policy.charge_now_above
    if policy.charge_billing is not policy.credit_billing:
        return "; ".join(f"{n}: {_BILLED[b]}" for n, b in said.items())
    if threshold is None or (
        policy.charge_billing is not ChangeBilling.NEXT_INVOICE
    ):
        return f"the net {net}: {_BILLED[policy.charge_billing]}"
    if net < Money.zero(net.currency):
        return (
            f"the net is a credit of {-net}: it reduces the next invoice "
            "and is never paid out at once"
        )
    return (
        f"the net {net} is not above the {threshold} threshold: added "
        "to the next invoice"
    )


_BILLED: Final = {
    ChangeBilling.NEXT_INVOICE: "on the next invoice",
    ChangeBilling.INVOICE_NOW: "invoiced at once",
    ChangeBilling.NEVER: "not billed",
}


def reset_reason(change: PlanChange, unused: Sequence[ProrationLine]) -> str:
    """Why a change that closes the old plan is invoiced at once."""
    old, new, at = change.old, change.new, change.at
    reason = (
        f"{old.name} -> {new.name} closes {old.name} and opens "
        f"{new.name} with a new billing date, "
        f"{at.isoformat(sep=' ')}: invoiced at once"
    )
    if unused:
        credit = -sum((c.amount for c in unused), Money.zero(new.currency))
        reason += (
            f", the {credit} unused on {old.name} applied to the "
            f"{new.name} price"
        )
    return reason


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class ChangeOutcome:
    """What a plan change produced: its lines, its net and how it is billed.

    Args:
        proration: The plan change's credit, charge and net.
        lines: The credit and charge lines the change bills (none when
            billing in arrears, which bills time used at the period's end).
        net: The sum of ``lines`` under the proration policy.
        settlement: Invoiced now, or added to the next invoice.
        reason: Why, in words a support person can read out.
        invoice: The invoice issued at once, if any.

    Business 1 -> Business 2 ten days into a 30-day month, billed on the next
    invoice:

    >>> from datetime import UTC, datetime
    >>> from prorata import (Basis, BillingPolicy, ProrationPolicy,
    ...                      Subscription, builtin_catalog)
    >>> plans = builtin_catalog()
    >>> policy = BillingPolicy(
    ...     proration=ProrationPolicy(basis=Basis.THIRTY_DAY_MONTH))
    >>> sub, _ = Subscription.start(plans["business-1"],
    ...     datetime(2024, 6, 1, tzinfo=UTC), policy=policy)
    >>> sub, outcome = sub.change_plan(plans["business-2"],
    ...     datetime(2024, 6, 11, tzinfo=UTC))
    >>> print(outcome.net, outcome.settlement)
    $73.33 next-invoice
    """

    proration: Proration
    lines: tuple[InvoiceLine, ...]
    net: Money
    settlement: Settlement
    reason: str
    invoice: Invoice | None
    allowances: tuple[AllowanceCarry, ...] = ()

    def explain(self) -> str:
        """The proration's explanation, then how it is billed and why.

        Lifetime allowances carried across the change are listed too: the
        hosting page's Starter -> Pro with one migration used has "one extra
        migration added to your account, not two".
        """
        return outcome_text(
            self.proration, self.allowances, self.settlement, self.reason
        )


@final
@dataclass(frozen=True, slots=True, kw_only=True)
@displayed
class QuantityOutcome:
    """What a change of an add-on's quantity produced.

    Args:
        change: The quantity change.
        lines: The credit for the old quantity's unused time and the
            charge for the new quantity's remaining time (none when billing
            in arrears).
        net: The sum of ``lines`` under the proration policy.
        settlement: Invoiced now, or added to the next invoice.
        reason: Why, in words a support person can read out.
        invoice: The invoice issued at once, if any.

    Two extra sites raised to three ten days into a 30-day month:

    >>> from datetime import UTC, datetime
    >>> from prorata import AddOn, Item, Money, Subscription, builtin_catalog
    >>> site = AddOn(id="extra-site", name="Extra site",
    ...              price=Money("20", "USD"))
    >>> sub, _ = Subscription.start(builtin_catalog()["pro"],
    ...     datetime(2024, 6, 1, tzinfo=UTC), items=[Item(site, 2)])
    >>> sub, outcome = sub.change_quantity(site, 3,
    ...     datetime(2024, 6, 11, tzinfo=UTC))
    >>> print(outcome.net)
    $13.33
    """

    change: QuantityChange
    lines: tuple[InvoiceLine, ...]
    net: Money
    settlement: Settlement
    reason: str
    invoice: Invoice | None
