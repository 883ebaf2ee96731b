"""A billing run: every subscription's next invoice, lazily."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from prorata._subscription import Subscription
from prorata.errors import ArgumentTypeError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from prorata._invoice import Invoice

__all__ = ["bill_all"]


def bill_all(
    subscriptions: Iterable[Subscription],
) -> Iterator[tuple[Subscription, Invoice]]:
    """Bill each subscription's next invoice, lazily: a billing run.

    Takes any iterable (a generator reading rows from a database, say) and
    yields ``(next state, invoice)`` one subscription at a time, holding
    nothing else, so a run of millions streams in constant memory.

    >>> from datetime import UTC, datetime
    >>> from prorata import Money, Plan, Subscription, bill_all
    >>> plan = Plan(id="plus", price=Money("10", "USD"))
    >>> subs = (Subscription.start(plan, datetime(2024, 6, d, tzinfo=UTC))[0]
    ...         for d in range(1, 4))
    >>> [str(invoice.amount_due) for _, invoice in bill_all(subs)]
    ['$10.00', '$10.00', '$10.00']
    """
    if not isinstance(subscriptions, Iterable):
        raise ArgumentTypeError(
            "subscriptions", subscriptions, "an iterable of Subscriptions"
        )
    for subscription in subscriptions:
        if not isinstance(subscription, Subscription):
            raise ArgumentTypeError(
                "subscription", subscription, "a Subscription"
            )
        yield subscription.bill()
