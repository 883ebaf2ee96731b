"""Credits as methods: a credit note against the period, prepaid credit.

:class:`Credits` gives :class:`~prorata.Subscription` the two ways to
credit a customer. :meth:`~Credits.issue_credit` credits (or refunds) part
of what the period was billed, taxed as the plan was (``_ending``), to the
credit balance. :meth:`~Credits.top_up` adds prepaid credit: a wallet the
customer bought untaxed, which each invoice draws on after tax and after
the credit balance, at its face amount (``_invoice.settle``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from prorata._checks import check_open
from prorata._ending import issue_credit
from prorata._invoice import check_prepaid
from prorata._state import State, SubscriptionState
from prorata.errors import InvalidAmountError

if TYPE_CHECKING:
    from datetime import datetime
    from typing import Self

    from prorata._invoice import Invoice
    from prorata._money import Money

__all__ = ["Credits"]


def top_up(state: State, amount: object) -> State:
    """``state`` with ``amount`` added to its prepaid credit.

    One addition, whatever the history: the wallet is a running balance.

    Raises:
        SubscriptionEndedError: The subscription has ended.
        ArgumentTypeError: ``amount`` is not a Money (a float, a str).
        CurrencyMismatchError: ``amount`` is in another currency.
        InvalidAmountError: ``amount`` is not above zero, or finer than
            the currency's minor unit.
    """
    check_open(state, "top up prepaid credit")
    money = check_prepaid("amount", amount, state.currency)
    if not money:
        raise InvalidAmountError(
            money,
            "a top-up adds prepaid credit, so it must be above zero",
        )
    return replace(state, prepaid_balance=state.prepaid_balance + money)


class Credits(SubscriptionState):
    """The credit methods of a subscription (no fields of its own)."""

    __slots__ = ()

    def issue_credit(
        self,
        amount: Money,
        at: datetime,
        *,
        refund: bool = False,
        note: str = "Credit issued against the period",
    ) -> tuple[Self, Invoice]:
        """Credit ``amount`` (or refund it) against the period's invoice.

        The credit goes to the credit balance, or is paid back with
        ``refund``; either way it counts against what a cancellation can
        return later. It reverses the plan's tax, as a credit note does.
        Once the subscription has ended, it is against the last period,
        at or after the end, up to what is left of what it billed once
        the end returned its part (Kill Bill's item adjustment).

        Raises:
            InvalidAmountError: ``amount`` is not above zero, or more than
                what is left of what was billed for the period.
            CurrencyMismatchError: ``amount`` is in another currency.
            BilledMomentError: ``at`` is before what is already billed.
        """
        return issue_credit(self, amount, at, refund=refund, note=note)

    def top_up(self, amount: Money) -> Self:
        """Add ``amount`` of prepaid credit: a wallet bought untaxed.

        Each later invoice draws on it after tax, after the credit balance,
        at its face amount, as far as its total is left due (Lago's
        "Credit notes", then "Prepaid credits"); what is not drawn is
        carried forward, and stays the customer's when the subscription
        ends. The purchase is not invoiced here, and not taxed: Lago
        invoices credits bought on an invoice of their own, as an advance
        payment.

        Raises:
            ArgumentTypeError: ``amount`` is not a Money (a float, a str).
            CurrencyMismatchError: ``amount`` is in another currency.
            InvalidAmountError: ``amount`` is not above zero, or finer
                than the currency's minor unit.
            SubscriptionEndedError: The subscription has ended.
        """
        return top_up(self, amount)
